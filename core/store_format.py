"""The on-disk format of the results store: schemas, file names, RunRecord <-> Arrow tables, checked reads, the
atomic publish and removal of batches, and the listing of a results folder by kind of file.

``core/store_listing.py`` decides which files to read and keeps the index; ``core/store_curves.py`` reads the
curves of chosen runs; ``core/store.py`` answers lookups.
The format is documented in ``docs/results-schema.md``: a change to a schema here changes that page and
``SCHEMA_VERSION`` in the same commit.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import secrets
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import arrow_build, atomic
from .config import LATE_DEFAULTS, RunConfig, identity_fields
from .record import METRICS, MechanismSnapshot, RunRecord, RunStatus
from .store_folder import BATCH_RE, BadFile, file_name, fsync_dir, open_source, too_large

if TYPE_CHECKING:  # writing a batch never loads pandas (core/arrow_build.py); merging rewrites a frame of the index
    import pandas as pd

SCHEMA_VERSION = 2  # 2: runs.test_every, curves mechanism columns; version 1 files read with their defaults
METADATA_KEY = b"overfit_lab.schema_version"
CURVES_ROW_GROUP = 2_048  # rewritten curves are sorted by run_id: row groups of about 10 runs let a filter skip most

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
def _list(value_type: pa.DataType) -> pa.DataType:
    """A list type whose values are named ``element``, as Parquet names them (``use_compliant_nested_type``): a
    curves file then reads back with exactly ``CURVES_SCHEMA``, and reading it needs no cast (0.16 ms a file)."""
    return pa.list_(pa.field("element", value_type))


CURVES_SCHEMA = pa.schema(
    [("run_id", pa.string()), ("epoch", pa.int32()), *[(m, pa.float64()) for m in METRICS],
     ("elapsed_s", pa.float64()), ("weight_norms", _list(pa.float64())),
     # a MechanismSnapshot in the rows of the few epochs that recorded one; null in the others
     ("weight_hist", _list(_list(pa.int32()))), ("weight_hist_range", _list(_list(pa.float64()))),
     ("act_hist", _list(_list(pa.int32()))), ("act_hist_range", _list(_list(pa.float64()))),
     ("active_fraction", _list(pa.float64()))],
    metadata={METADATA_KEY: str(SCHEMA_VERSION).encode()},
)
SNAPSHOT_FIELDS = {"weight_hist": "weight_counts", "weight_hist_range": "weight_ranges", "act_hist": "act_counts",
                   "act_hist_range": "act_ranges", "active_fraction": "active_fraction"}
"""Curves column -> MechanismSnapshot attribute."""
LATE_COLUMNS: dict[str, Any] = {**LATE_DEFAULTS, **dict.fromkeys(SNAPSHOT_FIELDS)}
"""Columns added after schema_version 1, with the value a file written before them holds in every row."""
TOMBSTONE_SCHEMA = pa.schema(
    [("run_id", pa.string()), ("batch_id", pa.string()), ("deleted_at", pa.string())],
    metadata={METADATA_KEY: str(SCHEMA_VERSION).encode()},
)
CURVE_KEYS = ("epoch", *METRICS, "elapsed_s")  # the keys of RunRecord.curves


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


def run_row(record: RunRecord, batch_id: str) -> dict[str, Any]:
    """The runs row of ``record`` in batch ``batch_id``: one value per column of ``RUNS_SCHEMA``."""
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
    return row


def runs_table(records: Sequence[RunRecord], batch_id: str) -> pa.Table:
    """One runs row per record (columns of ``RUNS_SCHEMA``), all in batch ``batch_id``; built without pandas."""
    columns: dict[str, list] = {name: [] for name in RUNS_SCHEMA.names}
    for record in records:
        row = run_row(record, batch_id)
        for name, values in columns.items():
            values.append(row[name])
    return arrow_build.table(columns, RUNS_SCHEMA)


def runs_table_from_frame(frame: pd.DataFrame) -> pa.Table:
    """Runs rows already read (e.g. the store's index, extra columns dropped) as a table to publish again."""
    table = pa.Table.from_pandas(frame[list(RUNS_SCHEMA.names)], schema=RUNS_SCHEMA, preserve_index=False)
    return table.replace_schema_metadata(RUNS_SCHEMA.metadata)


def curves_table(records: Sequence[RunRecord]) -> pa.Table:
    """One curves row per record and evaluation (columns of ``CURVES_SCHEMA``), grouped by run; built without pandas."""
    n_evals = [record.n_evals for record in records]
    columns: dict[str, Any] = {
        "run_id": [record.run_id for record, n in zip(records, n_evals) for _ in range(n)],
        "epoch": np.concatenate([np.asarray(r.curves["epoch"]) for r in records]).astype(np.int32),
    }
    for name in (*METRICS, "elapsed_s"):
        columns[name] = np.concatenate([np.asarray(r.curves[name], dtype=np.float64) for r in records])
    columns["weight_norms"] = [row for record in records for row in np.asarray(record.weight_norms, dtype=np.float64)]
    snapshots: dict[str, list] = {name: [] for name in SNAPSHOT_FIELDS}
    for record in records:
        by_epoch = {snap.epoch: snap for snap in record.mechanism}
        for epoch in np.asarray(record.curves["epoch"]).tolist():
            snap = by_epoch.get(int(epoch))
            for name, attribute in SNAPSHOT_FIELDS.items():
                snapshots[name].append(None if snap is None else np.asarray(getattr(snap, attribute)))
    columns.update(snapshots)
    return arrow_build.table(columns, CURVES_SCHEMA)


def snapshots_from(curves: pa.Table) -> tuple[MechanismSnapshot, ...]:
    """The MechanismSnapshots held in one run's curves rows (none in a file written before they existed)."""
    import pyarrow.compute as pc  # here: the module costs 50-100 ms to import, and writing needs none

    recorded = curves.filter(pc.is_valid(curves.column("weight_hist")))
    columns = {name: recorded.column(name).to_pylist() for name in ("epoch", *SNAPSHOT_FIELDS)}
    return tuple(
        MechanismSnapshot(
            epoch=int(columns["epoch"][i]),
            weight_counts=np.array(columns["weight_hist"][i], dtype=np.int32),
            weight_ranges=np.array(columns["weight_hist_range"][i], dtype=np.float64),
            act_counts=np.array(columns["act_hist"][i], dtype=np.int32).reshape(len(columns["act_hist"][i]), -1),
            act_ranges=np.array(columns["act_hist_range"][i], dtype=np.float64).reshape(-1, 2),
            active_fraction=np.array(columns["active_fraction"][i], dtype=np.float64),
        )
        for i in range(recorded.num_rows))


# ---- tables -> records --------------------------------------------------------------------------------------------
def record_from(row: Mapping[str, Any], curves: pa.Table) -> RunRecord:
    """The RunRecord of one runs row and its curves rows (sorted by epoch)."""
    import pyarrow.compute as pc  # here: the module costs 50-100 ms to import, and writing needs none

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
        mechanism=snapshots_from(curves),
    )


