"""The actions behind the buttons (ui/services.py): refused server-side in read-only mode and beyond the limits;
and one real launch from the Run page, trained in a worker process, then seen on Compare."""
from __future__ import annotations

import dataclasses
import sys
import time

import pytest

from pagetools import TINY, n_runs, open_page, texts
from core.jobs import list_jobs
from core.store import ResultStore
from ui import services


def test_read_only_refuses_every_action(populated_copy, read_only):
    before = n_runs(populated_copy)
    victim = ResultStore(populated_copy).load_runs()["run_id"].iloc[0]
    for action in (lambda: services.launch([TINY], "x"), lambda: services.delete([victim]),
                   lambda: services.cancel("20260101T000000-abcdef")):
        with pytest.raises(services.ActionRefused, match="read-only"):
            action()
    assert n_runs(populated_copy) == before
    assert list_jobs(populated_copy) == []


def test_read_only_from_the_command_line(empty_results, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py", "--read-only"])
    assert services.settings().read_only


def test_limits_come_from_the_environment(empty_results, monkeypatch):
    monkeypatch.setenv("OVERFIT_LAB_MAX_EPOCHS", "2")
    monkeypatch.setenv("OVERFIT_LAB_MAX_SEEDS", "1")
    with pytest.raises(services.ActionRefused, match="At most 2 epochs"):
        services.launch([TINY], "x")
    two_seeds = [dataclasses.replace(TINY, n_epochs=2, seed=s) for s in (0, 1)]
    with pytest.raises(services.ActionRefused, match="At most 1 seed "):
        services.launch(two_seeds, "x")
    monkeypatch.setenv("OVERFIT_LAB_MAX_EPOCHS", "not a number")  # a bad value falls back to the default
    assert services.settings().max_epochs == 1000
    assert list_jobs(empty_results) == []


def test_a_run_launched_from_the_run_page_trains_in_the_background(empty_results):
    query = {"mode": "custom", "n_train": "100", "n_test": "200", "hidden_sizes": "16", "n_epochs": "3",
             "batch_size": "50", "weight_decay": "0.05", "seeds": "1"}
    at = open_page("pages/run.py", query)
    at.button(key="run.launch").click().run()
    assert any("Started job" in s for s in texts(at, "success"))  # said while the job runs, and meanwhile the
    assert [m.value for m in at.metric if m.label == "Running jobs"] == ["1"]  # sidebar counts it (drawn first)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and list_jobs(empty_results)[0].state == "running":
        time.sleep(0.2)
    job = list_jobs(empty_results)[0]
    assert job.state == "done" and job.n_done == 1, job
    run = ResultStore(empty_results).load_runs().iloc[0]
    assert run["weight_decay"] == 0.05 and run["status"] == "complete"
    at = open_page("pages/compare.py", {"groups": run["group_id"]})
    assert list(at.dataframe[0].value["id"]) == [run["group_id"]]
