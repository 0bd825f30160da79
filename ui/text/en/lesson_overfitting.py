"""English text, section ``lesson_overfitting``: the lesson page ``pages/lesson-overfitting.py``."""

TEXT: dict[str, str] = {
    "title": "Overfitting and its two conditions",
    "intro": ("A network **overfits** when it learns its training images so well that it stops generalising: "
              "train accuracy keeps climbing while test accuracy stalls. The distance between them, the "
              "**generalization gap**, is what the rest of the chapter tries to shrink.\n\n"
              "The chapter names two conditions that make overfitting likely: **few training data** and **a "
              "model with many parameters** (high capacity). Below, both are experiments: the book's setup "
              "(6 hidden layers of 100 ReLU units, SGD, 200 epochs) trained on more or fewer images, and with "
              "narrower or wider layers on the book's 300 images. Each point is the final accuracy, averaged "
              "over seeds, with its spread."),
    "figure.title": "Final accuracy against the data size and the width",
    "axis.n_train": "training images (n_train)",
    "axis.width": "units in each of the 6 hidden layers",
    "read.epochs": "After {epochs} epochs, means over seeds:",
    "n_train.one": "With {value} training images the gap is {gap} (train {train}, test {test}).",
    "n_train.two": "With {low} training images the gap is {gap_low} (train {train_low}, test "
                   "{test_low}); with {high} it is {gap_high} (train {train_high}, test "
                   "{test_high}).",
    "n_train.down": "More data shrank the gap here: the network can no longer memorise every image.",
    "n_train.up": "Here more data did not shrink the gap: look at the runs, they may have stopped early.",
    "n_train.flat": "Between the two ends the gap hardly moves.",
    "width.one": "With {value} units per layer the gap is {gap} (train {train}, test {test}).",
    "width.two": "With {low} units per layer the gap is {gap_low} (train {train_low}, test "
                 "{test_low}); with {high} it is {gap_high} (train {train_high}, test "
                 "{test_high}).",
    "width.down": "Here the wider network overfits less: too narrow a network fits its training images badly "
                  "too.",
    "width.up": "The wider network, with more parameters, overfits more: it has room to memorise.",
    "width.flat": "Between the two ends the gap hardly moves.",
    "n_train.peak": "The largest gap, {gap}, is in between, at {value} images.",
    "n_train.underfit": "With {value} images the network does not even fit its training images (train {train}).",
    "width.peak": "The largest gap, {gap}, is in between, at {value} units per layer.",
    "width.underfit": "With {value} units per layer the network does not even fit its training images (train "
                      "{train}): too few parameters underfit, which is no cure for overfitting.",
}
