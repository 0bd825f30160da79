"""Pure text for the pages: escaped values, job progress lines, run labels, picked points, the Results columns.

No streamlit and no plotly here: everything is unit-tested on plain dicts and DataFrames.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

import pandas as pd

from core import config as cfg
from core.compare import unique_labels
from core.job_state import JobState, RunProgress
from ui.state import ID_PATTERN
from ui.text import t

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~$])")

RESULT_COLUMNS = ("label", "final_val_acc", "best_val_acc", "final_test_acc", "final_gap", "final_train_acc",
                  "member", "seed", "status", "dataset", "n_train", "n_val", "architecture", "weight_decay", "dropout",
                  "optimizer", "lr", "n_epochs", "stopped_epoch", "best_test_acc", "created_at", "duration_s", "run_id",
                  "group_id",
                  *(f for f in cfg.FIELD_TYPES if f not in ("seed", "dataset", "n_train", "n_val", "weight_decay",
                                                            "dropout", "optimizer", "lr", "n_epochs")))
SORTABLE = ("created_at", "final_val_acc", "best_val_acc", "final_test_acc", "final_train_acc", "final_gap",
            "duration_s", "label",
            "weight_decay", "dropout", "lr", "n_train", "status")


def plain(text: object) -> str:
    """``text`` with markdown's special characters escaped: for values shown through st.markdown/info/error."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


# ---- jobs -----------------------------------------------------------------------------------------------------------
def jobs_signature(jobs: Iterable[JobState]) -> tuple:
    """What, when it changes, needs the whole page redrawn: a job started or ended, a run finished."""
    return tuple((j.id, j.state, j.n_done) for j in jobs if j.active)


def format_acc(value: Any) -> str:
    """An accuracy with three decimals, or a dash when there is none yet."""
    return f"{value:.3f}" if isinstance(value, (int, float)) else "—"


def count(value: Any) -> int:
    """A count from a job file (written by our code, but read defensively: a bad value counts as 0)."""
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def job_progress(job: JobState) -> tuple[float, str]:
    """The job's progress bar: (fraction, text). A search counts trials; a job yet to queue its runs is starting."""
    name, state = plain(job.name), job.state
    if job.kind == "search" and job.n_trials:
        total, done = count(job.n_trials), count(job.n_trials_done)
        return (done / total if total else 0.0), t("jobs.progress.search", name=name, done=done, total=total,
                                                   state=state)
    total, done = count(job.n_total), count(job.n_done)
    if total == 0 and state == "running":  # the driver has not queued its runs yet (about a second)
        return 0.0, t("jobs.starting", name=name)
    return (done / total if total else 0.0), t("jobs.progress", name=name, done=done, total=total,
                                               cached=job.n_cached, failed=job.n_failed,
                                               state=state)


def run_progress(run: RunProgress) -> tuple[float, str]:
    """One running run of a job: (fraction of its epochs, text)."""
    n_epochs = run.n_epochs or 1
    epoch = run.epoch
    return min(epoch / n_epochs, 1.0), t("jobs.run_line", label=plain(run.label), epoch=epoch, n_epochs=n_epochs,
                                         train_acc=format_acc(run.metric("train_acc")),
                                         test_acc=format_acc(run.metric("test_acc")), state="running")


# ---- runs -----------------------------------------------------------------------------------------------------------
def run_labels(runs: pd.DataFrame) -> dict[str, str]:
    """run_id -> a unique readable label ``<config label> · seed=N`` (newest runs first)."""
    if runs.empty:
        return {}
    newest = runs.iloc[::-1].drop_duplicates("run_id")
    labels = newest["label"].astype(str) + " · seed=" + newest["seed"].astype("int64").astype(str)
    return unique_labels(labels.set_axis(newest["run_id"])).to_dict()


def points_to_run_ids(points: list, trials: pd.DataFrame) -> list[str]:
    """Run ids of the selected scatter points: from a point's customdata, else by its (lr, weight decay)."""
    found: list[str] = []
    for point in points:
        custom = point.get("customdata")
        custom = custom if isinstance(custom, (list, tuple)) else [custom]
        ids = [c for c in custom if isinstance(c, str) and ID_PATTERN.fullmatch(c)]
        if not ids and {"x", "y"} <= set(point) and {"lr", "weight_decay", "run_id"} <= set(trials.columns):
            near = trials[((trials["lr"] - point["x"]).abs() <= 1e-12 * abs(point["x"]) + 1e-15)
                          & ((trials["weight_decay"] - point["y"]).abs() <= 1e-12 * abs(point["y"]) + 1e-15)]
            ids = [str(i) for i in near["run_id"]]
        found += ids
    return list(dict.fromkeys(found))
