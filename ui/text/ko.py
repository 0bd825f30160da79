"""Korean text of the dashboard: ``KO[section][key]``, the same sections, keys and order as the English ``EN`` dicts.

The sections are the page groups of ``ui/text`` (common, home, run, compare, results, search). They are kept apart
because several keys repeat across pages with different English ("title", "intro", "empty", "table.title" …), so one
flat dict would silently keep only the last of them.

Glossary — the Korean edition's terms (밑바닥부터 시작하는 딥러닝, 한빛미디어); keep them when adding strings:
    overfitting            과대적합            generalization gap     일반화 격차 (gap alone: 격차)
    weight decay           가중치 감소         dropout                드롭아웃 (ratio: 드롭아웃 비율)
    regularization         정규화              batch normalization    배치 정규화
    training / validation / test data          훈련 데이터 / 검증 데이터 / 시험 데이터 (splits: 훈련 / 검증 / 시험)
    hyperparameter         하이퍼파라미터      parameter              매개변수
    learning rate          학습률              epoch                  에폭 ("50에폭", "에폭 수")
    minibatch              미니배치            batch size             배치 크기
    optimizer              옵티마이저          momentum               모멘텀
    initial values / init  초깃값 (weight init: 가중치 초깃값)         std                    표준편차
    activation function    활성화 함수         hidden layer           은닉층
    accuracy               정확도              loss (function)        손실 (손실 함수)
    learning curve         학습 곡선           ensemble               앙상블
    search (hyperparameter) 탐색               trial                  시행
    random / grid          무작위 / 그리드     log scale              로그 스케일
    coarse to fine         코스 투 파인        early stopping         조기 종료
    rung (early stopping)  비교 지점           round (coarse to fine) 라운드
    Bayesian optimization  베이즈 최적화       Gaussian process       가우스 과정
    surrogate              대리 모델           scatter (plot)         산점도
    run (one training)     실행 ("실행 {n}개")  config                 설정 (config group: 설정 그룹)
    seed                   시드                job                    작업
    cached                 캐시된 / 캐시됨     read-only              읽기 전용
    preset                 프리셋              label                  레이블
    download               내려받기            box / lasso select     상자 / 올가미
Style: sentences in 합니다/하세요체, labels and buttons as noun phrases. Counters follow the noun ("실행 {n}개",
"시드 {n}개", "이미지 {n}장"); no particle directly after a placeholder (its last sound is unknown), so ids go in
parentheses: "작업을 시작했습니다(작업 {job_id})". Placeholders, markdown, numbers, units, code and field names
(`n_train`, `lr`, `weight_decay`, `--read-only`) stay as in English. The book's title: *밑바닥부터 시작하는 딥러닝*.
"""
from __future__ import annotations

