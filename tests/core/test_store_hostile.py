"""The store against a hostile or careless folder (issue 11): links, special files, oversize files, forged rows,
leftovers of writers that died, and a full disk. Every file here is real; the full disk is a real tmpfs."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import core.store_folder
from core.atomic import NoSpaceError, publish_text
from core.config import ENGINE_VERSION, RunConfig
from core.store import MAX_FILE_MB_ENV, ResultStore, StoreWarning
from core.store_format import group_id_for, run_id_for
from test_store import age_files, assert_same_record, make_record, published


pytestmark = pytest.mark.usefixtures("private_cache")  # tests/core/conftest.py


def problems_of(store: ResultStore) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StoreWarning)
        for problem in store.problems():
            found.setdefault(problem.path.name, []).append(problem.reason)
    return found


def every_call_works(store: ResultStore, records) -> None:
    """Each public call of the store answers, and shows exactly ``records``."""
    ids = {r.run_id for r in records}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StoreWarning)
        assert set(store.load_runs()["run_id"]) == ids
        assert set(store.load_curves(ids)["run_id"]) == ids
        assert store.cached(ids) == ids and all(store.has(i) for i in ids)
        for record in records:
            assert_same_record(store.get(record.run_id), record)
        assert store.version() and isinstance(store.problems(), list)


# ---- finding 3: one looping link -----------------------------------------------------------------------------------
def test_a_looping_symlink_is_reported_and_every_call_still_works(tmp_path):
    store = ResultStore(tmp_path)
    record = make_record(1)
    store.write([record])
    os.symlink("loop.runs.parquet", tmp_path / "loop.runs.parquet")
    os.symlink("loop2.curves.parquet", tmp_path / "loop2.curves.parquet")
    fresh = ResultStore(tmp_path)
    every_call_works(fresh, [record])
    problems = problems_of(fresh)
    assert set(problems) == {"loop.runs.parquet", "loop2.curves.parquet"}
    assert all("symbolic link" in reasons[0] for reasons in problems.values())
    assert fresh.delete([record.run_id]) == 1 and fresh.load_runs().empty
    fresh.compact()
    assert (tmp_path / "loop.runs.parquet").is_symlink()  # reported, never touched


# ---- finding 4: links out of the folder ----------------------------------------------------------------------------
def test_links_out_of_the_folder_are_reported_never_loaded_and_compact_leaves_them(tmp_path):
    outside, root = tmp_path / "elsewhere", tmp_path / "results"
    foreign = make_record(9)
    outside_batch = ResultStore(outside).write([foreign])
    outside_files = sorted(outside.iterdir())
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in outside_files}
    store = ResultStore(root)
    own = make_record(1)
    store.write([own])
    for path in outside_files:  # the other batch, linked in under its own names
        os.symlink(path, root / path.name)
    os.symlink("/etc/passwd", root / "passwd.runs.parquet")
    os.symlink("/etc/shadow", root / "shadow.deleted.parquet")

    fresh = ResultStore(root)
    with pytest.warns(StoreWarning, match="symbolic link"):
        assert fresh.load_runs()["run_id"].tolist() == [own.run_id]
    assert fresh.get(foreign.run_id) is None and fresh.cached([foreign.run_id]) == set()
    problems = problems_of(fresh)
    linked = {p.name for p in outside_files} | {"passwd.runs.parquet", "shadow.deleted.parquet"}
    assert set(problems) == linked
    assert all(reasons == ["a symbolic link, not a regular file: only regular files inside the results folder are "
                           "read"] for reasons in problems.values())

    new_batch = fresh.compact()
    assert set(ResultStore(root).load_runs()["run_id"]) == {own.run_id}  # nothing copied in
    assert set(pq.read_table(root / f"{new_batch}.curves.parquet").column("run_id").to_pylist()) == {own.run_id}
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in outside_files} == before  # untouched
    assert all((root / name).is_symlink() for name in linked)
    assert (outside / f"{outside_batch}.runs.parquet").exists()


# ---- finding 11 (store part): special files and unbounded reads ----------------------------------------------------
def test_directories_fifos_and_device_links_named_parquet_are_reported(tmp_path):
    store = ResultStore(tmp_path)
    record = make_record(1)
    store.write([record])
    (tmp_path / "folder.runs.parquet").mkdir()
    os.mkfifo(tmp_path / "pipe.runs.parquet")  # opening it for reading would block for ever
    os.mkfifo(tmp_path / "pipe.curves.parquet")
    os.symlink("/dev/zero", tmp_path / "zero.curves.parquet")
    os.symlink("/dev/urandom", tmp_path / "noise.deleted.parquet")
    fresh = ResultStore(tmp_path)
    every_call_works(fresh, [record])
    problems = problems_of(fresh)
    assert problems == {
        "folder.runs.parquet": ["a directory, not a regular file: only regular files inside the results folder are "
                                "read"],
        "pipe.runs.parquet": ["a FIFO, not a regular file: only regular files inside the results folder are read"],
        "pipe.curves.parquet": ["a FIFO, not a regular file: only regular files inside the results folder are read"],
        "zero.curves.parquet": ["a symbolic link, not a regular file: only regular files inside the results folder "
                                "are read"],
        "noise.deleted.parquet": ["a symbolic link, not a regular file: only regular files inside the results folder "
                                  "are read"],
    }
    fresh.compact()
    assert (tmp_path / "folder.runs.parquet").is_dir() and (tmp_path / "pipe.runs.parquet").is_fifo()


def test_a_file_over_the_size_limit_is_reported_not_read(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    small, big = make_record(1, n_epochs=5), make_record(2, n_epochs=3000)
    store.write([small])
    big_batch = store.write([big])
    many = store.write([make_record(s, n_epochs=1) for s in range(100, 400)])
    curves_size = (tmp_path / f"{big_batch}.curves.parquet").stat().st_size
    runs_size = (tmp_path / f"{many}.runs.parquet").stat().st_size
    limit_mb = 50_000 / (1 << 20)
    assert curves_size > 50_000 and runs_size > 50_000  # both over the limit set below; the small batch is not
    monkeypatch.setenv(MAX_FILE_MB_ENV, f"{limit_mb}")
    capped = ResultStore(tmp_path)
    with pytest.warns(StoreWarning, match="over the 0.0476837 MB limit"):
        assert set(capped.load_runs()["run_id"]) == {small.run_id, big.run_id}
    assert capped.get(big.run_id) is None and capped.load_curves([big.run_id]).empty
    assert_same_record(capped.get(small.run_id), small)
    problems = problems_of(capped)
    assert set(problems) == {f"{big_batch}.curves.parquet", f"{many}.runs.parquet"}
    assert all(f"limit on files the store reads (setting {MAX_FILE_MB_ENV})" in r[0] for r in problems.values())
    monkeypatch.setenv(MAX_FILE_MB_ENV, "lots")
    with pytest.raises(ValueError, match=f"The '{MAX_FILE_MB_ENV}' setting must be a number of megabytes above 0"):
        ResultStore(tmp_path)


def test_a_compression_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    batch = store.write([make_record(1)])
    runs = pq.read_table(tmp_path / f"{batch}.runs.parquet")
    bomb = runs.set_column(runs.schema.get_field_index("error"), "error", pa.array(["x" * (8 << 20)]))
    pq.write_table(bomb, tmp_path / f"{batch}.runs.parquet", compression="zstd")
    assert (tmp_path / f"{batch}.runs.parquet").stat().st_size < 100_000  # 8 MB of text in a small file
    monkeypatch.setenv(MAX_FILE_MB_ENV, "1")
    with pytest.warns(StoreWarning, match="would unpack to 8.0 MB, over the 1 MB limit"):
        assert ResultStore(tmp_path).load_runs().empty


# ---- finding 10: rows are checked ----------------------------------------------------------------------------------
def _forged_batch(root: Path, name: str, rows: list[dict]) -> None:
    """Publish a batch whose runs rows are ``rows`` (edited copies of real ones) beside a real curves file."""
    template = ResultStore(root / ".template")
    records = [make_record(1000 + i) for i in range(len(rows))]
    batch = template.write(records)
    runs = pq.read_table(root / ".template" / f"{batch}.runs.parquet").to_pylist()
    edited = [{**row, **changes} for row, changes in zip(runs, rows)]
    table = pa.Table.from_pylist(edited, schema=pq.read_schema(root / ".template" / f"{batch}.runs.parquet"))
    shutil.copy(root / ".template" / f"{batch}.curves.parquet", root / f"{name}.curves.parquet")
    pq.write_table(table, root / f"{name}.runs.parquet")


def test_rows_that_are_not_what_the_store_wrote_are_reported_and_skipped(tmp_path):
    store = ResultStore(tmp_path)
    good = make_record(1)
    store.write([good])
    invalid = RunConfig(seed=5).to_dict() | {"n_epochs": 0}  # no longer validates, hash made to fit
    invalid_json = json.dumps(invalid, sort_keys=True, separators=(",", ":"))
    forged_id = run_id_for(RunConfig(seed=6), ENGINE_VERSION)
    _forged_batch(tmp_path, "forged", [
        {"run_id": "../../etc/pa"},
        {"status": "hacked"},
        {"config_json": "{broken"},
        {"run_id": forged_id},  # a real id, of another config
        {"config_json": invalid_json,
         "run_id": hashlib.sha256(f"{ENGINE_VERSION}|{invalid_json}".encode()).hexdigest()[:12]},
        {"group_id": "0123456789ab"},
        {},  # an untouched row: kept
    ])
    kept = make_record(1006)
    fresh = ResultStore(tmp_path)
    with pytest.warns(StoreWarning) as caught:
        runs = fresh.load_runs()
    assert set(runs["run_id"]) == {good.run_id, kept.run_id}
    reasons = problems_of(fresh)["forged.runs.parquet"]
    assert [r.split(" skipped: ")[1].split(" (")[0] for r in reasons] == [
        "run_id is not 12 hex digits",
        "status 'hacked' is not one of complete, diverged, failed, pruned",
        "config_json is not a valid config",
        "run_id is not the hash of its config_json",
        "config_json is not a valid config",
        "group_id is not the hash of its config_json",
    ]
    assert reasons[0].startswith("row 0 (run_id '../../etc/pa') skipped")
    assert "'n_epochs' parameter" in reasons[4]
    assert len(caught) == 6  # once each
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fresh.load_runs()
        assert fresh.cached([forged_id, good.run_id, kept.run_id]) == {good.run_id, kept.run_id}
    assert fresh.get(forged_id) is None
    assert_same_record(fresh.get(kept.run_id), kept)


@pytest.mark.parametrize("config", [RunConfig(), RunConfig(seed=3, hidden_sizes=(50, 20), lr=1, dropout=0.2),
                                    RunConfig(dataset="idx", data_path="/data/mnist", n_train=100, batch_size=10)])
def test_the_store_hashes_a_config_as_the_config_does(config):
    assert run_id_for(config, ENGINE_VERSION) == config.run_id
    assert group_id_for(config, ENGINE_VERSION) == config.group_id


def test_rows_of_an_older_engine_keep_their_run_id(tmp_path):
    config = RunConfig(seed=3)
    old_id = run_id_for(config, "0")
    assert old_id != config.run_id
    _forged_batch(tmp_path, "old-engine", [{"engine_version": "0", "run_id": old_id,
                                            "config_json": config.to_json(),
                                            "group_id": group_id_for(config, "0")}])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ResultStore(tmp_path).load_runs()["run_id"].tolist() == [old_id]


# ---- finding 9: leftovers of writers that died ---------------------------------------------------------------------
def test_compact_removes_old_leftovers_and_never_a_young_one(tmp_path):
    store = ResultStore(tmp_path)
    kept = make_record(1)
    store.write([kept])
    dead = store.write([make_record(2)])
    (tmp_path / f"{dead}.runs.parquet").unlink()  # killed between its two publishes
    (tmp_path / ".tmp-0123456789ab-x.runs.parquet").write_bytes(b"half a write")
    age_files(tmp_path, 7200)
    live = store.write([make_record(3)])
    (tmp_path / f"{live}.runs.parquet").unlink()  # a writer still between its two publishes
    (tmp_path / ".tmp-ba9876543210-y.curves.parquet").write_bytes(b"being written")
    assert problems_of(ResultStore(tmp_path)) == {
        f"{dead}.curves.parquet": ["curves without a runs file for over an hour (an interrupted write?)"]}

    new_batch = store.compact()
    assert published(tmp_path) == sorted([f"{new_batch}.curves.parquet", f"{new_batch}.runs.parquet",
                                          f"{live}.curves.parquet", ".tmp-ba9876543210-y.curves.parquet"])
    assert problems_of(ResultStore(tmp_path)) == {}
    assert_same_record(ResultStore(tmp_path).get(kept.run_id), kept)


# ---- issue 11 finding 2 (store part): a full disk -------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A real 512 kB tmpfs (needs root and mount); skipped where it cannot be mounted."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(folder: Path, leave_bytes: int) -> None:
    """Fill ``folder``'s file system until about ``leave_bytes`` are free."""
    free = shutil.disk_usage(folder).free
    (folder / "filler.bin").write_bytes(b"\0" * max(free - leave_bytes, 0))


