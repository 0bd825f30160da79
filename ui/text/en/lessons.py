"""English text, section ``lessons``: shared by the lesson pages."""

TEXT: dict[str, str] = {
    "nav.section": "Lessons",
    "nav.overfitting": "Overfitting",
    "nav.weight_decay": "Weight decay",
    "nav.validation": "Validation data",
    "nav.dropout": "Dropout",
    "nav.search": "Hyperparameter search",
    "nav.optimizers": "Optimizers",
    "nav.activations": "Activations and init",
    "nav.batchnorm": "Batch normalization",
    "quick": "Quick mode (`OVERFIT_LAB_LESSON_QUICK`): this lesson's runs are cut to {epochs} epochs and one "
             "seed, so its numbers are not the chapter's.",
    "stored": "All {n} {n|run|runs} of this lesson are stored; the figure and the sentences below read them.",
    "empty": "None of this lesson's {total} {total|run|runs} is stored yet. One click computes them in the background; the "
             "figure fills in as they finish.",
    "missing": "{missing} of this lesson's {total} {total|run|runs} are not stored yet; the figure shows the others.",
    "read_only": "This dashboard is read-only: it shows what is stored and computes nothing.",
    "running": "Computing in the background: the figure fills in as runs finish. You may leave this page.",
    "compute": "Compute the {n} missing runs",
    "compute_help": "Trains in the background, so you can leave this page and come back. Runs already stored "
                    "are not trained again.",
    "waiting": "The figure appears when the first runs of this lesson are stored.",
    "read.title": "What the figure says",
    "name.train_acc": "train accuracy",
    "name.test_acc": "test accuracy",
    "name.val_acc": "validation accuracy",
    "name.gap": "gap (train − test)",
    "axis.acc": "accuracy",
    "axis.epoch": "epoch",
    "math.gap": "gap",
    "math.train": "train",
    "math.test": "test",
    "math.val": "val",
    "math.optimism": "optimism",
    "math.inverted": "inverted:",
}
