"""What the command line's modules share, below both ``core/cli.py`` and ``core/search/cli.py``."""
from __future__ import annotations

import argparse
import contextlib
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, NoReturn, Optional

from .job_state import FINISHED_STATES, JobState

POLL_S = 0.2  # how often the progress bar reads the job files while a job runs
QUIET_POLL_S = 2.0  # without a bar, the job's file is read this often: the driver's end is noticed at once anyway

RESULTS_HELP = "results folder (default: $OVERFIT_LAB_RESULTS or ./results)"
DASK_HELP = ("train on a Dask cluster: its scheduler's address, e.g. tcp://host:8786 (default: $OVERFIT_LAB_DASK, "
             "else local worker processes)")


class CliError(Exception):
    """An error to report as one line with a non-zero exit code."""


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, ``python -m core run: error: ...``, exit code 2 (no usage block).

    Subparsers inherit the class (``add_subparsers`` uses ``type(parent)``).
    """

    def error(self, message: str) -> NoReturn:
        text = " ".join(str(message).split())
        self.exit(2, f"{self.prog}: error: {text}\n")


def count_type(limit_name: str, option: str):
    """An argparse type: an int in [1, the ``limit_name`` limit] (``core.limits``), refused before anything is built."""
    from .limits import LimitError, check_count

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option} must be a whole number; got {text!r}") from None
        try:
            return check_count(limit_name, value, field=option)
        except LimitError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    parse.__name__ = option  # argparse names the type in some messages
    return parse


def natural_type(option: str):
    """An argparse type: an int >= 0 (``--limit``, ``--top``, a first seed)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option} must be a whole number; got {text!r}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{option}={value} must be at least 0")
        return value
    parse.__name__ = option
    return parse


def nonempty_text(option: str):
    """An argparse type: a string that is not empty or blank (``--show ""`` must not mean "no --show")."""
    def parse(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"{option} needs a value; got an empty string")
        return text
    parse.__name__ = option
    return parse


def add_results_option(parser: argparse.ArgumentParser, *, subcommand: bool) -> None:
    """``--results DIR``, accepted before the subcommand and after it (``python -m core run ... --results DIR``).

    On a subcommand the option has no default (``argparse.SUPPRESS``), so it only overrides the value given before.
    """
    parser.add_argument("--results", default=argparse.SUPPRESS if subcommand else None, help=RESULTS_HELP)


def add_dask_option(parser: argparse.ArgumentParser) -> None:
    """``--dask ADDRESS``: run, sweep and search train on that Dask scheduler's workers (``core/executors.py``)."""
    parser.add_argument("--dask", metavar="ADDRESS", default=None, help=DASK_HELP)


@dataclass(frozen=True)
class Progress:
    """What a job's progress bar counts: ``count(job)`` of ``total`` ``unit``s, and the bar's postfix.

    ``needs_runs``: whether ``count``/``postfix`` read the runs' progress files (``JobState.runs``); without them
    each poll reads the job's own file only (a search of 100 trials would otherwise read 100 files five times a
    second).
    """

    total: int
    unit: str
    count: Callable[[JobState], int]
    postfix: Callable[[JobState], Optional[dict]] = lambda job: None
    needs_runs: bool = True


def epoch_progress(total_epochs: int) -> Progress:
    """The epochs of the job's runs (a run still training counts its epochs so far), with their accuracies."""
    def count(job: JobState) -> int:
        return sum(min(r.epoch, r.n_epochs) if r.state == "running" else r.n_epochs for r in job.runs)

    return Progress(total_epochs, "epoch", count, accuracies)


def accuracies(job: JobState) -> Optional[dict]:
    """The bar's postfix: the train and test accuracy of the job's training and finished runs, each at its last
    epoch; with several runs, from lowest to highest (one run's number would pass for the job's). None before any."""
    runs = [r for r in job.runs if r.state in ("running", "complete")]
    postfix = {}
    for name, metric in (("train", "train_acc"), ("test", "test_acc")):
        values = [r.metric(metric) for r in runs]
        if values and None not in values:
            low, high = f"{min(values):.3f}", f"{max(values):.3f}"
            postfix[name] = low if low == high else f"{low}–{high}"
    return postfix or None


