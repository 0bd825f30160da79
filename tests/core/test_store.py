"""Tests of the results store on real parquet files: round trip, cache lookups, torn and foreign files, deletes,
duplicates, merges, and several processes writing or merging (and one reading) at once."""
from __future__ import annotations

import multiprocessing
import os
import random
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import core.store
import core.store_folder
import core.store_listing
from core.config import RunConfig
from core.record import METRICS, RunRecord, RunStatus
from core.store import (
    CURVES_SCHEMA, DEFAULT_RESULTS, METADATA_KEY, RESULTS_ENV, RUNS_SCHEMA, SCHEMA_VERSION, TOMBSTONE_SCHEMA,
    ResultStore, StoreWarning, results_dir,
)

CREATED = "2025-01-01T12:00:00+00:00"


pytestmark = pytest.mark.usefixtures("private_cache")  # tests/core/conftest.py


def make_record(seed: int = 0, *, n_epochs: int = 5, status: RunStatus = RunStatus.COMPLETE,
                stopped_epoch: int | None = None, n_val: int = 0, created_at: str = CREATED,
                marker: float = 0.0, **config) -> RunRecord:
    """A record with synthetic curves; ``marker`` shifts elapsed_s so two copies of one run can be told apart."""
    cfg = RunConfig(seed=seed, n_epochs=n_epochs, hidden_sizes=(20, 20), n_val=n_val, **config)
    stopped = n_epochs if stopped_epoch is None else stopped_epoch
    n_evals = stopped + 1
    rng = np.random.default_rng(seed)
    curves = {"epoch": np.arange(n_evals)}
    for metric in METRICS:
        curves[metric] = rng.uniform(0, 1, n_evals)
    if not n_val:
        curves["val_loss"] = np.full(n_evals, np.nan)
        curves["val_acc"] = np.full(n_evals, np.nan)
    curves["elapsed_s"] = np.arange(n_evals) * 0.1 + marker
    norms = rng.uniform(0, 5, (n_evals, len(cfg.hidden_sizes) + 1))
    return RunRecord(cfg, status, curves, norms, stopped, "fp-1234", created_at, 1.25,
                     error="boom" if status == RunStatus.FAILED else "")


def assert_same_record(got: RunRecord | None, want: RunRecord) -> None:
    assert got is not None
    assert got.config == want.config
    assert (got.status, got.stopped_epoch, got.data_fingerprint, got.created_at, got.duration_s,
            got.engine_version, got.error) == (want.status, want.stopped_epoch, want.data_fingerprint,
                                               want.created_at, want.duration_s, want.engine_version, want.error)
    assert set(got.curves) == set(want.curves)
    for name in want.curves:
        np.testing.assert_array_equal(got.curves[name], want.curves[name], err_msg=name)
    np.testing.assert_array_equal(got.weight_norms, want.weight_norms)
    assert got.weight_norms.shape == np.shape(want.weight_norms)


def published(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir())


def age_files(root: Path, seconds: float) -> None:
    """Make every file look ``seconds`` old: a lone curves file that old is reported as a leftover."""
    then = time.time() - seconds
    for path in root.iterdir():
        os.utime(path, (then, then))


# ---- round trip and schema ----------------------------------------------------------------------------------------
def test_round_trip_returns_equal_records(tmp_path):
    store = ResultStore(tmp_path)
    records = [
        make_record(1, n_val=50),
        make_record(2, status=RunStatus.DIVERGED, stopped_epoch=3),
        make_record(3, status=RunStatus.PRUNED, stopped_epoch=2, n_val=50),
        make_record(4, status=RunStatus.FAILED, stopped_epoch=-1),  # failed before the first evaluation
    ]
    batch = store.write(records)
    assert published(tmp_path) == [f"{batch}.curves.parquet", f"{batch}.runs.parquet"]
    for record in records:
        assert_same_record(store.get(record.run_id), record)
        assert_same_record(ResultStore(tmp_path).get(record.run_id), record)  # from disk, not from memory
    assert store.get(records[3].run_id).weight_norms.shape == (0, 3)


