"""Pure labels of the pages (ui/labels.py): job progress lines (runs for run jobs, trials for searches, "starting"
before runs are queued) and markdown escaping."""
from __future__ import annotations

import pandas as pd
import pytest

from core.job_state import JobState
from ui.labels import job_progress, plain


def test_a_run_job_counts_runs():
    fraction, text = job_progress(JobState.from_dict({"name": "wd", "kind": "runs", "state": "running", "n_total": 4,
                                                     "n_done": 1, "n_cached": 1, "n_failed": 0}))
    assert fraction == 0.25
    assert text == "wd: 1 of 4 runs done (1 cached, 0 failed) — running"


def test_a_job_yet_to_queue_its_runs_is_starting_not_zero_of_zero():
    fraction, text = job_progress(JobState.from_dict({"name": "wd", "state": "running", "n_total": 0, "n_done": 0}))
    assert (fraction, text) == (0.0, "wd: starting…")
    # an ended job with nothing to run says so plainly
    ended = JobState.from_dict({"name": "wd", "state": "done", "n_total": 0, "n_done": 0})
    assert job_progress(ended)[1].startswith("wd: 0 of 0")


def test_a_search_counts_trials_not_the_runs_of_its_current_batch():
    fraction, text = job_progress(JobState.from_dict({"name": "search x", "kind": "search", "state": "running",
                                                     "n_trials": 100, "n_trials_done": 30, "n_total": 2,
                                                     "n_done": 2}))
    assert fraction == pytest.approx(0.3)
    assert text == "search x: 30 of 100 trials done — running"


@pytest.mark.parametrize("bad", [None, "x", -3, [1]])
def test_bad_counts_in_a_job_file_count_as_zero(bad):
    fraction, text = job_progress(JobState.from_dict({"name": "j", "state": "done", "n_total": bad, "n_done": bad}))
    assert fraction == 0.0 and "0 of 0" in text


def test_plain_escapes_markdown_so_a_label_cannot_format_or_link():
    assert plain("[x](http://a) *b* `c`") == r"\[x\]\(http://a\) \*b\* \`c\`"


# ---- labels that name only what differs, and the Home sentence ------------------------------------------------------
def _runs_of(*configs):
    rows = []
    for c in configs:
        row = {**c.to_dict(), "hidden_sizes": ",".join(map(str, c.hidden_sizes)), "architecture": c.architecture,
               "run_id": c.run_id, "group_id": c.group_id, "label": c.label()}
        rows.append(row)
    return pd.DataFrame(rows)


def test_comparison_labels_name_exactly_the_differing_fields_and_share_the_rest_once():
    from core.config import RunConfig
    from ui.labels import comparison_labels

    a, b, c = RunConfig(n_epochs=50, weight_decay=0.05), RunConfig(), RunConfig(weight_decay=0.1)
    labels, shared = comparison_labels(_runs_of(a, b, c))
    assert [labels[x.group_id] for x in (a, b, c)] == ["wd=0.05 · 50 epochs", "wd=0 · 200 epochs",
                                                       "wd=0.1 · 200 epochs"]
    assert shared == "6×100 · sgd · lr=0.01 · 300 train images"
    only_epochs, _ = comparison_labels(_runs_of(RunConfig(n_epochs=50), RunConfig()))
    assert sorted(only_epochs.values()) == ["200 epochs", "50 epochs"]
    by_run, _ = comparison_labels(_runs_of(RunConfig(seed=1), RunConfig(seed=2)), by="run")
    assert sorted(by_run.values()) == ["no reg. · 6×100 · sgd lr=0.01 · seed=1", "no reg. · 6×100 · sgd lr=0.01 · seed=2"]
    series, _ = comparison_labels(_runs_of(a, b, c), exclude=("weight_decay",), unique=False)
    assert series[b.group_id] == series[c.group_id] == "200 epochs" and series[a.group_id] == "50 epochs"


def test_the_effect_sentence_says_which_side_moved_from_the_numbers():
    from ui.labels import effect_sentence

    base = {"train": 1.0, "test": 0.80, "gap": 0.20}
    text = effect_sentence("wd=0.1", base, {"train": 0.88, "test": 0.76, "gap": 0.12})
    assert text == ("**wd=0.1** narrows the gap (0.200 → 0.120) mainly because train accuracy falls (1.000 → 0.880); "
                    "test accuracy also falls (0.800 → 0.760).")
    rises = effect_sentence("dropout", base, {"train": 1.0, "test": 0.86, "gap": 0.14})
    assert "mainly because test accuracy rises (0.800 → 0.860); train accuracy stays about the same" in rises
    assert "widens the gap" in effect_sentence("x", base, {"train": 1.0, "test": 0.7, "gap": 0.3})
