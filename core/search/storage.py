"""Search files under ``<results>/searches/`` (the ResultStore ignores sub-folders).

- ``<search_id>.json``                  the spec, written once (temp file + ``os.replace``);
- ``<search_id>.trials-<k>.parquet``    the trials of batch ``k``, one row per run, published atomically, immutable;
                                        merged into one file when the search ends (``finish_search``);
- ``<search_id>.rungs/``                the successive-halving rungs while the search runs (see ``pruning.py``).

A trial row holds what the search saw: its round and parent round, the round's box, the parameters, the run id, the
status ("complete", "pruned", "diverged", "failed") and the value it was ranked by (final validation accuracy;
chance for diverged). ``load_search`` joins the runs table of the store for the rest (best val acc, test acc, label).
A file that cannot be read is reported (``SearchWarning``, ``problems``) and skipped, never fatal.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import publish, publish_text
from ..store import ResultStore
from .rounds import RoundBox
from .spec import SEARCH_ID_RE, SearchSpec, check_search_id, strategy_label
from .trial import FrozenTrial, TrialState

SEARCHES_DIR = "searches"
LIST_ATTEMPTS = 5  # listings of a search's trials files, when a merge removes one under a reader
_TRIALS_RE = re.compile(rf"(?P<id>{SEARCH_ID_RE.pattern})\.trials-(?P<k>\d{{1,6}})\.parquet")
TRIAL_COLUMNS = (  # fixed columns; each parameter adds "<name>", "box_<name>_low", "box_<name>_high"
    ("search_id", pa.string()), ("strategy", pa.string()), ("round", pa.int64()), ("parent_round", pa.int64()),
    ("trial", pa.int64()), ("seed_index", pa.int64()), ("seed", pa.int64()), ("run_id", pa.string()),
    ("status", pa.string()), ("value", pa.float64()), ("final_val_acc", pa.float64()),
    ("final_train_acc", pa.float64()), ("stopped_epoch", pa.int64()), ("cached", pa.bool_()),
)
STORE_COLUMNS = ("best_val_acc", "best_val_epoch", "final_test_acc", "label", "duration_s")  # joined from the runs table


class SearchWarning(UserWarning):
    """A search file was skipped (see ``search_problems``)."""


@dataclass(frozen=True)
class SearchProblem:
    """A file under ``searches/`` that is skipped, and why."""

    path: Path
    reason: str


def searches_dir(root: str | os.PathLike[str]) -> Path:
    return Path(root) / SEARCHES_DIR


def rung_folder(root: str | os.PathLike[str], search_id: str) -> Path:
    return searches_dir(root) / f"{check_search_id(search_id)}.rungs"


def write_spec(root: str | os.PathLike[str], spec: SearchSpec) -> Path:
    """Publish ``spec`` as ``<search_id>.json``; the spec must have an id (``spec.with_id()``)."""
    path = searches_dir(root) / f"{check_search_id(spec.search_id)}.json"
    text = json.dumps(spec.to_dict(), indent=1)
    publish_text(path, text)
    return path


def read_spec(root: str | os.PathLike[str], search_id: str) -> SearchSpec:
    """The spec of ``search_id``; FileNotFoundError when unknown, ValueError when unreadable."""
    path = searches_dir(root) / f"{check_search_id(search_id)}.json"
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        spec = SearchSpec.from_dict(data)
    except FileNotFoundError:
        raise FileNotFoundError(f"No search {search_id!r} in {searches_dir(root)}.") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # valid JSON of the wrong shape included
        raise ValueError(f"The search file {path.name} cannot be read: {type(exc).__name__}: {exc}") from None
    if spec.search_id != search_id:
        raise ValueError(f"The search file {path.name} holds the search {spec.search_id!r}.")
    return spec


def trials_schema(spec: SearchSpec) -> pa.Schema:
    params = [(p.name, pa.float64()) for p in spec.space.params]
    boxes = [(f"box_{p.name}_{end}", pa.float64()) for p in spec.space.params if p.scale != "choice"
             for end in ("low", "high")]
    return pa.schema([*TRIAL_COLUMNS, *params, *boxes])


def trial_files(root: str | os.PathLike[str], search_id: str) -> list[tuple[int, Path]]:
    """(k, path) of the published trials files of a search, in batch order."""
    folder = searches_dir(root)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{check_search_id(search_id)}.trials-*.parquet"):
        match = _TRIALS_RE.fullmatch(path.name)
        if match and match["id"] == search_id:
            found.append((int(match["k"]), path))
    return sorted(found)


def write_trials(root: str | os.PathLike[str], spec: SearchSpec, k: int, rows: Sequence[Mapping[str, Any]]) -> Path:
    """Publish batch ``k`` of trial rows as ``<search_id>.trials-<k>.parquet`` (refuses to replace a batch)."""
    schema = trials_schema(spec)
    columns = {f.name: [row.get(f.name) for row in rows] for f in schema}
    table = pa.table({name: pa.array(values, type=schema.field(name).type) for name, values in columns.items()},
                     schema=schema)
    return _publish_trials(root, spec, k, table)


def _publish_trials(root: str | os.PathLike[str], spec: SearchSpec, k: int, table: pa.Table) -> Path:
    path = searches_dir(root) / f"{check_search_id(spec.search_id)}.trials-{k:06d}.parquet"
    if path.exists():
        raise FileExistsError(f"Trials batch {k} of search {spec.search_id} is already published; batches are immutable.")
    publish(path, lambda tmp: pq.write_table(table, tmp))
    return path


def finish_search(root: str | os.PathLike[str], spec: SearchSpec) -> Optional[Path]:
    """Tidy a search that will write no more: merge its trials files into one, remove its rungs.

    A search publishes a trials file every few runs (so a crash loses little and the page fills in live); a
    100-trial search leaves about 50, and listing 20 such searches read 1,000 files (2.5 s). The merged file is
    published first, as the next batch number, and the pieces removed after it: a reader meanwhile sees every row
    at least once (``_load_trials`` drops the copies and lists again when a piece vanishes under it). A piece that
    cannot be read is left where it is, and nothing is merged. Returns the merged file, or None.
    """
    shutil.rmtree(rung_folder(root, spec.search_id), ignore_errors=True)  # only a running search needs its rungs
    files = trial_files(root, spec.search_id)
    if len(files) < 2:
        return None
    try:
        tables = [_read_table(path, spec) for _, path in files]
    except (OSError, ValueError, pa.ArrowException):
        return None
    merged = _publish_trials(root, spec, files[-1][0] + 1, pa.concat_tables(tables))
    for _, path in files:
        path.unlink(missing_ok=True)
    return merged


def _read_table(path: Path, spec: SearchSpec) -> pa.Table:
    """A trials file as the spec's schema: its columns, in order, cast; ValueError when one is missing."""
    table = pq.read_table(path)
    schema = trials_schema(spec)
    missing = [f.name for f in schema if f.name not in table.column_names]
    if missing:
        raise ValueError(f"missing columns {', '.join(missing)}")
    return table.select(schema.names).cast(schema)


