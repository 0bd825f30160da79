"""Korean text, section ``mechanism``: weights and activations inside the network (Compare's expander)."""

TEXT: dict[str, str] = {
    "expander": "작동 원리: 가중치와 활성화 값",
    "intro": ("기법이 왜 효과가 있는지 신경망 안에서 살펴봅니다. 층마다 가중치가 얼마나 커지는지, 어떻게 분포하는지, "
              "고정된 이미지 {n}장에 대해 은닉층이 무엇을 출력하는지 보여 줍니다. 히스토그램은 탐색의 시행을 제외한 "
              "실행마다 네 에폭(시작, 25 %, 50 %, 끝)에서 기록됩니다."),
    "epoch": "히스토그램의 에폭",
    "epoch.help": "실행은 전체 에폭의 0 %, 25 %, 50 %, 100 % 지점에서 히스토그램을 기록합니다. 그중 한 에폭을 고르세요.",
    "too_many": "선택한 실행 {n}개 중 {shown}개만 보여 줍니다: 설정마다 첫 시드부터, 돌아가며 하나씩.",
    "not_at_epoch": ("{epoch}에폭에 히스토그램이 없어 그리지 않은 실행 {n}개: {configs}. 실행은 자기 에폭의 0 %, "
                     "25 %, 50 %, 100 % 지점에서 히스토그램을 기록하며, 탐색의 시행은 기록하지 않습니다."),
    "not_at_epoch.config": "{label} (시드 {n}개: {seeds}; 히스토그램: {epochs}에폭)",
    "not_at_epoch.config_none": "{label} (시드 {n}개: {seeds}; 히스토그램 없음)",
    "none_recorded": ("이 실행들에는 기록된 히스토그램이 없습니다. 탐색의 시행은 히스토그램을 기록하지 않고, "
                      "이 보기가 생기기 전에 학습한 실행에도 없습니다. 가중치 노름만 보여 줍니다."),
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
}
