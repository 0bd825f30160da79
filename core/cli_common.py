"""What the command line's modules share, below both ``core/cli.py`` and ``core/search/cli.py``."""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any, Optional

from .job_state import FINISHED_STATES, JobState

RESULTS_HELP = "results folder (default: $OVERFIT_LAB_RESULTS or ./results)"
DASK_HELP = ("train on a Dask cluster: its scheduler's address, e.g. tcp://host:8786 (default: $OVERFIT_LAB_DASK, "
             "else local worker processes)")


class CliError(Exception):
    """An error to report as one line with a non-zero exit code."""


def add_results_option(parser: argparse.ArgumentParser, *, subcommand: bool) -> None:
    """``--results DIR``, accepted before the subcommand and after it (``python -m core run ... --results DIR``).

    On a subcommand the option has no default (``argparse.SUPPRESS``), so it only overrides the value given before.
    """
    parser.add_argument("--results", default=argparse.SUPPRESS if subcommand else None, help=RESULTS_HELP)


def add_dask_option(parser: argparse.ArgumentParser) -> None:
    """``--dask ADDRESS``: run, sweep and search train on that Dask scheduler's workers (``core/executors.py``)."""
    parser.add_argument("--dask", metavar="ADDRESS", default=None, help=DASK_HELP)


def follow_job(root: str | Path, job_id: str, manager: Any, *, total_epochs: int, name: str, quiet: bool,
               what: str = "job") -> Optional[JobState]:
    """A tqdm bar over the epochs of the job's runs until the job ends; Ctrl-C cancels it. Return its last state.

    Raises CliError when the job failed or was interrupted (finished runs are kept either way).
    """
    from tqdm import tqdm

    from .jobs import read_job

    bar = tqdm(total=total_epochs, unit="epoch", disable=quiet, desc=name, dynamic_ncols=True)
    try:
        while True:
            job = read_job(root, job_id)
            runs = job.runs if job else ()
            done = sum(min(r.epoch, r.n_epochs) if r.state == "running" else r.n_epochs for r in runs)
            bar.update(max(0, min(done, total_epochs) - bar.n))
            live = [r for r in runs if r.state == "running" and r.metric("test_acc") is not None]
            if live:
                bar.set_postfix(train=f"{live[-1].metric('train_acc'):.3f}", test=f"{live[-1].metric('test_acc'):.3f}")
            if job is not None and job.state in FINISHED_STATES:
                break
            time.sleep(0.2)
    except KeyboardInterrupt:
        manager.cancel(job_id)
        raise CliError(f"interrupted; the {what} was cancelled (finished runs are kept)") from None
    finally:
        bar.close()
    if job.state in ("failed", "interrupted"):
        raise CliError(f"the {what} {job.state}: {job.error or 'no reason was recorded'}")
    return job