def _read_trials(path: Path, spec: SearchSpec) -> pd.DataFrame:
    return _read_table(path, spec).to_pandas()


def _report(problems: list[SearchProblem], path: Path, reason: str) -> None:
    problems.append(SearchProblem(path, reason))
    warnings.warn(f"Skipped {path.name}: {reason}", SearchWarning, stacklevel=3)


def _load_trials(root: str | os.PathLike[str], spec: SearchSpec, problems: list[SearchProblem]) -> pd.DataFrame:
    """Every trial row of the search, once each, whatever merge runs meanwhile.

    A merge publishes its file before it removes the pieces. So when a listed piece has vanished, a new listing
    holds the merged file with its rows: list again and read only the files not read yet, until a pass loses none.
    """
    read: dict[Path, pd.DataFrame] = {}
    unreadable: dict[Path, str] = {}
    for _attempt in range(LIST_ATTEMPTS):
        vanished = False
        for _, path in trial_files(root, spec.search_id):
            if path in read or path in unreadable:
                continue
            try:
                read[path] = _read_trials(path, spec)
            except FileNotFoundError:  # merged away since the listing: its rows are in a newer file
                vanished = True
            except (OSError, ValueError, pa.ArrowException) as exc:
                unreadable[path] = f"unreadable trials file ({type(exc).__name__}: {exc})"
        if not vanished:
            break
    for path, reason in unreadable.items():
        _report(problems, path, reason)
    if not read:
        return trials_schema(spec).empty_table().to_pandas()
    trials = pd.concat(list(read.values()), ignore_index=True)
    # a merged file and its pieces, read before their removal, hold the same rows
    trials = trials.drop_duplicates(["trial", "seed_index"], keep="first")
    return trials.sort_values(["trial", "seed_index"], kind="stable", ignore_index=True)


