"""Searches and sweeps as the pages read them, behind streamlit caches: listings, views, problem files, memberships.

Each load is keyed on the store's version and on the (name, mtime) listing of ``searches/`` or ``sweeps/``, so a
running search's new trials and a new sweep show up at once. Their actions (``launch_search``, ``launch_sweep``) are
in ``ui/services.py`` with the others.
"""
from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from core.search import SearchProblem, SearchView, list_searches, load_search, search_members, search_problems
from core.sweep import SweepView, list_sweeps, load_sweep, sweep_members, sweep_problems
from core.sweep.storage import SweepWarning
from ui.services import runs_at, settings, store, store_at
from ui.state import TOKEN_PATTERN


# ---- searches -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Searches:
    """The searches of the results folder: ``ids`` newest first, ``frame`` from ``core.search.list_searches``."""

    frame: pd.DataFrame
    ids: list[str]
    error: str = ""


def _listing(root: Path, name: str = "searches") -> tuple:
    """(name, mtime) of every file under searches/ (or ``name``: sweeps/): the cache key of that folder's listing."""
    folder = root / name
    try:
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir())) if folder.is_dir() else ()
    except OSError:  # a file replaced while listing: a key that matches nothing cached
        return (("", time.time_ns()),)


def searches_listing() -> tuple:
    """(name, mtime) of every file under ``searches/`` now: what the Search page's live watcher compares."""
    return _listing(settings().results)


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
        frame = _list_searches(str(root), _listing(root), store().version())
    except Exception as exc:  # noqa: BLE001 - a bad search file must not break the Compare page
        return Searches(pd.DataFrame(), [], f"{type(exc).__name__}: {exc}")
    column = next((c for c in ("search_id", "id") if c in frame.columns), None)
    ids = [] if column is None else [str(i) for i in frame[column] if TOKEN_PATTERN.fullmatch(str(i))]
    return Searches(frame.set_index(column, drop=False) if column else frame, ids)


@st.cache_data(show_spinner=False, max_entries=4)
def _memberships(root: str, store_version: str, searches_listing: tuple, sweeps_listing: tuple) -> pd.DataFrame:
    searches_part = search_members(root).rename(columns={"search_id": "id", "trial": "point"}).assign(kind="search")
    sweeps_part = sweep_members(root).rename(columns={"sweep_id": "id"}).drop(columns=["seed"]).assign(kind="sweep")
    return pd.concat([searches_part, sweeps_part], ignore_index=True)[["run_id", "kind", "id", "point"]]


def memberships() -> pd.DataFrame:
    """(run_id, kind "search" | "sweep", id, point: the trial or the grid point) of every search's and sweep's runs;
    re-read only when the store or a file under ``searches/`` or ``sweeps/`` changed."""
    root = settings().results
    try:
        return _memberships(str(root), store().version(), _listing(root), _listing(root, "sweeps"))
    except (OSError, ValueError):  # a folder changing under the listing: no memberships this time, never a crash
        return pd.DataFrame({"run_id": [], "kind": [], "id": [], "point": []})


def search_files_problems() -> list[SearchProblem]:
    """Files under ``searches/`` that are skipped, and why; re-read only when a search file or the store changed."""
    root = settings().results
    return _search_problems(str(root), _listing(root), store().version())


@st.cache_data(show_spinner=False, max_entries=8)
def _search_view(root: str, search_id: str, store_version: str, files: tuple) -> SearchView:
    return load_search(store_at(root), search_id)


def search_view(search_id: str) -> SearchView:
    """``core.search.load_search`` of one search (trials joined with the runs table, and its rounds' boxes).

    Cached until the store or one of the search's files changes (a running search publishes trials as it goes).
    """
    root = settings().results
    folder = root / "searches"
    files = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob(f"{search_id}.*"))) \
        if folder.is_dir() and TOKEN_PATTERN.fullmatch(search_id) else ()
    return _search_view(str(root), search_id, store().version(), files)


# ---- sweeps ---------------------------------------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=8)
def _list_sweeps(root: str, listing: tuple, store_version: str) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SweepWarning)  # the page lists the skipped files itself
        return list_sweeps(root, runs_at(root, store_version))


@st.cache_data(show_spinner=False, max_entries=4)
def _sweep_problems(root: str, listing: tuple) -> list:
    return sweep_problems(root)


def sweeps() -> pd.DataFrame:
    """Every stored sweep (``core.sweep.list_sweeps``, newest first), re-read when a sweep file or the store changed."""
    root = settings().results
    return _list_sweeps(str(root.resolve()), _listing(root, "sweeps"), store().version())


def sweep_files_problems() -> list:
    """Files under ``sweeps/`` that are skipped, and why."""
    root = settings().results
    return _sweep_problems(str(root.resolve()), _listing(root, "sweeps"))


@st.cache_data(show_spinner=False, max_entries=8)
def _sweep_view(root: str, sweep_id: str, store_version: str) -> SweepView:
    return load_sweep(root, sweep_id, runs_at(root, store_version))


def sweep_view(sweep_id: str) -> SweepView:
    """``core.sweep.load_sweep``: the sweep's spec and members joined with the runs, cached per store version."""
    s = store()
    return _sweep_view(str(s.root), sweep_id, s.version())
