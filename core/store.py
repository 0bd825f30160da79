"""The results store: finished runs as parquet batches in one folder, safe for many writers and readers.

Each ``write`` publishes one batch as ``<batch>.curves.parquet`` (one row per run and epoch) and then
``<batch>.runs.parquet`` (one row per run). The runs file is the commit marker: a batch without it does not exist.
Every file is written under a dot-prefixed temporary name in the same folder, fsynced, then published with
``os.replace``; published files are never modified. Deleting publishes a tombstone ``<stamp>.deleted.parquet``.
The schema is documented in ``docs/results-schema.md``.
"""
from __future__ import annotations

import bisect
import dataclasses
import hashlib
import os
import re
import secrets
import threading
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .config import RunConfig
from .record import METRICS, RunRecord, RunStatus

DEFAULT_RESULTS = "results"
RESULTS_ENV = "OVERFIT_LAB_RESULTS"
SCHEMA_VERSION = 1
METADATA_KEY = b"overfit_lab.schema_version"
ORPHAN_AGE_S = 3600.0      # a curves file without its runs file is an in-progress write, unless older than this
STALE_TMP_AGE_S = 86400.0  # compact() removes temporary files of writers that died longer ago than this
CURVES_ROW_GROUP = 16_384  # compacted curves are sorted by run_id, so small row groups let a run_id filter skip most

_STEM = r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}"
_BATCH_RE = re.compile(_STEM)
_FILE_RE = re.compile(rf"(?P<stem>{_STEM})\.(?P<kind>runs|curves|deleted)\.parquet")
_CACHE_HIT = (RunStatus.COMPLETE.value, RunStatus.DIVERGED.value)
# When one run_id is stored twice, the kept copy is the one that best answers a cache lookup, then the earliest.
_STATUS_RANK = {RunStatus.COMPLETE.value: 0, RunStatus.DIVERGED.value: 0,
                RunStatus.PRUNED.value: 1, RunStatus.FAILED.value: 2}