@dataclass(frozen=True)
class SearchView:
    """One search as read from its files: ``spec``, ``trials`` (one row per run), ``rounds``, ``problems``."""

    spec: SearchSpec
    trials: pd.DataFrame
    rounds: list[RoundBox] = field(default_factory=list)
    problems: list[SearchProblem] = field(default_factory=list)

    @property
    def search_id(self) -> str:
        return self.spec.search_id

    def best(self, n: int = 5) -> pd.DataFrame:
        """The ``n`` best trials by their value (mean over seeds), best first, one row per trial."""
        if self.trials.empty:
            return self.trials
        per_trial = self.trials.groupby("trial", sort=False).agg(value_mean=("value", "mean"))
        order = per_trial.sort_values("value_mean", ascending=False, kind="stable").index[:n]
        first = self.trials.drop_duplicates("trial").set_index("trial").loc[order].reset_index()
        return first.assign(value=per_trial.loc[order, "value_mean"].to_numpy())

    def frozen_trials(self) -> list[FrozenTrial]:
        """The trials as the samplers see them (mean over seeds)."""
        return frozen_from_rows(self.spec, self.trials.to_dict("records"))


def frozen_from_rows(spec: SearchSpec, rows: Sequence[Mapping[str, Any]]) -> list[FrozenTrial]:
    """Trial rows (one per run) -> FrozenTrials (one per trial; value = mean of the seeds' values)."""
    by_trial: dict[int, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_trial.setdefault(int(row["trial"]), []).append(row)
    frozen = []
    for trial, group in sorted(by_trial.items()):
        values = [float(r["value"]) for r in group if r["value"] is not None and np.isfinite(r["value"])]
        states = {r["status"] for r in group}
        state = next((s for s in ("failed", "diverged", "pruned") if s in states), "complete")
        frozen.append(FrozenTrial(trial=trial, params={p: group[0][p] for p in spec.space.names},
                                  value=float(np.mean(values)) if values else float("nan"), state=TrialState(state),
                                  round=int(group[0]["round"]),
                                  stopped_epoch=int(max(r["stopped_epoch"] for r in group))))
    return frozen


def _rounds(spec: SearchSpec, trials: pd.DataFrame) -> list[RoundBox]:
    boxes = []
    names = [p.name for p in spec.space.params if p.scale != "choice"]
    for round_index, group in trials.groupby("round", sort=True):
        first = group.iloc[0]
        box = {n: (float(first[f"box_{n}_low"]), float(first[f"box_{n}_high"])) for n in names}
        boxes.append(RoundBox(int(round_index), box, int(first["parent_round"]), int(group["trial"].nunique())))
    return boxes


def load_search(store: ResultStore, search_id: str) -> SearchView:
    """One search of the results folder ``store.root``: its spec, its trials joined with the store's runs table, its
    rounds (boxes with parents). The store is the caller's, so its listing cache is shared.

    Raises ValueError for a malformed id or an unreadable spec, FileNotFoundError for an unknown search;
    unreadable trials files are skipped and listed in ``problems``.
    """
    root = store.root
    spec = read_spec(root, search_id)
    problems: list[SearchProblem] = []
    trials = _load_trials(root, spec, problems)
    extra = _store_columns(store, trials["run_id"].unique())
    trials = trials.merge(extra, on="run_id", how="left")
    return SearchView(spec, trials, _rounds(spec, trials), problems)


def _store_columns(store: ResultStore, run_ids: Sequence[str]) -> pd.DataFrame:
    empty = pd.DataFrame({"run_id": pd.Series(dtype=str), **{c: pd.Series(dtype=float) for c in STORE_COLUMNS}})
    if not len(run_ids):
        return empty
    runs = store.load_runs()
    if runs.empty:
        return empty
    runs = runs[runs["run_id"].isin(set(run_ids))].drop_duplicates("run_id")
    return runs[["run_id", *[c for c in STORE_COLUMNS if c in runs.columns]]]


def list_searches(root: str | os.PathLike[str]) -> pd.DataFrame:
    """One row per search, newest first: search_id, strategy, created, n_trials (planned), n_done, best_val_acc, ...

    Unreadable files are skipped with a ``SearchWarning``; ``search_problems(root)`` lists them.
    """
    rows, _ = _scan(root)
    columns = ["search_id", "strategy", "strategy_label", "created", "n_trials", "n_done", "best_val_acc", "rounds",
               "epochs", "early_stop", "seeds", "seed", "repeat", "parent"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["created", "search_id"], ascending=False, kind="stable", ignore_index=True)


def _readable_searches(root: str | os.PathLike[str], keep: Callable[[SearchSpec], bool] = lambda spec: True
                       ) -> list[tuple[SearchSpec, pd.DataFrame]]:
    """(spec, trials) of every readable search ``keep`` accepts (its trials read only then); unreadable files are
    skipped silently here (``search_problems`` reports them)."""
    found = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SearchWarning)
        folder = searches_dir(root)
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            if path.name.startswith(".") or not SEARCH_ID_RE.fullmatch(path.stem):
                continue
            try:
                spec = read_spec(root, path.stem)
            except (OSError, ValueError):
                continue
            if keep(spec):
                found.append((spec, _load_trials(root, spec, [])))
    return found


