"""English text, section ``lesson_weight_decay``: the lesson page ``pages/lesson-weight-decay.py``."""

TEXT: dict[str, str] = {
    "title": "Weight decay",
    "intro": ("Overfitting often comes with large weights: a few big weights let the network bend its decision "
              "boundary around single training images. **Weight decay** adds a price for large weights to the "
              "loss, half of λ times the sum of the squared weights. Its gradient adds λW to each weight's "
              "gradient, so every update also pulls each weight a little towards 0, in proportion to its size.\n\n"
              "λ is a **hyperparameter**: 0 is no decay, too large a λ stops the network from learning at all. "
              "Below, the book's 300-image setup is trained at several λ (two seeds each): the final accuracies "
              "and the gap at each λ, then the norm of all weights over the epochs (the first seed)."),
    "figure.title": "Final accuracy and gap against λ",
    "axis.lambda": "weight decay λ",
    "axis.norm": "norm of all weights, √(Σ‖W‖²)",
    "norms.title": "The weights' norm over the epochs, for each λ",
    "norms.intro": "The norm of all weights at every epoch, for the first run at each λ. Every update first shrinks "
                   "each weight by the factor 1 − lr·λ, then takes the gradient step, so the larger λ, the faster "
                   "the norm falls from where the random start put it.",
    "read.gaps": "Final gap (train − test) at each value: {pairs}.",
    "read.chosen": "Chosen on validation data: λ = {lam} (validation {val}, test {test}, gap {gap}).",
    "read.norms": "The weights' norm starts at {start}; at epoch {epoch} it is {plain} without weight decay and "
                  "{decayed} with λ = {lam}.",
    "read.too_much": "λ = {lam} closes the gap ({gap}) but its test accuracy falls to {test}: the decay is so "
                     "strong that the network stops learning.",
}
