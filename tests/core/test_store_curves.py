"""Tests of reading curves (core/store_curves.py) on real parquet files: every layout gives the same rows, in
run_id and epoch order; a file that changed after its footer was kept is read again; a read is split among the
reader threads without losing or repeating a row."""
from __future__ import annotations

import os
import time
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import core.store
import core.store_curves
import core.store_folder
import core.store_listing
from core.store import MAX_FILE_MB_ENV, ResultStore, StoreWarning
from core.store_curves import CURVE_COLUMNS, RUNS_PER_PART, in_run_order
from core.store_format import CURVES_SCHEMA, METADATA_KEY, SNAPSHOT_FIELDS, curves_table

from tests.core.test_store import make_record


pytestmark = pytest.mark.usefixtures("private_cache")  # tests/core/conftest.py


def expected(records, ids) -> pd.DataFrame:
    """The curves rows of ``ids`` as the writer made them, sorted by run_id and epoch: an independent reference."""
    wanted = [r for r in records if r.run_id in set(ids)]
    table = curves_table(wanted).sort_by([("run_id", "ascending"), ("epoch", "ascending")])
    return table.to_pandas()


def test_every_layout_reads_the_same_rows_in_order(tmp_path):
    store = ResultStore(tmp_path)
    records = [make_record(seed, n_epochs=3 + seed % 4) for seed in range(3 * RUNS_PER_PART + 5)]
    # batches of 4 runs written in seed order, which is not run_id order
    batches = [store.write(records[i:i + 4]) for i in range(0, len(records), 4)]
    chosen = [r.run_id for r in records[::2]] + ["0123456789ab"]  # and an id that is not stored
    want = expected(records, chosen)
    pd.testing.assert_frame_equal(store.load_curves(chosen), want)  # one batch a few runs
    store.merge(batches[:5])
    pd.testing.assert_frame_equal(ResultStore(tmp_path).load_curves(chosen), want)  # merged and not
    store.compact()
    assert len(list(tmp_path.glob("*.curves.parquet"))) == 1
    compacted = ResultStore(tmp_path)
    # more than RUNS_PER_PART ids in one file: read in parts on several threads
    pd.testing.assert_frame_equal(compacted.load_curves(chosen), want)
    every = [r.run_id for r in records]
    pd.testing.assert_frame_equal(compacted.load_curves(every), expected(records, every))
    assert compacted.load_curves([]).empty


def test_a_file_the_store_wrote_reads_back_with_exactly_its_schema(tmp_path):
    store = ResultStore(tmp_path)
    batch = store.write([make_record(1)])
    # what lets a read skip the checks and the cast: the store's files are told apart by their schema alone
    assert pq.read_schema(tmp_path / f"{batch}.curves.parquet").equals(CURVES_SCHEMA, check_metadata=True)


def test_only_the_columns_asked_for_are_read_from_every_kind_of_file(tmp_path):
    store = ResultStore(tmp_path)
    records = [make_record(seed, n_epochs=4 + seed) for seed in range(6)]
    store.write(records[:3])  # the store's own file
    old = store.write(records[3:])
    path = tmp_path / f"{old}.curves.parquet"
    # rewritten as a version-1 file, from before the snapshot columns, with a foreign writer's metadata: read
    # through the checks, its missing columns given their default
    table = curves_table(records[3:]).drop_columns(list(SNAPSHOT_FIELDS))
    pq.write_table(table.replace_schema_metadata({METADATA_KEY: b"1", b"writer": b"another tool"}), path)
    ids = [r.run_id for r in records]
    want = expected(records, ids)
    got = ResultStore(tmp_path).load_curves(ids, columns=CURVE_COLUMNS)
    assert list(got.columns) == ["run_id", "epoch", *CURVE_COLUMNS]
    pd.testing.assert_frame_equal(got, want[list(got.columns)])
    norms = store.load_curves(ids, columns=["weight_norms", "act_hist"])
    assert list(norms.columns) == ["run_id", "epoch", "weight_norms", "act_hist"]
    np.testing.assert_array_equal(np.concatenate(norms["weight_norms"].to_list()),
                                  np.concatenate(want["weight_norms"].to_list()))
    old_rows = norms["run_id"].isin([r.run_id for r in records[3:]])
    assert norms.loc[old_rows, "act_hist"].isna().all()  # the version-1 file's default
    assert store.load_curves([], columns=CURVE_COLUMNS).columns.tolist() == ["run_id", "epoch", *CURVE_COLUMNS]
    with pytest.raises(ValueError, match="The curves have no column 'nope'; they have run_id, epoch"):
        store.load_curves(ids, columns=["val_acc", "nope"])


def test_runs_side_by_side_out_of_order_come_back_one_slice_each(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    records = [make_record(seed, n_epochs=3 + seed) for seed in range(8)]
    store.write(records)  # in seed order: neighbours are out of run_id order somewhere
    i = next(i for i in range(len(records) - 1) if records[i].run_id > records[i + 1].run_id)
    ids = [records[i].run_id, records[i + 1].run_id, records[(i + 3) % 8].run_id]
    [table] = store._curves_reader.read([(store.load_runs()["batch_id"][0], ids)])
    by_run = {r.run_id: r.n_evals for r in records}
    assert sorted(batch.num_rows for batch in table.to_batches()) == sorted(by_run[rid] for rid in ids)
    assert all(len(set(batch.column(0).to_pylist())) == 1 for batch in table.to_batches())
    sorts = []
    real_in_order = core.store_curves._in_order
    monkeypatch.setattr(core.store_curves, "_in_order", lambda t: sorts.append(real_in_order(t)) or sorts[-1])
    pd.testing.assert_frame_equal(store.load_curves(ids), expected(records, ids))
    assert sorts == [True]  # put in order by moving whole runs: no row sorted


def test_small_row_groups_read_only_the_groups_that_hold_the_ids(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    records = [make_record(seed, n_epochs=9) for seed in range(40)]
    store.write(records)
    monkeypatch.setattr(core.store, "CURVES_ROW_GROUP", 20)  # two runs a row group once rewritten
    store.compact()
    (curves_file,) = tmp_path.glob("*.curves.parquet")
    assert pq.ParquetFile(curves_file).metadata.num_row_groups == 20
    reader = ResultStore(tmp_path)
    reader.load_runs()
    decoded = []
    real = pq.ParquetFile.read_row_groups
    monkeypatch.setattr(pq.ParquetFile, "read_row_groups",
                        lambda self, groups, **kw: decoded.extend(groups) or real(self, groups, **kw))
    chosen = sorted(r.run_id for r in records)[5:7]
    pd.testing.assert_frame_equal(reader.load_curves(chosen), expected(records, chosen))
    assert 1 <= len(decoded) <= 2  # not all 20


def test_a_curves_file_replaced_after_its_footer_was_kept_is_read_again(tmp_path):
    store = ResultStore(tmp_path)
    records = [make_record(seed, n_epochs=30) for seed in range(3)]
    batch = store.write(records)
    ids = [r.run_id for r in records]
    assert store.load_curves(ids)["run_id"].nunique() == 3  # the footer is now kept in memory
    path = tmp_path / f"{batch}.curves.parquet"
    other = tmp_path.parent / f"{tmp_path.name}-other"
    changed = [make_record(seed, n_epochs=30, stopped_epoch=4, marker=7.0) for seed in range(3)]  # same ids
    pq.write_table(curves_table(changed), other, compression="none")
    with open(path, "r+b") as f:  # a hostile writer rewrites the published file in place
        f.write(other.read_bytes())
        f.truncate()
    os.utime(path, ns=(1, 1))  # even with an old mtime: size, inode and ctime still tell
    pd.testing.assert_frame_equal(store.load_curves(ids), expected(changed, ids))
    with open(path, "r+b") as f:
        f.truncate(200)  # and torn: reported, never read with the footer kept before
    with pytest.warns(StoreWarning, match="unreadable parquet"):
        assert store.load_curves(ids).empty
    assert store.get(ids[0]) is None


def test_pieces_are_put_in_order_without_sorting_and_sorted_when_they_must_be():
    a, b = make_record(1), make_record(2)
    first, second = sorted([a, b], key=lambda r: r.run_id)
    table = curves_table([second, first])  # one piece, runs out of order: sorted
    assert in_run_order([table]).column("run_id").to_pylist() == (
        [first.run_id] * first.n_evals + [second.run_id] * second.n_evals)
    pieces = [curves_table([second]), curves_table([first])]  # pieces in order of their first row
    got = in_run_order(pieces)
    assert got.schema.equals(CURVES_SCHEMA)
    assert got.to_pandas().equals(curves_table([first, second]).to_pandas())
    assert in_run_order([]).num_rows == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reversed_epochs = curves_table([first]).take(list(range(first.n_evals))[::-1])
        assert in_run_order([reversed_epochs]).column("epoch").to_pylist() == list(range(first.n_evals))


def test_a_footer_cache_keeps_at_most_its_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(core.store_curves, "FOOTER_CACHE_FILES", 3)
    store = ResultStore(tmp_path)
    records = [make_record(seed) for seed in range(6)]
    for record in records:
        store.write([record])
    assert len(store.load_curves([r.run_id for r in records])) == sum(r.n_evals for r in records)
    assert len(store._curves_reader._footers) == 3


def test_the_size_cap_holds_for_a_read_split_into_parts(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    records = [make_record(seed, n_epochs=200) for seed in range(4 * RUNS_PER_PART)]
    batch = store.write(records)
    curves = curves_table(sorted(records, key=lambda r: r.run_id))
    for name in ("train_loss", "train_acc", "test_loss", "test_acc", "elapsed_s"):  # zeros: they pack small
        curves = curves.set_column(curves.schema.get_field_index(name), name, pa.array(np.zeros(curves.num_rows)))
    norms = curves.column("weight_norms").combine_chunks()
    zero_norms = pa.ListArray.from_arrays(norms.offsets, pa.array(np.zeros(len(norms.values))))
    curves = curves.set_column(curves.schema.get_field_index("weight_norms"), "weight_norms", zero_norms)
    path = tmp_path / f"{batch}.curves.parquet"
    pq.write_table(curves, path, compression="zstd", use_dictionary=False, row_group_size=records[0].n_evals)
    metadata = pq.read_metadata(path)
    unpacked = sum(metadata.row_group(g).total_byte_size for g in range(metadata.num_row_groups))
    cap_mb = 0.6 * unpacked / (1 << 20)  # each part of a quarter fits, the whole read does not
    assert path.stat().st_size < cap_mb * (1 << 20)
    monkeypatch.setenv(MAX_FILE_MB_ENV, f"{cap_mb:.4f}")
    reader = ResultStore(tmp_path)
    with pytest.warns(StoreWarning, match="would unpack to"):
        assert reader.load_curves([r.run_id for r in records]).empty
    few = [r.run_id for r in records[:3]]
    assert reader.load_curves(few)["run_id"].nunique() == 3  # a read within the cap is served


# ---- the listing a read of curves starts from -------------------------------------------------------------------
@pytest.fixture
def settle_fast(monkeypatch):
    """A folder counts as settled 0.3 s after its last change (2 s by default, for FAT's tick): still far over
    the few-ms tick of the filesystems tests run on."""
    monkeypatch.setattr(core.store_folder, "SETTLED_S", 0.3)
    return lambda: time.sleep(0.35)


@pytest.fixture
def listings(monkeypatch):
    """How many times the folder is listed (the real listing, counted)."""
    count = [0]
    real = core.store_listing.list_folder

    def counted(*args, **kwargs):
        count[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(core.store_listing, "list_folder", counted)
    monkeypatch.setattr(core.store, "list_folder", counted)
    return count


def listed_once_settled(root, n_runs: int, settle) -> tuple[list, ResultStore, str]:
    """``n_runs`` one-run batches, written as a job's workers publish them; then, once the folder has settled, a
    store that listed it, and its version."""
    records = [make_record(s) for s in range(n_runs)]
    for record in records:
        ResultStore(root).write([record])
    settle()
    store = ResultStore(root)
    store.load_runs()
    return records, store, store.version()


def test_curves_of_runs_just_listed_in_a_settled_folder_need_no_new_listing(tmp_path, settle_fast, listings):
    records, store, version = listed_once_settled(tmp_path, 4, settle_fast)
    before = listings[0]
    ids = [r.run_id for r in records[:2]]
    for _ in range(3):
        pd.testing.assert_frame_equal(store.load_curves(ids), expected(records, ids))
        assert store.get(records[3].run_id).config == records[3].config
        assert store.version() == version
    assert listings[0] == before  # one stat of the folder each time
    store.load_runs()
    assert listings[0] == before + 1  # load_runs always lists: it finds a file edited in place


def test_a_change_to_a_settled_folder_is_seen_by_the_next_read(tmp_path, settle_fast):
    records, store, version = listed_once_settled(tmp_path, 3, settle_fast)
    assert set(store.load_curves([r.run_id for r in records])["run_id"]) == {r.run_id for r in records}
    other = ResultStore(tmp_path)  # another process
    other.delete([records[0].run_id])
    assert set(store.load_curves([r.run_id for r in records])["run_id"]) == {r.run_id for r in records[1:]}
    assert store.get(records[0].run_id) is None and store.version() != version
    newer = make_record(1, marker=5.0)  # the same run computed again, stored later: load_runs keeps the first copy
    other.write([newer])
    other.merge(other.load_runs()["batch_id"].unique())  # its files merged away under the reader
    assert set(store.load_curves([r.run_id for r in records])["run_id"]) == {r.run_id for r in records[1:]}


def test_a_change_right_after_a_listing_is_seen_however_fast(tmp_path, settle_fast):
    """The folder changed within the settling time before the listing: its mtime may not move again within one
    tick, so the next read lists in full."""
    records = [make_record(s) for s in range(3)]
    store = ResultStore(tmp_path)
    for record in records:
        store.write([record])
    other = ResultStore(tmp_path)
    for record in records:
        assert store.load_curves([record.run_id])["run_id"].nunique() == 1
        other.delete([record.run_id])  # at once, maybe within the tick of the listing
        assert store.load_curves([record.run_id]).empty and store.get(record.run_id) is None


def test_a_folder_being_written_to_is_looked_at_by_name_before_it_is_listed_again(tmp_path, listings):
    """Just after a write the folder has not settled: a read of curves lists names only, and lists in full only
    when a runs or tombstone file came or went (a write in flight leaves a temporary and a curves file first)."""
    records = [make_record(s) for s in range(3)]
    store = ResultStore(tmp_path)
    for record in records[:2]:
        store.write([record])
    store.load_runs()
    version = store.version()
    before = listings[0]
    (tmp_path / f".tmp-0123456789ab-{records[2].run_id}.runs.parquet").write_bytes(b"half")  # writes in flight
    (tmp_path / "20991231T000000_000000Z-0.curves.parquet").write_bytes(b"not yet committed")
    assert store.load_curves([records[0].run_id])["run_id"].unique().tolist() == [records[0].run_id]
    assert store.cached(r.run_id for r in records) == {r.run_id for r in records[:2]}
    assert store.version() == version
    assert listings[0] == before
    ResultStore(tmp_path).write([records[2]])  # another process commits a batch
    pd.testing.assert_frame_equal(store.load_curves([records[2].run_id]), expected(records, [records[2].run_id]))
    written = store.version()
    assert written != version
    assert listings[0] == before + 2  # the read and version() each list once
    ResultStore(tmp_path).delete([records[0].run_id])  # a tombstone (the deleting store lists once)
    assert store.version() not in (version, written) and listings[0] == before + 4
