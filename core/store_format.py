"""The on-disk format of the results store: schemas, file names, RunRecord <-> Arrow tables, checked reads, the
atomic publish and removal of batches, and the listing of a results folder by kind of file.

``core/store.py`` decides which files to read, keeps the index and answers lookups.
The format is documented in ``docs/results-schema.md``: a change to a schema here changes that page and
``SCHEMA_VERSION`` in the same commit.
"""
from __future__ import annotations

import bisect
import dataclasses
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .config import RunConfig
from .record import METRICS, RunRecord, RunStatus

SCHEMA_VERSION = 1
METADATA_KEY = b"overfit_lab.schema_version"
CURVES_ROW_GROUP = 16_384  # rewritten curves are sorted by run_id, so small row groups let a run_id filter skip most
ORPHAN_AGE_S = 3600.0      # a curves file without its runs file is an in-progress write, unless older than this

# ---- file names ---------------------------------------------------------------------------------------------------
_STEM = r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}"
BATCH_RE = re.compile(_STEM)  # a batch or tombstone name, as chosen by a caller or made by new_stamp()
FILE_RE = re.compile(rf"(?P<stem>{_STEM})\.(?P<kind>runs|curves|deleted)\.parquet")
TMP_GLOB = ".tmp-*.parquet"   # a writer's file before it is published; dot files are never listed


def file_name(stem: str, kind: str) -> str:
    """``<stem>.<kind>.parquet`` for kind ``runs``, ``curves`` or ``deleted``."""
    return f"{stem}.{kind}.parquet"


def stem(name: str) -> str:
    """The batch (or tombstone) name of a file name: ``abc.runs.parquet`` -> ``abc``."""
    return name.split(".", 1)[0]


def _committed(names: Iterable[str]) -> set[str]:
    """The runs and tombstone files among ``names``: the files a listing must not miss."""
    return {n for n in names if n.endswith((".runs.parquet", ".deleted.parquet")) and FILE_RE.fullmatch(n)}


