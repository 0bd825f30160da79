"""What the pages use from the core, behind streamlit caches: settings, the store, the job manager, and the actions.

- ``settings()``: results folder, read-only flag, launch limits and the Dask scheduler, from the command line and
  the environment.
- One ``ResultStore`` and one ``JobManager`` per results folder and server (``st.cache_resource``); with
  ``OVERFIT_LAB_DASK=tcp://host:8786`` the manager trains on that Dask cluster (``core/executors.py``).
- Loads are ``st.cache_data`` keyed on ``ResultStore.version()``, so a new or deleted run shows up at once. The
  searches' and sweeps' listings and views are in ``ui/studies.py``.
- The actions (``launch``, ``launch_search``, ``launch_sweep``, ``cancel``, ``delete``) refuse server-side in read-only mode and check
  the limits, whatever the page drew: a hidden button is not a permission check.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Hashable, Mapping, Sequence, TypeVar

import pandas as pd
import streamlit as st

from core.config import RunConfig
from core.executors import ClusterError, dask_address
from core.job_state import JobState
from core.jobs import JobManager, cancel_job, list_jobs
from core.mechanism import MECHANISM_COLUMNS
from core.limits import LimitError, Limits, check_count, check_job, current_limits
from core.search import SearchSpec, find_identical, start_search
from core.store import CURVE_COLUMNS, ResultStore, results_dir
from core.store_listing import LONG_LISTING
from core.sweep import SweepLaunch, SweepSpec, start_sweep
from ui.labels import localized_runs
from ui.text import language, t

T = TypeVar("T")
VERSION_ATTR = "store_version"  # runs().attrs: the store version the rows were read at

READ_ONLY_ENV = "OVERFIT_LAB_READ_ONLY"
READ_ONLY_FLAG = "--read-only"
LIMIT_ENVS = {"max_jobs": ("OVERFIT_LAB_MAX_JOBS", 4)}  # the other limits are core.limits' (OVERFIT_LAB_MAX_*)


class ActionRefused(RuntimeError):
    """An action the dashboard will not do (read-only mode, a limit); the message says why, in words."""


@dataclass(frozen=True)
class Settings:
    results: Path
    read_only: bool
    max_epochs: int
    max_seeds: int
    max_jobs: int
    limits: Limits = Limits()
    dask: str | None = None  # a Dask scheduler address ($OVERFIT_LAB_DASK); None: local worker processes


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
    jobs = {name: _env_int(env, default) for name, (env, default) in LIMIT_ENVS.items()}
    limits = current_limits(dashboard=True)
    read_only = READ_ONLY_FLAG in sys.argv[1:] or _truthy(os.environ.get(READ_ONLY_ENV))
    return Settings(results=results_dir(), read_only=read_only, max_epochs=limits.epochs, max_seeds=limits.seeds,
                    limits=limits, dask=dask_address(), **jobs)


@st.cache_resource(show_spinner=False)
def store_at(root: str) -> ResultStore:
    return ResultStore(root)


@st.cache_resource(show_spinner=False)
def _manager(root: str, max_jobs: int, dask: str | None) -> JobManager:
    return JobManager(root, max_jobs=max_jobs, dask=dask)


def store() -> ResultStore:
    """The server's ResultStore of the results folder (it keeps parsed files in memory between reruns)."""
    return store_at(str(settings().results.resolve()))


def job_manager() -> JobManager:
    """The server's one JobManager of the results folder: jobs outlive page changes and browser refreshes.

    Raises ActionRefused when the Dask cluster of ``OVERFIT_LAB_DASK`` cannot be reached (not cached: the next
    action tries again).
    """
    s = settings()
    try:
        return _manager(str(s.results.resolve()), s.max_jobs, s.dask)
    except ClusterError as exc:
        raise ActionRefused(t("service.cluster", error=str(exc))) from None


@st.cache_data(show_spinner=False, max_entries=4)
def runs_at(root: str, version: str) -> pd.DataFrame:
    runs = store_at(root).load_runs()
    runs.attrs[VERSION_ATTR] = version  # what view_part keys on: the version these rows were read at
    return runs


