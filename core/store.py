"""The results store: finished runs as parquet batches in one folder, safe for many writers and readers.

Each ``write`` publishes one batch as ``<batch>.curves.parquet`` (one row per run and epoch) and then
``<batch>.runs.parquet`` (one row per run). The runs file is the commit marker: a batch without it does not exist.
Every file is written under a dot-prefixed temporary name in the same folder, fsynced, then published with
``os.replace``; published files are never modified. Deleting publishes a tombstone ``<stamp>.deleted.parquet``.
``merge`` and ``compact`` rewrite batches into one, publishing the new batch before removing the old ones.
The file format lives in ``core/store_format.py``; the schema is documented in ``docs/results-schema.md``.
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .atomic import NoSpaceError
from .record import RunRecord, RunStatus
from .store_folder import (
    BATCH_RE, MAX_FILE_MB_ENV, ORPHAN_AGE_S, BadFile, Scan, file_key, file_name, fsync_dir, is_regular, list_folder,
    listing_problems, max_file_bytes, reader_pool, remove_batch, remove_leftovers, stem,
)
from .store_format import (
    CONFIG_COLUMNS, CURVES_ROW_GROUP, CURVES_SCHEMA, METADATA_KEY, RUNS_SCHEMA, SCHEMA_VERSION, TOMBSTONE_SCHEMA,
    check_batch, check_footer, check_rows, curves_table, new_stamp, now_iso, publish, publish_batch, read_file,
    record_from, row_keys, runs_table, runs_table_from_frame,
)
from .store_index import INDEX_MIN_READS, INDEX_MIN_ROWS, load_index, save_index

__all__ = [  # the format names are re-exported: callers import them from here
    "CONFIG_COLUMNS", "CURVES_ROW_GROUP", "CURVES_SCHEMA", "DEFAULT_RESULTS", "MAX_FILE_MB_ENV", "METADATA_KEY",
    "NoSpaceError", "ORPHAN_AGE_S", "RESULTS_ENV", "RUNS_SCHEMA", "SCHEMA_VERSION", "STALE_TMP_AGE_S",
    "TOMBSTONE_SCHEMA", "Problem", "ResultStore", "StoreWarning", "results_dir",
]

DEFAULT_RESULTS = "results"
RESULTS_ENV = "OVERFIT_LAB_RESULTS"
STALE_TMP_AGE_S = ORPHAN_AGE_S  # compact() removes writers' leftovers (temporary files, orphan curves) this old
LIST_ATTEMPTS = 3          # listings tried before a reader settles for one the writers keep changing

_CACHE_HIT = (RunStatus.COMPLETE.value, RunStatus.DIVERGED.value)
# When one run_id is stored twice, the kept copy is the one that best answers a cache lookup, then the earliest.
_STATUS_RANK = {RunStatus.COMPLETE.value: 0, RunStatus.DIVERGED.value: 0,
                RunStatus.PRUNED.value: 1, RunStatus.FAILED.value: 2}
_COPY_ORDER = ["_rank", "_created", "batch_id", "_file"]


def results_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The results folder: ``path``, else ``$OVERFIT_LAB_RESULTS``, else ``./results``; created if missing."""
    chosen = path if path else (os.environ.get(RESULTS_ENV) or DEFAULT_RESULTS)
    folder = Path(chosen).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Problem:
    """A file in the results folder that is skipped, and why."""

    path: Path
    reason: str


class StoreWarning(UserWarning):
    """A results file was skipped (see ``ResultStore.problems``)."""


Key = tuple  # a file_key: (size, mtime_ns, inode, ctime_ns)


def _frame(names: list[str], tables: list[pa.Table]) -> pd.DataFrame:
    """Runs rows as pandas, with the helper columns the index needs: source file, status rank, parsed time, key."""
    frame = (pa.concat_tables(tables).combine_chunks() if tables else RUNS_SCHEMA.empty_table()).to_pandas()
    frame["_file"] = np.repeat([stem(n) for n in names], [t.num_rows for t in tables]).astype(object)
    frame["_rank"] = frame["status"].map(_STATUS_RANK).fillna(3).astype(int)
    frame["_created"] = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601", errors="coerce")
    frame["_key"] = frame["run_id"] + "/" + frame["batch_id"]
    return frame