def spec_identity(spec: SearchSpec) -> dict[str, Any]:
    """What makes two searches the same search: everything but the id, the created time and the file's version;
    the early-stopping settings only when early stopping is on."""
    identity = spec.to_dict()
    for key in ("search_id", "created", "spec_version"):
        identity.pop(key, None)
    if not spec.early_stop:
        identity["early_stop"] = {"enabled": False}
    return identity


def find_identical(root: str | os.PathLike[str], spec: SearchSpec) -> Optional[tuple[SearchSpec, int]]:
    """The newest stored search identical to ``spec`` (``spec_identity``) and its number of trials done, or None.

    A relaunch of such a search would draw the very same trials and find them all in the cache.
    """
    wanted = spec_identity(spec)
    found = [(stored, int(trials["trial"].nunique())) for stored, trials in _readable_searches(
        root, lambda stored: stored.search_id != spec.search_id and spec_identity(stored) == wanted)]
    return max(found, key=lambda item: (item[0].created, item[0].search_id)) if found else None


def search_members(root: str | os.PathLike[str]) -> pd.DataFrame:
    """(search_id, trial, run_id) of every search's trials: which searches a run belongs to.

    Unreadable files are skipped (``search_problems`` lists them); a run in several searches has a row in each.
    """
    frames = [pd.DataFrame({"search_id": spec.search_id, "trial": trials["trial"].astype("int64"),
                            "run_id": trials["run_id"].astype(str)}) for spec, trials in _readable_searches(root)]
    if not frames:
        return pd.DataFrame({"search_id": pd.Series(dtype=str), "trial": pd.Series(dtype="int64"),
                             "run_id": pd.Series(dtype=str)})
    return pd.concat(frames, ignore_index=True).drop_duplicates(["search_id", "run_id"], ignore_index=True)


def search_problems(root: str | os.PathLike[str]) -> list[SearchProblem]:
    """Every file under ``searches/`` that is skipped, and why."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SearchWarning)
        return _scan(root)[1]


def _scan(root: str | os.PathLike[str]) -> tuple[list[dict], list[SearchProblem]]:
    folder = searches_dir(root)
    rows: list[dict] = []
    problems: list[SearchProblem] = []
    if not folder.is_dir():
        return rows, problems
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):
            continue  # a write in progress
        if not SEARCH_ID_RE.fullmatch(path.stem):
            _report(problems, path, "not a search file (its name is not a search id)")
            continue
        try:
            spec = read_spec(root, path.stem)
        except (OSError, ValueError) as exc:
            _report(problems, path, str(exc))
            continue
        trials = _load_trials(root, spec, problems)
        values = trials.groupby("trial")["value"].mean() if len(trials) else trials["value"]
        rows.append({"search_id": spec.search_id, "strategy": spec.strategy, "strategy_label": strategy_label(spec),
                     "created": spec.created,
                     "n_trials": spec.n_trials, "n_done": int(trials["trial"].nunique()),
                     "best_val_acc": float(values.max()) if values.notna().any() else float("nan"),
                     "rounds": spec.rounds, "epochs": spec.n_epochs, "early_stop": spec.early_stop,
                     "seeds": spec.seeds, "seed": spec.seed, "repeat": spec.repeat, "parent": spec.parent})
    return rows, problems
