"""The ``.jobs/`` folder beside the results: its layout, its small JSON files, and reading jobs from any process.

A job's progress lives beside the results, so every viewer — another browser tab, another dashboard process, the
command line — reads the same state with ``list_jobs(root)`` / ``read_job(root, job_id)``:

- ``.jobs/<job_id>.json``             the job: name, kind, state, counts, error; rewritten atomically by the driver
                                      (``core/jobs.py``);
- ``.jobs/<job_id>/<run_id>.json``    one run's progress (epoch, last metrics), rewritten by the worker
                                      (``core/job_worker.py``);
- ``.jobs/<job_id>.cancel``           present = cancel requested; workers stop at their next epoch.
"""
from __future__ import annotations

import errno
import json
import logging
import os
import socket
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Optional

from .atomic import publish_text
from .job_state import JobState

JOBS_DIR = ".jobs"
STALE_AFTER_S = 120.0     # a "running" job whose files have not moved for this long is shown as interrupted
HOST = socket.gethostname()

log = logging.getLogger(__name__)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Atomic, not fsynced: progress is rewritten several times a second and is worthless after a crash."""
    publish_text(path, json.dumps(data), fsync=False)


def describe_os_error(exc: BaseException, folder: str | Path) -> str:
    """One line for an error that ended a job: a full disk reads "no space left in <folder>"."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left in {folder}"
    text = " ".join(str(exc).split())
    if text.lower().startswith("no space left in "):  # the store's NoSpaceError already names its folder
        return text
    if "no space left on device" in text.lower() or "ENOSPC" in text:
        return f"no space left in {folder}"
    return f"{type(exc).__name__}: {text}"


def progress_metrics(metrics: Mapping[str, float]) -> dict[str, Optional[float]]:
    """Metrics as a progress file holds them: five decimals, None for NaN (JSON has no NaN)."""
    return {k: (None if v != v else round(v, 5)) for k, v in metrics.items()}


def write_progress(path: Path, data: Mapping[str, Any]) -> None:
    """A worker's progress file, best effort: a full disk must not end the run (its result is what matters)."""
    try:
        write_json(path, data)
    except OSError:
        log.debug("could not write progress %s", path, exc_info=True)


def read_json(path: Path) -> Optional[dict]:
    try:
        data = json.loads(path.read_text())
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None



# ---- reader side (any process) --------------------------------------------------------------------------------------

def valid_job_id(job_id: str) -> bool:
    return bool(job_id) and len(job_id) < 64 and all(c.isalnum() or c in "-T" for c in job_id)


def cancel_job(root: str | Path, job_id: str) -> None:
    if not valid_job_id(job_id):
        raise ValueError(f"Not a job id: {job_id!r}.")
    path = Path(root) / JOBS_DIR / f"{job_id}.cancel"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(now())


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # exists, owned by someone else
        return True
    return True


def _driver_gone(job: Mapping[str, Any]) -> bool:
    """True when the job's driver ran on this host and its process has ended (no need to wait STALE_AFTER_S)."""
    try:
        pid = int(job.get("pid") or 0)
    except (TypeError, ValueError):
        return False
    return pid > 0 and job.get("host") == HOST and not _pid_alive(pid)


def _run_files(jobs: Path, job_id: str) -> list[Path]:
    """The job's run progress files, without a write in progress (``atomic.temporary_name``: dot-prefixed, and
    ending in the same ``.json``), which would show its run twice in the jobs panel."""
    if not (jobs / job_id).is_dir():
        return []
    return sorted(p for p in (jobs / job_id).glob("*.json") if not p.name.startswith("."))


def read_job(root: str | Path, job_id: str, *, runs: bool = True) -> Optional[JobState]:
    """One job's state with its runs' progress, or None if unknown. A silent 'running' job is 'interrupted'.

    ``runs=False`` leaves ``JobState.runs`` empty and reads the runs' files only when the job's own file looks
    stale: a poll that needs the job's counts alone (a search's trials) then reads one file, not one per run.
    """
    if not valid_job_id(job_id):
        return None
    jobs = Path(root) / JOBS_DIR
    job = read_json(jobs / f"{job_id}.json")
    if job is None:
        return None
    run_files = _run_files(jobs, job_id) if runs else []
    job["runs"] = [r for r in (read_json(p) for p in run_files) if r is not None]
    if job.get("state") == "running" and _driver_gone(job):
        job["state"] = "interrupted"
        job["error"] = job.get("error") or f"the process that ran it (pid {job.get('pid')}) has ended"
    if job.get("state") == "running":
        newest = (jobs / f"{job_id}.json").stat().st_mtime
        if time.time() - newest > STALE_AFTER_S and not runs:
            run_files = _run_files(jobs, job_id)  # the job's file is old: are its runs still moving?
        newest = max([newest, *(p.stat().st_mtime for p in run_files if p.exists())])
        if time.time() - newest > STALE_AFTER_S:
            job["state"] = "interrupted"
    if (jobs / f"{job_id}.cancel").exists() and job.get("state") == "running":
        job["state"] = "cancelling"
    return JobState.from_dict(job)


def list_jobs(root: str | Path, *, limit: int = 50) -> list[JobState]:
    """The newest ``limit`` jobs of a results folder, newest first, with progress."""
    jobs = Path(root) / JOBS_DIR
    if not jobs.is_dir():
        return []
    ids = sorted((p.stem for p in jobs.glob("*.json") if not p.name.startswith(".")), reverse=True)[:limit]
    return [j for j in (read_job(root, i) for i in ids) if j is not None]