def test_runs_file_has_the_documented_columns_and_values(tmp_path):
    store = ResultStore(tmp_path)
    record = make_record(7, n_val=50, weight_decay=0.1)
    batch = store.write([record])
    path = tmp_path / f"{batch}.runs.parquet"
    assert pq.read_schema(path).metadata[METADATA_KEY] == str(SCHEMA_VERSION).encode()
    row = pd.read_parquet(path).iloc[0]  # plain pandas reads it
    assert list(pd.read_parquet(path).columns) == RUNS_SCHEMA.names
    assert (row["schema_version"], row["batch_id"], row["run_id"], row["group_id"]) == (
        SCHEMA_VERSION, batch, record.run_id, record.group_id)
    assert row["label"] == record.config.label() and row["status"] == "complete"
    assert row["hidden_sizes"] == "20,20" and row["architecture"] == "2×20"
    assert row["weight_decay"] == 0.1 and row["seed"] == 7 and row["batch_norm"] == np.False_
    assert RunConfig.from_json(row["config_json"]) == record.config
    assert row["final_test_acc"] == record.curves["test_acc"][-1]
    assert row["best_train_loss"] == record.curves["train_loss"].min()
    assert row["best_val_acc"] == record.curves["val_acc"].max()
    assert row["best_val_epoch"] == int(np.argmax(record.curves["val_acc"]))
    assert row["final_gap"] == pytest.approx(record.curves["train_acc"][-1] - record.curves["test_acc"][-1])
    curves = pd.read_parquet(tmp_path / f"{batch}.curves.parquet")
    assert list(curves.columns) == CURVES_SCHEMA.names
    assert curves["epoch"].dtype == np.int32 and len(curves) == record.n_evals
    assert len(curves["weight_norms"].iloc[0]) == 3


def test_the_pandas_recipe_of_the_schema_doc_reads_the_folder(tmp_path, monkeypatch):
    store = ResultStore(tmp_path / "results")
    store.write([make_record(1)])
    store.write([make_record(2), make_record(3)])
    monkeypatch.chdir(tmp_path)
    runs = pd.concat([pd.read_parquet(p) for p in sorted(Path("results").glob("*.runs.parquet"))], ignore_index=True)
    assert sorted(runs["run_id"]) == sorted(store.load_runs()["run_id"])


def test_best_val_epoch_is_minus_one_without_validation(tmp_path):
    store = ResultStore(tmp_path)
    store.write([make_record(1, n_val=0)])
    row = store.load_runs().iloc[0]
    assert row["best_val_epoch"] == -1 and np.isnan(row["best_val_acc"])


def test_load_curves_returns_exactly_the_selected_runs_sorted(tmp_path):
    store = ResultStore(tmp_path)
    first = [make_record(s) for s in range(4)]
    second = [make_record(s) for s in range(4, 8)]
    store.write(first)
    store.write(second)
    wanted = {first[1].run_id, second[2].run_id, "not-a-run"}
    curves = store.load_curves(wanted)
    assert set(curves["run_id"]) == wanted - {"not-a-run"}
    assert len(curves) == first[1].n_evals + second[2].n_evals
    assert curves.equals(curves.sort_values(["run_id", "epoch"]).reset_index(drop=True))
    assert list(curves.columns) == CURVES_SCHEMA.names
    assert set(store.load_curves(first[0].run_id)["run_id"]) == {first[0].run_id}  # one id as a plain string


def test_load_runs_is_sorted_by_created_at(tmp_path):
    store = ResultStore(tmp_path)
    late = make_record(1, created_at="2025-03-01T00:00:00+00:00")
    early = make_record(2, created_at="2025-02-01T00:00:00Z")  # another spelling of UTC: compared as times
    store.write([late])
    store.write([early])
    assert store.load_runs()["run_id"].tolist() == [early.run_id, late.run_id]