def results_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The results folder: ``path``, else ``$OVERFIT_LAB_RESULTS``, else ``./results``; created if missing."""
    chosen = path if path else (os.environ.get(RESULTS_ENV) or DEFAULT_RESULTS)
    folder = Path(chosen).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ---- schema -------------------------------------------------------------------------------------------------------
def _config_fields() -> list[pa.Field]:
    defaults = RunConfig()
    fields = []
    for f in dataclasses.fields(RunConfig):
        value = getattr(defaults, f.name)
        if isinstance(value, bool):  # before int: bool is an int
            kind = pa.bool_()
        elif isinstance(value, int):
            kind = pa.int64()
        elif isinstance(value, float):
            kind = pa.float64()
        else:  # str, and hidden_sizes as "100,100,100"
            kind = pa.string()
        fields.append(pa.field(f.name, kind))
    return fields


CONFIG_COLUMNS = tuple(f.name for f in dataclasses.fields(RunConfig))
RUNS_SCHEMA = pa.schema(
    [
        ("schema_version", pa.int64()), ("batch_id", pa.string()), ("run_id", pa.string()), ("group_id", pa.string()),
        ("label", pa.string()), ("status", pa.string()), ("stopped_epoch", pa.int64()), ("created_at", pa.string()),
        ("duration_s", pa.float64()), ("engine_version", pa.string()), ("data_fingerprint", pa.string()),
        ("error", pa.string()), ("config_json", pa.string()),
        *_config_fields(),
        ("architecture", pa.string()),
        *[(f"{kind}_{m}", pa.float64()) for m in METRICS for kind in ("final", "best")],
        ("best_val_epoch", pa.int64()), ("final_gap", pa.float64()),
    ],
    metadata={METADATA_KEY: str(SCHEMA_VERSION).encode()},
)
CURVES_SCHEMA = pa.schema(
    [("run_id", pa.string()), ("epoch", pa.int32()), *[(m, pa.float64()) for m in METRICS],
     ("elapsed_s", pa.float64()), ("weight_norms", pa.list_(pa.float64()))],
    metadata={METADATA_KEY: str(SCHEMA_VERSION).encode()},
)
TOMBSTONE_SCHEMA = pa.schema(
    [("run_id", pa.string()), ("batch_id", pa.string()), ("deleted_at", pa.string())],
    metadata={METADATA_KEY: str(SCHEMA_VERSION).encode()},
)
_CURVE_KEYS = ("epoch", *METRICS, "elapsed_s")


@dataclass(frozen=True)
class Problem:
    """A file in the results folder that is skipped, and why."""

    path: Path
    reason: str


class StoreWarning(UserWarning):
    """A results file was skipped (see ``ResultStore.problems``)."""


class _BadFile(Exception):
    """A file that cannot be used; the message is the reason shown to the user."""


# ---- records -> tables --------------------------------------------------------------------------------------------
def _check_record(record: RunRecord) -> None:
    if not isinstance(record, RunRecord):
        raise TypeError(f"write() takes RunRecord objects. Got {type(record).__name__} instead.")
    RunStatus(record.status)  # raises ValueError naming the bad status
    keys = set(record.curves)
    if keys != set(_CURVE_KEYS):
        raise ValueError(f"Run {record.run_id}: curves must have exactly the keys {', '.join(_CURVE_KEYS)}. "
                         f"Missing {sorted(set(_CURVE_KEYS) - keys)}, unexpected {sorted(keys - set(_CURVE_KEYS))}.")
    lengths = {k: np.shape(record.curves[k]) for k in _CURVE_KEYS}
    n_evals = lengths["epoch"][0] if len(lengths["epoch"]) == 1 else -1
    if any(shape != (n_evals,) for shape in lengths.values()):
        raise ValueError(f"Run {record.run_id}: every curve must be 1-D of the same length. Got shapes {lengths}.")
    epochs = np.asarray(record.curves["epoch"])
    if n_evals and not np.array_equal(epochs, np.round(epochs)):
        raise ValueError(f"Run {record.run_id}: epochs must be integers. Got {epochs[:5]!r}...")
    norms_shape = np.shape(record.weight_norms)
    if len(norms_shape) != 2 or norms_shape[0] != n_evals:
        raise ValueError(f"Run {record.run_id}: weight_norms must be (n_evals, n_layers) = ({n_evals}, k). "
                         f"Got {norms_shape} instead.")


def _best_val_epoch(record: RunRecord) -> int:
    values = np.asarray(record.curves["val_acc"], dtype=float)
    if not len(values) or np.all(np.isnan(values)):
        return -1
    return int(np.asarray(record.curves["epoch"])[np.nanargmax(values)])


def _runs_table(records: Sequence[RunRecord], batch_id: str) -> pa.Table:
    rows = []
    for record in records:
        config = record.config
        row = {
            "schema_version": SCHEMA_VERSION, "batch_id": batch_id, "run_id": record.run_id,
            "group_id": record.group_id, "label": config.label(), "status": RunStatus(record.status).value,
            "stopped_epoch": int(record.stopped_epoch), "created_at": record.created_at,
            "duration_s": float(record.duration_s), "engine_version": record.engine_version,
            "data_fingerprint": record.data_fingerprint, "error": record.error, "config_json": config.to_json(),
        }
        for name, value in config.to_dict().items():
            row[name] = ",".join(map(str, value)) if name == "hidden_sizes" else value
        row["architecture"] = config.architecture
        for metric in METRICS:
            row[f"final_{metric}"] = record.final(metric)
            row[f"best_{metric}"] = record.best(metric)
        row["best_val_epoch"] = _best_val_epoch(record)
        row["final_gap"] = row["final_train_acc"] - row["final_test_acc"]
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=RUNS_SCHEMA)


def _curves_table(records: Sequence[RunRecord]) -> pa.Table:
    n_evals = np.array([record.n_evals for record in records])
    columns: dict[str, pa.Array] = {
        "run_id": pa.array(np.repeat([record.run_id for record in records], n_evals).astype(object), pa.string()),
        "epoch": pa.array(np.concatenate([np.asarray(r.curves["epoch"]) for r in records]).astype(np.int32)),
    }
    for name in (*METRICS, "elapsed_s"):
        columns[name] = pa.array(np.concatenate([np.asarray(r.curves[name], dtype=np.float64) for r in records]))
    norms = [np.asarray(record.weight_norms, dtype=np.float64) for record in records]
    row_lengths = np.concatenate([np.full(len(w), w.shape[1], dtype=np.int32) for w in norms])
    offsets = np.concatenate([[0], np.cumsum(row_lengths, dtype=np.int32)]).astype(np.int32)
    flat = np.concatenate([w.reshape(-1) for w in norms])
    columns["weight_norms"] = pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat, pa.float64()))
    return pa.table(columns, schema=CURVES_SCHEMA)


# ---- files --------------------------------------------------------------------------------------------------------
def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def _new_stamp() -> str:
    """A sortable, unique, filename-safe name: UTC time to the microsecond plus 32 random bits."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S_%fZ") + "-" + secrets.token_hex(4)


