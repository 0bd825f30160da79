"""The results store: finished runs as parquet batches in one folder, safe for many writers and readers.

Each ``write`` publishes one batch as ``<batch>.curves.parquet`` (one row per run and epoch) and then
``<batch>.runs.parquet`` (one row per run). The runs file is the commit marker: a batch without it does not exist.
Every file is written under a dot-prefixed temporary name in the same folder, fsynced, then published with
``os.replace``; published files are never modified. Deleting publishes a tombstone ``<stamp>.deleted.parquet``.
``merge`` and ``compact`` rewrite batches into one, publishing the new batch before removing the old ones.

The store is four modules besides this one: the folder as the store sees it (``core/store_folder.py``), the file
format (``core/store_format.py``, schema in ``docs/results-schema.md``), the run index and its problems
(``core/store_listing.py``, with its private on-disk copy in ``core/store_index.py``) and the reading of curves
(``core/store_curves.py``). Import what they define from here.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import pyarrow as pa

from .atomic import NoSpaceError
from .record import RunRecord, RunStatus
from .store_folder import (
    BATCH_RE, MAX_FILE_MB_ENV, ORPHAN_AGE_S, BadFile, file_key, file_name, fsync_dir, list_folder, remove_batch,
    holds_the_same, remove_leftovers, settled_mark, stem,
)
from .store_format import (
    CONFIG_COLUMNS, CURVES_ROW_GROUP, CURVES_SCHEMA, METADATA_KEY, RUNS_SCHEMA, SCHEMA_VERSION, TOMBSTONE_SCHEMA,
    check_batch, curves_table, new_stamp, now_iso, publish, publish_batch, record_from, runs_table,
    runs_table_from_frame,
)
from .store_curves import CURVE_COLUMNS, curves_schema, in_run_order
from .store_frame import COPY_ORDER
from .store_listing import LIST_ATTEMPTS, Problem, StoreListing, StoreWarning

if TYPE_CHECKING:  # pandas loads with the first listing (core/store_listing.py), not with the store: writing needs none
    import pandas as pd

__all__ = [  # the format names are re-exported: callers import them from here
    "CONFIG_COLUMNS", "CURVE_COLUMNS", "CURVES_ROW_GROUP", "CURVES_SCHEMA", "DEFAULT_RESULTS", "MAX_FILE_MB_ENV", "METADATA_KEY",
    "NoSpaceError", "ORPHAN_AGE_S", "RESULTS_ENV", "RUNS_SCHEMA", "SCHEMA_VERSION", "STALE_TMP_AGE_S",
    "TOMBSTONE_SCHEMA", "Problem", "ResultStore", "StoreWarning", "results_dir",
]

DEFAULT_RESULTS = "results"
RESULTS_ENV = "OVERFIT_LAB_RESULTS"
STALE_TMP_AGE_S = ORPHAN_AGE_S  # compact() removes writers' leftovers (temporary files, orphan curves) this old
_CACHE_HIT = (RunStatus.COMPLETE.value, RunStatus.DIVERGED.value)


def results_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The results folder: ``path``, else ``$OVERFIT_LAB_RESULTS``, else ``./results``; created if missing."""
    chosen = path if path else (os.environ.get(RESULTS_ENV) or DEFAULT_RESULTS)
    folder = Path(chosen).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _ids(run_ids: Iterable[str]) -> set[str]:
    """A set of run ids; a single id passed as a string counts as one id, not as its characters."""
    return {run_ids} if isinstance(run_ids, str) else set(run_ids)


