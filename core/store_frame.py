"""The runs rows of a results folder as one pandas frame, and which copy of each run the store keeps.

A listing (``core/store_listing.py``) hands over the checked rows of its runs files; here they become one frame with
the helper columns the index needs (the source file, the status's rank, the parsed creation time, the
``run_id/batch_id`` key a tombstone names), and ``one_copy_per_run`` drops the deleted copies and keeps one copy
of each run: the table ``ResultStore.load_runs`` returns.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from .record import RunStatus
from .store_folder import stem
from .store_format import RUNS_SCHEMA

if TYPE_CHECKING:  # imported by the first listing: a store that only writes (one CLI run) never loads pandas
    import pandas as pd

# When one run_id is stored twice, the kept copy is the one that best answers a cache lookup, then the earliest.
_STATUS_RANK = {RunStatus.COMPLETE.value: 0, RunStatus.DIVERGED.value: 0,
                RunStatus.PRUNED.value: 1, RunStatus.FAILED.value: 2}
COPY_ORDER = ["_rank", "_created", "batch_id", "_file"]


def runs_frame(names: list[str], tables: list[pa.Table]) -> pd.DataFrame:
    """The rows of the runs files ``names`` (their checked ``tables``) as pandas, with the helper columns."""
    joined = pa.concat_tables(tables).combine_chunks() if tables else RUNS_SCHEMA.empty_table()
    return runs_frame_of(names, [t.num_rows for t in tables], joined)


def runs_frame_of(names: list[str], counts: list[int], rows: pa.Table) -> pd.DataFrame:
    """``runs_frame`` of the runs files ``names`` whose rows, ``counts[i]`` of them each, follow each other in
    ``rows``."""
    import pandas as pd

    frame = rows.to_pandas()
    frame["_file"] = np.repeat([stem(n) for n in names], counts).astype(object)
    frame["_rank"] = frame["status"].map(_STATUS_RANK).fillna(3).astype(int)
    frame["_created"] = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601", errors="coerce")
    frame["_key"] = frame["run_id"] + "/" + frame["batch_id"]
    return frame


_EMPTY: list[pd.DataFrame] = []


def empty_runs_frame() -> pd.DataFrame:
    """An empty runs frame, built once per process (about 10 ms: a store is made several times per command)."""
    if not _EMPTY:
        _EMPTY.append(runs_frame([], []))
    return _EMPTY[0].copy(deep=False)


def one_copy_per_run(frame: pd.DataFrame, tombstones: list[pa.Table]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every copy no tombstone deletes, with the helper columns; one copy per run_id, sorted by creation time,
    without the helper columns but ``_file``)."""
    import pyarrow.compute as pc  # here: the module costs 50-100 ms to import, and writing needs none

    if tombstones:
        dead = pa.concat_tables(tombstones)
        dead_keys = pc.binary_join_element_wise(dead.column("run_id"), dead.column("batch_id"), "/")
        frame = frame[~frame["_key"].isin(dead_keys.to_pylist())]
    live = frame
    if frame["run_id"].duplicated().any():
        frame = frame.sort_values(COPY_ORDER, kind="stable", na_position="last")
        frame = frame.drop_duplicates("run_id", keep="first")
    # Sort the keys alone, and move the rows only if needed: new batches usually arrive in order.
    order = frame[["_created", "batch_id"]].reset_index(drop=True).sort_values(
        ["_created", "batch_id"], kind="stable", na_position="last").index.to_numpy()
    if not np.array_equal(order, np.arange(len(frame))):
        frame = frame.take(order)
    return live, frame.drop(columns=["_rank", "_created", "_key"]).reset_index(drop=True)
