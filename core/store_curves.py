"""Reading the curves rows of chosen runs from the curves files, in any layout the folder is in.

A folder holds one curves file per batch: many small ones (runs as the workers publish them), a few merged ones,
or one compacted one, sorted by run_id in row groups of ``CURVES_ROW_GROUP`` rows. Reading the curves of 100 runs
opens up to 100 files, or decodes about 100 row groups of one file. What costs there, measured (``bench_store``),
is the fixed work per file and per row group, not the bytes: so each file's footer (its metadata, parsed, and the
run_id range of each row group as two arrays) is kept in memory, keyed on the file's (size, mtime, inode, ctime)
as ``fstat`` of the opened descriptor gives it, and only the row groups that can hold a wanted run are decoded.
Published files are never modified, so a footer stays true until its file is removed; one whose key changed is
parsed again. Every safety check of ``core/store_format.read_file`` holds: no-follow opens and the size cap
(``open_source``), the version and columns of the file, and the unpacked size of what is decoded.
"""
from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from .record import METRICS
from .store_folder import READER_THREADS, BadFile, file_name, open_keyed, reader_pool, too_large
from .store_format import CURVES_SCHEMA, conform

CURVE_COLUMNS = (*METRICS, "elapsed_s")
"""What a curve figure draws (``load_curves(ids, columns=CURVE_COLUMNS)``): the metrics, without norms and snapshots."""
RUNS_PER_PART = 16         # fewer runs of one file are read by one thread: a part's fixed cost is about a run's
FOOTER_CACHE_FILES = 4096  # footers kept in memory (a small file's is a few kB; a compacted 10,000 runs' ~2 MB)
Key = tuple


@dataclass(frozen=True, eq=False)
class Footer:
    """What one version of a curves file says about itself: its metadata and each row group's run_id range."""

    key: Key                          # the file_key it was read at
    metadata: pq.FileMetaData
    low: npt.NDArray[np.str_]         # (n_groups,) smallest run_id of each row group
    high: npt.NDArray[np.str_]        # (n_groups,) largest
    known: npt.NDArray[np.bool_]      # (n_groups,) whether the range is known (no statistics: read the group)
    unpacked: npt.NDArray[np.int64]   # (n_groups,) bytes each row group unpacks to
    exact: bool = False               # the file's schema is CURVES_SCHEMA, version included: what it reads needs
                                      # no ``conform`` (the files this store writes)

    @classmethod
    def parse(cls, key: Key, parquet: pq.ParquetFile) -> "Footer":
        """The footer of an open file (raise BadFile without a run_id; its other columns are checked by the caller,
        or need no check when ``exact``)."""
        metadata = parquet.metadata
        n_groups = metadata.num_row_groups
        exact = parquet.schema_arrow.equals(CURVES_SCHEMA, check_metadata=True)
        if exact:
            column = 0  # run_id is CURVES_SCHEMA's first column, a flat one: the first leaf
        else:
            names = [metadata.schema.column(i).path for i in range(metadata.num_columns)]
            if "run_id" not in names:
                raise BadFile("not an Overfit Lab curves file (missing columns run_id)")
            column = names.index("run_id")
        low, high = [""] * n_groups, [""] * n_groups
        known = np.zeros(n_groups, dtype=bool)
        unpacked = np.zeros(n_groups, dtype=np.int64)
        for g in range(n_groups):
            group = metadata.row_group(g)
            unpacked[g] = group.total_byte_size
            stats = group.column(column).statistics
            if stats is not None and stats.has_min_max and isinstance(stats.min, str) and isinstance(stats.max, str):
                low[g], high[g], known[g] = stats.min, stats.max, True
        return cls(key, metadata, np.array(low, dtype=str), np.array(high, dtype=str), known, unpacked, exact)

    def groups_with(self, ids: npt.NDArray[np.str_]) -> npt.NDArray[np.intp]:
        """Row groups whose run_id range can hold one of the sorted ``ids`` (and every group without a range)."""
        if not len(ids):
            return np.flatnonzero(~self.known)
        i = np.searchsorted(ids, self.low, side="left")
        inside = i < len(ids)
        hit = np.zeros(len(self.low), dtype=bool)
        hit[inside] = ids[i[inside]] <= self.high[inside]
        return np.flatnonzero(hit | ~self.known)