class ResultStore(StoreListing):
    """The results folder: write batches of RunRecords, list runs, read curves, delete, merge, report bad files.

    One instance may be shared by threads; any number of instances and processes (on one or several machines
    sharing the folder) may write at once. Listing and problems: ``StoreListing``; curves: ``CurvesReader``.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None):
        super().__init__(results_dir(root))
        self._version: tuple | None = None  # the last call's (settled mark, runs and tombstone names, version)

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
        runs = runs_table(records, batch)
        publish_batch(self.root, batch, runs, curves_table(records))
        self._know(file_name(batch, "runs"), runs)
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
                rows = rows.sort_values(COPY_ORDER, kind="stable", na_position="last").drop_duplicates("run_id")
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
            curves_sorted = in_run_order(curves)
            runs = runs_table_from_frame(live)
            publish_batch(self.root, new_batch, runs, curves_sorted, row_group_size=CURVES_ROW_GROUP)
            self._know(file_name(new_batch, "runs"), runs)
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

    def load_curves(self, run_ids: Iterable[str], columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Curves rows (run_id, epoch, metrics, elapsed_s, weight_norms, snapshots) of ``run_ids``, sorted by run_id,
        epoch.

        Unknown or deleted ids are left out; ``weight_norms`` holds one float array per row, one norm per layer.
        ``columns``: only these columns besides run_id and epoch (e.g. ``CURVE_COLUMNS``, the metrics a curve
        figure draws): a column costs its decoding in every file read, so a caller that drops the norms and
        snapshots reads about 40 % less. Raises ValueError naming an unknown column.
        """
        table, _ = self._curves(run_ids, curves_schema(columns))
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
            self._refresh(settled=True)
            return bool((self._index["run_id"] == run_id).any())

    def cached(self, run_ids: Iterable[str]) -> set[str]:
        """The ids among ``run_ids`` stored as complete or diverged: a full run need not be computed again."""
        wanted = _ids(run_ids)
        with self._lock:
            if not self._may_hold(wanted, _CACHE_HIT):  # a new config: answered without the index (or pandas)
                return set()
            self._refresh(settled=True)
            index = self._index
            hit = index["run_id"].isin(wanted) & index["status"].isin(_CACHE_HIT)
            return set(index.loc[hit, "run_id"])

    def version(self) -> str:
        """A stamp that changes whenever a batch or a tombstone is published or removed.

        Pages call it on every rerun to key their caches, so it reuses the last call's answer while the folder holds
        the same runs and tombstone files: one ``stat`` of a settled folder (``store_folder.settled_mark``), or one
        names-only listing of a folder being written to (11 ms for 20,000 names, against 0.15 s for a listing with
        an ``lstat`` per file). Otherwise it lists the folder.
        """
        last = self._version
        if last is not None and holds_the_same(self.root, last[0], last[1]):
            return last[2]
        mark = settled_mark(self.root)
        scan = list_folder(self.root, LIST_ATTEMPTS)
        version = hashlib.sha1(repr(scan.stamp).encode()).hexdigest()[:16]
        self._version = (mark, scan.listed, version)
        return version

    # ---- curves -----------------------------------------------------------------------------------------------------
    def _read_curves(self, wanted: list[tuple[str, list[str]]],
                     schema: pa.Schema = CURVES_SCHEMA) -> list[pa.Table | BadFile | FileNotFoundError]:
        """The curves rows of each (batch, run_ids) in ``wanted`` (the columns of ``schema``), or the error that
        reading them raised.

        Files are read on a few threads (``CurvesReader``); a bad file is marked and reported here.
        """
        results = self._curves_reader.read(wanted, schema)
        for (batch, _), result in zip(wanted, results):
            if isinstance(result, BadFile):
                name = file_name(batch, "curves")
                try:
                    self._mark_bad(name, file_key(os.lstat(self.root / name)), str(result))
                except OSError:  # gone since
                    self._warn(name, str(result))
        return results

    def _curves(self, run_ids: Iterable[str], schema: pa.Schema = CURVES_SCHEMA) -> tuple[pa.Table, bool]:
        """Curves of ``run_ids`` (the columns of ``schema``) as one sorted table, and whether every file needed
        could be read."""
        wanted = _ids(run_ids)
        complete = True
        tables: list[pa.Table] = []
        with self._lock:
            for _attempt in range(LIST_ATTEMPTS):  # a merge may remove a file between listing and reading: list again
                self._refresh(settled=True)  # the runs just listed: no new listing unless the folder changed
                wanted_files = self._files_of(wanted)
                results = self._read_curves(wanted_files, schema)
                tables = [result for result in results if isinstance(result, pa.Table)]
                complete = len(tables) == len(results)
                vanished = any(isinstance(result, FileNotFoundError) for result in results)
                if vanished:  # merged away, or lost: list again (drops a batch without curves)
                    self._stale()
                if not vanished:
                    break
        return in_run_order(tables, schema), complete