# ---- publishing ---------------------------------------------------------------------------------------------------
def publish(table: pa.Table, folder: Path, name: str, **write_options: Any) -> None:
    """Publish ``table`` as ``folder/name`` through ``core.atomic.publish`` (temporary file, fsync, rename)."""
    atomic.publish(folder / name, lambda tmp: pq.write_table(table, tmp, **write_options))


def publish_batch(folder: Path, batch: str, runs: pa.Table, curves: pa.Table, **curves_options: Any) -> None:
    """Publish a batch: its curves file first, then its runs file (the commit marker); then fsync the folder.

    If the runs file cannot be published (a full disk), the curves file is removed again: nothing is left behind.
    """
    publish(curves, folder, file_name(batch, "curves"), **curves_options)
    try:
        publish(runs, folder, file_name(batch, "runs"))
    except BaseException:
        (folder / file_name(batch, "curves")).unlink(missing_ok=True)
        raise
    fsync_dir(folder)


# ---- checking rows -----------------------------------------------------------------------------------------------
RUN_ID_RE = re.compile(r"[0-9a-f]{12}")
STATUSES = frozenset(status.value for status in RunStatus)


def _hash(engine_version: str, fields: dict[str, Any]) -> str:
    """``RunConfig.run_id``'s formula (a test pins the two together), without its deep copy of the fields."""
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{engine_version}|{text}".encode()).hexdigest()[:12]


def run_id_for(config: RunConfig, engine_version: str) -> str:
    """The run_id ``config`` had under ``engine_version`` (``config.run_id`` is the one under today's engine)."""
    return _hash(engine_version, identity_fields(config))