@st.cache_data(show_spinner=False, max_entries=16)
def _curves(root: str, version: str, run_ids: tuple[str, ...]) -> pd.DataFrame:
    # the curve figures draw no norms or snapshots (the mechanism views load them on their own): about 40 % less to
    # decode, and a smaller cache
    return store_at(root).load_curves(run_ids, columns=CURVE_COLUMNS)


def runs() -> pd.DataFrame:
    """Every cached run (one row each), reloaded only when the store's version changes; labels in the reader's language."""
    s = store()
    return localized_runs(runs_at(str(s.root), s.version()))


def first_listing() -> None:
    """When the store's first listing must read many runs files one by one (a new machine, a cleared cache: 10,000
    files take 10-15 s here), list them under a spinner that says so, in the page's main area; the sidebar and the
    page then find the runs listed. Otherwise, and on any error (the page reports it), nothing."""
    try:
        n = store().unread_files()
        if n >= LONG_LISTING:
            with st.spinner(t("store.first_listing", n=f"{n:,}")):  # not show_time: its "(6.6 seconds)" is English
                runs()
    except Exception:  # noqa: BLE001 - the sidebar and the page read the runs again and say what is wrong
        return


def curves(run_ids: Sequence[str]) -> pd.DataFrame:
    """Curves rows of ``run_ids`` (without weight norms), cached per selection and store version."""
    s = store()
    return _curves(str(s.root), s.version(), tuple(sorted(set(run_ids))))


@st.cache_resource(show_spinner=False, max_entries=48)
def _view_part(name: str, root: str, version: str, language: str, view: tuple, _build: Callable[[], Any]) -> Any:
    return _build()


def view_part(name: str, build: Callable[[], T], runs: pd.DataFrame, *view: Hashable) -> T:
    """``build()``, computed once per (``name``, ``view``, the store version of ``runs``, language), for every session.

    For what a page computes from ``runs`` (``runs()``: bands, figures, tables): ``view`` must hold everything the
    result depends on besides the runs and the language (the selection in order, metric, splits, ...). The key is
    the version ``runs`` were read at, so a run stored meanwhile cannot hide behind the newer version. The result is
    shared, not copied: never mutate it. A new or deleted run changes the version, so it is computed again.
    """
    version = runs.attrs.get(VERSION_ATTR) or store().version()
    return _view_part(name, str(store().root), version, language(), tuple(view), build)


@st.cache_data(show_spinner=False, max_entries=8)
def _mechanism(root: str, version: str, run_ids: tuple[str, ...]) -> pd.DataFrame:
    return store_at(root).load_curves(run_ids, columns=("weight_norms", *MECHANISM_COLUMNS))


def mechanism(run_ids: Sequence[str]) -> pd.DataFrame:
    """Curves rows of ``run_ids`` with only what the mechanism views read: run_id, epoch, weight norms and the
    snapshot columns (``core.mechanism.MECHANISM_COLUMNS``, null on epochs without a snapshot); cached per selection
    and store version."""
    s = store()
    return _mechanism(str(s.root), s.version(), tuple(sorted(set(run_ids))))

def weight_norms(run_ids: Sequence[str]) -> pd.DataFrame:
    """(run_id, epoch, weight_norms) rows of ``run_ids``: one array of per-layer norms per epoch (for the lessons)."""
    rows = mechanism(run_ids)
    return rows[["run_id", "epoch", "weight_norms"]] if not rows.empty else rows


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
    try:
        check_job(configs, s.limits)  # model size, activation memory, runs per job: core.limits, as the CLI
    except LimitError as exc:
        raise ActionRefused(str(exc)) from None
    active = len(running_jobs())
    if active >= s.max_jobs:
        raise ActionRefused(t("service.too_many_jobs", n=active, limit=s.max_jobs))


def launch(configs: Sequence[RunConfig], name: str, n_seeds: int | None = None, *,
           subject: Mapping[str, str] | None = None) -> str:
    """Start a background job training ``configs`` (cached ones are skipped); return its id.

    ``name``: the job's fixed English name, which pages match on; ``subject``: what it is, as data
    (``core.job_state.SUBJECT_KINDS``), which the jobs panel words in the reader's language."""
    _refuse_if_read_only()
    configs = list(configs)
    check_limits(configs, n_seeds)
    try:
        return job_manager().submit(configs, name, meta={"subject": dict(subject or {})})
    except RuntimeError as exc:  # the manager's own bound on jobs
        raise ActionRefused(str(exc)) from None