class CurvesReader:
    """Reads curves rows of chosen runs from the curves files of ``root``; keeps each file's footer in memory.

    Thread-safe: files are read on the store's reader threads (pyarrow decodes without the GIL).
    """

    def __init__(self, root: Path, max_bytes: int):
        self.root = root
        self.max_bytes = max_bytes
        self._footers: dict[str, Footer] = {}
        self._lock = threading.Lock()

    def knows(self, name: str, key: Key) -> bool:
        """Whether the footer of ``name`` was read, and checked, at exactly this version of the file."""
        footer = self._footers.get(name)
        return footer is not None and footer.key == key

    def check(self, name: str) -> None:
        """Read and check the footer of curves file ``name`` (enough to catch a torn file).

        Raises FileNotFoundError if it is gone, BadFile if it cannot be used.
        """
        with _opened(self.root / name, self.max_bytes) as (source, key):
            parquet = pq.ParquetFile(source)
            conform(parquet.schema_arrow.empty_table(), CURVES_SCHEMA, "curves")
            self._keep(name, Footer.parse(key, parquet))

    def forget(self, present: set[str]) -> None:
        """Drop the footers of files that are no longer in the folder."""
        with self._lock:
            for name in [n for n in self._footers if n not in present]:
                del self._footers[name]

    def read(self, wanted: list[tuple[str, list[str]]],
             schema: pa.Schema = CURVES_SCHEMA) -> list[pa.Table | BadFile | FileNotFoundError]:
        """The curves rows of each (batch, run_ids) in ``wanted``, or the error reading them raised, in order.

        ``schema``: the columns to read (``curves_schema(columns)``), all of them by default.

        Files are read on the reader threads; many runs of one file (a compacted folder) are read as several
        parts, each a run_id range of the sorted ids, so the threads share the decoding of a single file too.
        """
        parts = []  # (index in wanted, batch, ids)
        for index, (batch, ids) in enumerate(wanted):
            ids = sorted(set(ids))
            n_parts = max(1, min(len(ids) // RUNS_PER_PART, READER_THREADS))
            if n_parts > 1 and file_name(batch, "curves") not in self._footers:
                try:
                    self.check(file_name(batch, "curves"))  # the footer once, not once per part
                except (BadFile, FileNotFoundError):
                    n_parts = 1  # the one read below reports it
            footer = self._footers.get(file_name(batch, "curves"))
            if n_parts > 1 and (footer is None or self._unpacked(footer, ids) > self.max_bytes):
                n_parts = 1  # the size cap holds for the whole read, not for each part: the one read refuses it
            bounds = np.linspace(0, len(ids), n_parts + 1).astype(int)
            parts += [(index, batch, ids[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
        # One task per thread, each reading its share of the parts in turn: a task per part (a file, in an
        # unmerged folder) costs more in hand-offs between the threads than a small file costs to read.
        n_tasks = min(len(parts), READER_THREADS)
        if n_tasks > 1:
            shares = [parts[k::n_tasks] for k in range(n_tasks)]
            done = reader_pool().map(lambda share: [self._read_or_error(*part[1:], schema) for part in share],
                                     shares)
            results = [None] * len(parts)
            for k, share_results in enumerate(done):
                results[k::n_tasks] = share_results
        else:
            results = [self._read_or_error(*part[1:], schema) for part in parts]
        by_file: list[list] = [[] for _ in wanted]
        for (index, _, _), result in zip(parts, results):
            by_file[index].append(result)
        return [next((r for r in found if not isinstance(r, pa.Table)), None) or _concat(found) for found in by_file]

    def _read_or_error(self, batch: str, ids: list[str],
                       schema: pa.Schema = CURVES_SCHEMA) -> pa.Table | BadFile | FileNotFoundError:
        try:
            return self.read_one(batch, ids, schema)
        except (BadFile, FileNotFoundError) as exc:
            return exc

    def read_one(self, batch: str, ids: list[str], schema: pa.Schema = CURVES_SCHEMA) -> pa.Table:
        """The rows of ``ids`` in batch ``batch``'s curves file, with the columns of ``schema``; raise
        FileNotFoundError if gone, BadFile if unfit."""
        name = file_name(batch, "curves")
        wanted = np.array(sorted(set(ids)), dtype=str)
        footer = self._footers.get(name)
        with _opened(self.root / name, self.max_bytes) as (source, key):
            if footer is not None and footer.key == key:
                parquet = pq.ParquetFile(source, metadata=footer.metadata)
            else:
                parquet = pq.ParquetFile(source)
                footer = Footer.parse(key, parquet)
            groups = footer.groups_with(wanted)
            unpacked = int(footer.unpacked[groups].sum())
            if unpacked > self.max_bytes:  # a small file may hold a compression bomb
                raise BadFile(f"would unpack to {too_large(unpacked, self.max_bytes)}")
            if footer.exact:  # what it reads has ``schema`` already: nothing to check or cast
                columns = None if schema is CURVES_SCHEMA else schema.names
                table = parquet.read_row_groups(groups.tolist(), columns=columns, use_threads=False)
            else:  # the file's version and columns, checked on what was read (a column it lacks may have a default)
                present = set(parquet.schema_arrow.names)
                columns = [name for name in schema.names if name in present]
                table = conform(parquet.read_row_groups(groups.tolist(), columns=columns, use_threads=False), schema,
                                "curves")
            self._keep(name, footer)
        return _rows_of(table, wanted)

    @staticmethod
    def _unpacked(footer: Footer, ids: list[str] | npt.NDArray[np.str_]) -> int:
        """Bytes the row groups holding ``ids`` (sorted) unpack to."""
        return int(footer.unpacked[footer.groups_with(np.asarray(ids, dtype=str))].sum())

    def _keep(self, name: str, footer: Footer) -> Footer:
        with self._lock:
            self._footers.pop(name, None)
            while len(self._footers) >= FOOTER_CACHE_FILES:  # the oldest first
                del self._footers[next(iter(self._footers))]
            self._footers[name] = footer
        return footer


def curves_schema(columns: Sequence[str] | None = None) -> pa.Schema:
    """``CURVES_SCHEMA`` (``columns`` None), or its ``run_id``, ``epoch`` and ``columns``, in the schema's order.

    Raises ValueError naming a column the curves do not have.
    """
    if columns is None:
        return CURVES_SCHEMA
    columns = [columns] if isinstance(columns, str) else list(columns)
    unknown = [name for name in columns if name not in CURVES_SCHEMA.names]
    if unknown:
        raise ValueError(f"The curves have no column {unknown[0]!r}; they have {', '.join(CURVES_SCHEMA.names)}.")
    chosen = {"run_id", "epoch", *columns}
    return pa.schema([field for field in CURVES_SCHEMA if field.name in chosen], metadata=CURVES_SCHEMA.metadata)


def _rows_of(table: pa.Table, wanted: npt.NDArray[np.str_]) -> pa.Table:
    """The rows of ``table`` whose run_id is in ``wanted``, as slices of the table (no copy), one slice per run.

    A run's rows are contiguous, so slices replace a filter of every column; one slice per run lets
    ``in_run_order`` put two wanted runs that lie side by side in a file, out of run_id order, in order without
    sorting the rows (sorting every column of a 100-run read cost about 7 ms).
    """
    import pyarrow.compute as pc  # here: the module costs 50-100 ms to import, and writing needs none

    column = table.column("run_id")
    if len(wanted) == 1:  # a file of an unmerged folder: one run wanted (a third of the cost of is_in)
        keep = pc.equal(column, pa.scalar(str(wanted[0]), pa.string()))
    else:
        keep = pc.is_in(column, value_set=pa.array(wanted, pa.string()))
    if keep.null_count:  # a foreign file's null run_id: not wanted
        keep = pc.fill_null(keep, False)
    rows = np.flatnonzero(keep.to_numpy(zero_copy_only=False))  # (n_kept,) row numbers, ascending
    if len(rows) == table.num_rows:
        return table
    if not len(rows):
        return table.slice(0, 0)
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1  # where one stretch of kept rows ends and the next begins
    starts, stops = rows[np.r_[0, breaks]], rows[np.r_[breaks - 1, len(rows) - 1]] + 1
    pieces = [table.slice(int(start), int(stop - start)) for start, stop in zip(starts, stops)]
    if len(wanted) > 1:  # a slice may hold several wanted runs
        pieces = [run for piece in pieces for run in _one_per_run(piece)]
    return pieces[0] if len(pieces) == 1 else pa.concat_tables(pieces)


def _one_per_run(piece: pa.Table) -> list[pa.Table]:
    """``piece`` cut where its run_id changes."""
    import pyarrow.compute as pc  # here: the module costs 50-100 ms to import, and writing needs none

    ids = piece.column("run_id")
    n = len(ids)
    if n < 2:
        return [piece]
    change = pc.not_equal(ids.slice(1), ids.slice(0, n - 1)).to_numpy(zero_copy_only=False)
    starts = [0, *(np.flatnonzero(change) + 1).tolist(), n]
    return [piece.slice(a, b - a) for a, b in zip(starts[:-1], starts[1:])]


def _concat(tables: list[pa.Table]) -> pa.Table:
    return tables[0] if len(tables) == 1 else pa.concat_tables(tables)


@contextlib.contextmanager
def _opened(path: Path, max_bytes: int) -> Iterator[tuple[pa.NativeFile, tuple[int, int, int, int]]]:
    """``open_keyed``'s (source, key), closed on the way out; what pyarrow or the OS raise on it becomes BadFile."""
    source, key = open_keyed(path, max_bytes)
    try:
        yield source, key
    except BadFile:
        raise
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise BadFile(_unreadable(exc)) from None
    finally:
        source.close()


def _unreadable(exc: Exception) -> str:
    return f"unreadable parquet, truncated or corrupt ({str(exc).splitlines()[0]})"


def in_run_order(tables: list[pa.Table], schema: pa.Schema = CURVES_SCHEMA) -> pa.Table:
    """The rows of ``tables`` (each with the columns of ``schema``) as one table sorted by run_id, then epoch.

    Each table holds whole runs as contiguous pieces, each piece usually already in epoch order (as written):
    the pieces are put in order by their first row, which moves no row; only if the result is still out of
    order (a batch written with its runs unsorted, or a foreign file) are the rows sorted.
    """
    batches = [batch for table in tables for batch in table.to_batches() if batch.num_rows]
    if not batches:
        return schema.empty_table()
    batches.sort(key=lambda batch: (batch.column(0)[0].as_py(), batch.column(1)[0].as_py()))
    table = pa.Table.from_batches(batches, schema=schema)
    if not _in_order(table):
        table = table.sort_by([("run_id", "ascending"), ("epoch", "ascending")])
    return table


def _in_order(table: pa.Table) -> bool:
    """Whether the rows are sorted by (run_id, epoch), with no null in either."""
    import pyarrow.compute as pc  # here: the module costs 50-100 ms to import, and writing needs none

    n = table.num_rows
    if n < 2:
        return True
    run, epoch = table.column("run_id"), table.column("epoch")
    before, after = run.slice(0, n - 1), run.slice(1)
    ok = pc.or_(pc.less(before, after),
                pc.and_(pc.equal(before, after), pc.less(epoch.slice(0, n - 1), epoch.slice(1))))
    return pc.all(ok, skip_nulls=False).as_py() is True