def follow_job(root: str | Path, job_id: str, manager: Any, *, name: str, quiet: bool, what: str = "job",
               total_epochs: int = 0, progress: Optional[Progress] = None,
               interrupted: Optional[str] = None) -> Optional[JobState]:
    """A tqdm bar over the job's progress until the job ends; Ctrl-C cancels it. Return its last state.

    ``progress`` says what the bar counts (default: ``epoch_progress(total_epochs)``); ``interrupted`` is the
    message for Ctrl-C (default: "interrupted; the <what> was cancelled (finished runs are kept)"). Raises CliError
    when the job failed or was interrupted (finished runs are kept either way).
    """
    from .jobs import read_job

    progress = progress or epoch_progress(total_epochs)
    bar = None
    if not quiet:  # tqdm takes about 0.1 s to import (its version lookup): only for a bar that is drawn
        from tqdm import tqdm

        bar = tqdm(total=progress.total, unit=progress.unit, desc=name, dynamic_ncols=True)
    shown: Optional[dict] = None
    try:
        while True:
            job = read_job(root, job_id, runs=progress.needs_runs)
            if job is not None and bar is not None:
                bar.update(max(0, min(progress.count(job), progress.total) - bar.n))
                postfix = progress.postfix(job)
                if postfix is not None and postfix != shown:
                    shown = postfix
                    bar.set_postfix(postfix)
            if job is not None and job.state in FINISHED_STATES:
                break
            final = manager.final_state(job_id)
            if final is not None:  # the driver ended but its file says otherwise (it could not be written)
                job = final if job is None or job.state not in FINISHED_STATES else job
                break
            # Returns the moment the driver ends. Without a bar there is nothing to draw in between: reading the
            # job's file five times a second cost the driver's process ~0.3 CPU-s per search (docs/benchmarks.md).
            manager.join(job_id, POLL_S if bar is not None else QUIET_POLL_S)
    except KeyboardInterrupt:
        manager.cancel(job_id)
        raise CliError(interrupted or f"interrupted; the {what} was cancelled (finished runs are kept)") from None
    finally:
        if bar is not None:
            bar.close()
    if job.state in ("failed", "interrupted"):
        raise CliError(f"the {what} {job.state}: {job.error or 'no reason was recorded'}")
    return job


# What the store does with a file it skips, by the file's kind: the second half of the command's one-line notice.
SKIPPED_CONSEQUENCE = {
    ".runs.parquet": "its runs are not used as cached results; any of them asked for is trained again",
    ".curves.parquet": "the curves of its runs cannot be read",
    ".deleted.parquet": "the deletions it records are not applied",
}


def counted(n: int, noun: str) -> str:
    """``n`` and its English noun, singular at 1: "1 run", "3 runs" (the command line has no catalogue)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def skipped_file_line(path: Path, reason: str) -> str:
    """The notice of a results file the store skipped: the file, why, and what follows (one line)."""
    consequence = next((text for suffix, text in SKIPPED_CONSEQUENCE.items() if path.name.endswith(suffix)),
                       "it is ignored")
    return " ".join(f"note: skipped {path}: {reason}; {consequence}.".split())


@contextlib.contextmanager
def skipped_file_notices() -> Iterator[None]:
    """While the command runs, each file the store skips (its ``StoreWarning``) is one line on stderr, once per file
    and reason, instead of Python's warning text (module path, line number, source line, repeated per store)."""
    shown: set[tuple[str, str]] = set()
    with warnings.catch_warnings():
        python_shows = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001 - warnings' signature
            store_listing = sys.modules.get("core.store_listing")  # not loaded: no store warned (and none is loaded)
            if store_listing is None or not isinstance(message, store_listing.StoreWarning):
                return python_shows(message, category, filename, lineno, file, line)
            if (str(message.path), message.reason) not in shown:
                shown.add((str(message.path), message.reason))
                print(skipped_file_line(message.path, message.reason), file=sys.stderr, flush=True)

        warnings.showwarning = show
        yield


def print_error(message: str) -> None:
    """One line on stderr: newlines in ``message`` (an exception's text) are folded."""
    print("error: " + " ".join(str(message).split()), file=sys.stderr)
