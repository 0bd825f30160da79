"""Korean text, section ``lesson_activations``: the lesson page ``pages/lesson-activations.py``."""

TEXT: dict[str, str] = {
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
}
