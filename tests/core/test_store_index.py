"""The private listing index: a new process lists the folder from it, and never trusts it beyond what it checked."""
from __future__ import annotations

import os
import threading
import warnings

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import core.store_format

from core.store import ResultStore, StoreWarning
from core.store_index import INDEX_MIN_READS, index_path, load_index
from test_store import make_record

N_BATCHES = INDEX_MIN_READS + 4


pytestmark = pytest.mark.usefixtures("private_cache")  # tests/core/conftest.py


@pytest.fixture
def folder(tmp_path):
    """A folder of more one-run batches than a listing must read before it saves an index."""
    store = ResultStore(tmp_path)
    records = [make_record(s) for s in range(N_BATCHES)]
    batches = [store.write([record]) for record in records]
    return tmp_path, records, batches


def test_a_listing_that_read_many_files_saves_an_index_the_next_store_lists_from(folder, private_cache):
    root, records, _ = folder
    assert not index_path(root).exists()
    first = ResultStore(root).load_runs()
    path = index_path(root)
    assert path.parent == private_cache and path.exists()
    assert len(load_index(root, 1 << 30)) == N_BATCHES
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        second = ResultStore(root)
        pd.testing.assert_frame_equal(second.load_runs(), first)
        assert second._reads == 0  # every runs file came from the index
        assert second.get(records[3].run_id).config == records[3].config


