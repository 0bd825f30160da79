"""The Korean catalogue: ``KO[section][key]``, the same modules, sections, keys and order as the English ``EN``.

One module per section (the page groups: common, home, run … lesson_search), each holding ``TEXT``. They are kept apart
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

from . import (
    common,
    home,
    run,
    compare,
    results,
    search,
    sweep,
    mechanism,
    lessons,
    lesson_overfitting,
    lesson_weight_decay,
    lesson_validation,
    lesson_dropout,
    lesson_optimizers,
    lesson_activations,
    lesson_batchnorm,
    lesson_search,
)

KO: dict[str, dict[str, str]] = {
    "common": common.TEXT,
    "home": home.TEXT,
    "run": run.TEXT,
    "compare": compare.TEXT,
    "results": results.TEXT,
    "search": search.TEXT,
    "sweep": sweep.TEXT,
    "mechanism": mechanism.TEXT,
    "lessons": lessons.TEXT,
    "lesson_overfitting": lesson_overfitting.TEXT,
    "lesson_weight_decay": lesson_weight_decay.TEXT,
    "lesson_validation": lesson_validation.TEXT,
    "lesson_dropout": lesson_dropout.TEXT,
    "lesson_optimizers": lesson_optimizers.TEXT,
    "lesson_activations": lesson_activations.TEXT,
    "lesson_batchnorm": lesson_batchnorm.TEXT,
    "lesson_search": lesson_search.TEXT,
}
