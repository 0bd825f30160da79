"""Findings 1, 6, 7 and 11 of issue 11: every bad or oversized input is refused in one line before anything is built."""
from __future__ import annotations

import gzip
import io
import os
import threading
import tracemalloc
from contextlib import redirect_stderr

import pandas as pd
import pytest

from core.cli import main
from core.data import DataError, check_idx_folder, load_dataset
from core.limits import LimitError, Limits, check_config, current_limits, read_small_file
from core.config import RunConfig

from .helpers import TINY, cli, one_line_error, write_idx


def run_main(argv, tmp_path):
    """``python -m core`` in this process (so tracemalloc sees its allocations): (exit code, stderr)."""
    err = io.StringIO()
    with redirect_stderr(err):
        try:
            code = main(["--results", str(tmp_path), *argv])
        except SystemExit as exc:
            code = exc.code
    return code, err.getvalue()


# ---- finding 1: sizes ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("argv", "words"), [
    (["run", "--set", "hidden_sizes=10000x50", "--set", "n_epochs=1"], ["hidden_sizes=10000x50", "parameters",
                                                                         "OVERFIT_LAB_MAX_PARAMS"]),
    (["run", "--seeds", "1000000000"], ["--seeds=1000000000", "OVERFIT_LAB_MAX_SEEDS"]),
    (["search", "--trials", "1000000000"], ["--trials=1000000000", "OVERFIT_LAB_MAX_TRIALS"]),
    (["run", "--set", "hidden_sizes=5000x2", "--set", "batch_size=300", "--set", "dtype=float64"],
     ["hidden_sizes=5000x2", "OVERFIT_LAB_MAX_PARAMS"]),
])
def test_oversized_jobs_are_refused_before_allocating(tmp_path, argv, words):
    tracemalloc.start()
    try:
        code, err = run_main(argv, tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert all(w in err for w in words), err
    assert peak < 50 * 2**20, f"{peak / 2**20:.0f} MB allocated before the refusal"
    assert not list(tmp_path.glob("*.parquet"))


def test_limits_come_from_settings_and_name_them():
    limits = current_limits(environ={"OVERFIT_LAB_MAX_PARAMS": "1000", "OVERFIT_LAB_MAX_SEEDS": "x"})
    assert limits.params == 1000 and limits.seeds == Limits.seeds
    assert current_limits(dashboard=True, environ={}).seeds == 10
    with pytest.raises(LimitError, match=r"hidden_sizes=100x6 needs 1\.3e\+05 parameters; the limit is 1\.0e\+03 "
                                         r"\(OVERFIT_LAB_MAX_PARAMS\)"):
        check_config(RunConfig(), limits)
    check_config(RunConfig())  # the book's network is well inside the defaults


def test_activation_memory_is_bounded():
    limits = Limits(activation_mb=1)
    with pytest.raises(LimitError, match="OVERFIT_LAB_MAX_ACTIVATION_MB"):
        check_config(RunConfig(hidden_sizes=(1000,), n_train=300, batch_size=300), limits)


def test_env_setting_lowers_a_limit_for_the_command_line(tmp_path):
    line = one_line_error(cli("run", *TINY, "--seeds", "3", results=tmp_path, env={"OVERFIT_LAB_MAX_SEEDS": "2"}))
    assert "the limit is 2 (OVERFIT_LAB_MAX_SEEDS)" in line


# ---- finding 7: command-line rough edges --------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [["search", "--show", ""], ["run", "--workers", "0"], ["run", "--workers", "-5"],
                                  ["search", "--workers", "0"], ["sweep", "--workers", "-1", "--vary", "lr=0.1,0.2"],
                                  ["list", "--limit", "-1"], ["run", "--no-such-option"], ["show"],
                                  ["run", "--seeds", "many"]])
def test_bad_options_are_one_line_errors(tmp_path, argv):
    code, err = run_main(argv, tmp_path)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("python -m core") and ": error: " in lines[0], err


def test_seed_from_set_and_from_config_file_is_respected(tmp_path):
    proc = cli("run", *TINY, "--set", "seed=5", "--quiet", results=tmp_path)
    assert proc.returncode == 0, proc.stderr
    config_file = tmp_path / "c.json"
    config_file.write_text('{"seed": 7, "n_epochs": 2, "n_train": 100, "hidden_sizes": [10], "batch_size": 50, '
                           '"n_test": 200}')
    proc = cli("run", "--config", str(config_file), "--seeds", "2", "--quiet", results=tmp_path)
    assert proc.returncode == 0, proc.stderr
    runs = pd.concat(pd.read_parquet(p) for p in tmp_path.glob("*.runs.parquet"))
    assert sorted(runs["seed"]) == [5, 7, 8]
    proc = cli("run", *TINY, "--set", "seed=5", "--first-seed", "1", "--quiet", results=tmp_path)
    runs = pd.concat(pd.read_parquet(p) for p in tmp_path.glob("*.runs.parquet"))
    assert 1 in set(runs["seed"])


