from __future__ import annotations

import argparse

import pytest

from core import cli
from core.search import cli as search_cli
from core.search import list_searches

TINY_SET = ["--set", "hidden_sizes=20x2", "--set", "n_train=100", "--set", "n_val=50", "--set", "n_test=100",
            "--set", "batch_size=50"]


def test_search_command_runs_and_prints_the_best_trials(tmp_path, capsys):
    code = cli.main(["--results", str(tmp_path), "search", "--strategy", "random", "--trials", "3", "--epochs", "2",
                     "--workers", "1", "--quiet", "--seed", "3", *TINY_SET])
    out = capsys.readouterr().out
    assert code == 0, out
    searches = list_searches(tmp_path)
    assert len(searches) == 1 and searches.loc[0, "n_done"] == 3
    search_id = searches.loc[0, "search_id"]
    assert f"search {search_id}: 3 trials, 6 trial-epochs" in out
    assert "lr" in out and "weight_decay" in out and "val_acc" in out and "train_acc" in out and "status" in out
    assert cli.main(["--results", str(tmp_path), "search", "--show", search_id]) == 0
    assert search_id in capsys.readouterr().out


def test_spec_from_args_builds_the_books_search_with_overrides():
    parser = argparse.ArgumentParser()
    search_cli.add_arguments(parser)
    args = parser.parse_args(["--strategy", "coarse-to-fine", "--trials", "40", "--epochs", "20", "--early-stop",
                              "--lr", "1e-5", "1e-3", "--set", "n_val=200"])
    spec = search_cli.spec_from_args(args)
    assert (spec.strategy, spec.n_trials, spec.rounds, spec.n_epochs, spec.early_stop) == \
        ("coarse-to-fine", 40, 2, 20, True)
    assert spec.base.n_val == 200 and spec.space["lr"].low == 1e-5
    assert spec.rung_metric == "val_loss"
    args = parser.parse_args(["--early-stop", "--rung-metric", "val_acc"])
    assert search_cli.spec_from_args(args).rung_metric == "val_acc"


@pytest.mark.parametrize("argv, message", [
    (["--set", "n_val=0"], "never on test"),
    (["--show", "../etc"], "Not a search id"),
    (["--lr", "0", "1e-2"], "`low > 0` must hold"),
    (["--set", "bogus=1"], "Unknown config field"),
])
def test_errors_are_one_line(tmp_path, capsys, argv, message):
    assert cli.main(["--results", str(tmp_path), "search", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