# ---- cache lookups ------------------------------------------------------------------------------------------------
def test_cached_hits_complete_and_diverged_runs_only(tmp_path):
    store = ResultStore(tmp_path)
    complete, diverged = make_record(1), make_record(2, status=RunStatus.DIVERGED, stopped_epoch=2)
    pruned, failed = make_record(3, status=RunStatus.PRUNED, stopped_epoch=2), make_record(4, status=RunStatus.FAILED)
    other = make_record(5)
    assert store.cached([complete.run_id]) == set()
    store.write([complete, diverged, pruned, failed])
    ids = [r.run_id for r in (complete, diverged, pruned, failed, other)]
    assert store.cached(ids) == {complete.run_id, diverged.run_id}
    assert store.has(pruned.run_id) and store.has(failed.run_id) and not store.has(other.run_id)
    assert ResultStore(tmp_path).cached(ids) == {complete.run_id, diverged.run_id}


# ---- bad files ----------------------------------------------------------------------------------------------------
def test_torn_foreign_and_junk_files_are_skipped_and_reported_once(tmp_path):
    writer = ResultStore(tmp_path)
    good = [make_record(1), make_record(2)]
    writer.write(good)
    torn = writer.write([make_record(3)])
    torn_path = tmp_path / f"{torn}.runs.parquet"
    torn_path.write_bytes(torn_path.read_bytes()[: torn_path.stat().st_size // 2])
    pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}).to_parquet(tmp_path / "foreign.runs.parquet")
    (tmp_path / "junk.runs.parquet").write_bytes(np.random.default_rng(0).bytes(2000))
    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "notes.parquet")
    # ignored silently: not parquet, dot-files, another module's folder, a writer's temporary file
    (tmp_path / "README.txt").write_text("hello")
    (tmp_path / ".jobs").mkdir()
    (tmp_path / ".jobs" / "progress.parquet").write_bytes(b"not parquet")
    (tmp_path / ".tmp-0123abcd.parquet").write_bytes(b"half a write")

    store = ResultStore(tmp_path)
    with pytest.warns(StoreWarning) as caught:
        runs = store.load_runs()
    assert set(runs["run_id"]) == {r.run_id for r in good}
    bad = {torn_path.name, "foreign.runs.parquet", "junk.runs.parquet", "notes.parquet"}
    messages = [str(w.message) for w in caught]
    assert sorted(m.split(":")[0] for m in messages) == sorted(f"skipping {name}" for name in bad)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reported once per store: no second warning
        assert len(store.load_runs()) == 2
        problems = {p.path.name: p.reason for p in store.problems()}
    assert set(problems) == bad
    assert all(p.path.parent == tmp_path for p in store.problems())
    assert "truncated or corrupt" in problems[torn_path.name]
    assert "truncated or corrupt" in problems["junk.runs.parquet"]
    assert "no schema_version" in problems["foreign.runs.parquet"]
    assert "not a results file name" in problems["notes.parquet"]
    assert_same_record(store.get(good[0].run_id), good[0])


def test_newer_schema_and_wrong_columns_are_reported(tmp_path):
    store = ResultStore(tmp_path)
    batch = store.write([make_record(1)])
    table = pq.read_table(tmp_path / f"{batch}.runs.parquet")
    newer = table.set_column(0, "schema_version", pa.array([SCHEMA_VERSION + 1], pa.int64()))
    pq.write_table(newer.replace_schema_metadata({METADATA_KEY: str(SCHEMA_VERSION + 1).encode()}),
                   tmp_path / "future.runs.parquet")
    pq.write_table(table.drop_columns(["config_json", "seed"]), tmp_path / "partial.runs.parquet")
    wrong = pd.read_parquet(tmp_path / f"{batch}.runs.parquet").assign(seed="seven")  # pandas drops our metadata
    wrong.to_parquet(tmp_path / "wrongtypes.runs.parquet")
    with pytest.warns(StoreWarning):
        problems = {p.path.name: p.reason for p in ResultStore(tmp_path).problems()}
    assert "newer than this reader" in problems["future.runs.parquet"]
    assert "missing columns config_json, seed" in problems["partial.runs.parquet"]
    assert "column types do not match" in problems["wrongtypes.runs.parquet"]
    assert set(problems) == {"future.runs.parquet", "partial.runs.parquet", "wrongtypes.runs.parquet"}