def _publish(table: pa.Table, folder: Path, name: str, **write_options) -> None:
    """Write ``table`` to a temporary file in ``folder``, fsync it, then atomically rename it to ``name``."""
    tmp = folder / f".tmp-{secrets.token_hex(8)}.parquet"
    try:
        with open(tmp, "wb") as f:
            pq.write_table(table, f, **write_options)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, folder / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable (POSIX); a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _file_version(table: pa.Table) -> int:
    raw = (table.schema.metadata or {}).get(METADATA_KEY)
    if raw is None and "schema_version" in table.column_names and table.num_rows:
        raw = str(table.column("schema_version")[0].as_py()).encode()
    if raw is None:
        raise _BadFile("not an Overfit Lab results file (no schema_version)")
    try:
        return int(raw)
    except ValueError:
        raise _BadFile(f"schema_version {raw.decode(errors='replace')!r} is not an integer") from None


def _conform(table: pa.Table, schema: pa.Schema, kind: str) -> pa.Table:
    """Check the version and columns of a file read from disk and cast it to ``schema``."""
    version = _file_version(table)
    if version > SCHEMA_VERSION:
        raise _BadFile(f"schema_version {version} is newer than this reader ({SCHEMA_VERSION}); upgrade Overfit Lab")
    if version < 1:  # older versions get an upgrade step here when SCHEMA_VERSION moves on
        raise _BadFile(f"schema_version {version} is unknown")
    present = set(table.column_names)
    missing = [name for name in schema.names if name not in present]
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise _BadFile(f"not an Overfit Lab {kind} file (missing columns {', '.join(missing[:5])}{more})")
    table = table.select(schema.names)
    if table.schema.equals(schema):
        return table
    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
        raise _BadFile(f"column types do not match the {kind} schema: {str(exc).splitlines()[0]}") from None


def _row_groups_with(metadata: pq.FileMetaData, ids: list[str]) -> list[int]:
    """Row groups whose run_id min/max statistics can hold one of the sorted ``ids`` (all, without statistics)."""
    names = [metadata.schema.column(i).path for i in range(metadata.num_columns)]
    if "run_id" not in names:
        return list(range(metadata.num_row_groups))
    column = names.index("run_id")
    groups = []
    for g in range(metadata.num_row_groups):
        stats = metadata.row_group(g).column(column).statistics
        if stats is None or not stats.has_min_max:
            groups.append(g)
            continue
        i = bisect.bisect_left(ids, stats.min)
        if i < len(ids) and ids[i] <= stats.max:
            groups.append(g)
    return groups


