"""English text, section ``lesson_activations``: the lesson page ``pages/lesson-activations.py``."""

TEXT: dict[str, str] = {
    "title": "Activations and initial weights",
    "intro": ("How large should the initial weights be? The chapter's experiment needs no training: 1,000 random "
              "inputs go through 5 hidden layers of 100 units, and a histogram shows each layer's outputs. "
              "With **std 1** a sigmoid's outputs pile up at 0 and 1, where its gradient vanishes. With **std "
              "0.01** they all sit near 0.5: every unit says the same thing, and many units are no better than "
              "one. **Xavier** initialisation scales the weights by 1/√n (n inputs per unit) and keeps the outputs "
              "spread through the layers; for ReLU, which zeroes half its inputs, **He** initialisation uses "
              "√(2/n) instead. Pick an activation function:"),
    "pick": "Activation function",
    "figure.title": "Outputs of each hidden layer ({activation}), per initial weight scale",
    "axis.output": "output",
    "init.std=1": "std 1",
    "init.std=0.01": "std 0.01",
    "init.xavier": "Xavier",
    "init.he": "He",
    "caption": "Columns: hidden layers 1 to 5. For ReLU the zeros (about half the outputs) are left out of the "
               "bars, so the shape of the rest stays visible.",
    "read.bounded": "{init}: the outputs' std goes from {std_first} in layer 1 to {std_last} in layer {layer}, "
                    "where {saturated} of them sit at a bound and {centre} at the centre.",
    "read.relu": "{init}: the outputs' std goes from {std_first} in layer 1 to {std_last} in layer {layer}, "
                 "where {zero} are exactly 0 and {dead} of the units never fire.",
}
