"""Pure labels of the pages (ui/labels.py): job progress lines (runs for run jobs, trials for searches, "starting"
before runs are queued) and markdown escaping."""
from __future__ import annotations

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
