"""Sweep files under ``<results>/sweeps/`` (the ResultStore ignores sub-folders).

- ``<sweep_id>.members.parquet``  one row per run: point, seed_index, seed, run_id and the swept values; written first;
- ``<sweep_id>.json``             the spec; written last, so a listed sweep always has its members (the commit marker).

Both are published atomically and never changed: the membership is a pure function of the spec, stored so that a
sweep keeps opening with its own runs after the engine version (and so every ``run_id``) moves on. The runs
themselves live in the store; ``load_sweep`` joins them. An unreadable file is reported and skipped, never fatal.
"""
from __future__ import annotations

import dataclasses
import json
import os
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import publish, publish_text
from ..store import Problem  # a skipped file and why, as the store reports its own
from .grid import INT_FIELDS
from .spec import SweepSpec, check_sweep_id

SWEEPS_DIR = "sweeps"
MEMBER_COLUMNS = (("point", pa.int64()), ("seed_index", pa.int64()), ("seed", pa.int64()), ("run_id", pa.string()))
STORE_COLUMNS = ("status", "label", "stopped_epoch", "duration_s", "final_train_acc", "final_val_acc",
                 "final_test_acc", "final_gap", "best_val_acc", "best_val_epoch")  # joined from the runs table


class SweepWarning(UserWarning):
    """A sweep file was skipped (see ``sweep_problems``)."""


def sweeps_dir(root: str | os.PathLike[str]) -> Path:
    return Path(root) / SWEEPS_DIR


def members_schema(spec: SweepSpec) -> pa.Schema:
    return pa.schema([*MEMBER_COLUMNS, *[(name, pa.int64() if name in INT_FIELDS else pa.float64())
                                         for name in spec.fields]])


def members_frame(spec: SweepSpec) -> pd.DataFrame:
    """The membership a spec defines: one row per (point, seed), point-major."""
    points = spec.point_values()
    rows = [{"point": p, "seed_index": i, "seed": c.seed, "run_id": c.run_id, **points[p]}
            for p, i, c in spec.configs()]
    schema = members_schema(spec)
    return pa.Table.from_pylist(rows, schema=schema).to_pandas()


def _paths(root: str | os.PathLike[str], sweep_id: str) -> tuple[Path, Path]:
    folder = sweeps_dir(root)
    sweep_id = check_sweep_id(sweep_id)
    return folder / f"{sweep_id}.json", folder / f"{sweep_id}.members.parquet"


def open_or_write(root: str | os.PathLike[str], spec: SweepSpec) -> tuple[SweepSpec, bool]:
    """The stored sweep with ``spec``'s content, publishing it (members, then spec) when it is not there yet.

    Returns (the stored spec, with its ``created`` stamp; True when it was new). Two launches of one sweep at once
    are harmless: both publish the same content under the same id.
    """
    spec_path, members_path = _paths(root, spec.sweep_id)
    if spec_path.exists() and members_path.exists():
        try:
            stored = read_spec(root, spec.sweep_id)
            read_members(root, stored)
            return stored, False
        except (OSError, ValueError):
            pass  # a damaged file of a sweep whose content is known: publish it again
    if not spec.created:
        spec = dataclasses.replace(spec, created=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    table = pa.Table.from_pandas(members_frame(spec), schema=members_schema(spec), preserve_index=False)
    publish(members_path, lambda tmp: pq.write_table(table, tmp))
    publish_text(spec_path, json.dumps(spec.to_dict(), indent=1))
    return spec, True


def read_spec(root: str | os.PathLike[str], sweep_id: str) -> SweepSpec:
    """The spec of ``sweep_id``; FileNotFoundError when unknown, ValueError when unreadable."""
    path, _ = _paths(root, sweep_id)
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        spec = SweepSpec.from_dict(data)
    except FileNotFoundError:
        raise FileNotFoundError(f"No sweep {sweep_id!r} in {sweeps_dir(root)}.") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"The sweep file {path.name} cannot be read: {type(exc).__name__}: {exc}") from None
    if data.get("sweep_id") != sweep_id:
        raise ValueError(f"The sweep file {path.name} holds the sweep {data.get('sweep_id')!r}.")
    return spec


def read_members(root: str | os.PathLike[str], spec: SweepSpec) -> pd.DataFrame:
    """The stored membership of a sweep (ValueError when the file is unreadable or of another shape)."""
    _, path = _paths(root, spec.sweep_id)
    schema = members_schema(spec)
    try:
        table = pq.read_table(path)
        missing = [n for n in schema.names if n not in table.column_names]
        if missing:
            raise ValueError(f"missing columns {', '.join(missing)}")
        return table.select(schema.names).cast(schema).to_pandas()
    except FileNotFoundError:
        raise
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise ValueError(f"The sweep file {path.name} cannot be read: {type(exc).__name__}: {exc}") from None