def test_torn_curves_file_keeps_the_listing_and_get_returns_none(tmp_path):
    store = ResultStore(tmp_path)
    record = make_record(1)
    batch = store.write([record])
    curves_path = tmp_path / f"{batch}.curves.parquet"
    curves_path.write_bytes(curves_path.read_bytes()[:100])
    reader = ResultStore(tmp_path)
    assert reader.load_runs()["run_id"].tolist() == [record.run_id]
    with pytest.warns(StoreWarning, match=f"skipping {curves_path.name}"):
        assert reader.get(record.run_id) is None
    assert reader.load_curves([record.run_id]).empty
    assert [p.path.name for p in reader.problems()] == [curves_path.name]


def test_a_batch_whose_curves_file_is_lost_is_skipped(tmp_path):
    store = ResultStore(tmp_path)
    kept = make_record(1)
    store.write([kept])
    lost = store.write([make_record(2)])
    assert len(store.load_runs()) == 2
    (tmp_path / f"{lost}.curves.parquet").unlink()
    with pytest.warns(StoreWarning, match=f"skipping {lost}.runs.parquet: its curves file is missing"):
        assert store.get(make_record(2).run_id) is None  # the cached listing still had it: found out on reading
    assert store.load_runs()["run_id"].tolist() == [kept.run_id]
    problems = [(p.path.name, p.reason) for p in store.problems()]
    assert problems == [(f"{lost}.runs.parquet", "its curves file is missing")]
    with pytest.warns(StoreWarning, match="its curves file is missing"):
        assert ResultStore(tmp_path).load_runs()["run_id"].tolist() == [kept.run_id]


def test_load_runs_returns_a_frame_the_caller_may_change(tmp_path):
    store = ResultStore(tmp_path)
    store.write([make_record(1)])
    runs = store.load_runs()
    runs["seed"] = 99
    runs["extra"] = 1
    again = store.load_runs()
    assert again["seed"].tolist() == [1] and "extra" not in again.columns


def test_orphan_curves_file_is_fine_until_old(tmp_path):
    store = ResultStore(tmp_path)
    batch = store.write([make_record(1)])
    (tmp_path / f"{batch}.runs.parquet").unlink()  # as if the writer had not published its commit marker yet
    assert store.load_runs().empty and store.problems() == []
    two_hours_ago = time.time() - 7200
    os.utime(tmp_path / f"{batch}.curves.parquet", (two_hours_ago, two_hours_ago))
    with pytest.warns(StoreWarning, match="curves without a runs file"):
        assert [p.path.name for p in store.problems()] == [f"{batch}.curves.parquet"]


# ---- delete, duplicates, compaction, version ----------------------------------------------------------------------
def test_delete_hides_runs_and_a_recomputed_run_comes_back(tmp_path):
    store = ResultStore(tmp_path)
    keep, gone = make_record(1), make_record(2)
    store.write([keep, gone])
    before = store.version()
    assert store.delete([gone.run_id, "unknown"]) == 1
    assert store.version() != before
    for reader in (store, ResultStore(tmp_path)):
        assert reader.load_runs()["run_id"].tolist() == [keep.run_id]
        assert reader.get(gone.run_id) is None and not reader.has(gone.run_id)
        assert reader.cached([gone.run_id, keep.run_id]) == {keep.run_id}
        assert reader.load_curves([gone.run_id]).empty
    n_files = len(published(tmp_path))
    assert store.delete([gone.run_id]) == 0 and len(published(tmp_path)) == n_files  # nothing to delete: no file
    store.write([gone])  # computed again after the delete: a new copy, not covered by the tombstone
    assert_same_record(store.get(gone.run_id), gone)


