"""English text, section ``sweep``: the Sweep page: one or two fields × seeds, read on validation."""

TEXT: dict[str, str] = {
    "title": "Sweep",
    "intro": ("Vary one or two settings (weight decay λ, dropout, learning rate, training images, hidden width or "
              "depth) over a grid, several seeds per point. The point is chosen on validation accuracy; its test "
              "accuracy is reported once."),
    "empty": ("No sweeps yet. A sweep trains every value of a grid with several seeds and draws accuracy and the "
              "train − test gap against it. Launch one below; the book's 300-image setup with λ from 0 to 1 is "
              "filled in."),
    "empty.read_only": ("No sweeps yet, and this dashboard is read-only. Sweeps are started on the command line: "
                        "`python -m core sweep --preset overfit --vary weight_decay=0,1e-4..1x9log --seeds 5`."),
    "empty.runs": "None of this sweep's runs has finished yet: the figures appear as runs are stored.",
    "read_only": "This dashboard is read-only: sweeps cannot be launched here.",
    # launch form
    "launch.title": "Launch a sweep",
    "form.base": "Base setup (preset)",
    "form.base.help": ("Every point is this preset with the swept values changed. `overfit` is the book's "
                       "overfitting setup: 300 training images, a 6×100 network, plain stochastic gradient descent (`sgd`)."),
    "form.epochs": "Epochs per run",
    "form.field1": "Swept field",
    "form.field2": "Second swept field (optional)",
    "form.field.none": "none",
    "form.grid": "Values",
    "form.grid.help": ("Values and ranges separated by commas: `0,0.1,0.2`, or `LOW..HIGHxN` (N evenly spaced "
                       "values), or `LOW..HIGHxNlog` (N log-spaced values). Example: `0,1e-4..1x9log` is 0 and 9 "
                       "values from 1e-4 to 1."),
    "form.grid.placeholder": "e.g. 0,1e-4..1x9log",
    "form.seeds": "Seeds per point",
    "form.seeds.help": "Each point trains once per seed (0, 1, …); the bands and intervals come from the seeds.",
    "form.n_val": "Validation images",
    "form.n_val.help": ("Images held out to choose the point on (never the test images). A sweep needs them: "
                        "0 is refused."),
    "form.preview": ("{n_points} {n_points|point|points} × {seeds} {seeds|seed|seeds} = {n_runs} {n_runs|run|runs} of {label}, {n_epochs} {n_epochs|epoch|epochs} each. "
                     "Runs already stored are not trained again."),
    "form.submit": "Launch sweep",
    "form.error.base": "Choose a preset with one config: {options}.",
    "form.error.field": "Choose a field to sweep: {options}.",
    "form.error.same_field": "Choose a field other than the first.",
    "launch.invalid": "The sweep was not launched: fix the fields marked below.",
    "launch.failed": "Could not launch the sweep: {error}",
    "launch.started": "Started sweep {sweep_id} (job {job_id}): {n_todo} {n_todo|run|runs} to train, {n_cached} already stored.",
    "launch.reopened": ("This sweep exists already ({sweep_id}): opened it. Training its {n_todo} missing {n_todo|run|runs} "
                        "(job {job_id}); {n_cached} already stored."),
    "launch.cached": "This sweep exists already ({sweep_id}) and all {n_runs} {n_runs|run|runs} are computed: opened it.",
    "launch.cached_new": "Sweep {sweep_id}: all {n_runs} {n_runs|run|runs} were already computed (shared with earlier runs).",
    "jobs.title": "Jobs",
    # choosing a sweep
    "choose": "Sweep",
    "sweep_title": "{fields} · {n_points} {n_points|point|points} × {seeds} {seeds|seed|seeds}",
    "base": "{title} · base: {label}, {n_epochs} {n_epochs|epoch|epochs}, {n_val} validation images",
    "status.stored": "{n} of {total} {total|run|runs} stored",
    "failed": "This sweep could not be read: {error}",
    "problems.title": "Sweep files that could not be read ({n})",
    "problems.file": "file",
    "problems.reason": "reason",
    # view controls
    "view.at": "Accuracies at",
    "view.at.help": ("Final: the last epoch. Best epoch: each run's epoch of best validation accuracy (the test "
                     "accuracy is read there, never used to pick it)."),
    "at.final": "final epoch",
    "at.best": "best validation epoch",
    "view.band": "Seed band",
    "band.std": "mean ± std",
    "band.range": "min–max",
    # views
    "view.1d.title": "Accuracy and gap against {field}",
    "view.paired.title": "Difference to the baseline, seed by seed",
    "view.point.title": "Curves of one point",
    "point.none": "none",
    "view.point.pick": "Point",
    "view.point.help": "Click a point or a cell in the figures above, or pick it here.",
    "view.point.none": "No point picked: click a point or a cell above, or choose one here.",
    "view.point.caption": ("{point}: {n} of {n_runs} {n_runs|seed|seeds} complete; mean validation accuracy {val}, mean train "
                           "accuracy {train}. Train dashed, validation dotted, test solid; one line per seed."),
    "table.title": "Every point",
    "table.caption": "Means over the complete seeds. The ticked row is the point chosen on validation accuracy.",
    "column.point": "point",
    "column.n": "complete seeds",
    "column.chosen": "chosen on validation",
    "column.val_acc_mean": "val acc",
    "column.val_acc_std": "val acc std",
    "column.train_acc_mean": "train acc",
    "column.test_acc_mean": "test acc",
    "column.gap_mean": "gap (train − test)",
    # captions (numbers computed from the runs)
    "caption.span": ("From {low} to {high}, mean validation accuracy goes from {val_low} to {val_high} and the "
                     "train − test gap from {gap_low} to {gap_high}."),
    "caption.band": "Bands: {band} over seeds.",
    "caption.chosen": ("Chosen on validation ({at}): {point}, validation accuracy {val}; its test accuracy is "
                       "{test} ± {test_std} and its gap {gap} (n = {n} {n|seed|seeds})."),
    "caption.no_chosen": "No point can be chosen yet: no run has a validation accuracy.",
    "caption.no_runs": "No run of this sweep has finished yet.",
    "caption.paired": ("Each point minus the baseline ({baseline}) with the same seed; bars are 95 % t-intervals "
                       "over seeds. Below the dotted zero line the point is worse than the baseline."),
    "caption.paired_chosen": "The chosen point {point}: test accuracy {diff} (95 % interval {low} to {high}, {n} {n|pair|pairs}).",
    "caption.paired_empty": "No pairs to compare with the baseline ({baseline}) yet.",
    "caption.heat": ("Mean over seeds at the {band}. The red outline marks the cell with the best validation "
                     "accuracy; a black dotted outline the picked cell."),
    # figures
    "figure.no_runs": "No complete runs yet.",
    "figure.no_pairs": "No paired runs yet.",
    "figure.no_curves": "No curves stored for this point yet.",
    "figure.accuracy_panel": "Accuracy (mean over seeds)",
    "figure.gap_panel": "Gap: train − test accuracy",
    "figure.accuracy": "accuracy",
    "figure.gap": "gap (train − test)",
    "figure.gap_axis": "train − test",
    "figure.zero_note": "{symbol} = 0 is drawn at the left, past the dotted break: 0 has no place on a log axis",
    "figure.chosen": "chosen on validation",
    "figure.selected": "picked point",
    "figure.paired_split": "{split} accuracy − baseline",
    "figure.paired_axis": "difference to {baseline}",
    "figure.heat_val": "Validation accuracy (mean)",
    "figure.heat_gap": "Gap: train − test accuracy (mean)",
    "figure.heat_bar.1": "val acc",
    "figure.heat_bar.2": "gap",
    "figure.epoch": "epoch",
    "figure.seed": "seed {seed}",
    "split.train": "train",
    "split.val": "validation",
    "split.test": "test",
    # swept fields
    "field.weight_decay": "weight decay λ",
    "field.dropout": "dropout ratio",
    "field.lr": "learning rate",
    "field.n_train": "training images",
    "field.hidden_width": "hidden width",
    "field.hidden_depth": "hidden layers",
    # URL notices of this page (the rest are in common)
    "url.reason.no_sweep": "there is no sweep to pick a point of",
}
