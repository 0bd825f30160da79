"""What the pages use from the core, behind streamlit caches: settings, the store, the job manager, and the actions.

- ``settings()``: results folder, read-only flag and launch limits, from the command line and the environment.
- One ``ResultStore`` and one ``JobManager`` per results folder and server (``st.cache_resource``).
- Loads are ``st.cache_data`` keyed on ``ResultStore.version()``, so a new or deleted run shows up at once.
- The actions (``launch``, ``launch_search``, ``cancel``, ``delete``) refuse server-side in read-only mode and check
  the limits, whatever the page drew: a hidden button is not a permission check.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import pandas as pd
import streamlit as st

from core.config import RunConfig
from core.job_state import JobState
from core.jobs import JobManager, list_jobs
from core.search import SearchProblem, SearchSpec, SearchView, list_searches, load_search, search_problems, start_search
from core.store import ResultStore, results_dir

if TYPE_CHECKING:
    from core.sweep import SweepLaunch, SweepSpec
from ui.state import TOKEN_PATTERN
from ui.text import t

READ_ONLY_ENV = "OVERFIT_LAB_READ_ONLY"
READ_ONLY_FLAG = "--read-only"
LIMIT_ENVS = {"max_epochs": ("OVERFIT_LAB_MAX_EPOCHS", 1000), "max_seeds": ("OVERFIT_LAB_MAX_SEEDS", 10),
              "max_jobs": ("OVERFIT_LAB_MAX_JOBS", 4)}


class ActionRefused(RuntimeError):
    """An action the dashboard will not do (read-only mode, a limit); the message says why, in words."""


@dataclass(frozen=True)
class Settings:
    results: Path
    read_only: bool
    max_epochs: int
    max_seeds: int
    max_jobs: int


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return value if value >= 1 else default


def _truthy(raw: str | None) -> bool:
    return (raw or "").strip().lower() in ("1", "true", "yes", "on")


def settings() -> Settings:
    """Read-only from ``streamlit run app.py -- --read-only`` or ``OVERFIT_LAB_READ_ONLY=1``; limits from the env."""
    limits = {name: _env_int(env, default) for name, (env, default) in LIMIT_ENVS.items()}
    read_only = READ_ONLY_FLAG in sys.argv[1:] or _truthy(os.environ.get(READ_ONLY_ENV))
    return Settings(results=results_dir(), read_only=read_only, **limits)


@st.cache_resource(show_spinner=False)
def _store(root: str) -> ResultStore:
    return ResultStore(root)


@st.cache_resource(show_spinner=False)
def _manager(root: str, max_jobs: int) -> JobManager:
    return JobManager(root, max_jobs=max_jobs)


def store() -> ResultStore:
    """The server's ResultStore of the results folder (it keeps parsed files in memory between reruns)."""
    return _store(str(settings().results.resolve()))


def job_manager() -> JobManager:
    """The server's one JobManager of the results folder: jobs outlive page changes and browser refreshes."""
    s = settings()
    return _manager(str(s.results.resolve()), s.max_jobs)


@st.cache_data(show_spinner=False, max_entries=4)
def _runs(root: str, version: str) -> pd.DataFrame:
    return _store(root).load_runs()


@st.cache_data(show_spinner=False, max_entries=16)
def _curves(root: str, version: str, run_ids: tuple[str, ...]) -> pd.DataFrame:
    curves = _store(root).load_curves(run_ids)
    return curves.drop(columns=["weight_norms"], errors="ignore")  # the pages do not draw them; keeps the cache small


def runs() -> pd.DataFrame:
    """Every cached run (one row each), reloaded only when the store's version changes."""
    s = store()
    return _runs(str(s.root), s.version())


def curves(run_ids: Sequence[str]) -> pd.DataFrame:
    """Curves rows of ``run_ids`` (without weight norms), cached per selection and store version."""
    s = store()
    return _curves(str(s.root), s.version(), tuple(sorted(set(run_ids))))


@st.cache_data(show_spinner=False, max_entries=8)
def _weight_norms(root: str, version: str, run_ids: tuple[str, ...]) -> pd.DataFrame:
    curves = _store(root).load_curves(run_ids)
    return curves[["run_id", "epoch", "weight_norms"]] if not curves.empty else curves


def weight_norms(run_ids: Sequence[str]) -> pd.DataFrame:
    """(run_id, epoch, weight_norms) rows of ``run_ids``: one array of per-layer norms per epoch (for the lessons)."""
    s = store()
    return _weight_norms(str(s.root), s.version(), tuple(sorted(set(run_ids))))


@st.cache_data(show_spinner=False, max_entries=8)
def _ensemble(root: str, key: str, stamp: int) -> pd.DataFrame | None:
    from core.lessons.ensemble_store import load_ensemble
    return load_ensemble(root, key)


def ensemble(key: str) -> pd.DataFrame | None:
    """The stored ensemble table of ``key`` (``core.lessons.ensemble_store``), re-read when its file changes."""
    from core.lessons.ensemble_store import ensemble_path

    root = settings().results
    path = ensemble_path(root, key)
    stamp = path.stat().st_mtime_ns if path.is_file() else 0
    return _ensemble(str(root), key, stamp)


def problems() -> list:
    """Files of the results folder that could not be read, each with its reason."""
    return store().problems()


def jobs() -> list[JobState]:
    """Every job of the results folder, newest first, with progress (jobs of any process or viewer)."""
    return list_jobs(settings().results)


def running_jobs() -> list[JobState]:
    return [job for job in jobs() if job.active]


# ---- searches -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Searches:
    """The searches of the results folder: ``ids`` newest first, ``frame`` from ``core.search.list_searches``."""

    frame: pd.DataFrame
    ids: list[str]
    error: str = ""


