from __future__ import annotations

import subprocess
import sys

import pytest

from core.cli import main
from sweep_tiny import TINY_SET


def cli(*args, results, check_rc=0):
    proc = subprocess.run([sys.executable, "-m", "core", "--results", str(results), "sweep", *args],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == check_rc, (proc.stdout, proc.stderr)
    return proc


def test_launch_prints_a_summary_and_a_second_launch_is_a_pure_cache_hit(tmp_path, capsys):
    args = [*TINY_SET, "--vary", "weight_decay=0,0.1,1", "--seeds", "2", "--quiet"]
    first = cli(*args, results=tmp_path).stdout  # the real entry point, once

    def again(*more):
        assert main(["--results", str(tmp_path), "sweep", *more]) == 0
        return capsys.readouterr().out

    lines = first.splitlines()
    sweep_id = lines[0].split()[1]
    assert lines[0] == f"sweep {sweep_id} (new sweep): 6 runs, 0 cached, 6 to train"
    assert "weight_decay seeds" in first and "Δ test vs baseline" in first and "baseline" in first
    marked = [line for line in lines if line.startswith("*")]
    assert len(marked) == 2 and marked[1].startswith("* chosen on validation: weight_decay=")
    batches = sorted(p.name for p in tmp_path.glob("*.parquet"))
    second = again(*args)
    assert second.splitlines()[0] == f"sweep {sweep_id} (stored sweep, opened again): 6 runs, 6 cached, 0 to train"
    assert sorted(p.name for p in tmp_path.glob("*.parquet")) == batches
    assert second.splitlines()[1:] == lines[1:]
    shown = again("--show", sweep_id, "--at", "best")
    assert f"sweep {sweep_id}" in shown and "epoch of best validation accuracy" in shown
    assert sweep_id in again("--list")


@pytest.mark.parametrize(("args", "message"), [
    (["--vary", "weight_decay=0,-1e-3"],
     "error: The 'weight_decay' parameter must be a float in the range [0, 100]. Got -0.001 instead."),
    (["--vary", "dropout_ratio=0,0.5,1"], "error: The 'dropout' parameter must be a float in the range [0, 1). "
                                          "Got 1.0 instead."),
    (["--vary", "n_train=100,150.5"], "error: The 'n_train' parameter must be an int in the range [1, inf). "
                                      "Got 150.5 instead."),
    (["--vary", "n_train=100,4000"], "error: n_train=4000: n_train + n_val + n_test = 4000 + 100 + 1000 = 5100 "
                                     "exceeds the 5000 images of dataset 'mnist5k'."),
    (["--vary", "momentum=0.5,0.9"], "error: The 'vary' parameter must name one of"),
    (["--vary", "weight_decay="], "error: The 'weight_decay' grid must hold at least one value"),
    (["--vary", "weight_decay=0,0"], "error: The 'weight_decay' grid must not repeat a value. Got 0 more than once"),
    (["--vary", "weight_decay=0..1x9log"], "error: The 'weight_decay' log range must have both ends above 0."),
    (["--vary", "weight_decay=0..1x40", "--vary", "dropout=0..0.5x40"],
     "error: The sweep must have at most 1000 runs (points × seeds). Got 40 × 40 × 5 = 8000 instead."),
    (["--vary", "weight_decay=0,1", "--vary", "weight_decay=0,2"], "error: The 'vary' parameter must give two "
                                                                   "different fields."),
    (["--vary", "weight_decay"], "error: The 'vary' parameter must be FIELD=GRID"),
    ([], "error: give the swept field and its values"),
    (["--vary", "weight_decay=0,1", "--set", "n_val=0"], "error: A sweep chooses its point on validation data"),
    (["--vary", "weight_decay=0,1", "--preset", "dropout"], "error: the preset 'dropout' has 2 configs"),
    (["--vary", "weight_decay=0,1", "--seeds", "500"], "python -m core sweep: error: argument --seeds: --seeds=500 "
                                                       "is too many; the limit is 100 (OVERFIT_LAB_MAX_SEEDS)"),
    (["--show", "nope-0000"], "error: No sweep 'nope-0000'"),
    (["--show", "../x"], "error: Not a sweep id: '../x'."),
])
def test_errors_are_one_line_with_exit_code_2(tmp_path, capsys, args, message):
    try:
        code = main(["--results", str(tmp_path), "sweep", *args])
    except SystemExit as exc:  # option types (core.limits) refuse in argparse, with the same one line
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not list(tmp_path.glob("*.parquet")) and not (tmp_path / "sweeps").exists()
