"""The progress bar of a command: what its postfix says about the job's runs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.cli_common import accuracies
from core.job_state import JobState

REPO = Path(__file__).resolve().parents[2]


def job(*runs: dict) -> JobState:
    return JobState.from_dict({"id": "j", "runs": list(runs)})


def run(state: str, train: float | None, test: float | None, run_id: str = "r") -> dict:
    return {"run_id": run_id, "state": state, "epoch": 3, "n_epochs": 3, "train_acc": train, "test_acc": test}


def test_one_run_shows_its_accuracies():
    assert accuracies(job(run("running", 0.81234, 0.7))) == {"train": "0.812", "test": "0.700"}


def test_several_runs_show_the_range_not_one_run_passing_for_the_job():
    postfix = accuracies(job(run("complete", 0.63, 0.598, "a"), run("running", 0.93, 0.778, "b"),
                             run("complete", 0.70, 0.70, "c")))
    assert postfix == {"train": "0.630–0.930", "test": "0.598–0.778"}


def test_runs_that_did_not_finish_or_have_no_numbers_yet_are_left_out():
    assert accuracies(job(run("pruned", 0.1, 0.1), run("failed", None, None))) is None
    assert accuracies(job()) is None
    # a run without a test score yet: the test range would leave it out, so no test figure is shown
    assert accuracies(job(run("running", 0.5, None, "a"), run("complete", 0.6, 0.6, "b"))) == {"train": "0.500–0.600"}


def test_the_bar_of_a_two_run_command_ends_on_both_runs_final_numbers(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "core", "--results", str(tmp_path), "run", "--set", "n_epochs=3",
                           "--set", "n_train=200", "--set", "hidden_sizes=30x2", "--seeds", "2"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    finals = [line for line in proc.stdout.splitlines() if line.startswith("complete")]
    assert len(finals) == 2, proc.stdout
    trains = sorted(float(line.split("train=")[1].split()[0]) for line in finals)
    last_bar = proc.stderr.replace("\r", "\n").strip().splitlines()[-1]
    expected = f"{trains[0]:.3f}" if f"{trains[0]:.3f}" == f"{trains[1]:.3f}" else f"{trains[0]:.3f}–{trains[1]:.3f}"
    assert f"train={expected}" in last_bar, last_bar