def group_id_for(config: RunConfig, engine_version: str) -> str:
    """The group_id ``config`` had under ``engine_version``: its run_id without the seed."""
    fields = identity_fields(config)
    del fields["seed"]
    return _hash(engine_version, fields)


def _row_problem(row: Mapping[str, Any]) -> str | None:
    """Why one runs row cannot be trusted, or None when it can."""
    run_id, status = row["run_id"], row["status"]
    if not isinstance(run_id, str) or not RUN_ID_RE.fullmatch(run_id):
        return "run_id is not 12 hex digits"
    if status not in STATUSES:
        return f"status {str(status)[:40]!r} is not one of {', '.join(sorted(STATUSES))}"
    if not isinstance(row["batch_id"], str) or not BATCH_RE.fullmatch(row["batch_id"]):
        return "batch_id is not a batch name"
    try:
        config = RunConfig.from_json(row["config_json"])
    except Exception as exc:  # a config that no longer validates (or never did) cannot be shown or reused
        return f"config_json is not a valid config ({str(exc).splitlines()[0][:200]})"
    engine_version = str(row["engine_version"])
    if run_id != run_id_for(config, engine_version):
        return "run_id is not the hash of its config_json"
    if row["group_id"] != group_id_for(config, engine_version):
        return "group_id is not the hash of its config_json"
    return None


CHECKED_COLUMNS = ("run_id", "status", "batch_id", "config_json", "engine_version", "group_id")


def row_keys(table: pa.Table) -> list[tuple]:
    """The checked fields of each runs row, as tuples: a row seen (and passed) before need not be checked again."""
    columns = [table.column(name).to_pylist() for name in CHECKED_COLUMNS]
    return list(zip(*columns))


def check_rows(table: pa.Table, trusted: set[tuple] | None = None) -> tuple[pa.Table, list[str]]:
    """The rows of a runs table that can be trusted, and one line per row that cannot (which row, and why).

    A row is trusted when its run_id is 12 hex digits and the hash of its ``config_json`` under its engine
    version, its config still validates, its group_id matches, and its status is known. Rows whose checked fields
    are in ``trusted`` (rows that passed before: ``merge`` and ``compact`` copy rows as they are) are not checked
    again; the rows that pass are added to it.
    """
    trusted = set() if trusted is None else trusted
    problems, keep = [], []
    for i, key in enumerate(row_keys(table)):
        problem = None if key in trusted else _row_problem(dict(zip(CHECKED_COLUMNS, key)))
        keep.append(problem is None)
        if problem:
            problems.append(f"row {i} (run_id {str(key[0])[:40]!r}) skipped: {problem}")
        else:
            trusted.add(key)
    if not problems:
        return table, []
    return table.filter(pa.array(keep)), problems


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
    for name in schema.names:  # a column added in a later version: an older file holds its default in every row
        if name not in present and name in LATE_COLUMNS:
            field = schema.field(name)
            table = table.append_column(field, pa.array([LATE_COLUMNS[name]] * table.num_rows, field.type))
            present.add(name)
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


def _check_unpacked(metadata: pq.FileMetaData, groups: list[int], max_bytes: int) -> None:
    """Refuse to decompress more than ``max_bytes`` (a small file may hold a compression bomb)."""
    unpacked = sum(metadata.row_group(g).total_byte_size for g in groups)
    if unpacked > max_bytes:
        raise BadFile(f"would unpack to {too_large(unpacked, max_bytes)}")


def read_file(path: Path, schema: pa.Schema, kind: str, *, max_bytes: int) -> pa.Table:
    """Read a results file whole, checked against ``schema`` (curves of chosen runs: ``core/store_curves.py``).

    Raises FileNotFoundError if the file is gone, BadFile if it cannot be used (not a regular file, over
    ``max_bytes`` on disk or unpacked, not parquet, not ours).
    """
    source = open_source(path, max_bytes)
    try:
        with pq.ParquetFile(source) as f:
            _check_unpacked(f.metadata, list(range(f.metadata.num_row_groups)), max_bytes)
            return conform(f.read(use_threads=False), schema, kind)
    except BadFile:
        raise
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise BadFile(f"unreadable parquet, truncated or corrupt ({str(exc).splitlines()[0]})") from None
    finally:
        source.close()
