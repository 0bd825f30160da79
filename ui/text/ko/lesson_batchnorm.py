"""Korean text, section ``lesson_batchnorm``: the lesson page ``pages/lesson-batchnorm.py``."""

TEXT: dict[str, str] = {
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
    "read.init.turned": "{init}: {epoch}에폭에서 시험 정확도는 배치 정규화가 있을 때 {with_bn}, 없을 때 {without}입니다. "
                        "{early}에폭에서는 반대였습니다: {early_with} 대 {early_without}.",
    "read.init.level": "{init}: {epoch}에폭에서 시험 정확도는 배치 정규화가 있을 때 {with_bn}, 없을 때 {without}입니다. "
                       "{early}에폭에서는 {early_with} 대 {early_without}였습니다.",
}
