"""The lessons' figures keep the house's split styles (ui.palette): train dashed, validation dotted, test solid."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ui.lesson_figures import draws_figure, ensemble_figure, runs_curves_figure, selection_figure, sweep_figure

NAMES = {"train_acc": "train", "test_acc": "test", "gap": "gap"}


def test_the_sweep_figure_draws_train_dashed_test_solid_and_the_gap_solid():
    points = pd.DataFrame({"weight_decay": [0.0, 0.01, 0.1], "n": [2, 2, 2],
                           **{f"{m}_{s}": [0.5, 0.6, 0.7] for m in NAMES for s in ("mean", "std")}})
    fig = sweep_figure([(points, "weight_decay", "λ")], NAMES, title="t", y_title="acc", category=True)
    assert {tr.name: tr.line.dash for tr in fig.data} == {"train": "dash", "test": "solid", "gap": "solid"}
    assert len({tr.line.color for tr in fig.data}) == 3  # test and gap share a dash: colour tells them apart


def test_run_curves_draw_train_dashed_and_test_solid_and_the_mark_as_a_reference():
    epochs = np.arange(5)
    curves = pd.concat([pd.DataFrame({"run_id": r, "epoch": epochs, "train_acc": epochs / 5, "test_acc": epochs / 6})
                        for r in ("a", "b")])
    fig = runs_curves_figure(curves, {"a": "A", "b": "B"}, {"train": "train", "test": "test"}, title="t",
                             x_title="epoch", y_title="acc", mark_epoch=3, mark_label="best")
    assert [(tr.name, tr.line.dash) for tr in fig.data] == [("A: train", "dash"), ("A: test", "solid"),
                                                            ("B: train", "dash"), ("B: test", "solid")]
    assert fig.layout.shapes[0].line.dash == "dot" and fig.layout.shapes[0].line.color == "#555555"
    # the mark's label away from where accuracies level off (it sat on the train curves at the top)
    label = fig.layout.annotations[0]
    assert label.text == "best" and label.yanchor == "bottom" and label.y == 0


def test_the_ensemble_figure_draws_every_test_accuracy_solid():
    table = pd.DataFrame({"k": [1, 2, 3], "ensemble_test_acc": [0.7, 0.75, 0.77], "member_test_acc": [0.7, 0.69, 0.71],
                          "thinned_test_acc": [0.6, 0.65, 0.68], "dropout_test_acc": [0.72] * 3})
    names = {c: c for c in table.columns if c != "k"}
    fig = ensemble_figure(table, names, title="t", x_title="k", y_title="test acc")
    assert len(fig.data) == 4 and {tr.line.dash for tr in fig.data} == {"solid"}
    assert len({tr.marker.symbol for tr in fig.data[:3]}) == 3


def test_the_test_choice_stays_visible_when_validation_chooses_the_same_config():
    """On the Validation lesson both choices were one config, and the star (chosen on test) lay hidden under the
    diamond (chosen on validation): the legend named a mark the figure did not show."""
    configs = pd.DataFrame({"val_acc": [0.5, 0.86, 0.7], "test_acc": [0.45, 0.85, 0.72], "lr": [0.01, 0.1, 0.1],
                            "weight_decay": [0.0, 0.001, 0.01]})
    by_n = pd.DataFrame({"n_configs": [2, 3], "on_test": [0.80, 0.85], "honest": [0.80, 0.85]})
    names = {"configs": "configs", "on_test": "on test", "on_val": "on validation"}
    fig = selection_figure(configs, {"on_test": [1], "on_val": [1]}, by_n, names, title="t",
                           axes={"val": "val", "test": "test", "n": "N", "score": "score"})
    marks = [tr for tr in fig.data if tr.mode == "markers" and tr.name != "configs"]
    star, diamond = (next(tr for tr in marks if tr.marker.symbol == s) for s in ("star", "diamond"))
    assert (star.x, star.y) == (diamond.x, diamond.y)  # the premise: one config, chosen both ways
    assert list(fig.data).index(star) > list(fig.data).index(diamond)  # drawn after, so on top
    assert star.marker.size < diamond.marker.size  # and inside it
    assert star.legendrank < diamond.legendrank  # the legend still names the test choice first


def test_every_config_tied_on_the_best_validation_accuracy_is_marked_as_chosen_on_validation():
    """Two of the Validation lesson's configs shared the best validation accuracy (0.86; test 0.849 and 0.836): the
    diamond sat on the first alone, under the star, while the optimism (0.006) counts both."""
    configs = pd.DataFrame({"val_acc": [0.86, 0.5, 0.86], "test_acc": [0.849, 0.45, 0.836], "lr": [0.1, 0.01, 0.1],
                            "weight_decay": [0.001, 0.0, 0.01]})
    by_n = pd.DataFrame({"n_configs": [2, 3], "on_test": [0.80, 0.849], "honest": [0.80, 0.8425]})
    names = {"configs": "configs", "on_test": "on test", "on_val": "on validation"}
    fig = selection_figure(configs, {"on_test": [0], "on_val": [0, 2]}, by_n, names, title="t",
                           axes={"val": "val", "test": "test", "n": "N", "score": "score"})
    diamond = next(tr for tr in fig.data if tr.mode == "markers" and tr.marker.symbol == "diamond")
    assert list(diamond.y) == [0.849, 0.836]


def test_the_sampling_strips_write_powers_of_ten_as_the_lesson_does():
    """The Search lesson's text says 1e-8 to 1e-4 and its formula log10 λ ~ U(-8, -4); the axis said 10n … 100µ
    (Plotly's SI prefixes), which a reader of the chapter does not connect with either."""
    draws = pd.DataFrame({"scale": ["log", "uniform"], "value": [1e-8, 1e-4]})
    fig = draws_figure(draws, {"log": "log", "uniform": "uniform"}, title="t", x_title="λ")
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis.exponentformat == "power"


def test_a_log_sweep_axis_is_ticked_at_the_values_measured():
    """The Overfitting lesson's log axes read "8 9 100 2 3 4 5 6 7 8 9 1000 2 3" under points at 100, 300, 1000 and
    3000: the axis now names exactly the values measured."""
    points = pd.DataFrame({"n_train": [100, 300, 1000, 3000], "n": 2,
                           **{f"{m}_{s}": [0.5, 0.6, 0.7, 0.8] for m in NAMES for s in ("mean", "std")}})
    fig = sweep_figure([(points, "n_train", "images")], NAMES, title="t", y_title="acc")
    assert fig.layout.xaxis.type == "log"
    assert list(fig.layout.xaxis.tickvals) == [100, 300, 1000, 3000]
    assert list(fig.layout.xaxis.ticktext) == ["100", "300", "1000", "3000"]
