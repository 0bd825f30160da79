"""English text, section ``lesson_dropout``: the lesson page ``pages/lesson-dropout.py``."""

TEXT: dict[str, str] = {
    "title": "Dropout",
    "intro": ("**Dropout** switches off hidden units at random while training: at every step each unit is kept "
              "with probability 1 − r (r is the dropout ratio) and the others output 0 for that step, forwards "
              "and backwards. No unit can rely on a particular other unit being there, so the network cannot "
              "memorise with a few co-adapted units, and each step trains a different thinned network.\n\n"
              "At test time every unit is on. A unit then receives more input than during training, on "
              "average 1/(1 − r) times more, so the book multiplies each output by (1 − r):"),
    "inverted": ("**Inverted dropout**, which most libraries use, does the same scaling the other way round: it "
                 "divides the kept units by (1 − r) during training and leaves the test pass untouched. Both "
                 "give the same expected output; they differ only in where the scaling sits."),
    "figure.title": "Dropout r = 0.2 run to 1,000 epochs, beside no dropout",
    "label.book": "r = 0.2, (1 − r) at test",
    "label.inverted": "r = 0.2, inverted",
    "label.plain": "no dropout",
    "split.train": "train",
    "split.test": "test",
    "mark": "{epochs} epochs (the book)",
    "read.early": "With r = 0.2, at epoch {epoch} train accuracy is {train} and test accuracy {test}.",
    "read.late": "Continued to epoch {epoch}: train {train}, test {test}, a gap of {gap}.",
    "read.rising": "Test accuracy rose by another {delta} after epoch {epoch}: at r = 0.2 the book's 300 epochs "
                   "stop a run that is still learning. Each step trains a thinned network, so learning is slower.",
    "read.plain": "Without dropout, at epoch {epoch}: train {train}, test {test}, a gap of {gap}.",
    "read.inverted": "The book's (1 − r) scaling ends at test accuracy {book}, inverted dropout at {inverted} "
                     "(epoch {epoch}): the same method, other random masks.",
    "ensemble.title": "Dropout as an ensemble",
    "ensemble.intro": ("Averaging the predictions of several independently trained networks (an **ensemble**) "
                       "usually beats each of them. Dropout trains a different thinned network at every step, "
                       "and the (1 − r) scaling at test approximates averaging all of them. Here the explicit "
                       "version stands beside it: k networks without dropout, each from its own seed, their "
                       "probabilities averaged, against one dropout network (r = 0.2) on the same 300 images."),
    "ensemble.missing": "The ensemble is not computed yet: {k} networks and one dropout network, {epochs} "
                        "epochs each.",
    "ensemble.compute": "Train the ensemble ({k} networks)",
    "ensemble.figure": "Averaged networks against one dropout network",
    "ensemble.k": "networks averaged (k)",
    "ensemble.ensemble_test_acc": "average of k networks",
    "ensemble.member_test_acc": "the k-th network alone",
    "ensemble.thinned_test_acc": "average of k thinned dropout networks",
    "ensemble.dropout_test_acc": "dropout network, (1 − r) at test",
    "ensemble.read": "Averaging {k} networks gives test accuracy {ensemble}, against {single} for one network "
                     "on average; the dropout network scores {dropout} with its (1 − r) scaling and {thinned} "
                     "when {k} thinned copies are averaged.",
    "ensemble.slow": "The dropout network fits only {train} of its own training images here: as the curves "
                     "above show, r = 0.2 needs more epochs than the others, so this comparison is not yet a "
                     "fair one.",
}