def test_duplicates_across_batches_keep_the_earliest(tmp_path):
    store = ResultStore(tmp_path)
    later = make_record(1, created_at="2025-01-02T00:00:00+00:00", marker=100.0)
    earlier = make_record(1, created_at="2025-01-01T00:00:00+00:00", marker=200.0)
    store.write([later, make_record(2)])
    store.write([earlier])
    runs = store.load_runs()
    assert runs["run_id"].tolist().count(earlier.run_id) == 1 and len(runs) == 2
    assert_same_record(store.get(earlier.run_id), earlier)  # row and curves come from the same copy
    np.testing.assert_array_equal(store.load_curves([earlier.run_id])["elapsed_s"], earlier.curves["elapsed_s"])


def test_a_complete_copy_wins_over_an_earlier_failed_one(tmp_path):
    store = ResultStore(tmp_path)
    failed = make_record(1, status=RunStatus.FAILED, created_at="2025-01-01T00:00:00+00:00")
    complete = make_record(1, created_at="2025-01-02T00:00:00+00:00")
    store.write([failed])
    assert store.cached([failed.run_id]) == set()
    store.write([complete])
    assert store.cached([complete.run_id]) == {complete.run_id}
    assert store.get(complete.run_id).status == RunStatus.COMPLETE


def test_compact_rewrites_into_one_batch_without_deleted_runs(tmp_path):
    store = ResultStore(tmp_path)
    records = [make_record(s) for s in range(6)]
    batches = [store.write(records[:2]), store.write(records[2:4]), store.write(records[4:])]
    store.write([make_record(0, created_at="2025-06-01T00:00:00+00:00")])  # a later duplicate of records[0]
    store.delete([records[5].run_id])
    before = store.load_runs()
    version = store.version()
    new_batch = store.compact()
    assert published(tmp_path) == [f"{new_batch}.curves.parquet", f"{new_batch}.runs.parquet"]
    assert store.version() != version
    after = ResultStore(tmp_path).load_runs()
    pd.testing.assert_frame_equal(after, before)
    assert set(after["batch_id"]) == set(batches)  # runs keep the batch they were written in
    for record in records[:5]:
        assert_same_record(store.get(record.run_id), record)
    assert store.get(records[5].run_id) is None


def test_merge_rewrites_the_given_batches_into_one_and_deletes_still_apply(tmp_path):
    store = ResultStore(tmp_path)
    records = [make_record(s, n_val=50) for s in range(6)]
    singles = [store.write([record]) for record in records[:4]]
    pair = store.write(records[4:])
    duplicate = store.write([make_record(0, n_val=50, created_at="2025-06-01T00:00:00+00:00", marker=9.0)])  # later
    other = store.write([make_record(7)])  # not merged: left as it is
    store.delete([records[3].run_id])
    before = store.load_runs()
    merged = store.merge([*singles, pair, duplicate, "no-such-batch"])
    tombstones = [name for name in published(tmp_path) if name.endswith(".deleted.parquet")]
    assert published(tmp_path) == sorted([f"{merged}.curves.parquet", f"{merged}.runs.parquet",
                                          f"{other}.curves.parquet", f"{other}.runs.parquet", *tombstones])
    merged_rows = pd.read_parquet(tmp_path / f"{merged}.runs.parquet")
    assert sorted(merged_rows["run_id"]) == sorted(r.run_id for r in records if r is not records[3])  # one copy each
    for reader in (store, ResultStore(tmp_path)):
        pd.testing.assert_frame_equal(reader.load_runs(), before)  # same runs, same batch_id, same order
        for record in records[:3] + records[4:]:
            assert_same_record(reader.get(record.run_id), record)
        assert reader.get(records[3].run_id) is None and reader.problems() == []
    # a tombstone names the batch the run was written in, so one published by a reader that listed the folder
    # before the merge still hides the merged copy
    late = pa.table({"run_id": [records[1].run_id], "batch_id": [singles[1]], "deleted_at": [CREATED]},
                    schema=TOMBSTONE_SCHEMA)
    pq.write_table(late, tmp_path / "20250101T000000_000000Z-0000beef.deleted.parquet")
    assert records[1].run_id not in set(ResultStore(tmp_path).load_runs()["run_id"])


