"""Strings of the Compare page."""
from __future__ import annotations

from . import lookup

EN = {
    "title": "Compare",
    "intro": "Overlay the learning curves of config groups (mean ± std over seeds) or single runs.",
    "by": "Compare",
    "by.group": "Config groups (mean ± std over seeds)",
    "by.run": "Single runs",
    "select.group": "Config groups",
    "select.run": "Runs",
    "select.placeholder": "Choose by label",
    "group.option": "{label} ({n} seeds)",
    "metric": "Metric",
    "metric.acc": "Accuracy",
    "metric.loss": "Loss",
    "splits": "Splits",
    "split.train": "train",
    "split.val": "val",
    "split.test": "test",
    "smooth": "Smoothing (epochs averaged)",
    "nothing_selected": "Choose runs or config groups above to draw their curves.",
    "curves.title": "Learning curves",
    "curves.figure_title": "{metric} per epoch",
    "curves.csv": "Download curves (CSV)",
    "gap.title": "Generalization gap (train − test)",
    "summary.title": "Final test accuracy and gap against a regularizer",
    "summary.param": "Against",
    "summary.param.weight_decay": "weight decay λ",
    "summary.param.dropout": "dropout ratio",
    "summary.csv": "Download summary (CSV)",
    "table.title": "Final and best metrics",
    "table.csv": "Download table (CSV)",
    "search.title": "Search: learning rate × weight decay",
    "search.choose": "Search",
    "search.none": "No searches yet.",
    "search.unavailable": "Searches are not available in this version.",
    "search.failed": "This search could not be read: {error}",
    "search.option": "{search_id} · {strategy} · {n_done}/{n_trials} trials · best val acc {best}",
    "search.select_hint": "Select trials in the scatter (box or lasso) to add their runs to the comparison.",
    "search.add": "Compare the {n} selected trial run(s)",
    "empty": "No runs are cached yet. Launch some on the Run page.",
    "go_run": "Go to Run",
}

t = lookup({"en": EN})