KO: dict[str, dict[str, str]] = {
    # ----------------------------------------------------------------------------------------------------------------
    "common": {
        # app frame
        "app.title": "Overfit Lab",
        "nav.home": "홈",
        "nav.run": "실행",
        "nav.compare": "비교",
        "nav.results": "결과",
        "nav.search": "탐색",
        "nav.sweep": "스윕",
        # sidebar
        "sidebar.language": "언어",
        "sidebar.folder": "결과 폴더",
        "sidebar.cached": "캐시된 실행",
        "sidebar.running": "진행 중인 작업",
        "sidebar.cluster": "클러스터: `{address}` (실행은 Dask 워커에서 학습합니다)",
        "sidebar.read_only": "읽기 전용",
        "sidebar.read_only_help": "이 대시보드는 결과를 보여 주기만 합니다. 여기서는 아무것도 계산하거나 삭제할 수 없습니다.",
        "sidebar.problems": "결과 폴더의 파일 {n}개를 읽지 못했습니다(결과 페이지 참고).",
        "sidebar.error": "결과 폴더를 읽지 못했습니다: {error}",
        # URL state
        "url.ignored": "URL 매개변수를 무시했습니다(`{param}`): {reason}.",
        "url.reason.unknown_param": "이 페이지에 없는 매개변수입니다",
        "url.reason.unknown_id": "알 수 없는 ID {n}개",
        "url.reason.bad_id": "ID 형식이 아닙니다",
        "url.reason.not_choice": "{options} 중 하나여야 합니다",
        "url.reason.not_int": "{low}부터 {high}까지의 정수여야 합니다",
        "url.reason.bad_text": "{n}자 이하의 일반 텍스트여야 합니다",
        "url.reason.too_many": "값은 최대 {n}개까지입니다",
        "url.reason.bad_value": "이 설정에 맞지 않는 값입니다",
        "link.title": "이 화면의 링크",
        "link.help": "이 주소(서버 호스트 뒷부분)를 복사하면 지금 화면을 그대로 공유할 수 있습니다.",
        # jobs panel
        "jobs.title": "작업",
        "jobs.none": "아직 작업이 없습니다.",
        "jobs.running_none": "진행 중인 작업이 없습니다.",
        "jobs.progress": "{name}: 실행 {total}개 중 {done}개 완료(캐시 {cached}개, 실패 {failed}개) — {state}",
        "jobs.progress.search": "{name}: 시행 {total}개 중 {done}개 완료 — {state}",
        "jobs.starting": "{name}: 시작하는 중…",
        "jobs.run_line": "{label}: 에폭 {epoch}/{n_epochs} · 훈련 정확도 {train_acc} · 시험 정확도 {test_acc} · {state}",
        "jobs.cancel": "취소",
        "jobs.cancel_done": "취소를 요청했습니다(작업 {job_id}).",
        "jobs.finished": "끝난 작업",
        "jobs.error": "오류: {error}",
        "jobs.more_runs": "… 외 실행 {n}개",
        # services
        "service.read_only": "이 대시보드는 읽기 전용입니다. 아무것도 계산하거나 삭제할 수 없습니다.",
        "service.cluster": "Dask 클러스터를 사용할 수 없습니다: {error}. 클러스터를 시작하거나, 이 컴퓨터에서 학습하려면 "
                           "OVERFIT_LAB_DASK 설정을 지우세요.",
        "service.too_many_jobs": "이미 작업 {n}개가 진행 중입니다(최대 {limit}개). 하나가 끝날 때까지 기다려 주세요.",
        "service.too_many_epochs": "여기서는 실행 하나에 최대 {limit}에폭까지만 시작할 수 있습니다. 받은 값: {value}.",
        "service.too_many_seeds": "여기서는 시드를 최대 {limit}개까지만 시작할 수 있습니다. 받은 값: {value}.",
        "service.nothing": "시작할 것이 없습니다: 설정이 하나도 없습니다.",
        # config form
        "form.data": "데이터",
        "form.model": "모델",
        "form.regularization": "정규화",
        "form.optimizer": "옵티마이저",
        "form.training": "학습",
        "form.advanced": "추가 설정",
        "field.dataset": "데이터셋",
        "field.data_path": "IDX 폴더 (dataset = idx일 때만)",
        "field.n_train": "훈련 이미지 수 (n_train)",
        "field.n_val": "검증 이미지 수 (n_val)",
        "field.n_test": "시험 이미지 수 (n_test, 0 = 나머지 전부)",
        "field.data_seed": "데이터 분할 시드 (data_seed)",
        "field.hidden_sizes": "은닉층 크기 (예: 100x6 또는 100,50)",
        "field.activation": "활성화 함수",
        "field.init": "가중치 초깃값",
        "field.init_std": "초깃값 표준편차 (init = std일 때만)",
        "field.batch_norm": "배치 정규화",
        "field.dropout": "드롭아웃 비율",
        "field.dropout_mode": "드롭아웃 스케일링 방식",
        "field.optimizer": "옵티마이저",
        "field.lr": "학습률 (lr)",
        "field.momentum": "모멘텀 (momentum, nesterov 전용)",
        "field.beta1": "beta1 (adam 전용)",
        "field.beta2": "beta2 (adam 전용)",
        "field.rho": "rho (rmsprop 전용)",
        "field.weight_decay": "가중치 감소 λ",
        "field.weight_decay_mode": "가중치 감소 방식",
        "field.n_epochs": "에폭 수 (n_epochs)",
        "field.batch_size": "배치 크기",
        "field.sampling": "미니배치 추출 방식",
        "field.seed": "첫 시드",
        "field.dtype": "부동소수점 형식",
        "field.test_every": "시험 데이터 평가 시점",
        "field.n_seeds": "시드 개수",
        # labels of compared groups (only what differs; the shared part once, in a caption)
        "label.no_reg": "정규화 없음",
        "label.batch_norm": "배치 정규화",
        "label.no_batch_norm": "배치 정규화 없음",
        "label.epochs": "{n}에폭",
        "label.n_train": "훈련 이미지 {n}장",
        "label.n_val": "검증 이미지 {n}장",
        "label.batch_size": "배치 크기 {n}",
        "label.shared": "표시된 모든 항목의 공통 설정: {text}.",
        # figures (titles, axes, legends)
        "figure.epoch": "에폭",
        "figure.metric.acc": "정확도",
        "figure.metric.loss": "손실",
        "figure.split.train": "훈련",
        "figure.split.val": "검증",
        "figure.split.test": "시험",
        "figure.split.gap": "격차",
        "figure.gap.acc": "훈련 − 시험 정확도",
        "figure.gap.loss": "시험 − 훈련 손실",
        "figure.param.weight_decay": "가중치 감소 λ",
        "figure.param.dropout": "드롭아웃 비율",
        "figure.summary.value": "최종 {metric}",
        "figure.summary.gap": "최종 격차 ({gap})",
        "figure.zero.hover": "{symbol} = 0 (로그 축에는 0이 없어 왼쪽 끝에 그렸습니다)",
        "figure.chosen": "검증 데이터 기준 최고",
        "figure.empty.curves": "표시할 곡선이 없습니다. 실행이나 설정 그룹을 고르세요.",
        "figure.empty.gap": "표시할 격차가 없습니다. 실행이나 설정 그룹을 고르세요.",
        "figure.empty.summary": "요약할 완료된 실행이 없습니다.",
        # misc
        "error.page": "페이지의 이 부분을 그리지 못했습니다: {error}",
        "error.results_folder": "결과 폴더를 사용할 수 없습니다: {error}. 이 서버가 만들고 쓸 수 있는 폴더를 "
                                "OVERFIT_LAB_RESULTS에 지정한 뒤 서버를 다시 시작하세요.",
        "empty.results": "아직 캐시된 실행이 없습니다.",
    },
    # ----------------------------------------------------------------------------------------------------------------
    "home": {
        "title": "Overfit Lab",
        "intro": (
            "MNIST 이미지 300장만으로 학습한 작은 신경망은 그 이미지를 통째로 외워 버립니다. 훈련 정확도는 약 100 %까지 "
            "오르지만 시험 정확도는 한참 뒤처집니다. 이 실험실은 *밑바닥부터 시작하는 딥러닝* 6장처럼 이런 신경망을 "
            "numpy로 밑바닥부터 학습시키고, 두 가지 정규화 기법이 그 격차를 어떻게 좁히는지 보여 줍니다: "
            "**가중치 감소**(손실 함수에 ½·λ·ΣW²를 더함)와 **드롭아웃**(훈련 중에 은닉층 뉴런을 무작위로 끔)."
        ),
        "how": (
            "**실행** 페이지에서 실행을 시작하고, **비교** 페이지에서 곡선을 겹쳐 보고(시드에 대한 평균 ± 표준편차), "
            "**결과** 페이지에서 캐시된 모든 실행을 둘러보세요. 모든 화면에는 공유할 수 있는 링크가 있습니다."
        ),
        "headline.title": "책의 세 가지 실험",
        "headline.caption": "에폭별 훈련(점선)과 시험(실선) 정확도입니다. 띠는 시드 {n}개에 대한 평균 ± 표준편차입니다.",
        "headline.figure_title": "과대적합, 가중치 감소, 드롭아웃",
        "headline.measured": "마지막 에폭에서 잰 값(캐시된 시드의 평균):",
        "headline.row": "**{name}**: 훈련 {train}, 시험 {test}, 격차 {gap} (시드 {n}개)",
        "headline.reading": "이 데이터에서 그림이 보여 주는 것:",
        "headline.baseline": "각 정규화 기법을 정규화 없는 같은 신경망({name})과 비교합니다. 0.01 이하의 변화는 "
                             "변화 없음으로 봅니다.",
        "headline.effect.narrows.train": "**{name}**: 격차가 좁아집니다({gap_base} → {gap}). 주로 훈련 정확도가 "
                                         "떨어지기 때문입니다({train_base} → {train}). 시험 정확도는 {test_move}"
                                         "({test_base} → {test}).",
        "headline.effect.narrows.test": "**{name}**: 격차가 좁아집니다({gap_base} → {gap}). 주로 시험 정확도가 "
                                        "올라가기 때문입니다({test_base} → {test}). 훈련 정확도는 {train_move}"
                                        "({train_base} → {train}).",
        "headline.effect.widens": "**{name}**: 격차가 넓어집니다({gap_base} → {gap}). 훈련 정확도는 {train_move}"
                                  "({train_base} → {train}). 시험 정확도는 {test_move}({test_base} → {test}).",
        "headline.effect.same": "**{name}**: 격차가 거의 그대로입니다({gap_base} → {gap}). 훈련 정확도는 {train_move}"
                                "({train_base} → {train}). 시험 정확도는 {test_move}({test_base} → {test}).",
        "headline.move.up": "올라갑니다",
        "headline.move.down": "떨어집니다",
        "headline.move.same": "거의 그대로입니다",
        "headline.move.also_down": "함께 떨어집니다",
        "headline.move.also_up": "함께 올라갑니다",
        "headline.partial": "책의 실험에 필요한 실행 {total}개 중 {cached}개가 캐시되어 있습니다.",
        "headline.empty": "책의 세 가지 실험을 아직 계산하지 않았습니다.",
        "headline.launch": "책의 세 가지 실험 실행 (시드 {n}개)",
        "headline.launch_help": "과대적합, 가중치 감소(λ = 0.1), 드롭아웃: 실행 {n_runs}개를 백그라운드에서 학습합니다.",
        "headline.launched": "작업을 시작했습니다(작업 {job_id}). 실행이 끝나는 대로 그림이 채워집니다.",
        "headline.read_only": "대시보드가 읽기 전용이라 여기서는 실험을 계산할 수 없습니다.",
        "headline.open_compare": "이 실행들을 비교에서 열기",
        "headline.progress": "책의 실험을 계산하는 중…",
    },
    # ----------------------------------------------------------------------------------------------------------------
    "run": {
        "title": "실행",
        "intro": "학습 실행을 백그라운드에서 시작합니다. 설정이 이미 캐시된 실행은 다시 계산하지 않습니다.",
        "mode": "시작 방식",
        "mode.preset": "프리셋 (책의 실험)",
        "mode.custom": "직접 만든 설정",
        "preset": "프리셋",
        "preset.configs": "이 프리셋은 설정 {n}개를 학습합니다:",
        "seeds": "시드 개수",
        "seeds.help": "각 설정을 시드마다 한 번씩 학습합니다(시드 {first}~{last}). 차트는 시드에 대한 평균 ± 표준편차를 "
                      "보여 줍니다.",
        "plan": "실행 {n_runs}개: 캐시됨 {n_cached}개, 계산할 것 {n_todo}개.",
        "all_cached": "캐시됨 — 이 설정의 실행은 모두 결과 폴더에 있습니다.",
        "launch": "실행 {n}개 시작",
        "launched": "실행 {n}개로 작업을 시작했습니다(작업 {job_id}).",
        "launch_failed": "시작하지 못했습니다: {error}",
        "form_invalid": "시작하기 전에 위에 표시된 항목을 고치세요.",
        "limits.title": "이 서버의 제한",
        "limits.intro": "이보다 큰 작업은 계산을 시작하기 전에 거절됩니다. 서버 관리자가 각 설정으로 제한을 바꿀 수 "
                        "있습니다.",
        "limits.params": "모델당 매개변수 수",
        "limits.activation_mb": "배치당 활성값 메모리(메가바이트)",
        "limits.epochs": "실행당 에폭 수",
        "limits.seeds": "설정당 시드 수",
        "limits.trials": "탐색당 시행 수",
        "limits.runs": "작업당 실행 수",
        "limits.workers": "작업당 워커 프로세스 수",
        "limits.config_kb": "설정 파일 크기(킬로바이트)",
        "limits.idx_mb": "IDX 파일 크기(메가바이트)",
        "read_only": "이 대시보드는 읽기 전용이라 여기서는 실행을 시작할 수 없습니다. "
                     "캐시된 결과는 비교와 결과 페이지에서 볼 수 있습니다.",
        "jobs": "작업",
        "final.title": "캐시된 실행의 최종 결과 (시드 평균)",
        "final.label": "설정",
        "final.n_seeds": "시드 수",
        "final.train": "최종 훈련 정확도",
        "final.val": "최종 검증 정확도",
        "final.test": "최종 시험 정확도",
        "final.gap": "격차 (훈련 − 시험)",
        "final.caption": "마지막 에폭의 정확도입니다. 검증 데이터가 없는 설정은 검증 칸에 값이 없습니다.",
        "final.open_compare": "이 실행 {n}개를 비교에서 열기",
    },
    # ----------------------------------------------------------------------------------------------------------------
    "compare": {
        "title": "비교",
        "intro": "설정 그룹(시드에 대한 평균 ± 표준편차)이나 개별 실행의 학습 곡선을 겹쳐 봅니다.",
        "by": "비교 단위",
        "by.group": "설정 그룹 (시드에 대한 평균 ± 표준편차)",
        "by.run": "개별 실행",
        "select.group": "설정 그룹",
        "select.run": "실행",
        "select.placeholder": "레이블로 선택",
        "group.option": "{label} (시드 {n}개)",
        "metric": "지표",
        "metric.acc": "정확도",
        "metric.loss": "손실",
        "splits": "데이터 구분",
        "split.train": "훈련",
        "split.val": "검증",
        "split.test": "시험",
        "splits.help.train": "훈련 데이터: 신경망이 학습하는 데이터입니다.",
        "splits.help.val": "검증 데이터: 훈련에서 떼어 두고 λ, 드롭아웃, 가장 좋은 에폭을 고를 때 씁니다.",
        "splits.help.test": "시험 데이터: 결과로 보고할 뿐, 무엇을 고르는 데 쓰지 않습니다.",
        "splits.none.train": "이 실행들에는 훈련 데이터가 없습니다.",
        "splits.none.val": "이 실행들에는 검증 데이터가 없습니다: n_val = 0이라 그릴 검증 구분이 없습니다.",
        "splits.none.test": "이 실행들에는 시험 데이터가 없습니다.",
        "smooth": "평활화 (평균할 에폭 수)",
        "nothing_selected": "곡선을 그리려면 위에서 실행이나 설정 그룹을 고르세요.",
        "curves.title": "학습 곡선",
        "curves.figure_title": "에폭별 {metric}",
        "curves.csv": "곡선 내려받기 (CSV)",
        "gap.title.acc": "일반화 격차 (훈련 − 시험 정확도)",
        "gap.title.loss": "일반화 격차 (시험 − 훈련 손실)",
        "gap.caption.acc": "0보다 크면 신경망이 시험 데이터보다 훈련 데이터에서 더 정확하다는 뜻입니다.",
        "gap.caption.loss": "시험 손실에서 훈련 손실을 뺀 값입니다. 정확도와 마찬가지로, 시험 데이터에서 훈련 데이터보다 "
                            "나쁠 때 0보다 큽니다.",
        "summary.title": "정규화 강도에 따른 최종 값과 격차",
        "summary.param": "가로축",
        "summary.param.weight_decay": "가중치 감소 λ",
        "summary.param.dropout": "드롭아웃 비율",
        "summary.csv": "요약 내려받기 (CSV)",
        "summary.separate.weight_decay": "선은 λ만 다른 그룹끼리만 잇습니다. 서로 다른 선은 {fields}이(가) 다릅니다"
                                         "(범례에 표시).",
        "summary.separate.dropout": "선은 드롭아웃 비율만 다른 그룹끼리만 잇습니다. 서로 다른 선은 {fields}이(가) "
                                    "다릅니다(범례에 표시).",
        "summary.chosen.acc": "동그라미: 각 선에서 최종 검증 정확도가 가장 높은 점입니다. 옆의 시험 값은 보고만 할 뿐 "
                              "고르는 데 쓰지 않습니다.",
        "summary.chosen.loss": "동그라미: 각 선에서 최종 검증 손실이 가장 낮은 점입니다. 옆의 시험 값은 보고만 할 뿐 "
                               "고르는 데 쓰지 않습니다.",
        "summary.no_val": "이 실행들에는 검증 데이터가 없습니다(n_val = 0). 시험 값을 보여 주지만, 그 값으로 점을 "
                          "고르지는 않습니다.",
        "summary.one_point": "선마다 점이 하나뿐이라 고를 것이 없습니다.",
        "table.title": "최종 지표",
        "table.ranked_val": "최종 검증 정확도 순서입니다(높은 것부터). 가장 좋은 에폭은 검증 데이터로 고르고, 그 에폭의 "
                            "시험 정확도는 보고만 할 뿐 고르는 데 쓰지 않습니다.",
        "table.no_val": "이 실행들에는 검증 데이터가 없습니다(n_val = 0). 행은 선택한 순서를 따르고, 가장 좋은 에폭도 "
                        "고르지 않습니다. 시험 데이터로 고르면 시험 점수가 부풀려지기 때문입니다.",
        "table.col.id": "식별자(ID)",
        "table.col.config": "설정",
        "table.col.seeds": "시드",
        "table.col.status": "상태",
        "table.col.final_train_acc": "최종 훈련 정확도",
        "table.col.final_val_acc": "최종 검증 정확도",
        "table.col.final_test_acc": "최종 시험 정확도",
        "table.col.final_gap": "최종 격차 (훈련 − 시험 정확도)",
        "table.col.best_val_acc": "최고 검증 정확도",
        "table.col.best_val_epoch": "최고 검증 에폭",
        "table.col.test_acc_at_best_val": "최고 검증 에폭의 시험 정확도",
        "table.col.epochs": "에폭",
        "table.col.duration_s": "소요 시간 (초)",
        "table.csv": "표 내려받기 (CSV)",
        "search.title": "탐색: 학습률 × 가중치 감소",
        "search.choose": "탐색",
        "search.none": "아직 탐색이 없습니다.",
        "search.unavailable": "이 버전에서는 탐색을 사용할 수 없습니다.",
        "search.failed": "이 탐색을 읽지 못했습니다: {error}",
        "search.option": "{search_id} · {strategy} · 시행 {n_done}/{n_trials} · 최고 검증 정확도 {best}",
        "search.select_hint": "산점도에서 시행을 선택하면(상자 또는 올가미) 그 실행이 비교에 추가됩니다.",
        "search.add": "선택한 시행의 실행 {n}개 비교",
        "empty": "아직 캐시된 실행이 없습니다. 실행 페이지에서 시작하세요.",
        "go_run": "실행 페이지로 이동",
    },
    # ----------------------------------------------------------------------------------------------------------------
    "results": {
        "title": "결과",
        "intro": "캐시된 모든 실행입니다. 행을 선택해 비교에서 열거나, 표를 내려받거나, 실행을 삭제하세요.",
        "filter.status": "상태",
        "filter.dataset": "데이터셋",
        "filter.text": "레이블에 포함된 글자",
        "sort": "정렬 기준",
        "order": "순서",
        "order.desc": "높은 값 → 낮은 값",
        "order.asc": "낮은 값 → 높은 값",
        "column.created_at": "생성 시각",
        "column.final_test_acc": "최종 시험 정확도",
        "column.final_train_acc": "최종 훈련 정확도",
        "column.final_gap": "최종 격차",
        "column.best_val_acc": "최고 검증 정확도",
        "column.duration_s": "소요 시간",
        "column.label": "레이블",
        "column.weight_decay": "가중치 감소 λ",
        "column.dropout": "드롭아웃 비율",
        "column.lr": "학습률",
        "column.n_train": "훈련 이미지 수",
        "column.status": "상태",
        "count": "실행 {total}개 중 {shown}개를 보여 줍니다.",
        "selected": "실행 {n}개를 선택했습니다.",
        "select_hint": "표 왼쪽 열에서 행을 체크해 실행을 선택하세요.",
        "open_compare": "선택한 실행을 비교에서 열기",
        "csv": "표 내려받기 (CSV)",
        "parquet": "표 내려받기 (parquet)",
        "delete": "선택한 실행 삭제",
        "delete.title": "실행 삭제",
        "delete.confirm_text": "이 실행 {n}개를 결과 폴더에서 삭제할까요? 삭제하면 되돌릴 수 없습니다.",
        "delete.confirm": "예, 실행 {n}개 삭제",
        "delete.cancel": "그대로 두기",
        "delete.done": "실행 {n}개를 삭제했습니다.",
        "delete.failed": "삭제하지 못했습니다: {error}",
        "problems.title": "읽지 못한 파일 ({n})",
        "problems.file": "파일",
        "problems.reason": "이유",
        "empty": "아직 캐시된 실행이 없습니다. 실행 페이지에서 시작하세요.",
        # the table's headers (number columns keep their data names)
        "header.final_train_acc": "최종 훈련 정확도",
        "header.final_test_acc": "최종 시험 정확도",
        "header.final_gap": "최종 격차",
        "header.best_val_acc": "최고 검증 정확도",
        "header.best_test_acc": "최고 시험 정확도",
        "header.duration_s": "소요 시간(초)",
        "header.created_at": "생성 시각(UTC)",
        "header.weight_decay": "가중치 감소 λ",
        "filter.member": "탐색 또는 스윕",
        "member.none": "탐색이나 스윕에 속하지 않은 실행",
        "member.search": "탐색 {id}",
        "member.sweep": "스윕 {id}",
        "member.cell.search": "탐색 {id} · 시행 {point}",
        "member.cell.sweep": "스윕 {id} · 격자점 {point}",
        "column.final_val_acc": "최종 검증 정확도",
        "validation_first": "검증 데이터 먼저: 실행을 고를 때는 검증 열을 보고, 시험 정확도는 마지막에 한 번만 보고하세요. 검증 데이터 없이 학습한 실행은 검증 칸에 값이 없습니다(비어 있음으로 표시).",
        "header.label": "레이블",
        "header.final_val_acc": "최종 검증 정확도",
        "header.member": "탐색 / 스윕",
        "header.lr": "학습률",
        "header.dropout": "드롭아웃 비율",
    },
    # ----------------------------------------------------------------------------------------------------------------
    "search": {
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
        "launch.early_stop": "조기 종료 (successive halving)",
        "launch.early_stop.help": ("초반의 몇 에폭(비교 지점: 50에폭 시행이라면 5와 15)에서 각 시행을 그 지점까지 온 "
                                   "시행들과 비교해, 상위 3분의 1만 계속 학습합니다. 조기 종료를 쓰는 탐색은 쓰지 않는 "
                                   "탐색의 약 4분의 1 비용이 들므로 시행을 더 많이 돌릴 수 있습니다."),
        "launch.min_epochs": "첫 비교 지점 (에폭)",
        "launch.min_epochs.auto": "자동: 5",
        "launch.min_epochs.help": ("시행을 처음 비교하는 에폭입니다. 다음 비교 지점은 그 3×, 9×, …이며 시행 길이 안에 "
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
        "launch.resumed": "같은 설정의 탐색 {previous}이(가) 시행 {n_trials}개 중 {n_done}개에서 멈췄습니다. 이번 탐색은 그 시행들을 캐시에서 다시 쓰고 나머지만 학습합니다.",
        "launch.same_range": "{name} 범위의 양 끝은 서로 달라야 합니다.",
        "jobs.title": "작업",
        # choosing a search
        "choose": "탐색",
        "option": "{search_id} · {strategy}",
        "status": "시행 {n_trials}개 중 {n_done}개 완료, 시행마다 {n_epochs}에폭 · 최고 검증 정확도 {best}",
        "lineage": "더 좁힌 라운드입니다(원래 탐색: {parent}).",
        "live": "진행 중: 시행 {n_trials}개 중 {n_done}개 완료. 시행이 끝나는 대로 산점도가 채워집니다.",
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
        "best.caption": "책의 Best-N 그림: 실선은 검증 정확도, 점선은 훈련 정확도이며 가장 좋은 시행부터 보여 줍니다.",
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
        "column.final_test_acc": "최종 시험 정확도 (순위에 쓰지 않음)",
        "column.seed": "시드",
        "column.cached": "캐시됨",
        "column.run_id": "실행 ID",
        # URL notices of this page (the rest are in common)
        "url.reason.not_number": "양수여야 합니다",
        "url.reason.bad_box": "상자에는 네 끝이 모두 있어야 하고, lr_lo는 lr_hi보다, wd_lo는 wd_hi보다 작아야 합니다",
    },
    # ----------------------------------------------------------------------------------------------------------------
    "sweep": {
        "title": "스윕",
        "intro": ("설정 한두 개(가중치 감소 λ, 드롭아웃, 학습률, 훈련 이미지 수, 은닉층 너비나 깊이)를 그리드 위에서 "
                  "바꾸고, 점마다 시드 여러 개로 훈련합니다. 점은 검증 정확도로 고르고, 그 점의 시험 정확도는 한 번만 "
                  "보고합니다."),
        "empty": ("아직 스윕이 없습니다. 스윕은 그리드의 모든 값을 시드 여러 개로 훈련하고, 그 값에 따른 정확도와 "
                  "훈련 − 시험 격차를 그립니다. 아래에서 시작하세요. 책의 300장 설정에 λ를 0부터 1까지 바꾸는 스윕이 "
                  "채워져 있습니다."),
        "empty.read_only": ("아직 스윕이 없고, 이 대시보드는 읽기 전용입니다. 스윕은 명령줄에서 시작합니다: "
                            "`python -m core sweep --preset overfit --vary weight_decay=0,1e-4..1x9log --seeds 5`."),
        "empty.runs": "이 스윕의 실행이 아직 하나도 끝나지 않았습니다. 실행이 저장되는 대로 그림이 나타납니다.",
        "read_only": "이 대시보드는 읽기 전용이라 여기서 스윕을 시작할 수 없습니다.",
        # launch form
        "launch.title": "스윕 시작",
        "form.base": "기본 설정(프리셋)",
        "form.base.help": ("모든 점은 이 프리셋에서 스윕하는 값만 바꾼 것입니다. `overfit`은 책의 과대적합 설정으로, "
                           "훈련 이미지 300장, 6×100 신경망, 확률적 경사 하강법(`sgd`)입니다."),
        "form.epochs": "실행당 에폭 수",
        "form.field1": "스윕할 필드",
        "form.field2": "두 번째로 스윕할 필드(선택)",
        "form.field.none": "없음",
        "form.grid": "값",
        "form.grid.help": ("값과 범위를 쉼표로 구분합니다: `0,0.1,0.2`, 또는 `LOW..HIGHxN`(균등 간격 값 N개), 또는 "
                           "`LOW..HIGHxNlog`(로그 간격 값 N개). 예: `0,1e-4..1x9log`는 0과 1e-4부터 1까지의 값 9개입니다."),
        "form.grid.placeholder": "예: 0,1e-4..1x9log",
        "form.seeds": "점당 시드 수",
        "form.seeds.help": "각 점은 시드마다(0, 1, …) 한 번씩 훈련합니다. 띠와 신뢰 구간은 시드에서 나옵니다.",
        "form.n_val": "검증 이미지 수",
        "form.n_val.help": ("점을 고르는 데 쓰는 이미지입니다(시험 이미지는 절대 쓰지 않습니다). 스윕에는 꼭 필요해서 "
                            "0은 거부됩니다."),
        "form.preview": ("점 {n_points}개 × 시드 {seeds}개 = {label} 실행 {n_runs}개, 각 {n_epochs}에폭. "
                         "이미 저장된 실행은 다시 훈련하지 않습니다."),
        "form.submit": "스윕 시작",
        "form.error.base": "설정이 하나인 프리셋을 고르세요: {options}.",
        "form.error.field": "스윕할 필드를 고르세요: {options}.",
        "form.error.same_field": "첫 번째와 다른 필드를 고르세요.",
        "launch.invalid": "스윕을 시작하지 않았습니다. 아래 표시된 필드를 고치세요.",
        "launch.failed": "스윕을 시작할 수 없습니다: {error}",
        "launch.started": "스윕을 시작했습니다({sweep_id}, 작업 {job_id}). 훈련할 실행 {n_todo}개, 이미 저장된 실행 {n_cached}개.",
        "launch.reopened": ("이 스윕은 이미 있어서({sweep_id}) 열었습니다. 빠진 실행 {n_todo}개를 훈련합니다(작업 "
                            "{job_id}). 이미 저장된 실행 {n_cached}개."),
        "launch.cached": "이 스윕은 이미 있고({sweep_id}) 실행 {n_runs}개가 모두 계산되어 있어 열었습니다.",
        "launch.cached_new": "스윕({sweep_id}): 실행 {n_runs}개가 모두 이미 계산되어 있었습니다(앞선 실행과 공유).",
        "jobs.title": "작업",
        # choosing a sweep
        "choose": "스윕",
        "sweep_title": "{fields} · 점 {n_points}개 × 시드 {seeds}개",
        "base": "{title} · 기본 설정: {label}, {n_epochs}에폭, 검증 이미지 {n_val}장",
        "status.stored": "실행 {total}개 중 {n}개 저장됨",
        "failed": "이 스윕을 읽을 수 없습니다: {error}",
        "problems.title": "읽을 수 없는 스윕 파일({n}개)",
        "problems.file": "파일",
        "problems.reason": "이유",
        # view controls
        "view.at": "정확도 시점",
        "view.at.help": ("마지막: 마지막 에폭. 최고 검증 에폭: 실행마다 검증 정확도가 가장 높은 에폭(시험 정확도는 "
                         "그 에폭에서 읽을 뿐, 고르는 데 쓰지 않습니다)."),
        "at.final": "마지막 에폭",
        "at.best": "최고 검증 에폭",
        "view.band": "시드 띠",
        "band.std": "평균 ± 표준편차",
        "band.range": "최솟값–최댓값",
        # views
        "view.1d.title": "정확도와 격차(가로축: {field})",
        "view.paired.title": "기준점과의 차이(시드별)",
        "view.point.title": "한 점의 학습 곡선",
        "point.none": "없음",
        "view.point.pick": "점",
        "view.point.help": "위 그림에서 점이나 칸을 클릭하거나 여기서 고르세요.",
        "view.point.none": "고른 점이 없습니다. 위에서 점이나 칸을 클릭하거나 여기서 고르세요.",
        "view.point.caption": ("{point}: 시드 {n_runs}개 중 {n}개 완료. 평균 검증 정확도 {val}, 평균 훈련 정확도 "
                               "{train}. 훈련은 파선, 검증은 점선, 시험은 실선이며 시드마다 선 하나입니다."),
        "table.title": "모든 점",
        "table.caption": "완료된 시드의 평균입니다. 체크된 행이 검증 정확도로 고른 점입니다.",
        "column.point": "점",
        "column.n": "완료된 시드 수",
        "column.chosen": "검증으로 고른 점",
        "column.val_acc_mean": "검증 정확도",
        "column.val_acc_std": "검증 정확도 표준편차",
        "column.train_acc_mean": "훈련 정확도",
        "column.test_acc_mean": "시험 정확도",
        "column.gap_mean": "격차(훈련 − 시험)",
        # captions (numbers computed from the runs)
        "caption.span": ("범위 {low} ~ {high}: 평균 검증 정확도 {val_low} → {val_high}, 훈련 − 시험 격차 "
                         "{gap_low} → {gap_high}."),
        "caption.band": "띠: 시드에 대한 {band}.",
        "caption.chosen": ("검증 데이터로 고른 점({at}): {point}, 검증 정확도 {val}. 그 점의 시험 정확도는 "
                           "{test} ± {test_std}, 격차는 {gap}입니다(시드 n = {n})."),
        "caption.no_chosen": "아직 고를 점이 없습니다. 검증 정확도가 있는 실행이 없습니다.",
        "caption.no_runs": "이 스윕의 실행이 아직 하나도 끝나지 않았습니다.",
        "caption.paired": ("각 점에서 같은 시드의 기준점({baseline})을 뺀 값입니다. 막대는 시드에 대한 95 % t-구간입니다. "
                           "점선인 0 아래면 기준점보다 나쁩니다."),
        "caption.paired_chosen": "고른 점 {point}: 시험 정확도 차이 {diff}(95 % 구간 {low} ~ {high}, 짝 {n}개).",
        "caption.paired_empty": "아직 기준점({baseline})과 비교할 짝이 없습니다.",
        "caption.heat": ("시드 평균({band})입니다. 빨간 테두리는 검증 정확도가 가장 높은 칸, 검은 점선 테두리는 고른 "
                         "칸입니다."),
        # figures
        "figure.no_runs": "아직 완료된 실행이 없습니다.",
        "figure.no_pairs": "아직 짝지은 실행이 없습니다.",
        "figure.no_curves": "이 점의 학습 곡선이 아직 저장되지 않았습니다.",
        "figure.accuracy_panel": "정확도(시드 평균)",
        "figure.gap_panel": "격차: 훈련 − 시험 정확도",
        "figure.accuracy": "정확도",
        "figure.gap": "격차(훈련 − 시험)",
        "figure.gap_axis": "훈련 − 시험",
        "figure.zero_note": "{symbol} = 0은 점선 끊김 왼쪽에 그립니다. 로그 축에는 0이 들어갈 자리가 없습니다",
        "figure.chosen": "검증으로 고른 점",
        "figure.selected": "선택한 점",
        "figure.paired_split": "{split} 정확도 − 기준점",
        "figure.paired_axis": "차이(기준점: {baseline})",
        "figure.heat_val": "검증 정확도(평균)",
        "figure.heat_gap": "격차: 훈련 − 시험 정확도(평균)",
        "figure.heat_bar.1": "검증 정확도",
        "figure.heat_bar.2": "격차",
        "figure.epoch": "에폭",
        "figure.seed": "시드 {seed}",
        "split.train": "훈련",
        "split.val": "검증",
        "split.test": "시험",
        # swept fields
        "field.weight_decay": "가중치 감소 λ",
        "field.dropout": "드롭아웃 비율",
        "field.lr": "학습률",
        "field.n_train": "훈련 이미지 수",
        "field.hidden_width": "은닉층 너비",
        "field.hidden_depth": "은닉층 수",
        # URL notices of this page (the rest are in common)
        "url.reason.no_sweep": "점을 고를 스윕이 없습니다",
    },
    # ---- mechanism: weights and activations inside the network (Compare's expander) ------------------------
    "mechanism": {
        "expander": "작동 원리: 가중치와 활성화 값",
        "intro": ("기법이 왜 효과가 있는지 신경망 안에서 살펴봅니다. 층마다 가중치가 얼마나 커지는지, 어떻게 분포하는지, "
                  "고정된 이미지 {n}장에 대해 은닉층이 무엇을 출력하는지 보여 줍니다. 히스토그램은 실행마다 네 에폭"
                  "(시작, 25 %, 50 %, 끝)에서 기록됩니다."),
        "epoch": "히스토그램의 에폭",
        "epoch.help": "실행은 전체 에폭의 0 %, 25 %, 50 %, 100 % 지점에서 히스토그램을 기록합니다. 그중 한 에폭을 고르세요.",
        "too_many": "선택한 실행 {n}개 중 처음 {shown}개만 보여 줍니다.",
        "none_recorded": ("이 실행들에는 기록된 히스토그램이 없습니다(이 보기가 생기기 전에 학습했습니다). "
                          "가중치 노름만 보여 줍니다. 히스토그램을 보려면 다시 학습하세요."),
        "nothing": "보여 줄 기록이 없습니다.",
        "norms.title": "층별 가중치 노름",
        "weight.title": "층별 가중치 히스토그램 ({epoch}에폭)",
        "act.title": "은닉층별 활성화 값 히스토그램 ({epoch}에폭)",
        "active.title": "은닉층별 활성 뉴런(0이 아닌 출력) 비율",
        "panel.layer": "{layer}번째 층",
        "panel.hidden": "{layer}번째 은닉층",
        "axis.epoch": "에폭",
        "axis.norm": "‖W‖ (프로베니우스 노름)",
        "axis.weight": "가중치 값",
        "axis.act": "활성화 값",
        "axis.share": "구간별 비율",
        "axis.active": "활성 비율",
    },
    "lessons": {
        "nav.section": "학습 노트",
        "nav.overfitting": "과대적합",
        "nav.weight_decay": "가중치 감소",
        "nav.validation": "검증 데이터",
        "nav.dropout": "드롭아웃",
        "nav.search": "하이퍼파라미터 탐색",
        "nav.optimizers": "옵티마이저",
        "nav.activations": "활성화 함수와 초깃값",
        "nav.batchnorm": "배치 정규화",
        "quick": "빠른 모드(`OVERFIT_LAB_LESSON_QUICK`): 이 노트의 실행을 {epochs}에폭, 시드 하나로 줄였으므로 "
                 "숫자가 책의 결과와 다릅니다.",
        "stored": "이 노트의 실행 {n}개가 모두 저장되어 있습니다. 아래 그림과 문장은 이 실행을 읽은 것입니다.",
        "empty": "이 노트의 실행 {total}개 중 저장된 것이 아직 없습니다. 한 번 누르면 백그라운드에서 계산하고, "
                 "실행이 끝나는 대로 그림이 채워집니다.",
        "missing": "이 노트의 실행 {total}개 중 {missing}개가 아직 저장되지 않았습니다. 그림은 나머지를 보여 줍니다.",
        "read_only": "이 대시보드는 읽기 전용입니다. 저장된 것을 보여 주기만 하고 아무것도 계산하지 않습니다.",
        "running": "백그라운드에서 계산하는 중입니다. 실행이 끝나는 대로 그림이 채워지며, 이 페이지를 떠나도 됩니다.",
        "compute": "빠진 실행 {n}개 계산",
        "compute_help": "백그라운드에서 학습하므로 이 페이지를 떠났다가 돌아와도 됩니다. 이미 저장된 실행은 다시 "
                        "학습하지 않습니다.",
        "waiting": "이 노트의 첫 실행이 저장되면 그림이 나타납니다.",
        "read.title": "그림이 말하는 것",
        "name.train_acc": "훈련 정확도",
        "name.test_acc": "시험 정확도",
        "name.val_acc": "검증 정확도",
        "name.gap": "격차(훈련 − 시험)",
        "axis.acc": "정확도",
        "axis.epoch": "에폭",
        "math.gap": "격차",
        "math.train": "훈련",
        "math.test": "시험",
        "math.val": "검증",
        "math.optimism": "낙관 편향",
        "math.inverted": "역 드롭아웃:",
    },
    "lesson_overfitting": {
        "title": "과대적합과 그 두 가지 조건",
        "intro": ("신경망이 훈련 이미지를 너무 잘 외워서 일반화하지 못하게 되면 **과대적합**되었다고 합니다. 훈련 "
                  "정확도는 계속 오르는데 시험 정확도는 제자리에 머뭅니다. 둘 사이의 거리인 **일반화 격차**를 "
                  "줄이는 것이 이 장의 나머지 내용입니다.\n\n"
                  "책은 과대적합이 잘 일어나는 두 가지 조건을 듭니다. **훈련 데이터가 적을 때**와 **매개변수가 많은 "
                  "모델**(표현력이 높은 모델)일 때입니다. 아래에서는 둘 다 실험으로 봅니다. 책의 설정(ReLU 100개짜리 "
                  "은닉층 6개, SGD, 200에폭)을 더 많거나 적은 이미지로 학습하고, 책의 이미지 300장에서 은닉층을 더 "
                  "좁거나 넓게 바꿉니다. 각 점은 마지막 에폭의 정확도를 시드에 걸쳐 평균한 값이고, 막대는 그 퍼짐입니다."),
        "figure.title": "데이터 크기와 너비에 따른 최종 정확도",
        "axis.n_train": "훈련 이미지 수(n_train)",
        "axis.width": "은닉층 6개 각각의 뉴런 수",
        "read.epochs": "{epochs}에폭 뒤, 시드에 걸친 평균:",
        "n_train.one": "훈련 이미지가 {value}장일 때 격차는 {gap}입니다(훈련 {train}, 시험 {test}).",
        "n_train.two": "훈련 이미지가 {low}장일 때 격차는 {gap_low}이고(훈련 {train_low}, 시험 "
                       "{test_low}), {high}장일 때는 {gap_high}입니다(훈련 {train_high}, 시험 "
                       "{test_high}).",
        "n_train.down": "여기서는 데이터가 많을수록 격차가 줄었습니다. 신경망이 더는 모든 이미지를 외울 수 없기 때문입니다.",
        "n_train.up": "여기서는 데이터를 늘려도 격차가 줄지 않았습니다. 실행이 일찍 멈추지 않았는지 살펴보세요.",
        "n_train.flat": "양 끝 사이에서는 격차가 거의 달라지지 않습니다.",
        "width.one": "층마다 뉴런이 {value}개일 때 격차는 {gap}입니다(훈련 {train}, 시험 {test}).",
        "width.two": "층마다 뉴런이 {low}개일 때 격차는 {gap_low}이고(훈련 {train_low}, 시험 "
                     "{test_low}), {high}개일 때는 {gap_high}입니다(훈련 {train_high}, 시험 "
                     "{test_high}).",
        "width.down": "여기서는 넓은 신경망이 오히려 덜 과대적합합니다. 너무 좁은 신경망은 훈련 이미지도 잘 맞추지 "
                      "못하기 때문입니다.",
        "width.up": "매개변수가 많은 넓은 신경망이 더 과대적합합니다. 외울 여유가 있기 때문입니다.",
        "width.flat": "양 끝 사이에서는 격차가 거의 달라지지 않습니다.",
        "n_train.peak": "가장 큰 격차({gap})는 그 사이, 이미지 {value}장에서 나타납니다.",
        "n_train.underfit": "이미지가 {value}장이면 신경망이 훈련 이미지조차 맞추지 못합니다(훈련 {train}).",
        "width.peak": "가장 큰 격차({gap})는 그 사이, 층마다 뉴런 {value}개에서 나타납니다.",
        "width.underfit": "층마다 뉴런이 {value}개이면 신경망이 훈련 이미지조차 맞추지 못합니다(훈련 {train}). "
                          "매개변수가 너무 적으면 과소적합하며, 이는 과대적합의 해결책이 아닙니다.",
    },
    "lesson_weight_decay": {
        "title": "가중치 감소",
        "intro": ("과대적합은 가중치가 클 때 자주 일어납니다. 큰 가중치 몇 개가 있으면 신경망이 결정 경계를 훈련 이미지 "
                  "하나하나에 맞춰 구부릴 수 있기 때문입니다. **가중치 감소**는 큰 가중치에 대한 벌칙으로, 가중치 "
                  "제곱의 합에 λ를 곱한 값의 절반을 손실에 더합니다. 그 기울기는 각 가중치의 기울기에 λW를 더하므로, "
                  "매번 갱신할 때마다 각 가중치가 그 크기에 비례해 0 쪽으로 조금씩 끌려갑니다.\n\n"
                  "λ는 **하이퍼파라미터**입니다. 0이면 감소가 없고, 너무 크면 신경망이 아예 학습하지 못합니다. "
                  "아래에서는 책의 이미지 300장 설정을 여러 λ로(각각 시드 2개) 학습합니다. 먼저 λ마다 최종 정확도와 "
                  "격차를, 이어서 에폭에 따른 전체 가중치의 노름(첫 번째 시드)을 봅니다."),
        "figure.title": "λ에 따른 최종 정확도와 격차",
        "axis.lambda": "가중치 감소 λ",
        "axis.norm": "전체 가중치의 노름, √(Σ‖W‖²)",
        "norms.title": "λ별 에폭에 따른 가중치 노름",
        "norms.intro": "모든 실행의 매 에폭에서 기록한 값입니다. 가중치 감소가 없으면 훈련 이미지를 외우는 동안 "
                       "가중치가 계속 커지고, λ가 클수록 노름이 더 낮은 곳에서 자리 잡습니다.",
        "read.gaps": "값마다 최종 격차(훈련 − 시험): {pairs}.",
        "read.chosen": "검증 데이터로 고른 값: λ = {lam}(검증 {val}, 시험 {test}, 격차 {gap}).",
        "read.norms": "{epoch}에폭에서 가중치 노름은 가중치 감소가 없을 때 {plain}, λ = {lam}일 때 {decayed}입니다.",
        "read.too_much": "λ = {lam}은 격차를 없애지만({gap}) 시험 정확도가 {test}까지 떨어집니다. 감소가 너무 "
                         "강해서 신경망이 학습을 멈춘 것입니다.",
    },
    "lesson_validation": {
        "title": "검증 데이터",
        "intro": ("하이퍼파라미터(학습률, λ, 드롭아웃 비율 …)는 여러 값을 시도해 가장 좋은 것을 남기는 식으로 "
                  "고릅니다. \"가장 좋다\"를 **시험 데이터**로 판단하면 시험 데이터가 모델 선택에 관여한 셈이어서, "
                  "그 점수는 더 이상 정직한 추정치가 아닙니다. 설정이 많으면 그중 하나는 운이 좋아 이 시험 이미지에서 "
                  "잘 나오고, 최댓값을 고르면 그 운까지 함께 고르게 됩니다.\n\n"
                  "그래서 이 장은 훈련 데이터에서 **검증 데이터**를 떼어 내 선택에 쓰고, 시험 데이터는 마지막에 "
                  "한 번만 봅니다. 아래에서는 설정 16개(책의 이미지 300장 설정에서 학습률 4개 × λ 4개, 각각 검증 "
                  "이미지 100장)를 두 방식으로 고릅니다. 시험 데이터로 고르기(잘못된 방식)와 검증 데이터로 고르기"
                  "(정직한 방식)입니다. 두 보고 점수의 차이가 시험 데이터로 고른 **낙관 편향**이며, 오른쪽은 시도한 "
                  "설정 수에 따라 그것이 어떻게 커지는지 보여 줍니다."),
        "figure.title": "시험 데이터로 고르기와 검증 데이터로 고르기",
        "name.configs": "설정",
        "name.on_test": "시험 데이터로 고름(보고값: 그 시험 정확도)",
        "name.on_val": "검증 데이터로 고름(보고값: 그 시험 정확도)",
        "axis.n": "시도한 설정 수(N)",
        "axis.score": "보고된 시험 정확도",
        "read.on_test": "설정 {m}개 중 가장 높은 시험 정확도는 {score}입니다(lr = {lr}, λ = {lam}). 시험 데이터로 "
                        "고르면 보고하게 되는 숫자입니다.",
        "read.on_val": "검증 정확도가 가장 높은 설정({val}; lr = {lr}, λ = {lam})의 시험 정확도는 {score}입니다. "
                       "시험 데이터로 고르면 결과를 {optimism}만큼 부풀립니다.",
        "read.by_n": "설정을 무작위로 골라 보면 낙관 편향은 {n_low}개를 시도할 때 {low}, {n_high}개를 시도할 때 "
                     "{high}입니다.",
        "read.grows": "시도하는 설정이 많을수록 시험 데이터로 고른 결과가 더 부풀려집니다.",
        "read.left_out": "설정 {total}개 중 {n}개는 완료된 실행이 없어(발산했거나 아직 저장되지 않음) 빠졌습니다.",
        "link.search": "직접 탐색을 실행해 검증 데이터로 고르기",
    },
    "lesson_dropout": {
        "title": "드롭아웃",
        "intro": ("**드롭아웃**은 훈련하는 동안 은닉층의 뉴런을 무작위로 끕니다. 매 단계마다 각 뉴런은 1 − r의 확률로 "
                  "살아남고(r은 드롭아웃 비율), 나머지는 그 단계의 순전파와 역전파에서 0을 출력합니다. 어떤 뉴런도 "
                  "특정한 다른 뉴런이 있으리라고 기댈 수 없으므로 신경망이 서로 맞춰진 소수의 뉴런으로 외울 수 없고, "
                  "매 단계가 서로 다른 얇아진 신경망을 학습합니다.\n\n"
                  "시험 때는 모든 뉴런이 켜집니다. 그러면 뉴런이 훈련 때보다 평균 1/(1 − r)배 많은 입력을 받으므로, "
                  "책은 각 출력에 (1 − r)을 곱합니다:"),
        "inverted": ("대부분의 라이브러리가 쓰는 **역 드롭아웃**은 같은 보정을 반대쪽에서 합니다. 훈련 때 살아남은 "
                     "뉴런을 (1 − r)로 나누고 시험 때는 아무것도 하지 않습니다. 둘의 기댓값은 같고, 보정하는 위치만 "
                     "다릅니다."),
        "figure.title": "드롭아웃 r = 0.2를 1,000에폭까지, 드롭아웃 없는 신경망과 함께",
        "label.book": "r = 0.2, 시험 때 (1 − r)",
        "label.inverted": "r = 0.2, 역 드롭아웃",
        "label.plain": "드롭아웃 없음",
        "split.train": "훈련",
        "split.test": "시험",
        "mark": "{epochs}에폭(책)",
        "read.early": "r = 0.2일 때 {epoch}에폭에서 훈련 정확도는 {train}, 시험 정확도는 {test}입니다.",
        "read.late": "{epoch}에폭까지 계속하면 훈련 {train}, 시험 {test}, 격차 {gap}입니다.",
        "read.rising": "{epoch}에폭 뒤에도 시험 정확도가 {delta} 더 올랐습니다. r = 0.2에서는 책의 300에폭이 아직 "
                       "학습 중인 실행을 멈춥니다. 매 단계가 얇아진 신경망을 학습하므로 학습이 더 느립니다.",
        "read.plain": "드롭아웃 없이 {epoch}에폭에서는 훈련 {train}, 시험 {test}, 격차 {gap}입니다.",
        "read.inverted": "마지막 시험 정확도는 책의 (1 − r) 보정이 {book}, 역 드롭아웃이 {inverted}입니다({epoch}에폭). "
                         "같은 방법에 무작위 마스크만 다릅니다.",
        "ensemble.title": "앙상블로 본 드롭아웃",
        "ensemble.intro": ("독립적으로 학습한 여러 신경망의 예측을 평균하는 **앙상블**은 대개 각 신경망보다 "
                           "낫습니다. 드롭아웃은 매 단계 다른 얇아진 신경망을 학습하고, 시험 때의 (1 − r) 보정은 그 "
                           "모두를 평균하는 것에 가깝습니다. 여기서는 명시적인 앙상블을 옆에 둡니다. 드롭아웃 없이 "
                           "각자의 시드로 학습한 신경망 k개의 확률을 평균한 것과, 같은 이미지 300장으로 학습한 "
                           "드롭아웃 신경망(r = 0.2) 하나를 비교합니다."),
        "ensemble.missing": "앙상블을 아직 계산하지 않았습니다. 신경망 {k}개와 드롭아웃 신경망 하나를 각각 "
                            "{epochs}에폭 학습합니다.",
        "ensemble.compute": "앙상블 학습(신경망 {k}개)",
        "ensemble.figure": "평균한 신경망들과 드롭아웃 신경망 하나",
        "ensemble.k": "평균한 신경망 수(k)",
        "ensemble.ensemble_test_acc": "신경망 k개의 평균",
        "ensemble.member_test_acc": "k번째 신경망 하나",
        "ensemble.thinned_test_acc": "얇아진 드롭아웃 신경망 k개의 평균",
        "ensemble.dropout_test_acc": "드롭아웃 신경망, 시험 때 (1 − r)",
        "ensemble.read": "신경망 {k}개를 평균하면 시험 정확도가 {ensemble}이고, 신경망 하나는 평균 {single}입니다. "
                         "드롭아웃 신경망은 (1 − r) 보정으로 {dropout}, 얇아진 복사본 {k}개를 평균하면 {thinned}입니다.",
        "ensemble.slow": "여기서 드롭아웃 신경망은 자기 훈련 이미지의 {train}만 맞춥니다. 위 곡선에서 보듯 "
                         "r = 0.2는 다른 것보다 더 많은 에폭이 필요하므로, 이 비교는 아직 공정하지 않습니다.",
    },
    "lesson_optimizers": {
        "title": "옵티마이저",
        "intro": ("학습은 손실의 내리막을 따라 가중치를 옮기는 일입니다. 이 장은 x보다 y 방향으로 20배 가파른 "
                  "함수에서 한 걸음을 내딛는 네 가지 방법을 비교합니다. 이 함수에서는 기울기가 최솟값 (0, 0)을 "
                  "가리키지 않습니다. **SGD**는 기울기를 따라 걸어서 골짜기를 지그재그로 가로지릅니다. "
                  "**Momentum**은 이전 걸음을 일부 기억하는 속도를 더해 공이 구르듯 움직입니다. **AdaGrad**는 "
                  "좌표마다 지금까지의 기울기 제곱 합의 제곱근으로 걸음을 나누므로 가파른 방향이 느려집니다. "
                  "**Adam**은 두 생각을 합칩니다. 아래 각 경로는 (−7, 2)에서 시작한 30번의 갱신이며, 신경망을 "
                  "학습하는 것과 같은 옵티마이저 클래스로 계산했습니다."),
        "paths.title": "f(x, y) = x²/20 + y²에서 각 옵티마이저의 30번 갱신",
        "paths.caption": "학습률은 책의 코드와 같습니다: {rates}.",
        "mnist.intro": ("실제 신경망에서는 순위가 장난감 함수와 같지 않습니다. 아래에서는 네 옵티마이저가 같은 4×100 "
                        "신경망을 MNIST 이미지 4,000장으로 학습합니다(Adam은 흔히 쓰는 학습률 0.001, 나머지는 0.01)."),
        "figure.title": "MNIST에서 네 옵티마이저",
        "split.train": "훈련",
        "split.test": "시험",
        "read.distances": "30번 갱신 뒤 (0, 0)까지의 거리: {pairs}. 가장 가까이 끝난 것은 {best}입니다.",
        "read.mnist": "{epoch}에폭 뒤 MNIST 최종 시험 정확도: {pairs}. 여기서 가장 좋은 것은 {best}입니다.",
    },
    "lesson_activations": {
        "title": "활성화 함수와 가중치 초깃값",
        "intro": ("가중치 초깃값은 얼마나 커야 할까요? 이 장의 실험은 학습이 필요 없습니다. 무작위 입력 1,000개가 "
                  "뉴런 100개짜리 은닉층 5개를 지나고, 각 층의 출력을 히스토그램으로 봅니다. **표준편차 1**이면 "
                  "sigmoid의 출력이 기울기가 사라지는 0과 1에 몰립니다. **표준편차 0.01**이면 모두 0.5 근처에 "
                  "머뭅니다. 모든 뉴런이 같은 말을 하므로 뉴런이 많아도 하나와 다를 바 없습니다. **Xavier** 초깃값은 "
                  "가중치를 1/√n(뉴런당 입력 n개)로 조정해 층을 지나도 출력이 고르게 퍼지게 합니다. 입력의 절반을 "
                  "0으로 만드는 ReLU에는 대신 √(2/n)을 쓰는 **He** 초깃값을 씁니다. 활성화 함수를 고르세요:"),
        "pick": "활성화 함수",
        "figure.title": "가중치 초깃값별 각 은닉층의 출력({activation})",
        "axis.output": "출력",
        "init.std=1": "표준편차 1",
        "init.std=0.01": "표준편차 0.01",
        "init.xavier": "Xavier",
        "init.he": "He",
        "caption": "열: 은닉층 1부터 5까지. ReLU에서는 나머지 모양이 보이도록 0인 출력(약 절반)을 막대에서 뺐습니다.",
        "read.bounded": "{init}: 출력의 표준편차는 1층 {std_first} → {layer}층 {std_last}. 그 층에서 출력의 "
                        "{saturated}는 경계에, {centre}는 중앙에 있습니다.",
        "read.relu": "{init}: 출력의 표준편차는 1층 {std_first} → {layer}층 {std_last}. 그 층에서 출력의 {zero}는 "
                     "정확히 0이고 뉴런의 {dead}는 한 번도 활성화되지 않습니다.",
    },
    "lesson_batchnorm": {
        "title": "배치 정규화",
        "intro": ("활성화 히스토그램에서 신경망이 가중치 초깃값의 크기에 얼마나 좌우되는지 보았습니다. **배치 "
                  "정규화**는 그 의존을 크게 줄입니다. 활성화 함수 앞에서 각 뉴런의 값을 미니배치 단위로 평균 0, "
                  "분산 1이 되도록 옮기고 조정한 뒤, 신경망이 자기 배율 γ와 이동 β를 학습하게 합니다. 가중치가 "
                  "신호의 크기를 어떻게 바꾸든 다음 층은 적당한 크기로 받으므로, 학습이 빨리 시작되고 나쁜 초깃값도 "
                  "견딥니다.\n\n"
                  "아래에서는 5×100 신경망이 이미지 1,000장을 20에폭 동안 학습합니다. 나쁜 초깃값(표준편차 0.01)과 "
                  "He 초깃값에서 각각 배치 정규화가 있을 때와 없을 때를 비교합니다."),
        "figure.title": "배치 정규화가 있을 때와 없을 때의 학습",
        "init.std": "표준편차 0.01",
        "init.he": "He 초깃값",
        "bn.on": "배치 정규화 사용",
        "bn.off": "사용 안 함",
        "label": "{init}, {bn}",
        "split.train": "훈련",
        "split.test": "시험",
        "read.init": "{init}: {epoch}에폭에서 시험 정확도는 배치 정규화가 있을 때 {with_bn}, 없을 때 {without}입니다. "
                     "이미 {early}에폭에서도 {early_with} 대 {early_without}입니다.",
    },
    "lesson_search": {
        "title": "하이퍼파라미터 탐색",
        "intro": ("학습률이나 λ 같은 하이퍼파라미터는 자릿수가 중요합니다. 0.001과 0.01은 매우 다르게 동작하지만 "
                  "0.05와 0.06은 거의 같습니다. 그래서 이 장은 이런 값을 **로그 스케일**로 뽑습니다. 지수를 균등하게 "
                  "뽑은 뒤 10의 그 거듭제곱을 씁니다. 일부 하이퍼파라미터만 중요할 때는 무작위 탐색이 그리드보다 "
                  "낫고, 모든 설정은 시험 데이터가 아니라 **검증 데이터**로 평가합니다."),
        "figure.title": "1e-8에서 1e-4 사이의 λ 값 100개를 두 방식으로 뽑기",
        "scale.linear": "균등",
        "scale.log": "로그 스케일",
        "axis.value": "뽑은 값(로그 축)",
        "read.linear": "{low}에서 {high}까지 균등하게 뽑으면 {n}개 중 {top}개가 가장 위 자릿수({top_low} 이상)에 "
                       "떨어지고, {bottom_high} 미만은 {bottom}개입니다.",
        "read.never": "{bottom_high} 미만인 값이 하나도 없습니다. 작은 값은 시도조차 되지 않습니다.",
        "read.log": "로그 스케일로 뽑으면 {n}개 중 가장 위 자릿수에 {top}개, {bottom_high} 미만에 {bottom}개로, 자릿수마다 "
                    "거의 같은 비율이 돌아갑니다.",
        "coarse": ("**코스 투 파인.** 넓은 범위와 짧은 실행으로 시작하고(발산하거나 꿈쩍하지 않는 학습률을 걸러 내는 데는 "
                   "몇 에폭이면 충분합니다), 좋은 설정이 모이는 곳을 본 다음 그 좁은 상자에서 더 긴 실행으로 다시 "
                   "탐색합니다. 탐색 페이지는 이것을 라운드 단위로 하며, 무작위·그리드·베이즈 최적화 샘플링과 조기 "
                   "종료를 지원합니다."),
        "link.search": "탐색 페이지 열기",
    },
}