def test_merge_of_deleted_unknown_or_bad_batches(tmp_path):
    store = ResultStore(tmp_path)
    gone = [store.write([make_record(s)]) for s in range(2)]
    store.delete([make_record(s).run_id for s in range(2)])
    assert store.merge(gone) == ""  # nothing left to publish: the batches are removed all the same
    assert not list(tmp_path.glob("*.runs.parquet")) and not list(tmp_path.glob("*.curves.parquet"))
    assert store.merge([]) == "" and store.merge(["never-written"]) == ""
    with pytest.raises(ValueError, match="batch ids"):
        store.merge(["../escape"])
    kept, torn = store.write([make_record(3)]), store.write([make_record(4)])
    torn_curves = tmp_path / f"{torn}.curves.parquet"
    torn_curves.write_bytes(torn_curves.read_bytes()[:100])
    with pytest.warns(StoreWarning, match=f"skipping {torn_curves.name}"):
        merged = store.merge([kept, torn])
    assert ResultStore(tmp_path).load_runs()["batch_id"].tolist() == [kept, torn]  # the torn batch is left alone
    assert (tmp_path / f"{torn}.runs.parquet").exists() and not (tmp_path / f"{kept}.runs.parquet").exists()
    assert (tmp_path / f"{merged}.runs.parquet").exists()


def test_a_batch_merged_away_between_listing_and_reading_is_neither_missed_nor_reported(tmp_path, monkeypatch):
    writer = ResultStore(tmp_path)
    records = [make_record(s) for s in range(5)]
    batches = [writer.write([record]) for record in records]
    age_files(tmp_path, 7200)
    writer.load_runs()  # the writer's index is up to date: its merge below reads only curves
    reader = ResultStore(tmp_path)
    real_read, merged = core.store_listing.read_file, []

    def merge_then_read(path, *args, **kwargs):
        if not merged:  # the reader has listed the folder: now every batch it listed goes away
            merged.append("")
            merged[0] = writer.merge(batches)
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(core.store_listing, "read_file", merge_then_read)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert set(reader.load_runs()["run_id"]) == {r.run_id for r in records}
        assert reader.problems() == []
    assert merged and merged[0] and set(reader.load_runs()["batch_id"]) == set(batches)


