"""Arrays built from buffers (core/arrow_build.py) against pyarrow's own ``pa.array``, and the store's tables built
with them against the same tables built the way the store built them before (``pa.array`` / ``Table.from_pylist``
on Python values): same schema, metadata and values, bit for bit. Also: writing a batch never imports pandas."""
from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core import arrow_build
from core.config import RunConfig
from core.job_worker import failed_record
from core.record import METRICS, RunRecord
from core.store_format import (CURVES_SCHEMA, RUNS_SCHEMA, SNAPSHOT_FIELDS, curves_table, run_row,
                               runs_table)
from core.train import train

pytestmark = pytest.mark.usefixtures("private_cache")  # tests/core/conftest.py: the dataset cache

LIST_OF_INTS = CURVES_SCHEMA.field("weight_hist").type        # list<list<int32>>
LIST_OF_FLOATS = CURVES_SCHEMA.field("act_hist_range").type   # list<list<double>>
FLOATS = CURVES_SCHEMA.field("active_fraction").type          # list<double>


def same_values(a: object, b: object) -> bool:
    """Equal as Python values, NaN equal to NaN, and -0.0 told apart from 0.0 (the bits are what is written)."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def assert_same_table(got: pa.Table, want: pa.Table) -> None:
    assert got.schema.equals(want.schema, check_metadata=True)
    for name in want.column_names:
        got_column, want_column = got.column(name), want.column(name)
        assert got_column.null_count == want_column.null_count, name
        assert same_values(got_column.to_pylist(), want_column.to_pylist()), name


@pytest.mark.parametrize("values, type", [
    ([1.5, float("nan"), None, -0.0, float("inf")], pa.float64()),
    ([], pa.float64()),
    ([3, None, -(2**40), 2**53 + 1, 2.0], pa.int64()),
    ([7, 0, -1], pa.int32()),
    (["relu", None, "", "가중치 감쇠", "tab\tand\nnewline"], pa.string()),
    ([True, None, False] + [True] * 7 + [None], pa.bool_()),
    ([None, [[1, 2], [3, 4, 5]], [], None, [[]]], LIST_OF_INTS),
    ([None, [[0.5, -1.0]], [[float("nan")]]], LIST_OF_FLOATS),
    ([[0.1, 0.2], None, []], FLOATS),
    ([None, None], FLOATS),
])
def test_column_equals_pa_array(values, type):
    got = arrow_build.column(values, type)
    got.validate(full=True)
    want = pa.array(values, type)
    assert got.type == want.type and got.null_count == want.null_count
    assert same_values(got.to_pylist(), want.to_pylist())


def test_numpy_input_keeps_every_bit_and_lists_of_arrays_equal_lists_of_lists():
    values = np.array([0.1, np.nan, -0.0, 1e-300, np.inf])
    got = arrow_build.column(values, pa.float64())
    assert np.frombuffer(got.buffers()[1], np.float64).tobytes() == values.tobytes()
    rows = [np.array([[1, 2], [3, 4]], dtype=np.int32), None, np.zeros((0, 2), dtype=np.int32)]
    assert arrow_build.column(rows, LIST_OF_INTS).to_pylist() == [[[1, 2], [3, 4]], None, []]


def test_values_pa_array_refuses_are_refused():
    with pytest.raises(TypeError):
        arrow_build.column(["a", 1], pa.string())
    with pytest.raises(TypeError):
        arrow_build.column([1.5], pa.int64())
    with pytest.raises(TypeError):
        arrow_build.column([True], pa.int64())


# ---- the store's tables against the way they were built before --------------------------------------------------
def reference_runs_table(records: list[RunRecord], batch_id: str) -> pa.Table:
    """``runs_table`` as the store wrote it before: ``Table.from_pylist`` on one dict per run (``run_row``)."""
    return pa.Table.from_pylist([run_row(record, batch_id) for record in records], schema=RUNS_SCHEMA)


def reference_curves_table(records: list[RunRecord]) -> pa.Table:
    """``curves_table`` as the store wrote it before: ``pa.array`` on NumPy arrays and nested Python lists."""
    n_evals = np.array([record.n_evals for record in records])
    columns = {
        "run_id": pa.array(np.repeat([r.run_id for r in records], n_evals).astype(object), pa.string()),
        "epoch": pa.array(np.concatenate([np.asarray(r.curves["epoch"]) for r in records]).astype(np.int32)),
    }
    for name in (*METRICS, "elapsed_s"):
        columns[name] = pa.array(np.concatenate([np.asarray(r.curves[name], dtype=np.float64) for r in records]))
    columns["weight_norms"] = pa.array([row.tolist() for r in records for row in np.asarray(r.weight_norms)],
                                       CURVES_SCHEMA.field("weight_norms").type)
    for name, attribute in SNAPSHOT_FIELDS.items():
        values = []
        for record in records:
            by_epoch = {snap.epoch: snap for snap in record.mechanism}
            for epoch in np.asarray(record.curves["epoch"]).tolist():
                snap = by_epoch.get(int(epoch))
                values.append(None if snap is None else np.asarray(getattr(snap, attribute)).tolist())
        columns[name] = pa.array(values, CURVES_SCHEMA.field(name).type)
    return pa.table(columns, schema=CURVES_SCHEMA)


@pytest.fixture(scope="module")
def records() -> list[RunRecord]:
    """Two real trained runs (one with validation, with mechanism snapshots) and a failed one (no curves)."""
    base = RunConfig(n_epochs=4, hidden_sizes=(20, 10), n_train=100, batch_size=50)
    trained = [train(base), train(RunConfig(n_epochs=3, hidden_sizes=(16,), n_train=100, n_val=20, batch_size=50,
                                            seed=3))]
    failed = failed_record(RunConfig(seed=9), "ValueError: 값이 잘못되었습니다\nsecond line")
    return [*trained, failed]


def test_tables_equal_the_ones_built_with_pa_array(records):
    assert any(record.mechanism for record in records)  # snapshot columns hold values, not only nulls
    for batch in ([records[0]], records, [records[2]]):
        assert_same_table(runs_table(batch, "b-1"), reference_runs_table(batch, "b-1"))
        assert_same_table(curves_table(batch), reference_curves_table(batch))


def test_written_files_equal_the_ones_written_before(records, tmp_path):
    for name, new, old in (("runs", runs_table(records, "b-2"), reference_runs_table(records, "b-2")),
                           ("curves", curves_table(records), reference_curves_table(records))):
        pq.write_table(new, tmp_path / f"new.{name}.parquet")
        pq.write_table(old, tmp_path / f"old.{name}.parquet")
        got = pq.read_table(tmp_path / f"new.{name}.parquet")
        want = pq.read_table(tmp_path / f"old.{name}.parquet")
        assert_same_table(got, want)
        assert (pq.read_schema(tmp_path / f"new.{name}.parquet")
                .equals(pq.read_schema(tmp_path / f"old.{name}.parquet"), check_metadata=True))


def test_writing_a_batch_never_imports_pandas(tmp_path):
    """The one-run command's path: a lookup, a record trained and published with the store, in a fresh process."""
    repo = Path(__file__).resolve().parents[2]
    # The dataset cache of this test's private cache folder, as every run after the first finds it (a first run
    # ever parses the CSV with pandas). In a process of its own: this one may have the dataset in memory already.
    subprocess.run([sys.executable, "-c", "from core.data import load_dataset; load_dataset('mnist5k')"], check=True,
                   cwd=repo)
    script = textwrap.dedent(f"""
        import sys
        from core.config import RunConfig
        from core.store import ResultStore
        from core.train import train
        store = ResultStore({str(tmp_path / 'results')!r})
        config = RunConfig(n_epochs=2, hidden_sizes=(8,), n_train=100, batch_size=50)
        print(store.cached([config.run_id]) == set(), "pandas" in sys.modules)
        batch = store.write([train(config)])
        print(batch, "pandas" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=repo).stdout.split()
    assert out[:2] == ["True", "False"], "the lookup in an empty folder imported pandas"
    assert out[3] == "False", "training or writing a batch imported pandas"
    assert (tmp_path / "results" / f"{out[2]}.runs.parquet").exists()
