"""Korean text, section ``lesson_optimizers``: the lesson page ``pages/lesson-optimizers.py``."""

TEXT: dict[str, str] = {
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
    "read.distances_tie": ("30번 갱신 뒤 (0, 0)까지의 거리: {pairs}. 가장 가까이 끝난 것은 {best}입니다"
                           "(소수 둘째 자리까지 같음)."),
    "read.mnist": "{epoch}에폭 뒤 MNIST 최종 시험 정확도: {pairs}. 여기서 가장 좋은 것은 {best}입니다.",
    "read.mnist_tie": ("{epoch}에폭 뒤 MNIST 최종 시험 정확도: {pairs}. 여기서 가장 좋은 것은 {best}입니다"
                       "(소수 둘째 자리까지 같음)."),
}
