"""Findings 2, 5 and 8 of issue 11: jobs that end (full disk, dead driver), workers that die with their driver, and
curves that do not depend on the worker count. Real processes, a real tmpfs, real SIGKILL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.cli_common import CliError, follow_job
from core.jobs import JOBS_DIR, JobManager, list_jobs, read_job

from .helpers import REPO, alive, children, cli, one_line_error

REPEATS = int(os.environ.get("OVERFIT_LAB_STRESS_REPEATS", "1"))  # bench/stress_reliability.py raises it


# ---- finding 2: errors that end things ----------------------------------------------------------------------------
def test_a_driver_that_dies_marks_the_job_failed_with_its_reason(tmp_path):
    manager = JobManager(tmp_path, max_workers=1)

    def driver(ctx):
        raise SystemExit("driver gave up")  # not an Exception: it used to kill the thread and leave "running"

    job_id = manager.start("dies", driver)
    state = manager.wait(job_id, timeout=10)
    assert state.state == "failed" and "driver gave up" in state.error


def test_a_job_whose_process_is_gone_reads_as_interrupted_at_once(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    jobs = tmp_path / JOBS_DIR
    jobs.mkdir()
    import json

    import socket

    HOST = socket.gethostname()  # the driver ran on this machine
    (jobs / "20260101T000000-abcdef.json").write_text(json.dumps({"id": "20260101T000000-abcdef", "state": "running",
                                                                  "pid": dead.pid, "host": HOST}))
    state = read_job(tmp_path, "20260101T000000-abcdef")
    assert state.state == "interrupted" and str(dead.pid) in state.error

    class NoManager:
        def cancel(self, job_id):
            raise AssertionError("not cancelled: it already ended")

    started = time.monotonic()
    with pytest.raises(CliError, match="interrupted"):
        follow_job(tmp_path, "20260101T000000-abcdef", NoManager(), total_epochs=1, name="x", quiet=True)
    assert time.monotonic() - started < 5


def _tmpfs(path: Path, size: str = "2m") -> None:
    path.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {proc.stderr.decode().strip()}")


@pytest.mark.parametrize("free_kb", [32, 8, 64][:max(1, min(3, REPEATS * 3))])
def test_full_disk_ends_the_command_with_one_line_and_no_hang(tmp_path, free_kb):
    mount = tmp_path / "mnt"
    _tmpfs(mount)
    try:
        (mount / "res").mkdir()
        total = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
        with open(mount / "fill", "wb") as handle:
            try:
                handle.write(bytes(max(0, total - free_kb * 1024)))
            except OSError:
                pass
        started = time.monotonic()
        proc = cli("run", "--set", "n_epochs=2", "--set", "n_train=100", "--set", "hidden_sizes=10x1", "--set",
                   "batch_size=50", "--quiet", results=mount / "res", timeout=90)
        assert time.monotonic() - started < 90
        if proc.returncode == 0:  # it fitted: then the run must be complete and listed
            assert "1 run: 0 cached, 0 failed" in proc.stdout
        else:
            assert "no space left in" in one_line_error(proc)
        listing = cli("list", results=mount / "res")
        assert listing.returncode == 0 and "Traceback" not in listing.stderr
        for line in listing.stdout.splitlines()[1:]:
            assert line.split()[1] in ("complete",), listing.stdout  # never a partial or failed run
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


# ---- finding 5: workers die with their driver ---------------------------------------------------------------------
def _wait_for_workers(pid: int, n: int, timeout: float = 60) -> list[int]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        kids = children(pid)
        if len(kids) >= n:
            return kids
        time.sleep(0.2)
    raise AssertionError(f"only {len(children(pid))} worker processes after {timeout} s")


def _wait_for_job(results: Path, timeout: float = 60) -> None:
    """A search spawns its workers before its job starts (core.job_worker.start_pool): wait for the job too."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if list_jobs(results):  # not a job file's write in flight (a dot-prefixed name a plain glob would catch)
            return
        time.sleep(0.1)
    raise AssertionError(f"no job file after {timeout} s")


@pytest.mark.parametrize("attempt", range(REPEATS))
def test_kill_9_of_the_driver_stops_its_workers_and_the_job_reads_interrupted(tmp_path, attempt):
    results = tmp_path / "res"
    driver = subprocess.Popen([sys.executable, "-m", "core", "--results", str(results), "search", "--workers", "2",
                               "--trials", "8", "--epochs", "300", "--set", "hidden_sizes=50x2", "--quiet"],
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers = _wait_for_workers(driver.pid, 3)  # two pool workers and the resource tracker
        _wait_for_job(results)
        time.sleep(1.0 + 0.5 * attempt)
        workers = children(driver.pid)
        driver.send_signal(signal.SIGKILL)
        driver.wait()
        end = time.monotonic() + 5
        while time.monotonic() < end and any(alive(w) for w in workers):
            time.sleep(0.1)
        orphans = [w for w in workers if alive(w)]
        assert not orphans, f"{len(orphans)} of {len(workers)} children outlived the driver by 5 s"
        jobs = list_jobs(results)
        assert jobs
        assert jobs[0].state == "interrupted", jobs[0]
    finally:
        for w in children(driver.pid):
            os.kill(w, signal.SIGKILL)
        if driver.poll() is None:
            driver.kill()


# ---- finding 8: determinism whatever the worker count -------------------------------------------------------------
def test_the_same_run_id_gives_bit_identical_curves_with_1_or_2_workers(tmp_path):
    args = ["run", "--set", "n_epochs=3", "--set", "n_train=300", "--set", "hidden_sizes=100x3", "--set",
            "batch_size=100", "--seeds", "2", "--quiet"]
    curves = {}
    for workers in (1, 2):
        results = tmp_path / f"w{workers}"
        proc = cli(*args, "--workers", str(workers), results=results, timeout=300)
        assert proc.returncode == 0, proc.stderr
        frame = pd.concat(pd.read_parquet(p) for p in results.glob("*.curves.parquet"))
        curves[workers] = frame.sort_values(["run_id", "epoch"]).reset_index(drop=True)
    one, two = curves[1], curves[2]
    assert list(one["run_id"]) == list(two["run_id"])
    for column in ("train_loss", "train_acc", "test_loss", "test_acc"):
        np.testing.assert_array_equal(one[column].to_numpy(), two[column].to_numpy(), err_msg=column)
