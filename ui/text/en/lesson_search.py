"""English text, section ``lesson_search``: the lesson page ``pages/lesson-search.py``."""

TEXT: dict[str, str] = {
    "title": "Hyperparameter search",
    "intro": ("A hyperparameter such as the learning rate or λ matters by its order of magnitude: 0.001 and 0.01 "
              "behave very differently, 0.05 and 0.06 hardly at all. So the chapter draws such values **on a log "
              "scale**: it draws the exponent uniformly and takes 10 to that power. Random draws beat a grid "
              "when only some hyperparameters matter, and every config is judged on **validation data**, never "
              "on the test data."),
    "figure.title": "100 values of λ between 1e-8 and 1e-4, drawn two ways",
    "scale.linear": "uniform",
    "scale.log": "log scale",
    "axis.value": "drawn value (log axis)",
    "read.linear": "Drawn uniformly between {low} and {high}: {top} of {n} values land in the top decade "
                   "(from {top_low}) and {bottom} below {bottom_high}.",
    "read.never": "None is below {bottom_high}: the small values are never tried.",
    "read.log": "Drawn on a log scale: {top} of {n} in the top decade and {bottom} below {bottom_high}, about "
                "the same share for every decade.",
    "coarse": ("**Coarse to fine.** Start with a wide range and short runs (a few epochs are enough to rule out "
               "a learning rate that diverges or does not move), look at where the good configs cluster, then "
               "search again in that smaller box with longer runs. The Search page does this in rounds, with "
               "random, grid or Bayesian sampling and early stopping."),
    "link.search": "Open the Search page",
}