def test_a_reader_between_the_two_removals_of_a_merge_sees_every_run_and_no_problem(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    records = [make_record(s) for s in range(3)]
    batches = [store.write([record]) for record in records]
    age_files(tmp_path, 7200)  # an old lone curves file is reported as a leftover: the merge must not look like one
    looks, real_unlink = [], Path.unlink

    def unlink_and_look(path, *args, **kwargs):
        real_unlink(path, *args, **kwargs)
        if path.name.endswith(".runs.parquet"):  # its curves file is still there, alone
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                reader = ResultStore(tmp_path)
                assert set(reader.load_runs()["run_id"]) == {r.run_id for r in records}
                assert reader.problems() == []
            looks.append(path.name)

    monkeypatch.setattr(Path, "unlink", unlink_and_look)
    store.merge(batches)
    assert len(looks) == len(batches)


def test_a_listing_that_missed_a_merge_is_taken_again(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    batches = [store.write([make_record(s)]) for s in range(3)]
    torn = core.store_folder._list_once(tmp_path)  # as if the listing ran while the merge below published a batch
    for kind, files in (("runs", torn.runs), ("curves", torn.curves)):  # and removed the first one: it has neither
        del files[f"{batches[0]}.{kind}.parquet"]
    torn.listed = {*torn.runs, *torn.tombstones}
    store.merge(batches[:1])
    real_list, calls = core.store_folder._list_once, []

    def list_once(folder):
        calls.append(folder)
        return torn if len(calls) == 1 else real_list(folder)

    monkeypatch.setattr(core.store_folder, "_list_once", list_once)
    assert len(ResultStore(tmp_path).load_runs()) == 3
    assert len(calls) == 2


def test_version_changes_only_when_something_is_published(tmp_path):
    store = ResultStore(tmp_path)
    empty = store.version()
    assert store.version() == empty
    store.write([make_record(1)])
    written = store.version()
    assert written != empty and ResultStore(tmp_path).version() == written
    store.load_runs()
    assert store.version() == written
    store.delete([make_record(1).run_id])
    assert store.version() not in (empty, written)


# ---- empty store, validation, folder ------------------------------------------------------------------------------
def test_empty_store_gives_empty_frames_with_columns(tmp_path):
    store = ResultStore(tmp_path)
    assert store.write([]) == "" and published(tmp_path) == []
    runs = store.load_runs()
    assert runs.empty and list(runs.columns) == RUNS_SCHEMA.names
    assert runs["seed"].dtype == np.int64 and runs["final_test_acc"].dtype == np.float64
    curves = store.load_curves(["nothing"])
    assert curves.empty and list(curves.columns) == CURVES_SCHEMA.names
    assert store.get("nothing") is None and store.cached(["nothing"]) == set() and store.problems() == []
    assert store.delete(["nothing"]) == 0


def test_write_rejects_bad_records_and_batch_names_without_leaving_files(tmp_path):
    store = ResultStore(tmp_path)
    good = make_record(1)
    short = RunRecord(good.config, good.status, {**good.curves, "train_acc": good.curves["train_acc"][:-1]},
                      good.weight_norms, good.stopped_epoch, "fp", CREATED, 1.0)
    missing = RunRecord(good.config, good.status, {k: v for k, v in good.curves.items() if k != "test_acc"},
                        good.weight_norms, good.stopped_epoch, "fp", CREATED, 1.0)
    norms = RunRecord(good.config, good.status, good.curves, good.weight_norms[:-1], good.stopped_epoch, "fp",
                      CREATED, 1.0)
    with pytest.raises(ValueError, match="same length"):
        store.write([good, short])
    with pytest.raises(ValueError, match="test_acc"):
        store.write([missing])
    with pytest.raises(ValueError, match="weight_norms"):
        store.write([norms])
    with pytest.raises(ValueError, match="more than once"):
        store.write([good, good])
    with pytest.raises(ValueError, match="'batch' parameter"):
        store.write([good], batch="../escape")
    assert published(tmp_path) == []
    assert store.write([good], batch="preset_fig6-21") == "preset_fig6-21"
    with pytest.raises(FileExistsError):
        store.write([make_record(2)], batch="preset_fig6-21")
    assert published(tmp_path) == ["preset_fig6-21.curves.parquet", "preset_fig6-21.runs.parquet"]


def test_results_dir_explicit_then_env_var_then_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(RESULTS_ENV, raising=False)
    assert results_dir() == Path(DEFAULT_RESULTS) and (tmp_path / DEFAULT_RESULTS).is_dir()
    monkeypatch.setenv(RESULTS_ENV, str(tmp_path / "from-env"))
    assert results_dir() == tmp_path / "from-env" and (tmp_path / "from-env").is_dir()
    assert results_dir(tmp_path / "explicit") == tmp_path / "explicit"
    store = ResultStore()
    assert store.root == tmp_path / "from-env"
    store.write([make_record(1)])
    assert len(list((tmp_path / "from-env").glob("*.runs.parquet"))) == 1


# ---- several processes at once ------------------------------------------------------------------------------------
def _write_batches(root: str, worker: int, n_batches: int, runs_per_batch: int) -> None:
    """Worker process: write ``n_batches`` batches of distinct runs, plus one run every worker also computes."""
    store = ResultStore(root)
    for b in range(n_batches):
        first = 1000 * (worker + 1) + b * runs_per_batch
        store.write([make_record(first + i, n_epochs=20) for i in range(runs_per_batch)])
        if b == n_batches // 2:
            store.write([make_record(0, n_epochs=20)])  # the same config computed by every worker


def test_concurrent_writers_lose_nothing_and_a_reader_never_sees_half_a_batch(tmp_path):
    n_workers, n_batches, runs_per_batch = 4, 25, 2
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_batches, args=(str(tmp_path), w, n_batches, runs_per_batch))
               for w in range(n_workers)]
    for worker in workers:
        worker.start()
    reader = ResultStore(tmp_path)
    looks = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an in-progress write must not look like a bad file
        while any(worker.is_alive() for worker in workers) or looks == 0:
            runs = reader.load_runs()
            if len(runs):
                curves = reader.load_curves(runs["run_id"])
                counts = curves.groupby("run_id").size()
                assert set(counts.index) == set(runs["run_id"])  # runs present => their curves present
                assert (counts == 21).all()
            looks += 1
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    expected = {make_record(1000 * (w + 1) + i, n_epochs=20).run_id for w in range(n_workers)
                for i in range(n_batches * runs_per_batch)} | {make_record(0, n_epochs=20).run_id}
    fresh = ResultStore(tmp_path)
    runs = fresh.load_runs()
    assert len(runs) == len(expected) == n_workers * n_batches * runs_per_batch + 1
    assert set(runs["run_id"]) == expected and runs["run_id"].is_unique
    assert fresh.problems() == []
    assert len(list(tmp_path.glob("*.runs.parquet"))) == n_workers * (n_batches + 1)
    assert not list(tmp_path.glob(".tmp-*"))
    assert looks > 1


