"""A private index of checked runs rows, so a new process lists a results folder without reading every file.

Reading and checking 1,000 small runs files costs about a second; the rows they hold, once checked, fit in one
file that reads in tens of milliseconds. The index lives in the user's cache folder (``$OVERFIT_LAB_CACHE``, else
``$XDG_CACHE_HOME/overfit-lab``, else ``~/.cache/overfit-lab``), never in the results folder: anyone who can
write the results folder could forge an index there, while this one holds only what this user's store checked.
Each row carries the ``file_key`` (size, mtime, inode, ctime) of the runs file it came from; a file whose key has
changed, or that the index does not know, is read and checked again. Only files without any problem are kept, so
problems are found (and reported) by every new store. An index that cannot be read or written only costs time.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import atomic
from .store_folder import BadFile, open_source
from .store_format import RUNS_SCHEMA, conform
from .user_cache import CACHE_ENV, cache_folder, is_private

__all__ = ["CACHE_ENV", "PersistedIndex", "cache_folder", "index_path", "load_index", "save_index"]

INDEX_VERSION = 1     # bump when the index layout changes: an index of another version is ignored
INDEX_MIN_READS = 32   # a listing that read at least this many runs files saves the index for the next process,
INDEX_MIN_ROWS = 1000  # and so does one that read this many rows (a merged or compacted file)
_KEY_COLUMNS = ("_source", "_size", "_mtime_ns", "_ino", "_ctime_ns")
_META = b"overfit_lab.index_version"


def index_path(root: Path) -> Path:
    """The index file of the results folder ``root`` (one per folder, named by a hash of its real path)."""
    digest = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:24]
    return cache_folder() / f"listing-{digest}.parquet"


class PersistedIndex:
    """The index as read: every indexed runs row in one table, grouped by file in name order, and where each file's
    rows are (``spans``: runs file name -> (file_key, start, stop)).

    A file's rows are cut out of the table only when asked for (``get``, as the plain dict of (file_key, rows) a
    listing keeps answers): cutting 10,000 one-row slices from the 56-column table costs 0.2-0.5 s, while a cold
    listing that finds every file unchanged takes the rows whole (``rows_of``).
    """

    def __init__(self, rows: pa.Table, spans: dict[str, tuple[tuple, int, int]]):
        self.rows = rows
        self.spans = spans

    def __len__(self) -> int:
        return len(self.spans)

    def __contains__(self, name: object) -> bool:
        return name in self.spans

    def get(self, name: str, default: object = None) -> tuple[tuple, pa.Table] | object:
        """(file_key, rows) of runs file ``name``, or ``default`` when the index does not hold it."""
        span = self.spans.get(name)
        if span is None:
            return default
        key, start, stop = span
        return key, self.rows.slice(start, stop - start)

    def rows_of(self, names: list[str]) -> pa.Table:
        """The rows of the runs files ``names`` (all held by the index), in that order, as one table."""
        if names == list(self.spans):
            return self.rows
        return self.rows.take(np.concatenate([np.arange(*self.spans[name][1:]) for name in names] or
                                             [np.zeros(0, dtype=np.int64)]))


def load_index(root: Path, max_bytes: int) -> PersistedIndex | dict:
    """The index of ``root`` (runs file name -> (file_key, its checked rows)); {} without a usable index.

    An index is used only if it is a regular file owned by this user and writable by no one else.
    """
    path = index_path(root)
    try:
        if not is_private(path.lstat()):
            return {}
        with pq.ParquetFile(open_source(path, max_bytes)) as f:
            table = f.read(use_threads=False)
        if (table.schema.metadata or {}).get(_META) != str(INDEX_VERSION).encode():
            return {}
        keys = table.select(list(_KEY_COLUMNS))
        rows = conform(table.drop_columns(list(_KEY_COLUMNS)).replace_schema_metadata(RUNS_SCHEMA.metadata),
                       RUNS_SCHEMA, "runs")
    except (OSError, BadFile, pa.ArrowException, ValueError, KeyError):
        return {}
    if not rows.num_rows:
        return {}
    sources = keys.column("_source").to_numpy(zero_copy_only=False)
    starts = np.flatnonzero(np.r_[True, sources[1:] != sources[:-1]])  # rows are grouped by source file
    ends = np.r_[starts[1:], len(sources)]
    file_keys = np.stack([keys.column(name).to_numpy() for name in _KEY_COLUMNS[1:]], axis=1)[starts].tolist()
    return PersistedIndex(rows.combine_chunks(), {sources[s]: (tuple(key), s, e) for s, e, key in
                                                   zip(starts.tolist(), ends.tolist(), file_keys)})


def save_index(root: Path, tables: dict[str, tuple[tuple, pa.Table]]) -> PersistedIndex | None:
    """Publish the index of ``root``: the checked rows of ``tables`` (runs file name -> (file_key, rows)).

    Returns the same rows as a ``PersistedIndex`` (one table, each file's span; None if no file has a row), which a
    store can keep instead of one table per file: after the first listing of 10,000 one-run batches, those held
    most of the process's 1.2 GB.
    """
    names, parts, spans, start = [], [], {}, 0
    for name in sorted(tables):
        key, table = tables[name]
        n = table.num_rows
        if not n:
            continue
        names.append(name)
        parts.append(table)
        spans[name] = (key, start, start + n)
        start += n
    if not parts:
        return None
    rows = pa.concat_tables(parts).combine_chunks()
    counts = np.array([spans[name][2] - spans[name][1] for name in names])
    keys = np.repeat(np.array([spans[name][0] for name in names], dtype=np.int64), counts, axis=0)  # (rows, 4)
    extra = [pa.array(np.repeat(np.array(names, dtype=object), counts), pa.string()),
             *(pa.array(keys[:, k]) for k in range(keys.shape[1]))]
    index = pa.Table.from_arrays([*rows.columns, *extra], names=[*rows.column_names, *_KEY_COLUMNS])
    index = index.replace_schema_metadata({_META: str(INDEX_VERSION).encode()})
    path = index_path(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic.publish(path, lambda tmp: pq.write_table(index, tmp), fsync=False)
    except OSError:  # a cache folder that cannot be written only costs time
        pass
    return PersistedIndex(rows, spans)

