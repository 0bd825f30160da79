"""English text, section ``lesson_validation``: the lesson page ``pages/lesson-validation.py``."""

TEXT: dict[str, str] = {
    "title": "Validation data",
    "intro": ("Hyperparameters (the learning rate, λ, the dropout ratio …) are chosen by trying several values "
              "and keeping the best. If \"best\" is judged on the **test data**, the test data has helped choose "
              "the model, and its score is no longer an honest estimate: among many configs, one will do well on "
              "these particular test images partly by luck, and picking the maximum picks that luck too.\n\n"
              "So the chapter sets aside **validation data**, taken from the training data, to choose with; "
              "the test data is looked at once, at the end. Below, 16 configs (4 learning rates × 4 values of "
              "λ on the book's 300-image setup, each with 100 validation images) are chosen two ways: on test "
              "(the mistake) and on validation (honest). The difference between the two reported scores is the "
              "**optimism** of choosing on test; on the right, how it grows with the number of configs tried."),
    "figure.title": "Choosing on test against choosing on validation",
    "name.configs": "configs",
    "name.on_test": "chosen on test (reported: its test accuracy)",
    "name.on_val": "chosen on validation (reported: its test accuracy)",
    "axis.n": "configs tried (N)",
    "axis.score": "reported test accuracy",
    "read.on_test": "Among the {m} configs, the best test accuracy is {score} (lr = {lr}, λ = {lam}): the number "
                    "one would report after choosing on test.",
    "read.on_val": "The config with the best validation accuracy ({val}; lr = {lr}, λ = {lam}) scores {score} "
                   "on test: choosing on test overstates the result by {optimism}.",
    "read.on_val_same": "The config with the best validation accuracy ({val}; lr = {lr}, λ = {lam}) scores {score} "
                        "on test as well: here, choosing on test overstates nothing.",
    "read.on_val_tied": "{n} configs share the best validation accuracy ({val}): {configs}. Validation cannot tell "
                        "them apart, so choosing on it picks one of them: {score} on test on average. Choosing on "
                        "test overstates the result by {optimism}.",
    "read.tied_config": "lr = {lr}, λ = {lam} scores {score} on test",
    "read.by_n": "Over random subsets of the configs, the optimism is {low} when trying {n_low} and {high} when "
                 "trying {n_high}.",
    "read.grows": "The more configs are tried, the more choosing on test flatters.",
    "read.left_out": "{n} of the {total} configs have no complete run (diverged or not stored yet) and are left "
                     "out.",
    "link.search": "Choose on validation data in a search of your own",
}
