"""Korean text, section ``sweep``: the Sweep page: one or two fields × seeds, read on validation."""

TEXT: dict[str, str] = {
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
}