@dataclass(frozen=True)
class SweepView:
    """One sweep as read from its files: ``spec`` and ``members`` (one row per run, joined with the store's runs:
    status is "missing" for a run not in the store yet)."""

    spec: SweepSpec
    members: pd.DataFrame

    @property
    def sweep_id(self) -> str:
        return self.spec.sweep_id

    @property
    def run_ids(self) -> list[str]:
        return list(self.members["run_id"])

    @property
    def n_finished(self) -> int:
        return int((self.members["status"] != "missing").sum())

    def point_run_ids(self, point: int) -> list[str]:
        """The run ids of one point (its seeds), for drawing its curves."""
        return list(self.members.loc[self.members["point"] == point, "run_id"])


def join_runs(members: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """``members`` with the store's columns for each run (``STORE_COLUMNS``; status "missing" when not stored)."""
    if runs.empty:
        extra = pd.DataFrame({"run_id": pd.Series(dtype=str)})
    else:
        extra = runs[runs["run_id"].isin(set(members["run_id"]))].drop_duplicates("run_id")
        extra = extra[["run_id", *[c for c in STORE_COLUMNS if c in extra.columns]]]
    joined = members.merge(extra, on="run_id", how="left")
    for column in STORE_COLUMNS:
        if column not in joined.columns:
            joined[column] = float("nan") if column not in ("status", "label") else None
    joined["status"] = joined["status"].fillna("missing")
    return joined


def load_sweep(root: str | os.PathLike[str], sweep_id: str, runs: Optional[pd.DataFrame] = None) -> SweepView:
    """One sweep: its spec and members joined with ``runs`` (default: the store's runs table at ``root``).

    Raises ValueError for a malformed id or an unreadable file, FileNotFoundError for an unknown sweep.
    """
    spec = read_spec(root, sweep_id)
    try:
        members = read_members(root, spec)
    except FileNotFoundError:
        raise ValueError(f"The sweep {sweep_id!r} has no members file.") from None
    if runs is None:
        from ..store import ResultStore

        runs = ResultStore(root).load_runs()
    return SweepView(spec, join_runs(members, runs))


def _scan(root: str | os.PathLike[str]) -> tuple[list[tuple[SweepSpec, pd.DataFrame]], list[Problem]]:
    folder = sweeps_dir(root)
    found: list[tuple[SweepSpec, pd.DataFrame]] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return found, problems
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):
            continue  # a write in progress
        try:
            spec = read_spec(root, path.stem)
            found.append((spec, read_members(root, spec)))
        except (OSError, ValueError) as exc:
            problems.append(Problem(path, str(exc)))
            warnings.warn(f"Skipped {path.name}: {exc}", SweepWarning, stacklevel=3)
    return found, problems


def list_sweeps(root: str | os.PathLike[str], runs: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """One row per sweep, newest first: sweep_id, created, fields, title, n_points, seeds, n_runs, n_stored (runs
    of the sweep in ``runs``, when given; else NaN), base_label. Unreadable files are skipped with a SweepWarning."""
    found, _ = _scan(root)
    stored = set(runs["run_id"]) if runs is not None and not runs.empty else set()
    rows = [{"sweep_id": spec.sweep_id, "created": spec.created, "fields": ", ".join(spec.fields),
             "title": spec.title(), "n_points": spec.n_points, "seeds": spec.seeds, "n_runs": spec.n_runs,
             "n_stored": len(set(members["run_id"]) & stored) if runs is not None else float("nan"),
             "base_label": spec.base.label()} for spec, members in found]
    columns = ["sweep_id", "created", "fields", "title", "n_points", "seeds", "n_runs", "n_stored", "base_label"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["created", "sweep_id"], ascending=False, kind="stable", ignore_index=True)


def sweep_members(root: str | os.PathLike[str], sweep_ids: Optional[Sequence[str]] = None) -> pd.DataFrame:
    """(sweep_id, point, seed, run_id) of every sweep (or of ``sweep_ids``): which sweeps a run belongs to."""
    found, _ = _scan(root)
    frames = [members[["point", "seed", "run_id"]].assign(sweep_id=spec.sweep_id) for spec, members in found
              if sweep_ids is None or spec.sweep_id in sweep_ids]
    if not frames:
        return pd.DataFrame({"sweep_id": pd.Series(dtype=str), "point": pd.Series(dtype="int64"),
                             "seed": pd.Series(dtype="int64"), "run_id": pd.Series(dtype=str)})
    return pd.concat(frames, ignore_index=True)[["sweep_id", "point", "seed", "run_id"]]


def sweep_problems(root: str | os.PathLike[str]) -> list[Problem]:
    """Every file under ``sweeps/`` that is skipped, and why."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SweepWarning)
        return _scan(root)[1]