def _read_file(path: Path, schema: pa.Schema, kind: str, run_ids: Iterable[str] | None = None) -> pa.Table:
    """Read a results file whole, or only the rows of ``run_ids``, checked against ``schema``.

    A run_id filter skips the row groups whose statistics rule the ids out: compacted curves are sorted by run_id.
    ParquetFile avoids the dataset machinery of ``pq.read_table``, which doubles the time to read a small file.
    """
    try:
        with pq.ParquetFile(path) as f:
            if run_ids is None:
                return _conform(f.read(use_threads=False), schema, kind)
            ids = sorted(set(run_ids))
            table = _conform(f.read_row_groups(_row_groups_with(f.metadata, ids), use_threads=False), schema, kind)
    except (FileNotFoundError, _BadFile):
        raise
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _BadFile(f"unreadable parquet, truncated or corrupt ({str(exc).splitlines()[0]})") from None
    keep = pc.is_in(table.column("run_id"), pa.array(ids, pa.string()))
    return table if pc.all(keep).as_py() is not False else table.filter(keep)


@dataclass
class _Scan:
    """One listing of the folder: file name -> (size, mtime_ns), per kind of file."""

    runs: dict[str, tuple[int, int]]
    curves: dict[str, tuple[int, int]]
    tombstones: dict[str, tuple[int, int]]
    foreign: dict[str, tuple[int, int]]

    @property
    def stamp(self) -> tuple:
        return tuple(sorted((n, *k) for n, k in (*self.runs.items(), *self.tombstones.items())))


def _frame(names: list[str], tables: list[pa.Table]) -> pd.DataFrame:
    """Runs rows as pandas, with the helper columns the index needs: source file, status rank, parsed time, key."""
    frame = (pa.concat_tables(tables) if tables else RUNS_SCHEMA.empty_table()).to_pandas()
    frame["_file"] = np.repeat([_stem(n) for n in names], [t.num_rows for t in tables]).astype(object)
    frame["_rank"] = frame["status"].map(_STATUS_RANK).fillna(3).astype(int)
    frame["_created"] = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601", errors="coerce")
    frame["_key"] = frame["run_id"] + "/" + frame["batch_id"]
    return frame


def _ids(run_ids: Iterable[str]) -> set[str]:
    """A set of run ids; a single id passed as a string counts as one id, not as its characters."""
    return {run_ids} if isinstance(run_ids, str) else set(run_ids)


def _stem(name: str) -> str:
    return name.split(".", 1)[0]