def new_stamp() -> str:
    """A sortable, unique, filename-safe name: UTC time to the microsecond plus 32 random bits."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S_%fZ") + "-" + secrets.token_hex(4)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


# ---- schemas ------------------------------------------------------------------------------------------------------
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
CURVE_KEYS = ("epoch", *METRICS, "elapsed_s")  # the keys of RunRecord.curves


class BadFile(Exception):
    """A file that cannot be used; the message is the reason shown to the user."""


# ---- records -> tables --------------------------------------------------------------------------------------------
def check_record(record: RunRecord) -> None:
    """Raise TypeError / ValueError, naming the run, if ``record`` cannot be written as it is."""
    if not isinstance(record, RunRecord):
        raise TypeError(f"write() takes RunRecord objects. Got {type(record).__name__} instead.")
    RunStatus(record.status)  # raises ValueError naming the bad status
    keys = set(record.curves)
    if keys != set(CURVE_KEYS):
        raise ValueError(f"Run {record.run_id}: curves must have exactly the keys {', '.join(CURVE_KEYS)}. "
                         f"Missing {sorted(set(CURVE_KEYS) - keys)}, unexpected {sorted(keys - set(CURVE_KEYS))}.")
    lengths = {k: np.shape(record.curves[k]) for k in CURVE_KEYS}
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


def check_batch(records: Sequence[RunRecord], batch: str | None) -> None:
    """Raise TypeError / ValueError if ``records`` cannot be written as one batch named ``batch`` (None: a stamp)."""
    for record in records:
        check_record(record)
    ids = [record.run_id for record in records]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"A batch holds each run once; run_id {', '.join(twice)} appears more than once.")
    if batch is not None and not (isinstance(batch, str) and BATCH_RE.fullmatch(batch)):
        raise ValueError(f"The 'batch' parameter must be 1-128 letters, digits, '_' or '-', starting with a letter "
                         f"or digit. Got {batch!r} instead.")


def _best_val_epoch(record: RunRecord) -> int:
    values = np.asarray(record.curves["val_acc"], dtype=float)
    if not len(values) or np.all(np.isnan(values)):
        return -1
    return int(np.asarray(record.curves["epoch"])[np.nanargmax(values)])


def runs_table(records: Sequence[RunRecord], batch_id: str) -> pa.Table:
    """One runs row per record (columns of ``RUNS_SCHEMA``), all in batch ``batch_id``."""
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


def runs_table_from_frame(frame: pd.DataFrame) -> pa.Table:
    """Runs rows already read (e.g. the store's index, extra columns dropped) as a table to publish again."""
    table = pa.Table.from_pandas(frame[list(RUNS_SCHEMA.names)], schema=RUNS_SCHEMA, preserve_index=False)
    return table.replace_schema_metadata(RUNS_SCHEMA.metadata)


def curves_table(records: Sequence[RunRecord]) -> pa.Table:
    """One curves row per record and evaluation (columns of ``CURVES_SCHEMA``), grouped by run."""
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


# ---- tables -> records --------------------------------------------------------------------------------------------
def record_from(row: Mapping[str, Any], curves: pa.Table) -> RunRecord:
    """The RunRecord of one runs row and its curves rows (sorted by epoch)."""
    config = RunConfig.from_json(row["config_json"])
    n_evals = curves.num_rows
    flat = pc.list_flatten(curves.column("weight_norms")).to_numpy()
    n_layers = len(flat) // n_evals if n_evals else len(config.hidden_sizes) + 1
    return RunRecord(
        config=config, status=RunStatus(row["status"]),
        curves={name: curves.column(name).to_numpy() for name in CURVE_KEYS},
        weight_norms=flat.reshape(n_evals, n_layers), stopped_epoch=int(row["stopped_epoch"]),
        data_fingerprint=row["data_fingerprint"], created_at=row["created_at"],
        duration_s=float(row["duration_s"]), engine_version=row["engine_version"], error=row["error"],
    )


# ---- publishing ---------------------------------------------------------------------------------------------------
def publish(table: pa.Table, folder: Path, name: str, **write_options: Any) -> None:
    """Write ``table`` to a temporary file in ``folder``, fsync it, then atomically rename it to ``name``."""
    tmp = folder / TMP_GLOB.replace("*", secrets.token_hex(8))
    try:
        with open(tmp, "wb") as f:
            pq.write_table(table, f, **write_options)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, folder / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def publish_batch(folder: Path, batch: str, runs: pa.Table, curves: pa.Table, **curves_options: Any) -> None:
    """Publish a batch: its curves file first, then its runs file (the commit marker); then fsync the folder."""
    publish(curves, folder, file_name(batch, "curves"), **curves_options)
    publish(runs, folder, file_name(batch, "runs"))
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
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


# ---- reading ------------------------------------------------------------------------------------------------------
def _file_version(table: pa.Table) -> int:
    raw = (table.schema.metadata or {}).get(METADATA_KEY)
    if raw is None and "schema_version" in table.column_names and table.num_rows:
        raw = str(table.column("schema_version")[0].as_py()).encode()
    if raw is None:
        raise BadFile("not an Overfit Lab results file (no schema_version)")
    try:
        return int(raw)
    except ValueError:
        raise BadFile(f"schema_version {raw.decode(errors='replace')!r} is not an integer") from None


def conform(table: pa.Table, schema: pa.Schema, kind: str) -> pa.Table:
    """Check the version and columns of a file read from disk and cast it to ``schema``; raise BadFile if unfit."""
    version = _file_version(table)
    if version > SCHEMA_VERSION:
        raise BadFile(f"schema_version {version} is newer than this reader ({SCHEMA_VERSION}); upgrade Overfit Lab")
    if version < 1:  # older versions get an upgrade step here when SCHEMA_VERSION moves on
        raise BadFile(f"schema_version {version} is unknown")
    present = set(table.column_names)
    missing = [name for name in schema.names if name not in present]
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise BadFile(f"not an Overfit Lab {kind} file (missing columns {', '.join(missing[:5])}{more})")
    table = table.select(schema.names)
    if table.schema.equals(schema):
        return table
    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
        raise BadFile(f"column types do not match the {kind} schema: {str(exc).splitlines()[0]}") from None


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


def read_file(path: Path, schema: pa.Schema, kind: str, run_ids: Iterable[str] | None = None) -> pa.Table:
    """Read a results file whole, or only the rows of ``run_ids``, checked against ``schema``.

    Raises FileNotFoundError if the file is gone, BadFile if it cannot be used. A run_id filter skips the row
    groups whose statistics rule the ids out: rewritten curves are sorted by run_id. ParquetFile avoids the
    dataset machinery of ``pq.read_table``, which doubles the time to read a small file.
    """
    try:
        with pq.ParquetFile(path) as f:
            if run_ids is None:
                return conform(f.read(use_threads=False), schema, kind)
            ids = sorted(set(run_ids))
            table = conform(f.read_row_groups(_row_groups_with(f.metadata, ids), use_threads=False), schema, kind)
    except (FileNotFoundError, BadFile):
        raise
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise BadFile(f"unreadable parquet, truncated or corrupt ({str(exc).splitlines()[0]})") from None
    keep = pc.is_in(table.column("run_id"), pa.array(ids, pa.string()))
    return table if pc.all(keep).as_py() is not False else table.filter(keep)


def check_footer(path: Path, schema: pa.Schema, kind: str) -> None:
    """Check a file from its footer alone (enough to catch a torn file); raise FileNotFoundError or BadFile."""
    try:
        conform(pq.read_schema(path).empty_table(), schema, kind)
    except (FileNotFoundError, BadFile):
        raise
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise BadFile(f"unreadable parquet, truncated or corrupt ({str(exc).splitlines()[0]})") from None


# ---- the folder ---------------------------------------------------------------------------------------------------
@dataclass
class Scan:
    """One listing of a results folder: file name -> (size, mtime_ns), per kind of file."""

    runs: dict[str, tuple[int, int]]
    curves: dict[str, tuple[int, int]]
    tombstones: dict[str, tuple[int, int]]
    foreign: dict[str, tuple[int, int]]
    listed: set[str] = field(default_factory=set)  # runs and tombstone names as the directory returned them

    @property
    def stamp(self) -> tuple:
        return tuple(sorted((n, *k) for n, k in (*self.runs.items(), *self.tombstones.items())))


def _list_once(folder: Path) -> Scan:
    scan = Scan({}, {}, {}, {})
    by_kind = {"runs": scan.runs, "curves": scan.curves, "deleted": scan.tombstones, "foreign": scan.foreign}
    with os.scandir(folder) as listing:  # names first, then stat: a removal cannot slip between the two
        entries = [e for e in listing if not e.name.startswith(".") and e.name.endswith(".parquet")]
    scan.listed = _committed(e.name for e in entries)
    for entry in entries:  # temporary files, .jobs/ and anything that is not parquet are not ours to judge
        try:
            if not entry.is_file():
                continue
            stat = entry.stat()
        except FileNotFoundError:
            continue
        match = FILE_RE.fullmatch(entry.name)
        by_kind[match["kind"] if match else "foreign"][entry.name] = (stat.st_size, stat.st_mtime_ns)
    return scan


def list_folder(folder: Path, attempts: int = 3) -> Scan:
    """List the results files of ``folder``, checked against a second, names-only listing.

    A directory listing is not a snapshot: a merge that publishes one file and removes another while the listing
    runs could hide both. A second listing that names the same runs and tombstone files proves it did not; after
    ``attempts`` listings that disagree, the last one is returned.
    """
    scan = _list_once(folder)
    for _attempt in range(attempts - 1):
        if _committed(os.listdir(folder)) == scan.listed:
            break
        scan = _list_once(folder)
    return scan


def listing_problems(scan: Scan, now_ns: int) -> dict[str, str]:
    """Problems seen from the names alone: foreign ``*.parquet`` files, and curves files left alone for too long."""
    problems = {name: "not a results file name (expected <batch>.runs.parquet, <batch>.curves.parquet "
                      "or <stamp>.deleted.parquet)" for name in scan.foreign}
    run_stems = {stem(name) for name in scan.runs}
    for name, (_, mtime_ns) in scan.curves.items():
        if stem(name) not in run_stems and now_ns - mtime_ns > ORPHAN_AGE_S * 1e9:
            problems[name] = "curves without a runs file for over an hour (an interrupted write?)"
    return problems


def remove_batch(folder: Path, batch: str) -> None:
    """Remove a batch whose runs are published elsewhere: the runs file (the commit marker) first, then the curves.

    The curves file's mtime is set to now first, so a reader that lists the folder between the two removals takes
    the lone curves file for a write in progress, not for a leftover of an interrupted one.
    """
    curves = folder / file_name(batch, "curves")
    try:
        os.utime(curves)
    except OSError:  # gone already, or not ours to touch: then the short window is only a possible false report
        pass
    (folder / file_name(batch, "runs")).unlink(missing_ok=True)
    curves.unlink(missing_ok=True)


def remove_stale_tmp(folder: Path, max_age_s: float) -> None:
    """Remove the temporary files of writers that died more than ``max_age_s`` seconds ago."""
    cutoff = time.time() - max_age_s
    for path in folder.glob(TMP_GLOB):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass
