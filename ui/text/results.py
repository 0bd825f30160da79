"""Strings of the Results page."""
from __future__ import annotations

from . import lookup

EN = {
    "title": "Results",
    "intro": "Every cached run. Select rows to open them in Compare, download the table, or delete runs.",
    "filter.status": "Status",
    "filter.dataset": "Dataset",
    "filter.text": "Label contains",
    "sort": "Sort by",
    "order": "Order",
    "order.desc": "high → low",
    "order.asc": "low → high",
    "column.created_at": "created",
    "column.final_test_acc": "final test acc",
    "column.final_train_acc": "final train acc",
    "column.final_gap": "final gap",
    "column.best_val_acc": "best val acc",
    "column.duration_s": "duration",
    "column.label": "label",
    "column.weight_decay": "weight decay λ",
    "column.dropout": "dropout ratio",
    "column.lr": "learning rate",
    "column.n_train": "training images",
    "column.status": "status",
    "count": "{shown} of {total} run(s) shown.",
    "selected": "{n} run(s) selected.",
    "select_hint": "Tick rows in the table's left column to select runs.",
    "open_compare": "Open selection in Compare",
    "csv": "Download table (CSV)",
    "parquet": "Download table (parquet)",
    "delete": "Delete selected runs",
    "delete.title": "Delete runs",
    "delete.confirm_text": "Delete these {n} run(s) from the results folder? This cannot be undone.",
    "delete.confirm": "Yes, delete {n} run(s)",
    "delete.cancel": "Keep them",
    "delete.done": "Deleted {n} run(s).",
    "delete.failed": "Could not delete: {error}",
    "problems.title": "Files that could not be read ({n})",
    "problems.file": "file",
    "problems.reason": "reason",
    "empty": "No runs are cached yet. Launch some on the Run page.",
}

t = lookup({"en": EN})
