"""English text, section ``lesson_optimizers``: the lesson page ``pages/lesson-optimizers.py``."""

TEXT: dict[str, str] = {
    "title": "Optimizers",
    "intro": ("Training moves the weights downhill on the loss. The chapter compares four ways of taking a step "
              "on a function that is 20 times steeper in y than in x, so the gradient does not point at the "
              "minimum (0, 0). **SGD** steps along the gradient and zig-zags across the valley. **Momentum** "
              "adds a velocity that keeps part of the previous steps, like a ball rolling. **AdaGrad** divides "
              "each coordinate's step by the root of its accumulated squared gradients, so the steep direction "
              "slows down. **Adam** combines both ideas. Each path below is 30 updates from (−7, 2), computed by "
              "the same optimizer classes that train the networks."),
    "paths.title": "30 updates of each optimizer on f(x, y) = x²/20 + y²",
    "paths.caption": "Learning rates as in the book's code: {rates}.",
    "mnist.intro": ("On a real network the ranking is not the same as on the toy function. Below, the four train "
                    "the same 4×100 network on 4,000 MNIST images (Adam with its usual lr 0.001, the others 0.01)."),
    "figure.title": "The four optimizers on MNIST",
    "split.train": "train",
    "split.test": "test",
    "read.distances": "Distance from (0, 0) after 30 updates: {pairs}; {best} ends closest.",
    "read.distances_tie": "Distance from (0, 0) after 30 updates: {pairs}; {best} end equally close at two decimals.",
    "read.mnist": "Final test accuracy on MNIST after {epoch} epochs: {pairs}; {best} is the best here.",
    "read.mnist_tie": ("Final test accuracy on MNIST after {epoch} epochs: {pairs}; {best} are equally good here at "
                       "two decimals."),
}
