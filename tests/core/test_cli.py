from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest


def cli(*args, results, check_rc=0):
    proc = subprocess.run([sys.executable, "-m", "core", "--results", str(results), *args],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == check_rc, (proc.stdout, proc.stderr)
    return proc


SMALL = ["--set", "n_epochs=2", "--set", "hidden_sizes=20x2", "--set", "n_train=100", "--set", "batch_size=50",
         "--set", "n_test=200"]


def test_run_writes_parquet_then_reports_cache_hits(tmp_path):
    first = cli("run", *SMALL, "--seeds", "2", "--quiet", results=tmp_path)
    assert "2 runs: 0 cached" in first.stdout
    runs = pd.concat(pd.read_parquet(p) for p in tmp_path.glob("*.runs.parquet"))
    assert len(runs) == 2 and set(runs["status"]) == {"complete"}
    second = cli("run", *SMALL, "--seeds", "2", "--quiet", results=tmp_path)
    assert second.stdout.count("cached  ") == 2 and "2 runs: 2 cached" in second.stdout


def test_list_show_delete(tmp_path):
    cli("run", *SMALL, "--quiet", results=tmp_path)
    listing = cli("list", results=tmp_path).stdout
    run_id = listing.splitlines()[1].split()[0]
    shown = cli("show", run_id, results=tmp_path).stdout
    assert f"run {run_id}" in shown and "train_acc" in shown
    assert "deleted 1 run" in cli("delete", run_id, "--yes", results=tmp_path).stdout
    assert "no cached runs" in cli("list", results=tmp_path).stdout


def test_list_says_when_it_must_read_many_files_not_indexed_yet(tmp_path, private_cache):
    """A folder this machine has no index of, with many runs files (copies of one batch, as a merge leaves them):
    the first listing reads each (about 1 ms), so ``list`` says so on stderr before it is silent for seconds; the
    next ``list`` reads the index and says nothing."""
    from core.store_index import index_path
    from core.store_listing import LONG_LISTING

    cli("run", *SMALL, "--quiet", results=tmp_path)
    batch = next(tmp_path.glob("*.runs.parquet")).name.removesuffix(".runs.parquet")
    for i in range(1, LONG_LISTING + 1):
        for kind in ("runs", "curves"):
            (tmp_path / f"copy-{i:05d}.{kind}.parquet").hardlink_to(tmp_path / f"{batch}.{kind}.parquet")
    index_path(tmp_path).unlink(missing_ok=True)  # the run's own listing may have indexed its one batch
    first = cli("list", results=tmp_path)
    assert f"reading {LONG_LISTING + 1:,} runs files not indexed on this machine yet" in first.stderr
    assert len(first.stdout.splitlines()) == 2  # the copies are one run
    assert "reading" not in cli("list", results=tmp_path).stderr


@pytest.mark.parametrize(("args", "words"), [
    (["run", "--set", "lr=-1"], "error: The 'lr' parameter must be a float in the range (0, 10]. Got -1.0 instead."),
    (["run", "--set", "epochs=3"], "error: Unknown config field 'epochs'"),
    (["run", "--config", "/no/such/file.json"], "error: cannot read config file /no/such/file.json"),
    (["show", "ffffffffffff"], "error: no cached run with id 'ffffffffffff'"),
    (["delete", "ffffffffffff", "--yes"], "error: no cached run with id 'ffffffffffff'; nothing deleted"),
    (["run", "--preset", "overfit", "--set", "lr=0.1"], "error: give either --preset or --config/--set"),
])
def test_errors_are_one_line_and_exit_non_zero(tmp_path, args, words):
    proc = cli(*args, results=tmp_path, check_rc=2)
    assert proc.stderr.strip() == words or proc.stderr.strip().startswith(words), proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


SUBCOMMAND_ARGS = {"run": ["--quiet"], "list": [], "show": ["abc"], "delete": ["abc"], "presets": [], "search": []}


@pytest.mark.parametrize("command", sorted(SUBCOMMAND_ARGS))
def test_results_is_accepted_before_and_after_the_subcommand(command, tmp_path):
    from core.cli import build_parser

    parser = build_parser()
    rest = SUBCOMMAND_ARGS[command]
    before = parser.parse_args(["--results", str(tmp_path / "a"), command, *rest])
    after = parser.parse_args([command, *rest, "--results", str(tmp_path / "b")])
    both = parser.parse_args(["--results", str(tmp_path / "a"), command, *rest, "--results", str(tmp_path / "b")])
    neither = parser.parse_args([command, *rest])
    assert (before.results, after.results, both.results) == (str(tmp_path / "a"), str(tmp_path / "b"),
                                                             str(tmp_path / "b"))
    assert neither.results is None


def test_results_after_the_subcommand_reaches_that_folder(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "core", "list", "--results", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert f"no cached runs in {tmp_path}" in proc.stdout


def test_a_damaged_runs_file_is_one_line_naming_it_and_its_runs_are_trained_again(tmp_path):
    """A corrupt runs file: the command says so once, in one line that names the file and what follows (no
    Python warning text, no traceback), and the run it held is trained again rather than reported as cached."""
    cli("run", *SMALL, "--quiet", results=tmp_path)
    damaged = next(tmp_path.glob("*.runs.parquet"))
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2:len(data) // 2 + 40] = b"\0" * 40  # a real parquet file, broken inside
    damaged.write_bytes(bytes(data))
    again = cli("run", *SMALL, "--quiet", results=tmp_path)
    lines = again.stderr.strip().splitlines()
    assert lines == [lines[0]] and lines[0].startswith(f"note: skipped {damaged}: unreadable parquet"), again.stderr
    assert lines[0].endswith("its runs are not used as cached results; any of them asked for is trained again.")
    assert "Warning" not in again.stderr and "Traceback" not in again.stderr
    assert "1 run: 0 cached" in again.stdout and again.stdout.startswith("complete")
    sweep = cli("sweep", *SMALL, "--vary", "weight_decay=0,0.1", "--seeds", "1", "--quiet", results=tmp_path)
    assert sweep.stderr.strip().splitlines() == lines, sweep.stderr
