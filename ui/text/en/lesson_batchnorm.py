"""English text, section ``lesson_batchnorm``: the lesson page ``pages/lesson-batchnorm.py``."""

TEXT: dict[str, str] = {
    "title": "Batch normalization",
    "intro": ("The activation histograms showed how much a network depends on its initial weight scale. **Batch "
              "normalization** removes much of that dependence: before each activation it shifts and scales "
              "every unit's values over the minibatch to mean 0 and variance 1, then lets the network learn its "
              "own scale γ and shift β. Whatever the weights do to the size of the signal, the next layer "
              "receives it at a reasonable scale, so learning starts fast and tolerates poor initial values.\n\n"
              "Below, a 5×100 network learns 1,000 images for 20 epochs from a poor initial scale (std 0.01) "
              "and from He's, each with and without batch normalization."),
    "figure.title": "Learning with and without batch normalization",
    "init.std": "std 0.01",
    "init.he": "He",
    "bn.on": "with batch norm",
    "bn.off": "without",
    "label": "{init}, {bn}",
    "split.train": "train",
    "split.test": "test",
    "read.init": "{init}: test accuracy {with_bn} with batch normalization and {without} without at epoch "
                 "{epoch}; already at epoch {early} it is {early_with} against {early_without}.",
    "read.init.turned": "{init}: test accuracy {with_bn} with batch normalization and {without} without at epoch "
                        "{epoch}, while at epoch {early} it was the other way round: {early_with} against "
                        "{early_without}.",
    "read.init.level": "{init}: test accuracy {with_bn} with batch normalization and {without} without at epoch "
                       "{epoch}; at epoch {early} it was {early_with} against {early_without}.",
}
