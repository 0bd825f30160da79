from __future__ import annotations

import json

from core.job_state import JobState, RunProgress

OLD_FILE = {  # a job file as an older version wrote it: no kind, counts as strings, a field this version lacks
    "id": "20250101T000000-abcdef", "name": "wd sweep", "state": "done", "n_total": "3", "n_done": 3,
    "legacy_note": "kept", "runs": [{"run_id": "r1", "state": "complete", "epoch": 5, "n_epochs": 5,
                                     "train_acc": 0.9, "test_acc": None}],
}


def test_an_older_job_file_reads_with_defaults_and_keeps_unknown_fields():
    job = JobState.from_dict(OLD_FILE)
    assert (job.kind, job.n_total, job.n_done, job.n_cached, job.best_val_acc) == ("runs", 3, 3, 0, None)
    assert job.extra == {"legacy_note": "kept"} and not job.active
    assert job.runs == (RunProgress("r1", "", "complete", 5, 5, "", {"train_acc": 0.9, "test_acc": None}),)
    assert job.runs[0].metric("train_acc") == 0.9 and job.runs[0].metric("val_acc") is None


def test_bad_values_count_as_nothing():
    job = JobState.from_dict({"id": "j", "n_done": [1], "best_val_acc": "nan", "runs": "not a list",
                              "run_ids": None})
    assert (job.n_done, job.best_val_acc, job.runs, job.run_ids) == (0, None, (), ())


def test_json_round_trip():
    job = JobState.from_dict({**OLD_FILE, "kind": "search", "search_id": "s-1", "best_val_acc": 0.81,
                              "run_ids": ["r1"], "state": "running"})
    again = JobState.from_dict(json.loads(json.dumps(job.to_dict())))
    assert again == job and again.active and again.running_runs == []
