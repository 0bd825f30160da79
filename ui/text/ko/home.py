"""Korean text, section ``home``: the Home page."""

TEXT: dict[str, str] = {
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
    "headline.caption": "에폭별 훈련(파선)과 시험(실선) 정확도입니다. 띠는 시드 {n}개에 대한 평균 ± 표준편차입니다.",
    "headline.figure_title": "과대적합, 가중치 감소, 드롭아웃",
    "headline.measured": "마지막 에폭에서 잰 값(캐시된 시드의 평균):",
    "headline.row": "**{name}**: 훈련 {train}, 시험 {test}, 격차 {gap} (시드 {n}개)",
    "headline.reading": "이 데이터에서 그림이 보여 주는 것:",
    "headline.baseline": "각 정규화 기법을 정규화 없는 같은 신경망({name})과 둘 다 학습한 마지막 에폭에서 "
                         "비교합니다. 0.01 이하의 변화는 변화 없음으로 봅니다.",
    "headline.at_epoch": "둘 다 학습한 마지막 에폭({epoch}에폭)에서:",
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
}