def _merge_repeatedly(root: str, n_merges: int, seed: int) -> None:
    """Merger process: merge the folder's batches in random groups of up to three, again and again."""
    store, rng = ResultStore(root), random.Random(seed)
    for _ in range(n_merges):
        batches = [p.name.split(".")[0] for p in Path(root).glob("*.runs.parquet")]
        rng.shuffle(batches)
        store.merge(batches[:3])  # a single batch is rewritten under a new name: still a publish and a removal


def test_a_reader_during_merges_never_misses_a_run_nor_reports_a_problem(tmp_path):
    writer = ResultStore(tmp_path)
    records = [make_record(s, n_epochs=20) for s in range(40)]
    for record in records:
        writer.write([record])
    writer.delete([records[0].run_id])
    age_files(tmp_path, 7200)  # old batches: a lone curves file seen mid-merge would look like a leftover
    expected = {r.run_id for r in records[1:]}
    merger = multiprocessing.get_context("spawn").Process(target=_merge_repeatedly, args=(str(tmp_path), 60, 0))
    merger.start()
    reader = ResultStore(tmp_path)
    looks = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a file merged away must not look like a bad one
        while merger.is_alive() or looks == 0:
            for store in (reader, ResultStore(tmp_path)):  # a warm reader (tables in memory) and a cold one
                runs = store.load_runs()
                assert set(runs["run_id"]) == expected
                sample = runs["run_id"].iloc[looks % len(runs):][:5]
                assert (store.load_curves(sample).groupby("run_id").size() == 21).all()
                assert store.problems() == []
            looks += 1
    merger.join(timeout=120)
    assert merger.exitcode == 0
    assert set(ResultStore(tmp_path).load_runs()["run_id"]) == expected
    assert len(list(tmp_path.glob("*.runs.parquet"))) == 1 and not list(tmp_path.glob(".tmp-*"))
    assert looks > 5