def hack_status_keeping_mtime(runs_path) -> None:
    """Rewrite a one-run runs file with status 'hacked', then put its old mtime back (the inode or ctime moved)."""
    table = pq.read_table(runs_path)
    hacked = table.set_column(table.schema.get_field_index("status"), "status", pa.array(["hacked"]))
    stat = runs_path.stat()
    pq.write_table(hacked, runs_path)
    os.utime(runs_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_file_that_changed_since_the_index_is_read_and_checked_again(folder):
    root, records, batches = folder
    ResultStore(root).load_runs()
    runs_path = root / f"{batches[0]}.runs.parquet"
    hack_status_keeping_mtime(runs_path)
    store = ResultStore(root)
    with pytest.warns(StoreWarning, match="status 'hacked'"):
        assert records[0].run_id not in set(store.load_runs()["run_id"])
    assert store._reads == 1


def test_an_index_others_could_have_written_is_ignored(folder):
    root, records, _ = folder
    ResultStore(root).load_runs()
    path = index_path(root)
    index = pq.read_table(path)
    forged = index.set_column(index.schema.get_field_index("status"), "status",
                              pa.array(["hacked"] * index.num_rows))
    pq.write_table(forged.replace_schema_metadata(index.schema.metadata), path)
    os.chmod(path, 0o666)  # writable by anyone: not this user's own
    store = ResultStore(root)
    assert set(store.load_runs()["status"]) == {"complete"} and store._reads == N_BATCHES
    assert store.problems() == []


def test_an_unreadable_index_costs_time_only(folder):
    root, records, _ = folder
    ResultStore(root).load_runs()
    index_path(root).write_bytes(b"not parquet")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert set(ResultStore(root).load_runs()["run_id"]) == {r.run_id for r in records}


def test_rows_a_merge_copied_are_not_checked_again_and_a_changed_copy_is(folder, monkeypatch):
    root, records, batches = folder
    store = ResultStore(root)
    store.load_runs()
    merged = store.merge(batches[:10])
    checked = []
    real = core.store_format._row_problem
    monkeypatch.setattr(core.store_format, "_row_problem", lambda row: checked.append(row) or real(row))
    assert len(store.load_runs()) == N_BATCHES and checked == []  # the merged rows passed before
    table = pq.read_table(root / f"{merged}.runs.parquet")
    hacked = table.set_column(table.schema.get_field_index("status"), "status", pa.array(["hacked"] * 10))
    pq.write_table(hacked, root / "copy.runs.parquet")
    (root / "copy.curves.parquet").write_bytes((root / f"{merged}.curves.parquet").read_bytes())
    with pytest.warns(StoreWarning, match="status 'hacked'"):
        assert set(store.load_runs()["status"]) == {"complete"}
    assert len(store.problems()) == 10 and len(checked) == 10


def test_a_store_lists_the_files_it_wrote_without_reading_them_back(tmp_path):
    """A job's driver writes each run as a batch and merges them: its own files are listed from memory, and the
    listing is the one a fresh store reads from disk."""
    store = ResultStore(tmp_path)
    batches = [store.write([make_record(s)]) for s in range(N_BATCHES)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pd.testing.assert_frame_equal(store.load_runs(), ResultStore(tmp_path).load_runs())
        assert store._reads == 0
        store.merge(batches)
        merged = store.load_runs()
        assert store._reads == 0 and merged["batch_id"].tolist() == batches  # each run keeps its first batch
        pd.testing.assert_frame_equal(merged, ResultStore(tmp_path).load_runs())


def test_a_file_the_store_wrote_and_that_changed_since_is_read_and_checked(tmp_path):
    store = ResultStore(tmp_path)
    records = [make_record(s) for s in range(3)]
    batches = [store.write([record]) for record in records]
    runs_path = tmp_path / f"{batches[0]}.runs.parquet"
    hack_status_keeping_mtime(runs_path)
    with pytest.warns(StoreWarning, match="status 'hacked'"):
        assert set(store.load_runs()["run_id"]) == {r.run_id for r in records[1:]}
    assert store._reads == 1


def test_a_cold_listing_that_takes_the_index_whole_then_follows_the_folder(folder):
    """A new store whose index holds every runs file unchanged takes the index's rows whole, without a table per
    file (bench_store: 10,000 one-run batches, 0.72 -> 0.22 s); the listings after it take the index's rows file by
    file, as before, and see what changed."""
    root, records, batches = folder
    first = ResultStore(root).load_runs()
    cold = ResultStore(root)
    pd.testing.assert_frame_equal(cold.load_runs(), first)
    assert cold._reads == 0 and cold._tables == {}  # nothing read, nothing cut per file
    extra = make_record(N_BATCHES + 7)
    ResultStore(root).write([extra])  # another process publishes a batch
    assert set(cold.load_runs()["run_id"]) == {r.run_id for r in records} | {extra.run_id}
    assert cold._reads == 1  # only the new file was read
    assert cold.get(records[5].run_id).config == records[5].config


def test_a_cold_listing_from_the_index_still_skips_a_batch_without_its_curves(folder):
    root, records, batches = folder
    ResultStore(root).load_runs()
    (root / f"{batches[2]}.curves.parquet").unlink()
    store = ResultStore(root)
    with pytest.warns(StoreWarning, match="curves file is missing"):
        assert set(store.load_runs()["run_id"]) == {r.run_id for r in records} - {records[2].run_id}
    assert store._reads == 0
    assert [p.reason for p in store.problems()] == ["its curves file is missing"]


def test_a_first_listing_keeps_the_rows_once_and_the_next_fetches_only_what_changed(folder):
    """The first listing with no index reads every file, saves the index and keeps the rows once, in the index's
    one table, not one table per file (after 10,000 one-run batches those held most of a 1.2 GB process). A later
    listing takes no table of a file whose rows the frame holds unchanged: it reads a new or changed file only."""
    root, records, batches = folder
    store = ResultStore(root)
    first = store.load_runs()
    assert store._reads == N_BATCHES and index_path(root).exists()
    assert not [name for name in store._tables if name.endswith(".runs.parquet")]
    extra = make_record(N_BATCHES + 7)
    ResultStore(root).write([extra])  # another process publishes a batch
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pd.testing.assert_frame_equal(store.load_runs(), ResultStore(root).load_runs())
    assert store._reads == 1 and len(store._tables) <= 1  # the new file alone
    hack_status_keeping_mtime(root / f"{batches[3]}.runs.parquet")  # changed in place
    with pytest.warns(StoreWarning, match="status 'hacked'"):
        runs = store.load_runs()
    assert store._reads == 1 and set(runs["run_id"]) == {r.run_id for r in records if r is not records[3]} | {
        extra.run_id}
    assert len(runs) == len(first)
    assert store.get(records[5].run_id).config == records[5].config  # its rows cut from the index when asked


def test_a_store_listed_from_the_index_saves_it_again_after_reading_many_new_files(folder):
    """A cold store takes its rows from the index (no table per file); when a later listing reads many new files
    it saves the index again, its old files' rows included, and lists on."""
    root, records, _ = folder
    ResultStore(root).load_runs()
    cold = ResultStore(root)
    cold.load_runs()
    writer = ResultStore(root)
    extra = [make_record(1000 + s) for s in range(INDEX_MIN_READS + 2)]
    for record in extra:
        writer.write([record])
    assert set(cold.load_runs()["run_id"]) == {r.run_id for r in records + extra}
    assert cold._reads == len(extra) and len(load_index(root, 1 << 30)) == len(records) + len(extra)
    assert set(ResultStore(root).load_runs()["run_id"]) == {r.run_id for r in records + extra}


def test_unread_files_counts_what_a_first_listing_reads_one_by_one(folder):
    """What the dashboard's notice before a long first listing counts: every runs file without an index, none once
    the store has listed, and with a saved index only the files it does not hold (new ones)."""
    root, _, _ = folder
    store = ResultStore(root)
    assert store.unread_files() == N_BATCHES  # no index yet: each file is read
    (root / "notes.txt").write_text("not ours")  # neither counted nor fatal
    assert store.unread_files() == N_BATCHES
    store.load_runs()
    assert store.unread_files() == 0  # a later listing reads only what is new
    assert index_path(root).exists()
    ResultStore(root).write([make_record(5000)])
    ResultStore(root).write([make_record(5001)])
    fresh = ResultStore(root)
    assert fresh.unread_files() == 2  # the index holds the others
    fresh.load_runs()
    assert fresh._reads == 2 and fresh.unread_files() == 0  # as counted


def test_unread_files_never_waits_for_another_threads_listing(folder):
    """A class opening the dashboard at once on a new server: the first visitor's listing holds the store, and
    the others must still be told what it reads, not wait on a blank page for the count."""
    root, _, _ = folder
    store = ResultStore(root)
    counted = []
    with store._lock:  # another thread's listing in progress
        reader = threading.Thread(target=lambda: counted.append(store.unread_files()))
        reader.start()
        reader.join(timeout=10)
        assert not reader.is_alive() and counted == [N_BATCHES]
    store.load_runs()
    with store._lock:
        reader = threading.Thread(target=lambda: counted.append(store.unread_files()))
        reader.start()
        reader.join(timeout=10)
    assert counted == [N_BATCHES, 0]  # listed once: nothing left to read one by one