def launch_search(spec: SearchSpec) -> tuple[str, SearchSpec]:
    """Start the search ``spec`` as a background job; return its job id and the spec with its search id."""
    _refuse_if_read_only()
    check_limits([spec.base], n_seeds=spec.seeds)
    try:
        check_count("trials", spec.n_trials, settings().limits)
    except LimitError as exc:
        raise ActionRefused(str(exc)) from None
    try:
        return start_search(job_manager(), spec)
    except RuntimeError as exc:  # the manager's own bound on jobs
        raise ActionRefused(str(exc)) from None


@dataclass(frozen=True)
class SearchLaunch:
    """What ``open_or_launch_search`` did: ``outcome`` is "new", "opened" (an identical search exists, finished or
    running: nothing started) or "resumed" (an identical search stopped early: a new one finishes it, its done
    trials from the cache); ``job_id`` is the job to follow (None when nothing runs), ``n_done`` the trials the
    identical search had."""

    outcome: str
    spec: SearchSpec
    job_id: str | None = None
    previous: str = ""
    n_done: int = 0


def open_or_launch_search(spec: SearchSpec) -> SearchLaunch:
    """Start ``spec`` unless an identical search exists: then open that one (it would redraw the same trials and
    find every one in the cache), or, when it stopped before its last trial, start a new one and say why."""
    _refuse_if_read_only()
    same = find_identical(settings().results, spec)
    if same is not None:
        existing, n_done = same
        its_jobs = [j for j in jobs() if j.kind == "search" and j.search_id == existing.search_id]
        running = next((j for j in its_jobs if j.active), None)
        ended = any(j.state == "done" for j in its_jobs)  # a grid smaller than its trial count ends early, done
        if running is not None or ended or n_done >= existing.n_trials:
            return SearchLaunch("opened", existing, running.id if running else None, existing.search_id, n_done)
    job_id, started = launch_search(spec)
    if same is not None:
        return SearchLaunch("resumed", started, job_id, same[0].search_id, same[1])
    return SearchLaunch("new", started, job_id)


ENSEMBLE_JOB_KIND = "ensemble"


def launch_ensemble(base: RunConfig, seeds: Sequence[int], dropout: float) -> str:
    """Train the dropout lesson's ensemble (k networks and a dropout one) as a background job; return its id."""
    from core.lessons.ensemble_store import ensemble_driver, ensemble_key

    _refuse_if_read_only()
    check_limits([base], n_seeds=len(seeds))
    try:
        key = ensemble_key(base, seeds, dropout)
        return job_manager().start(f"ensemble {key}", ensemble_driver(base, seeds, dropout), kind=ENSEMBLE_JOB_KIND,
                                   meta={"subject": {"kind": "ensemble", "key": key}})
    except RuntimeError as exc:  # the manager's own bound on jobs
        raise ActionRefused(str(exc)) from None


def cancel(job_id: str) -> None:
    """Ask a job to stop (any viewer may cancel any job, except in read-only mode)."""
    _refuse_if_read_only()
    try:
        job_manager().cancel(job_id)
    except ActionRefused:  # the cluster is gone: the cancel file still stops the job's driver
        cancel_job(settings().results, job_id)


def delete(run_ids: Sequence[str]) -> int:
    """Delete runs from the results folder; return how many were deleted."""
    _refuse_if_read_only()
    return store().delete(list(run_ids))


def launch_sweep(spec: SweepSpec) -> SweepLaunch:
    """Open or publish the sweep and train the runs the store lacks as one background job (none when all are
    cached; the running job when one already trains it)."""
    _refuse_if_read_only()
    check_limits([c for _, _, c in spec.configs()[:1]], n_seeds=spec.seeds)
    try:
        return start_sweep(job_manager(), spec)
    except (RuntimeError, LimitError) as exc:  # the manager's bound on jobs; a point over core.limits
        raise ActionRefused(str(exc)) from None