class ResultStore:
    """The results folder: write batches of RunRecords, list runs, read curves, delete, report bad files.

    One instance may be shared by threads; any number of instances and processes (on one or several machines
    sharing the folder) may write at once. Listing keeps each runs file's table in memory, keyed on
    (name, size, mtime_ns), so listing again reads only new files.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None):
        self.root = results_dir(root)
        self._lock = threading.RLock()
        self._tables: dict[str, tuple[tuple[int, int], pa.Table]] = {}  # runs and tombstone files that read fine
        self._bad: dict[str, tuple[tuple[int, int], str]] = {}           # files that did not, with the reason
        self._curves_ok: dict[str, tuple[int, int]] = {}                  # curves files whose footer checked out
        self._warned: set[str] = set()
        self._missing_curves: set[str] = set()                            # runs files whose curves file is gone
        self._index_stamp: tuple | None = None
        self._runs_used: list[str] = []                                 # runs files behind the current index
        self._tombstones_used: list[str] = []
        self._raw = _frame([], [])                                        # every row of every readable runs file
        self._raw_keys: dict[str, tuple[int, int]] = {}                   # the files in _raw
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
        for record in records:
            _check_record(record)
        ids = [record.run_id for record in records]
        if len(set(ids)) != len(ids):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            raise ValueError(f"A batch holds each run once; run_id {', '.join(twice)} appears more than once.")
        if batch is None:
            batch = _new_stamp()
            while self._batch_exists(batch):
                batch = _new_stamp()
        elif not isinstance(batch, str) or not _BATCH_RE.fullmatch(batch):
            raise ValueError(f"The 'batch' parameter must be 1-128 letters, digits, '_' or '-', starting with a letter "
                             f"or digit. Got {batch!r} instead.")
        elif self._batch_exists(batch):
            raise FileExistsError(f"Batch {batch!r} already exists in {self.root}; published batches are immutable.")
        runs = _runs_table(records, batch)
        curves = _curves_table(records)
        _publish(curves, self.root, f"{batch}.curves.parquet")
        _publish(runs, self.root, f"{batch}.runs.parquet")  # the commit marker goes last
        _fsync_dir(self.root)
        return batch

    def _batch_exists(self, batch: str) -> bool:
        return any((self.root / f"{batch}.{kind}.parquet").exists() for kind in ("runs", "curves"))

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
                          "deleted_at": [_now_iso()] * len(hit)}, schema=TOMBSTONE_SCHEMA)
        _publish(table, self.root, f"{_new_stamp()}.deleted.parquet")
        _fsync_dir(self.root)
        return int(hit["run_id"].nunique())

    def compact(self) -> str:
        """Rewrite every readable batch into one, without deleted or duplicate runs; return the new batch id.

        The new batch is published before the old files are removed, so a reader always sees every run (the overlap
        is removed by the dedupe on run_id). Runs keep their original ``batch_id``. Returns "" if nothing was left.
        """
        with self._lock:
            self._refresh()
            index = self._index
            runs_used, tombstones_used = list(self._runs_used), list(self._tombstones_used)
            kept: set[str] = set()  # runs files left alone because their curves could not be read
            curves = []
            for stem, ids in index.groupby("_file", sort=True)["run_id"]:
                try:
                    curves.append(self._read_curves(stem, list(ids)))
                except (_BadFile, FileNotFoundError):
                    kept.add(stem)
            live = index[~index["_file"].isin(kept)]
            new_batch = ""
            if len(live):
                new_batch = _new_stamp()
                runs_table = pa.Table.from_pandas(live.drop(columns="_file"), schema=RUNS_SCHEMA, preserve_index=False)
                runs_table = runs_table.replace_schema_metadata(RUNS_SCHEMA.metadata)
                curves_table = pa.concat_tables(curves).sort_by([("run_id", "ascending"), ("epoch", "ascending")])
                _publish(curves_table, self.root, f"{new_batch}.curves.parquet", row_group_size=CURVES_ROW_GROUP)
                _publish(runs_table, self.root, f"{new_batch}.runs.parquet")
                _fsync_dir(self.root)
            old = [_stem(name) for name in runs_used if _stem(name) not in kept]
            for stem in old:  # commit markers first: a batch without its runs file no longer exists
                (self.root / f"{stem}.runs.parquet").unlink(missing_ok=True)
            for stem in old:
                (self.root / f"{stem}.curves.parquet").unlink(missing_ok=True)
            if not kept:  # a tombstone may still hide a run in a kept file
                for name in tombstones_used:
                    (self.root / name).unlink(missing_ok=True)
            self._remove_stale_tmp()
            return new_batch

    def _remove_stale_tmp(self) -> None:
        cutoff = time.time() - STALE_TMP_AGE_S
        for path in self.root.glob(".tmp-*.parquet"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except FileNotFoundError:
                pass

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
        row = rows.iloc[0]
        config = RunConfig.from_json(row["config_json"])
        curves = {name: table.column(name).to_numpy() for name in _CURVE_KEYS}
        n_evals = table.num_rows
        flat = pc.list_flatten(table.column("weight_norms")).to_numpy()
        n_layers = len(flat) // n_evals if n_evals else len(config.hidden_sizes) + 1
        return RunRecord(
            config=config, status=RunStatus(row["status"]), curves=curves,
            weight_norms=flat.reshape(n_evals, n_layers), stopped_epoch=int(row["stopped_epoch"]),
            data_fingerprint=row["data_fingerprint"], created_at=row["created_at"],
            duration_s=float(row["duration_s"]), engine_version=row["engine_version"], error=row["error"],
        )

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
        stamp = self._scan().stamp
        return hashlib.sha1(repr(stamp).encode()).hexdigest()[:16]

    def problems(self) -> list[Problem]:
        """Files skipped as unreadable, foreign, too new, or left over by an interrupted write; each warned once."""
        with self._lock:
            scan = self._refresh()
            for name, key in scan.curves.items():  # reading the footer is enough to catch a torn file
                if self._curves_ok.get(name) == key or self._bad.get(name, (None,))[0] == key:
                    continue
                try:
                    _conform(pq.read_schema(self.root / name).empty_table(), CURVES_SCHEMA, "curves")
                    self._curves_ok[name] = key
                except FileNotFoundError:
                    continue
                except _BadFile as exc:
                    self._mark_bad(name, key, str(exc))
                except (pa.ArrowException, OSError, ValueError) as exc:
                    self._mark_bad(name, key, f"unreadable parquet, truncated or corrupt ({str(exc).splitlines()[0]})")
            found = []
            for kind in (scan.runs, scan.curves, scan.tombstones):
                for name, key in kind.items():
                    bad = self._bad.get(name)
                    if bad and bad[0] == key:
                        found.append(Problem(self.root / name, bad[1]))
            found += [Problem(self.root / name, reason) for name, reason in self._name_problems(scan).items()]
            found += [Problem(self.root / name, "its curves file is missing")
                      for name in self._missing_curves if name in scan.runs]
            return sorted(found, key=lambda p: p.path.name)

    # ---- internals --------------------------------------------------------------------------------------------------
    def _scan(self) -> _Scan:
        scan = _Scan({}, {}, {}, {})
        by_kind = {"runs": scan.runs, "curves": scan.curves, "deleted": scan.tombstones, "foreign": scan.foreign}
        with os.scandir(self.root) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith(".") or not name.endswith(".parquet"):
                    continue  # temporary files, .jobs/ and anything that is not parquet are not ours to judge
                try:
                    if not entry.is_file():
                        continue
                    stat = entry.stat()
                except FileNotFoundError:
                    continue
                match = _FILE_RE.fullmatch(name)
                by_kind[match["kind"] if match else "foreign"][name] = (stat.st_size, stat.st_mtime_ns)
        return scan

    def _name_problems(self, scan: _Scan) -> dict[str, str]:
        """Problems seen from the listing alone (no file is read); warned once each."""
        problems = {name: "not a results file name (expected <batch>.runs.parquet, <batch>.curves.parquet "
                          "or <stamp>.deleted.parquet)" for name in scan.foreign}
        run_stems = {_stem(name) for name in scan.runs}
        now_ns = time.time_ns()
        for name, (_, mtime_ns) in scan.curves.items():
            if _stem(name) not in run_stems and now_ns - mtime_ns > ORPHAN_AGE_S * 1e9:
                problems[name] = "curves without a runs file for over an hour (an interrupted write?)"
        for name, reason in problems.items():
            self._warn(name, reason)
        return problems

    def _warn(self, name: str, reason: str) -> None:
        if name not in self._warned:
            self._warned.add(name)
            warnings.warn(f"skipping {name}: {reason}", StoreWarning, stacklevel=2)

    def _mark_bad(self, name: str, key: tuple[int, int], reason: str) -> None:
        self._bad[name] = (key, reason)
        self._warn(name, reason)

    def _table(self, name: str, key: tuple[int, int], reader: Callable[[Path], pa.Table]) -> pa.Table | None:
        """The table of a runs or tombstone file, from memory if (name, size, mtime_ns) is unchanged."""
        cached = self._tables.get(name)
        if cached and cached[0] == key:
            return cached[1]
        bad = self._bad.get(name)
        if bad and bad[0] == key:
            return None
        try:
            table = reader(self.root / name)
        except FileNotFoundError:  # removed since the listing (a compaction): the next listing will not show it
            return None
        except _BadFile as exc:
            self._mark_bad(name, key, str(exc))
            return None
        self._tables[name] = (key, table)
        self._bad.pop(name, None)
        return table

    def _refresh(self) -> _Scan:
        """List the folder and rebuild the run index if a runs or tombstone file appeared, changed or went away."""
        scan = self._scan()
        self._name_problems(scan)
        if scan.stamp == self._index_stamp:
            return scan
        present = {*scan.runs, *scan.curves, *scan.tombstones}
        for cache in (self._tables, self._bad, self._curves_ok):
            for name in [n for n in cache if n not in present]:
                del cache[name]
        runs: dict[str, pa.Table] = {}
        for name in sorted(scan.runs):
            table = self._table(name, scan.runs[name], lambda p: _read_file(p, RUNS_SCHEMA, "runs"))
            if table is not None and self._has_curves(name, scan):
                runs[name] = table
        tombstones: dict[str, pa.Table] = {}
        for name in sorted(scan.tombstones):
            table = self._table(name, scan.tombstones[name], lambda p: _read_file(p, TOMBSTONE_SCHEMA, "tombstone"))
            if table is not None:
                tombstones[name] = table
        keys = {name: scan.runs[name] for name in runs}
        if self._raw_keys.items() <= keys.items():  # only new files: append them to the rows already converted
            new = [name for name in runs if name not in self._raw_keys]
            if new:
                self._raw = pd.concat([self._raw, _frame(new, [runs[n] for n in new])], ignore_index=True)
        else:  # a file went away (compaction) or changed: convert everything again
            self._raw = _frame(list(runs), list(runs.values()))
        self._raw_keys = keys
        self._build_index(list(tombstones.values()))
        self._runs_used, self._tombstones_used = list(runs), list(tombstones)
        self._index_stamp = scan.stamp
        return scan

    def _has_curves(self, name: str, scan: _Scan) -> bool:
        """Whether the batch of runs file ``name`` is whole; a batch without its curves file is skipped.

        The listing may miss a file created while it ran, so the folder is asked again before calling it missing.
        """
        curves = f"{_stem(name)}.curves.parquet"
        if curves in scan.curves or (self.root / curves).exists():
            self._missing_curves.discard(name)
            return True
        if (self.root / name).exists():  # not a compaction that removed both: the curves file was lost
            self._missing_curves.add(name)
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
            frame = frame.sort_values(["_rank", "_created", "batch_id", "_file"], kind="stable", na_position="last")
            frame = frame.drop_duplicates("run_id", keep="first")
        # Sort the keys alone, and move the rows only if needed: new batches usually arrive in order.
        order = frame[["_created", "batch_id"]].reset_index(drop=True).sort_values(
            ["_created", "batch_id"], kind="stable", na_position="last").index.to_numpy()
        if not np.array_equal(order, np.arange(len(frame))):
            frame = frame.take(order)
        self._index = frame.drop(columns=["_rank", "_created", "_key"]).reset_index(drop=True)
        self._public = self._index.drop(columns="_file")

    def _read_curves(self, stem: str, run_ids: list[str]) -> pa.Table:
        name = f"{stem}.curves.parquet"
        try:
            return _read_file(self.root / name, CURVES_SCHEMA, "curves", run_ids)
        except _BadFile as exc:
            try:
                stat = (self.root / name).stat()
                self._mark_bad(name, (stat.st_size, stat.st_mtime_ns), str(exc))
            except FileNotFoundError:
                pass
            raise

    def _curves(self, run_ids: Iterable[str]) -> tuple[pa.Table, bool]:
        """Curves of ``run_ids`` as one sorted table, and whether every file needed could be read."""
        wanted = _ids(run_ids)
        complete = True
        tables: list[pa.Table] = []
        with self._lock:
            for _attempt in range(3):  # a compaction may remove a file between listing and reading: list again
                self._refresh()
                index = self._index
                selected = index[index["run_id"].isin(wanted)]
                tables, complete, vanished = [], True, False
                for stem, ids in selected.groupby("_file", sort=True)["run_id"]:
                    try:
                        tables.append(self._read_curves(stem, list(ids)))
                    except _BadFile:
                        complete = False
                    except FileNotFoundError:  # compacted away, or lost: list again (drops a batch without curves)
                        complete, vanished = False, True
                        self._index_stamp = None
                if not vanished:
                    break
        table = pa.concat_tables(tables) if tables else CURVES_SCHEMA.empty_table()
        return table.sort_by([("run_id", "ascending"), ("epoch", "ascending")]), complete