def _ids(run_ids: Iterable[str]) -> set[str]:
    """A set of run ids; a single id passed as a string counts as one id, not as its characters."""
    return {run_ids} if isinstance(run_ids, str) else set(run_ids)


class ResultStore:
    """The results folder: write batches of RunRecords, list runs, read curves, delete, merge, report bad files.

    One instance may be shared by threads; any number of instances and processes (on one or several machines
    sharing the folder) may write at once. Listing keeps each runs file's table in memory, keyed on
    (name, size, mtime_ns), so listing again reads only new files.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None):
        self.root = results_dir(root)
        self._max_bytes = max_file_bytes()
        self._lock = threading.RLock()
        self._tables: dict[str, tuple[Key, pa.Table]] = {}  # runs and tombstone files that read fine
        self._bad: dict[str, tuple[Key, str]] = {}           # files that did not, with the reason
        self._bad_rows: dict[str, tuple[Key, list[str]]] = {}  # rows skipped in files that read fine
        self._persisted: dict[str, tuple[Key, pa.Table]] | None = None  # the private index, read on first listing
        self._reads = 0                                                   # runs files read since the last rebuild
        self._rows_read = 0                                               # rows in them
        self._trusted: set[tuple] | None = None                           # checked fields of rows that passed
        self._curves_ok: dict[str, Key] = {}                  # curves files whose footer checked out
        self._warned: set[str] = set()
        self._missing_curves: set[str] = set()                            # runs files whose curves file is gone
        self._index_stamp: tuple | None = None
        self._runs_used: list[str] = []                                 # runs files behind the current index
        self._tombstones_used: list[str] = []
        self._raw = _frame([], [])                                        # every row of every readable runs file
        self._raw_keys: dict[str, Key] = {}                   # the files in _raw
        self._all = self._index = self._public = self._raw

    def __repr__(self) -> str:
        return f"ResultStore({str(self.root)!r})"

    # ---- writing ----------------------------------------------------------------------------------------------------
    def write(self, records: Sequence[RunRecord], *, batch: str | None = None) -> str:
        """Publish ``records`` as one batch and return its id ("" and no files for an empty sequence).

        ``batch`` names the batch (letters, digits, ``_`` and ``-``); by default a UTC timestamp plus random hex.
        """
        records = list(records)
        if not records:
            return ""
        check_batch(records, batch)
        if batch is None:
            batch = self._new_batch_id()
        elif self._batch_exists(batch):
            raise FileExistsError(f"Batch {batch!r} already exists in {self.root}; published batches are immutable.")
        publish_batch(self.root, batch, runs_table(records, batch), curves_table(records))
        return batch

    def _batch_exists(self, batch: str) -> bool:
        return any(os.path.lexists(self.root / file_name(batch, kind)) for kind in ("runs", "curves"))

    def _new_batch_id(self) -> str:
        batch = new_stamp()
        while self._batch_exists(batch):
            batch = new_stamp()
        return batch

    def delete(self, run_ids: Iterable[str]) -> int:
        """Hide ``run_ids`` from every listing by publishing a tombstone; return how many runs were deleted.

        The tombstone names each stored copy (run_id, batch_id), so the same config computed again later is kept.
        """
        wanted = _ids(run_ids)
        with self._lock:
            self._refresh()
            hit = self._all.loc[self._all["run_id"].isin(wanted), ["run_id", "batch_id"]].drop_duplicates()
        if hit.empty:
            return 0
        table = pa.table({"run_id": hit["run_id"].tolist(), "batch_id": hit["batch_id"].tolist(),
                          "deleted_at": [now_iso()] * len(hit)}, schema=TOMBSTONE_SCHEMA)
        publish(table, self.root, file_name(new_stamp(), "deleted"))
        fsync_dir(self.root)
        return int(hit["run_id"].nunique())

    def merge(self, batch_ids: Iterable[str]) -> str:
        """Rewrite the batches ``batch_ids`` (names returned by ``write``) into one new batch; return its id.

        The new batch holds every run of those batches that is not deleted, one copy per run_id, each with its
        original ``batch_id`` (so a tombstone published meanwhile still hides it). It is published before the old
        files are removed, so a reader always sees every run. Names that are not (or no longer) readable batches
        are left alone. Returns "" if no run was left to publish.
        """
        stems = _ids(batch_ids)
        for name in stems:
            if not isinstance(name, str) or not BATCH_RE.fullmatch(name):
                raise ValueError(f"merge() takes batch ids (letters, digits, '_' and '-'). Got {name!r} instead.")
        with self._lock:
            self._refresh()
            found = {stem(name) for name in self._runs_used} & stems
            rows = self._all[self._all["_file"].isin(found)]
            if rows["run_id"].duplicated().any():  # one config in two of the batches: keep the copy load_runs keeps
                rows = rows.sort_values(_COPY_ORDER, kind="stable", na_position="last").drop_duplicates("run_id")
                rows = rows.sort_values(["_created", "batch_id"], kind="stable", na_position="last")
            new_batch, _ = self._rewrite(rows, found)
            return new_batch

    def compact(self) -> str:
        """Rewrite every readable batch into one, without deleted or duplicate runs; return the new batch id.

        The new batch is published before the old files are removed, so a reader always sees every run (the overlap
        is removed by the dedupe on run_id). Runs keep their original ``batch_id``. Returns "" if nothing was left.
        Tombstones are removed too, so run it while no other process merges or compacts the folder. Temporary files
        and curves files without a runs file (left by writers that died) are removed once over ``STALE_TMP_AGE_S``
        (an hour) old; younger ones may belong to a live writer and are left alone.
        """
        with self._lock:
            self._refresh()
            tombstones_used = list(self._tombstones_used)
            new_batch, kept = self._rewrite(self._index, {stem(name) for name in self._runs_used})
            if not kept:  # a tombstone may still hide a run in a kept file
                for name in tombstones_used:
                    (self.root / name).unlink(missing_ok=True)
            remove_leftovers(self.root, STALE_TMP_AGE_S)
            return new_batch

    def _rewrite(self, rows: pd.DataFrame, stems: set[str]) -> tuple[str, set[str]]:
        """Publish ``rows`` (index rows, with ``_file``) and their curves as one new batch, then remove ``stems``.

        Returns the new batch id ("" if no row was left) and the batches left alone because their curves could not
        be read.
        """
        wanted = [(batch, list(ids)) for batch, ids in rows.groupby("_file", sort=True)["run_id"]]
        results = self._read_curves(wanted)
        curves = [result for result in results if isinstance(result, pa.Table)]
        kept = {batch for (batch, _), result in zip(wanted, results) if not isinstance(result, pa.Table)}
        live = rows[~rows["_file"].isin(kept)]
        new_batch = ""
        if len(live):
            new_batch = self._new_batch_id()
            curves_sorted = pa.concat_tables(curves).sort_by([("run_id", "ascending"), ("epoch", "ascending")])
            publish_batch(self.root, new_batch, runs_table_from_frame(live), curves_sorted,
                          row_group_size=CURVES_ROW_GROUP)
        for batch in sorted(stems - kept):
            remove_batch(self.root, batch)
        return new_batch, kept

    # ---- reading ----------------------------------------------------------------------------------------------------
    def load_runs(self) -> pd.DataFrame:
        """One row per stored run (deleted runs left out, one copy per run_id), sorted by ``created_at``.

        Columns as in ``docs/results-schema.md``; an empty store gives an empty frame with those columns.
        """
        with self._lock:
            self._refresh()
            return self._public.copy(deep=False)  # copy-on-write: callers may add columns without touching the cache

    def load_curves(self, run_ids: Iterable[str]) -> pd.DataFrame:
        """Curves rows (run_id, epoch, metrics, elapsed_s, weight_norms) of ``run_ids``, sorted by run_id, epoch.

        Unknown or deleted ids are left out; ``weight_norms`` holds one float array per row, one norm per layer.
        """
        table, _ = self._curves(run_ids)
        return table.to_pandas()

    def get(self, run_id: str) -> RunRecord | None:
        """The stored RunRecord of ``run_id``, or None if it is not stored (or its curves cannot be read)."""
        with self._lock:
            table, complete = self._curves([run_id])
            rows = self._index[self._index["run_id"] == run_id]
        if rows.empty or not complete:
            return None
        return record_from(rows.iloc[0], table)

    def has(self, run_id: str) -> bool:
        """Whether ``run_id`` is stored, whatever its status."""
        with self._lock:
            self._refresh()
            return bool((self._index["run_id"] == run_id).any())

    def cached(self, run_ids: Iterable[str]) -> set[str]:
        """The ids among ``run_ids`` stored as complete or diverged: a full run need not be computed again."""
        wanted = _ids(run_ids)
        with self._lock:
            self._refresh()
            index = self._index
            hit = index["run_id"].isin(wanted) & index["status"].isin(_CACHE_HIT)
            return set(index.loc[hit, "run_id"])

    def version(self) -> str:
        """A stamp that changes whenever a batch or a tombstone is published or removed (cheap: one listing)."""
        stamp = list_folder(self.root, LIST_ATTEMPTS).stamp
        return hashlib.sha1(repr(stamp).encode()).hexdigest()[:16]

    def problems(self) -> list[Problem]:
        """Files skipped as unreadable, foreign, too new, or left over by an interrupted write; each warned once."""
        with self._lock:
            scan = self._refresh()
            for name, key in scan.curves.items():  # reading the footer is enough to catch a torn file
                if self._curves_ok.get(name) == key or self._bad.get(name, (None,))[0] == key:
                    continue
                try:
                    check_footer(self.root / name, CURVES_SCHEMA, "curves", max_bytes=self._max_bytes)
                    self._curves_ok[name] = key
                except FileNotFoundError:  # removed since the listing (a merge or compaction): not a problem
                    continue
                except BadFile as exc:
                    self._mark_bad(name, key, str(exc))
            found = []
            for kind in (scan.runs, scan.curves, scan.tombstones):
                for name, key in kind.items():
                    bad = self._bad.get(name)
                    if bad and bad[0] == key:
                        found.append(Problem(self.root / name, bad[1]))
                    rows = self._bad_rows.get(name)
                    if rows and rows[0] == key:
                        found += [Problem(self.root / name, reason) for reason in rows[1]]
            found += [Problem(self.root / name, reason) for name, reason in self._name_problems(scan).items()]
            found += [Problem(self.root / name, "its curves file is missing")
                      for name in self._missing_curves if name in scan.runs]
            return sorted(found, key=lambda p: p.path.name)

    # ---- listing ----------------------------------------------------------------------------------------------------
    def _name_problems(self, scan: Scan) -> dict[str, str]:
        """Problems seen from the listing alone (no file is read); warned once each."""
        problems = listing_problems(scan, time.time_ns(), self.root)
        for name, reason in problems.items():
            self._warn(name, reason)
        return problems

    def _warn(self, name: str, reason: str) -> None:
        if (name, reason) not in self._warned:
            self._warned.add((name, reason))
            warnings.warn(f"skipping {name}: {reason}", StoreWarning, stacklevel=2)

    def _mark_bad(self, name: str, key: Key, reason: str) -> None:
        self._bad[name] = (key, reason)
        self._warn(name, reason)

    # ---- the index --------------------------------------------------------------------------------------------------
    def _table(self, name: str, key: Key, reader: Callable[[Path], pa.Table]) -> pa.Table | None:
        """The table of a runs or tombstone file, from memory if (name, size, mtime_ns) is unchanged; None if bad.

        Raises FileNotFoundError if the file was removed since the listing (by a merge or compaction).
        """
        cached = self._tables.get(name)
        if cached and cached[0] == key:
            return cached[1]
        bad = self._bad.get(name)
        if bad and bad[0] == key:
            return None
        is_runs = name.endswith(".runs.parquet")
        persisted = (self._persisted or {}).get(name) if is_runs else None
        if persisted and persisted[0] == key:  # checked by this user's store before, and unchanged since
            self._tables[name] = persisted
            self._bad_rows[name] = (key, [])
            return persisted[1]
        try:
            self._reads += is_runs
            table = reader(self.root / name)
        except BadFile as exc:
            self._mark_bad(name, key, str(exc))
            return None
        if is_runs:  # checked once per file version: the cache below keeps the result
            if self._trusted is None:  # rows of the index passed before: a merge copies them into new files
                self._trusted = {key for _, rows in (self._persisted or {}).values() for key in row_keys(rows)}
            self._rows_read += table.num_rows
            table, row_problems = check_rows(table, self._trusted)
            self._bad_rows[name] = (key, row_problems)
            for reason in row_problems:
                self._warn(name, reason)
        self._tables[name] = (key, table)
        self._bad.pop(name, None)
        return table

    def _refresh(self) -> Scan:
        """List the folder and rebuild the run index if a runs or tombstone file appeared, changed or went away.

        A file removed between the listing and its reading (a merge or compaction) means the listing is stale: the
        runs it held are in a newer file, published before the removal, so the folder is listed again.
        """
        for _attempt in range(LIST_ATTEMPTS):
            scan = list_folder(self.root, LIST_ATTEMPTS)
            self._name_problems(scan)
            if scan.stamp == self._index_stamp or self._rebuild(scan):
                break
        return scan

    def _rebuild(self, scan: Scan) -> bool:
        """Rebuild the index from ``scan``; False if a listed file had gone (the index is then marked stale)."""
        if self._persisted is None:
            self._persisted = load_index(self.root, self._max_bytes)
        self._reads = self._rows_read = 0
        present = {*scan.runs, *scan.curves, *scan.tombstones}
        for cache in (self._tables, self._bad, self._bad_rows, self._curves_ok):
            for name in [n for n in cache if n not in present]:
                del cache[name]
        whole = True
        runs: dict[str, pa.Table] = {}
        tombstones: dict[str, pa.Table] = {}
        for files, schema, kind, tables in ((scan.runs, RUNS_SCHEMA, "runs", runs),
                                            (scan.tombstones, TOMBSTONE_SCHEMA, "tombstone", tombstones)):
            for name in sorted(files):
                try:
                    table = self._table(name, files[name],
                                        lambda p: read_file(p, schema, kind, max_bytes=self._max_bytes))
                    if table is not None and (kind != "runs" or self._has_curves(name, scan)):
                        tables[name] = table
                except FileNotFoundError:
                    whole = False
        keys = {name: scan.runs[name] for name in runs}
        if all(keys.get(name, key) == key for name, key in self._raw_keys.items()):
            # no file changed: drop the rows of files that went away, append the new files' rows
            gone = {stem(name) for name in self._raw_keys if name not in keys}
            new = [name for name in runs if name not in self._raw_keys]
            raw = self._raw[~self._raw["_file"].isin(gone)] if gone else self._raw
            self._raw = pd.concat([raw, _frame(new, [runs[n] for n in new])], ignore_index=True) if new else raw
        else:
            self._raw = _frame(list(runs), list(runs.values()))
        self._raw_keys = keys
        self._build_index(list(tombstones.values()))
        self._runs_used, self._tombstones_used = list(runs), list(tombstones)
        self._index_stamp = scan.stamp if whole else None
        if whole and (self._reads >= INDEX_MIN_READS or self._rows_read >= INDEX_MIN_ROWS):  # spare the next process
            self._persisted = {name: self._tables[name] for name in runs if not self._bad_rows[name][1]}
            save_index(self.root, self._persisted)
        return whole

    def _has_curves(self, name: str, scan: Scan) -> bool:
        """Whether the batch of runs file ``name`` is whole; a batch without its curves file is skipped.

        The listing may miss a file created while it ran, so the folder is asked again before calling it missing.
        Raises FileNotFoundError if both files are gone (removed by a merge or compaction since the listing).
        """
        curves = file_name(stem(name), "curves")
        if curves in scan.curves or is_regular(self.root / curves):
            self._missing_curves.discard(name)
            return True
        if not (self.root / name).exists():
            raise FileNotFoundError(name)
        self._missing_curves.add(name)  # the runs file is there, its curves file is not: lost
        self._warn(name, "its curves file is missing")
        return False

    def _build_index(self, tombstones: list[pa.Table]) -> None:
        """Drop deleted copies, keep one copy per run_id, sort by creation time."""
        frame = self._raw
        if tombstones:
            dead = pa.concat_tables(tombstones)
            dead_keys = pc.binary_join_element_wise(dead.column("run_id"), dead.column("batch_id"), "/")
            frame = frame[~frame["_key"].isin(dead_keys.to_pylist())]
        self._all = frame
        if frame["run_id"].duplicated().any():
            frame = frame.sort_values(_COPY_ORDER, kind="stable", na_position="last")
            frame = frame.drop_duplicates("run_id", keep="first")
        # Sort the keys alone, and move the rows only if needed: new batches usually arrive in order.
        order = frame[["_created", "batch_id"]].reset_index(drop=True).sort_values(
            ["_created", "batch_id"], kind="stable", na_position="last").index.to_numpy()
        if not np.array_equal(order, np.arange(len(frame))):
            frame = frame.take(order)
        self._index = frame.drop(columns=["_rank", "_created", "_key"]).reset_index(drop=True)
        self._public = self._index.drop(columns="_file")

    # ---- curves -----------------------------------------------------------------------------------------------------
    def _read_curves(self, wanted: list[tuple[str, list[str]]]) -> list[pa.Table | BadFile | FileNotFoundError]:
        """The curves rows of each (batch, run_ids) in ``wanted``, or the error that reading them raised.

        Files are read on a few threads (pyarrow decodes without the GIL); a bad file is marked and reported here.
        """
        def one(batch: str, ids: list[str]) -> pa.Table | BadFile | FileNotFoundError:
            try:
                return read_file(self.root / file_name(batch, "curves"), CURVES_SCHEMA, "curves", ids,
                                 max_bytes=self._max_bytes)
            except (BadFile, FileNotFoundError) as exc:
                return exc

        if len(wanted) > 1:
            results = list(reader_pool().map(lambda job: one(*job), wanted))
        else:
            results = [one(*job) for job in wanted]
        for (batch, _), result in zip(wanted, results):
            if isinstance(result, BadFile):
                name = file_name(batch, "curves")
                try:
                    self._mark_bad(name, file_key(os.lstat(self.root / name)), str(result))
                except OSError:  # gone since
                    self._warn(name, str(result))
        return results

    def _curves(self, run_ids: Iterable[str]) -> tuple[pa.Table, bool]:
        """Curves of ``run_ids`` as one sorted table, and whether every file needed could be read."""
        wanted = _ids(run_ids)
        complete = True
        tables: list[pa.Table] = []
        with self._lock:
            for _attempt in range(LIST_ATTEMPTS):  # a merge may remove a file between listing and reading: list again
                self._refresh()
                index = self._index
                selected = index[index["run_id"].isin(wanted)]
                wanted_files = [(batch, list(ids)) for batch, ids in selected.groupby("_file", sort=True)["run_id"]]
                results = self._read_curves(wanted_files)
                tables = [result for result in results if isinstance(result, pa.Table)]
                complete = len(tables) == len(results)
                vanished = any(isinstance(result, FileNotFoundError) for result in results)
                if vanished:  # merged away, or lost: list again (drops a batch without curves)
                    self._index_stamp = None
                if not vanished:
                    break
        table = pa.concat_tables(tables) if tables else CURVES_SCHEMA.empty_table()
        return table.sort_by([("run_id", "ascending"), ("epoch", "ascending")]), complete
