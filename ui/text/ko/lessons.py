"""Korean text, section ``lessons``: shared by the lesson pages."""

TEXT: dict[str, str] = {
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
}