def _searches_listing(root: Path) -> tuple:
    """(name, mtime) of every file under searches/: the cache key of the search listing."""
    folder = root / "searches"
    try:
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir())) if folder.is_dir() else ()
    except OSError:  # a file replaced while listing: a key that matches nothing cached
        return (("", time.time_ns()),)


@st.cache_data(show_spinner=False, max_entries=8)
def _list_searches(root: str, listing: tuple, store_version: str) -> pd.DataFrame:
    return list_searches(root)


@st.cache_data(show_spinner=False, max_entries=4)
def _search_problems(root: str, listing: tuple, store_version: str) -> list[SearchProblem]:
    return search_problems(root)


def searches() -> Searches:
    """Every search of the results folder, re-read only when a search file or the store changed."""
    try:
        root = settings().results
        frame = _list_searches(str(root), _searches_listing(root), store().version())
    except Exception as exc:  # noqa: BLE001 - a bad search file must not break the Compare page
        return Searches(pd.DataFrame(), [], f"{type(exc).__name__}: {exc}")
    column = next((c for c in ("search_id", "id") if c in frame.columns), None)
    ids = [] if column is None else [str(i) for i in frame[column] if TOKEN_PATTERN.fullmatch(str(i))]
    return Searches(frame.set_index(column, drop=False) if column else frame, ids)


def search_files_problems() -> list[SearchProblem]:
    """Files under ``searches/`` that are skipped, and why; re-read only when a search file or the store changed."""
    root = settings().results
    return _search_problems(str(root), _searches_listing(root), store().version())


@st.cache_data(show_spinner=False, max_entries=8)
def _search_view(root: str, search_id: str, store_version: str, files: tuple) -> SearchView:
    return load_search(_store(root), search_id)


def search_view(search_id: str) -> SearchView:
    """``core.search.load_search`` of one search (trials joined with the runs table, and its rounds' boxes).

    Cached until the store or one of the search's files changes (a running search publishes trials as it goes).
    """
    root = settings().results
    folder = root / "searches"
    files = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob(f"{search_id}.*"))) \
        if folder.is_dir() and TOKEN_PATTERN.fullmatch(search_id) else ()
    return _search_view(str(root), search_id, store().version(), files)


# ---- actions: each refuses in read-only mode, whatever the page drew -----------------------------------------------
def _refuse_if_read_only() -> Settings:
    s = settings()
    if s.read_only:
        raise ActionRefused(t("service.read_only"))
    return s


def check_limits(configs: Sequence[RunConfig], n_seeds: int | None = None) -> None:
    """Raise ActionRefused when ``configs`` exceed the epochs or seeds limits (or the running-jobs limit)."""
    s = settings()
    if not configs:
        raise ActionRefused(t("service.nothing"))
    epochs = max(c.n_epochs for c in configs)
    if epochs > s.max_epochs:
        raise ActionRefused(t("service.too_many_epochs", limit=s.max_epochs, value=epochs))
    seeds = n_seeds if n_seeds is not None else max(
        sum(1 for c in configs if c.group_id == g) for g in {c.group_id for c in configs})
    if seeds > s.max_seeds:
        raise ActionRefused(t("service.too_many_seeds", limit=s.max_seeds, value=seeds))
    active = len(running_jobs())
    if active >= s.max_jobs:
        raise ActionRefused(t("service.too_many_jobs", n=active, limit=s.max_jobs))


def launch(configs: Sequence[RunConfig], name: str, n_seeds: int | None = None) -> str:
    """Start a background job training ``configs`` (cached ones are skipped); return its id."""
    _refuse_if_read_only()
    configs = list(configs)
    check_limits(configs, n_seeds)
    try:
        return job_manager().submit(configs, name)
    except RuntimeError as exc:  # the manager's own bound on jobs
        raise ActionRefused(str(exc)) from None


def launch_search(spec: SearchSpec) -> tuple[str, SearchSpec]:
    """Start the search ``spec`` as a background job; return its job id and the spec with its search id."""
    _refuse_if_read_only()
    check_limits([spec.base], n_seeds=spec.seeds)
    try:
        return start_search(job_manager(), spec)
    except RuntimeError as exc:  # the manager's own bound on jobs
        raise ActionRefused(str(exc)) from None


def launch_sweep(spec: "SweepSpec") -> "SweepLaunch":
    """Publish (or open) the sweep ``spec`` and start a background job for its runs not cached; return the launch."""
    from core.sweep import start_sweep

    _refuse_if_read_only()
    check_limits([spec.base], n_seeds=spec.seeds)
    try:
        return start_sweep(job_manager(), spec)
    except RuntimeError as exc:  # the manager's own bound on jobs
        raise ActionRefused(str(exc)) from None


ENSEMBLE_JOB_KIND = "ensemble"


def launch_ensemble(base: RunConfig, seeds: Sequence[int], dropout: float) -> str:
    """Train the dropout lesson's ensemble (k networks and a dropout one) as a background job; return its id."""
    from core.lessons.ensemble_store import ensemble_driver, ensemble_key

    _refuse_if_read_only()
    check_limits([base], n_seeds=len(seeds))
    try:
        return job_manager().start(f"ensemble {ensemble_key(base, seeds, dropout)}",
                                   ensemble_driver(base, seeds, dropout), kind=ENSEMBLE_JOB_KIND)
    except RuntimeError as exc:  # the manager's own bound on jobs
        raise ActionRefused(str(exc)) from None


def cancel(job_id: str) -> None:
    """Ask a job to stop (any viewer may cancel any job, except in read-only mode)."""
    _refuse_if_read_only()
    job_manager().cancel(job_id)


def delete(run_ids: Sequence[str]) -> int:
    """Delete runs from the results folder; return how many were deleted."""
    _refuse_if_read_only()
    return store().delete(list(run_ids))