@pytest.mark.parametrize("leave_kb", [0, 12])  # nothing fits; the curves file fits but the runs file does not
def test_a_full_disk_says_so_in_one_line_and_leaves_nothing_behind(small_disk, leave_kb):
    root = small_disk / "results"
    store = ResultStore(root)
    first = make_record(1)
    store.write([first])
    before = published(root)
    _fill(small_disk, leave_kb * 1024)
    with pytest.raises(NoSpaceError) as caught:
        store.write([make_record(2, n_epochs=2)])
    assert str(caught.value) == f"no space left in {root}"
    assert published(root) == before  # no curves file, no temporary file
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reader = ResultStore(root)
        assert reader.load_runs()["run_id"].tolist() == [first.run_id] and reader.problems() == []
    with pytest.raises(NoSpaceError, match=f"^no space left in {root / '.jobs'}$"):  # the other writers too
        publish_text(root / ".jobs" / "job.json", "x" * 100_000)
    assert not list((root / ".jobs").iterdir())
    (small_disk / "filler.bin").unlink()
    store.write([make_record(2, n_epochs=2)])  # room again: writes work
    assert len(ResultStore(root).load_runs()) == 2


def test_the_store_never_follows_a_link_swapped_in_after_the_listing(tmp_path):
    store = ResultStore(tmp_path)
    batch = store.write([make_record(1)])
    assert len(store.load_runs()) == 1  # the store has listed the folder
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / f"{batch}.curves.parquet"
    shutil.move(target, outside / target.name)
    os.symlink(outside / target.name, target)  # after the listing saw a regular file, a link takes its place
    with pytest.warns(StoreWarning, match="symbolic link"):
        assert store.get(make_record(1).run_id) is None


def test_large_files_read_through_the_descriptor_give_the_same_records(tmp_path, monkeypatch):
    monkeypatch.setattr(core.store_folder, "IN_MEMORY_BYTES", 0)  # every file takes the large-file path
    store = ResultStore(tmp_path)
    records = [make_record(s) for s in range(3)]
    batch = store.write(records)
    for record in records:
        assert_same_record(ResultStore(tmp_path).get(record.run_id), record)
    curves = tmp_path / f"{batch}.curves.parquet"
    curves.write_bytes(curves.read_bytes()[:200])
    with pytest.warns(StoreWarning, match="truncated or corrupt"):
        assert ResultStore(tmp_path).get(records[0].run_id) is None
