"""Korean text, section ``search``: the Search page."""

TEXT: dict[str, str] = {
    "title": "탐색",
    "intro": ("책(6.5절)처럼 학습률과 가중치 감소를 탐색합니다. 로그 스케일에서 무작위로 뽑은 짧은 시행을 많이 "
              "돌려 검증 정확도로 순위를 매기고(시험 정확도는 절대 쓰지 않습니다), 넓은 범위에서 좁은 범위로 "
              "좁혀 갑니다."),
    "empty": ("아직 탐색이 없습니다. 탐색은 학습률과 가중치 감소를 바꿔 가며 짧은 실행을 많이 학습하고, 어느 "
              "영역에서 검증 정확도가 가장 좋은지 보여 줍니다. 아래에서 시작하세요. 책의 탐색은 50에폭짜리 "
              "무작위 시행 100개입니다."),
    "empty.read_only": ("아직 탐색이 없고, 이 대시보드는 읽기 전용입니다. 탐색은 명령줄에서 시작합니다: "
                        "`python -m core search --strategy random --trials 100 --epochs 50`."),
    "read_only": "이 대시보드는 읽기 전용이라 여기서는 탐색을 시작할 수 없습니다.",
    # launch form
    "launch.title": "탐색 시작",
    "launch.strategy": "전략",
    "launch.strategy.random": "무작위 (책의 방법)",
    "launch.strategy.grid": "그리드",
    "launch.strategy.bayes": "베이즈 최적화 (가우스 과정 + 기대 개선량)",
    "launch.strategy.coarse-to-fine": "코스 투 파인 (라운드마다 최고 시행 주변으로 범위를 좁힘)",
    "launch.lr": "학습률 범위 (로그 스케일)",
    "launch.wd": "가중치 감소 λ 범위 (로그 스케일)",
    "launch.trials": "시행 수",
    "launch.epochs": "시행당 에폭 수",
    "launch.seeds": "시행당 시드 수",
    "launch.seeds.help": "각 시행은 시드마다 한 번씩 학습하며, 시행의 값은 최종 검증 정확도의 평균입니다.",
    "launch.rounds": "라운드 수 (코스 투 파인 전용)",
    "launch.rounds.help": "라운드들은 시행 수를 나눠 씁니다. 각 라운드의 범위는 이전 라운드 최고 시행들을 감싸는 "
                          "상자입니다.",
    "launch.early_stop": "조기 종료",
    "launch.early_stop.help": ("연속 반감(successive halving). 초반의 몇 에폭(비교 지점: 50에폭 시행이라면 5, 10, 20)에서 각 시행을 그 지점까지 "
                               "온 시행들과 비교해, 상위 절반만 계속 학습합니다. 조기 종료를 쓰는 탐색은 쓰지 않는 "
                               "탐색의 약 30 % 비용이 들므로 시행을 더 많이 돌릴 수 있습니다."),
    "launch.min_epochs": "첫 비교 지점 (에폭)",
    "launch.min_epochs.auto": "자동: 5",
    "launch.min_epochs.help": ("시행을 처음 비교하는 에폭입니다. 다음 비교 지점은 그 2×, 4×, …이며 시행 길이 안에 "
                               "드는 만큼 둡니다. 비워 두면 5이고, 시행이 15에폭보다 짧으면 시행 길이의 3분의 "
                               "1입니다. 2로 두면 일반 탐색의 약 3분의 1 비용으로 두 배의 시행을 돌릴 수 있습니다."),
    "launch.rung_metric": "조기 종료의 비교 기준",
    "launch.rung_metric.val_loss": "검증 손실",
    "launch.rung_metric.val_acc": "검증 정확도",
    "launch.rung_metric.help": ("최종 순위는 언제나 검증 정확도로 매깁니다. 검증 이미지가 100장이면 초반의 "
                                "정확도는 우연 수준 근처에서 1 % 단위로만 움직이지만, 손실은 이미 어느 시행이 "
                                "학습하고 있는지 보여 줍니다. 그래서 손실로 거르면 결국 최고가 될 시행을 잘못 "
                                "버리는 일이 더 적습니다."),
    "launch.repeat": "반복 번호",
    "launch.repeat.help": "같은 설정이라도 반복 번호가 다르면 다른 시행을 뽑습니다. 반복들이 아래 그림의 띠가 됩니다.",
    "launch.base": ("모든 시행은 책의 설정을 따릅니다: 훈련 이미지 {n_train}장, 검증 이미지 {n_val}장, 은닉층 "
                    "{hidden}, {optimizer}, 배치 크기 {batch_size}."),
    "launch.submit": "탐색 시작",
    "launch.done": "탐색을 시작했습니다(탐색 {search_id}, 작업 {job_id}): {n_epochs}에폭짜리 시행 {n_trials}개.",
    "launch.failed": "탐색을 시작하지 못했습니다: {error}",
    "launch.exists": "이 탐색은 이미 있어서 그 탐색을 열었습니다: {search_id} (시행 {n_trials}개 중 {n_done}개 완료). 설정이 같으면 같은 시행을 뽑으므로, 새 탐색은 캐시에서 결과를 다시 읽기만 합니다. 다른 시행을 뽑으려면 반복 번호를 바꾸세요.",
    "launch.exists_running": "이 탐색은 이미 있고 실행 중이라 그 탐색을 열었습니다: {search_id} (지금까지 시행 {n_trials}개 중 {n_done}개 완료).",
    "launch.resumed": ("같은 설정으로 앞서 실행한 탐색 {previous}: 시행 {n_trials}개 중 {n_done}개에서 멈췄습니다. "
                       "이번 탐색은 그 시행들을 캐시에서 다시 쓰고 나머지만 학습합니다."),
    "launch.same_range": "{name} 범위의 양 끝은 서로 달라야 합니다.",
    "jobs.title": "작업",
    # choosing a search
    "choose": "탐색",
    "option": "{search_id} · {strategy}",
    "status": "시행 {n_trials}개 중 {n_done}개 완료, 시행마다 {n_epochs}에폭 · 최고 검증 정확도 {best}",
    "lineage": "더 좁힌 라운드입니다(원래 탐색: {parent}).",
    "live": "진행 중: 시행이 끝나는 대로 아래의 산점도, 최고 시행, 표가 채워집니다.",
    "failed": "이 탐색을 읽지 못했습니다: {error}",
    "problems.title": "읽지 못한 탐색 파일 ({n})",
    "problems.file": "파일",
    "problems.reason": "이유",
    # scatter
    "scatter.title": "학습률 × 가중치 감소",
    "scatter.colorbar": "최종 검증 정확도 (범위 {low}–{high})",
    "scatter.hint": ("산점도에서 상자를 끌어 그리면 그 안의 시행 곡선이 아래에 나타납니다. 올가미나 클릭으로는 "
                     "시행을 하나씩 고릅니다. 삼각형은 조기 종료된 시행, 가위표는 발산한 시행입니다."),
    "scatter.no_lr_wd": "이 탐색은 lr과 가중치 감소를 함께 조정하지 않으므로(조정 대상: {params}) 산점도가 없습니다.",
    "surrogate.caption": "점 아래 배경은 가우스 과정 대리 모델이 예측한 검증 정확도입니다.",
    "surrogate.none": "시행이 두 개 이상 끝나면 대리 모델 지도가 나타납니다.",
    "selected_box": "선택한 상자",
    # selection
    "selected.title": "선택한 시행",
    "selected.none": "선택한 시행이 없습니다. 산점도에 상자를 그리세요.",
    "selected.box": "lr {lr_lo} – {lr_hi} × λ {wd_lo} – {wd_hi} 범위의 실행 {n}개.",
    "selected.ids": "실행 {n}개를 골랐습니다.",
    "selected.capped": "그중 가장 좋은 {shown}개를 보여 줍니다.",
    "selected.empty_box": "선택한 상자 안에 시행이 없습니다.",
    "selected.clear": "선택 해제",
    "finer.trials": "좁힌 라운드의 시행 수",
    "finer.start": "이 상자 안에서 좁힌 라운드 시작",
    "finer.hint": "상자를 그리면(상자 선택) 그 안에서 좁힌 라운드를 시작할 수 있습니다.",
    "finer.outside": "상자가 이 탐색의 범위 밖에 있어 그곳에서는 좁힌 라운드를 시작할 수 없습니다.",
    "finer.done": "좁힌 라운드를 시작했습니다(탐색 {search_id}, 작업 {job_id}).",
    # best-N, comparison, table
    "best.title": "최고 시행",
    "best.n": "보여 줄 개수 (Best-N)",
    "best.caption": "책의 Best-N 그림: 점선은 검증 정확도, 파선은 훈련 정확도이며 가장 좋은 시행부터 보여 줍니다.",
    "compare.title": "지금까지의 최고값: 시행 수 또는 계산량 기준",
    "compare.choose": "비교할 탐색",
    "compare.placeholder": "이 탐색만",
    "compare.x": "가로축",
    "compare.x.trials": "시행 수",
    "compare.x.epochs": "계산량",
    "compare.hint": ("같은 예산에서 전략을 비교합니다. 시행 수 기준에서는 모든 시행을 하나로 셉니다. 계산량"
                     "(시행-에폭) 기준에서는 조기 종료된 시행이 실제로 학습한 에폭만큼만 비용이 되므로, 조기 "
                     "종료의 이득이 여기서 드러납니다. 한 전략의 반복들은 평균선으로 그리고, 가장 나쁜 반복부터 "
                     "가장 좋은 반복까지를 띠로 보여 줍니다."),
    "compare.budget": "사용한 계산량: 시행-에폭은 모든 실행에서 학습한 에폭의 합입니다(조기 종료된 시행은 멈춘 "
                      "지점까지만 셉니다).",
    "column.search_id": "탐색",
    "column.strategy": "전략",
    "column.n_done": "완료한 시행",
    "column.n_epochs": "시행당 에폭",
    "column.trial_epochs": "시행-에폭",
    "column.best": "최고 검증 정확도",
    "table.title": "시행",
    "table.csv": "시행 내려받기 (CSV)",
    "column.trial": "시행",
    "column.round": "라운드",
    "column.status": "상태",
    "column.lr": "학습률",
    "column.weight_decay": "가중치 감소 λ",
    "column.value": "최종 검증 정확도 (순위 기준)",
    "column.final_train_acc": "최종 훈련 정확도",
    "column.stopped_epoch": "학습한 에폭",
    "column.final_test_acc": "최종 시험 정확도",
    "column.final_test_acc.help": ("시행이 끝날 때 한 번만 채점하며, 시행의 순위나 선택에는 쓰지 않습니다. 탐색은 검증 "
                                   "정확도로 고릅니다."),
    "column.seed": "시드",
    "column.cached": "캐시됨",
    "column.run_id": "실행 ID",
    # URL notices of this page (the rest are in common)
    "url.reason.not_number": "양수여야 합니다",
    "url.reason.bad_box": "상자에는 네 끝이 모두 있어야 하고, lr_lo는 lr_hi보다, wd_lo는 wd_hi보다 작아야 합니다",
    # the figures (ui/search_figures.py; Compare's search panel draws the scatter too)
    "figure.lr": "학습률",
    "figure.weight_decay": "가중치 감소 λ",
    "figure.round": "라운드 {round}",
    "figure.no_trials": "아직 시행이 없습니다.",
    "figure.surrogate": "대리 모델의 평균",
    "figure.predicted": "예측한 검증 정확도",
    "figure.hover.trial": "시행 {trial} · 라운드 {round}",
    "figure.hover.acc": "검증 정확도 {val} · 훈련 정확도 {train}",
    "figure.hover.ended": "{status} · 에폭 {epoch}에서 끝남",
    "figure.no_finished": "비교할 완료된 시행이 없습니다.",
    "figure.unit.trials": "시행",
    "figure.unit.epochs": "시행-에폭",
    "figure.range": "{label} (반복 간 범위)",
    "figure.hover.after": "{unit} {x} 후",
    "figure.hover.best": "최고 검증 정확도 {y}",
    "figure.hover.mean_of": "탐색 {n}개의 평균",
    "figure.axis.trials": "시행 수",
    "figure.axis.epochs": "계산량(시행-에폭)",
    "figure.axis.best": "지금까지의 최고 검증 정확도",
    "figure.no_curves": "보여 줄 곡선이 없습니다. 먼저 탐색을 실행하세요.",
    "figure.best_n": "Best-{k} · 검증 {value}",
}