def test_list_limit_zero_shows_no_row_and_limit_is_not_negative(tmp_path):
    assert cli("run", *TINY, "--quiet", results=tmp_path).returncode == 0
    listing = cli("list", "--limit", "1", results=tmp_path).stdout.splitlines()
    assert len(listing) == 2  # header and the one run: --limit -1 used to drop it silently
    one_line_error(cli("list", "--limit", "-1", results=tmp_path))


# ---- finding 11: unbounded reads ----------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "folder", "big"])
def test_config_file_must_be_a_small_regular_file(tmp_path, target):
    if target == "folder":
        path = tmp_path
    elif target == "big":
        path = tmp_path / "big.json"
        with open(path, "wb") as handle:
            handle.truncate(200 * 2**20)  # 200 MB, sparse
    else:
        path = target
    tracemalloc.start()
    try:
        code, err = run_main(["run", "--config", str(path)], tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert ("not a regular file" in err) or ("OVERFIT_LAB_MAX_CONFIG_KB" in err), err
    assert peak < 20 * 2**20


def test_config_fifo_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    result = {}
    thread = threading.Thread(target=lambda: result.update(out=run_main(["run", "--config", str(fifo)], tmp_path)),
                              daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "--config on a FIFO blocked"
    code, err = result["out"]
    assert code == 2 and "not a regular file" in err


def test_read_small_file_reads_a_normal_config(tmp_path):
    path = tmp_path / "c.json"
    path.write_text('{"lr": 0.1}')
    assert read_small_file(path) == '{"lr": 0.1}'


# ---- finding 6: IDX data checked before any run is queued ---------------------------------------------------------
def _corrupt(folder, how):
    name = folder / "train-images-idx3-ubyte"
    data = name.read_bytes()
    if how == "truncated":
        name.write_bytes(data[:-7])
    elif how == "magic":
        name.write_bytes(b"\x00\x00\x08\x09" + data[4:])
    elif how == "mismatch":
        labels = folder / "train-labels-idx1-ubyte"
        raw = labels.read_bytes()
        labels.write_bytes(raw[:4] + (59).to_bytes(4, "big") + raw[8:-1])


@pytest.mark.parametrize(("how", "words"), [("missing", "not a folder"), ("traversal", "not a folder"),
                                            ("truncated", "truncated"), ("magic", "bad magic"),
                                            ("mismatch", "disagree")])
def test_bad_idx_folder_is_reported_on_the_command_line_and_stores_nothing(tmp_path, how, words):
    folder = tmp_path / "idx"
    write_idx(folder)
    path = str(folder)
    if how == "missing":
        path = str(tmp_path / "nowhere")
    elif how == "traversal":
        path = str(tmp_path / "idx" / ".." / ".." / "no" / ".." / "none")
    else:
        _corrupt(folder, how)
    results = tmp_path / "res"
    proc = cli("run", "--set", "dataset=idx", "--set", f"data_path={path}", "--set", "n_train=20", "--set",
               "batch_size=10", "--set", "n_epochs=1", "--set", "hidden_sizes=5x1", results=results)
    assert words in one_line_error(proc)
    assert not list(results.glob("*.runs.parquet")), "a failed run was written into the shared store"


def test_gzip_bomb_is_not_decompressed_past_its_declared_size(tmp_path):
    folder = tmp_path / "idx"
    write_idx(folder, gz=True)
    header = (0x803).to_bytes(4, "big") + (60).to_bytes(4, "big") + (4).to_bytes(4, "big") * 2
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", compresslevel=9) as handle:
        handle.write(header)
        chunk = bytes(2**20)
        for _ in range(256):  # 256 MB of zeros behind a header declaring 960 bytes
            handle.write(chunk)
    (folder / "train-images-idx3-ubyte.gz").write_bytes(bomb.getvalue())
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="longer than its header"):
            check_idx_folder(str(folder))
        with pytest.raises(DataError, match="longer than its header"):
            load_dataset("idx", str(folder))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20, f"{peak / 2**20:.0f} MB decompressed"


def test_declared_size_over_the_limit_is_refused_unread(tmp_path, monkeypatch):
    folder = tmp_path / "idx"
    write_idx(folder)
    monkeypatch.setenv("OVERFIT_LAB_MAX_IDX_MB", "1")
    header = (0x803).to_bytes(4, "big") + (100000).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    (folder / "train-images-idx3-ubyte").write_bytes(header)
    with pytest.raises(DataError, match="OVERFIT_LAB_MAX_IDX_MB"):
        check_idx_folder(str(folder))


def test_valid_idx_folder_passes_the_check(tmp_path):
    write_idx(tmp_path / "idx", gz=True)
    assert check_idx_folder(str(tmp_path / "idx")) == (80, 16)


def test_search_whose_every_trial_failed_exits_nonzero(tmp_path):
    folder = tmp_path / "idx"
    write_idx(folder, n_train=12, n_test=8)  # 20 images: the search's 400 + 100 split cannot be cut from them
    proc = cli("search", "--set", "dataset=idx", "--set", f"data_path={folder}", "--set", "hidden_sizes=5x1",
               "--trials", "2", "--epochs", "1",
               "--workers", "1", "--quiet", results=tmp_path / "res")
    assert proc.returncode != 0, (proc.stdout, proc.stderr)
    assert "every trial" in proc.stderr and "failed" in proc.stderr, proc.stderr
