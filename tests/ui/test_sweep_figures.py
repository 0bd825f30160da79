"""Sweep figures, without streamlit: traces and styles, the log axis with λ = 0 kept, the chosen marker, heatmaps."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.sweep import paired_difference, summarize
from test_sweep_state import fake_view
from ui import palette, sweep_figures
from ui.palette import GAP_COLOR, SPLIT_COLOR, SPLIT_DASH
from ui.sweep_figures import CHOSEN_COLOR, heatmap_figure, paired_figure, point_curves_figure, sweep_1d_figure


@pytest.fixture(scope="module")
def lam():
    view = fake_view({"weight_decay": "0,1e-3..1e-1x3log"})
    return view, summarize(view)


def named(fig, name):
    return [tr for tr in fig.data if tr.name == name]


def test_1d_draws_each_split_in_its_own_dash_and_colour_and_the_gap_apart(lam):
    view, summary = lam
    fig = sweep_1d_figure(summary.points, "weight_decay")
    for split, name in (("train", "train"), ("val", "validation"), ("test", "test")):
        line = next(tr for tr in named(fig, name) if tr.mode == "lines+markers")
        assert line.line.dash == SPLIT_DASH[split] and line.line.color == SPLIT_COLOR[split]
        assert line.xaxis == "x" and line.yaxis == "y"
    gap = next(tr for tr in named(fig, "gap (train − test)") if tr.mode == "lines+markers")
    assert gap.yaxis == "y2" and gap.line.dash == "solid" and gap.line.color == GAP_COLOR
    assert {tr.line.dash for tr in fig.data if tr.mode == "lines+markers"} == {"dash", "dot", "solid"}
    np.testing.assert_allclose(gap.y, summary.points["gap_mean"].to_numpy()[1:])


def test_the_sweep_figures_take_their_split_styles_from_the_palette():
    """One rule for every page: no copy of the split styles of its own that could drift from ui.palette."""
    assert sweep_figures.SPLIT_DASH is palette.SPLIT_DASH and sweep_figures.SPLIT_COLOR is palette.SPLIT_COLOR


def test_lambda_zero_is_kept_left_of_a_log_axis(lam):
    _, summary = lam
    fig = sweep_1d_figure(summary.points, "weight_decay")
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis2.type == "log"
    line = next(tr for tr in named(fig, "validation") if tr.mode == "lines+markers")
    zero = next(tr for tr in named(fig, "validation") if tr.mode == "markers")
    assert list(line.x) == [1e-3, 1e-2, 1e-1]              # lines join only the points on the scale
    assert zero.x[0] == pytest.approx(1e-4) and zero.x[0] < min(line.x)
    assert zero.y[0] == pytest.approx(summary.points["val_acc_mean"].iloc[0])
    assert "0" in fig.layout.xaxis.ticktext and any("= 0" in (a.text or "") for a in fig.layout.annotations)


def test_dropout_is_linear_and_bands_follow_the_choice():
    view = fake_view({"dropout": "0,0.1,0.2"})
    summary = summarize(view)
    fig = sweep_1d_figure(summary.points, "dropout", band="range")
    assert fig.layout.xaxis.type in (None, "linear")
    band = next(tr for tr in fig.data if tr.fill == "toself" and tr.legendgroup == "val")
    np.testing.assert_allclose(band.y[:3], summary.points["val_acc_max"])
    std_band = next(tr for tr in sweep_1d_figure(summary.points, "dropout").data
                    if tr.fill == "toself" and tr.legendgroup == "val")
    np.testing.assert_allclose(std_band.y[:3], summary.points["val_acc_mean"] + summary.points["val_acc_std"])
    with pytest.raises(ValueError, match="'band'"):
        sweep_1d_figure(summary.points, "dropout", band="sem")


def test_the_chosen_point_is_marked_on_validation_and_points_are_clickable(lam):
    _, summary = lam
    fig = sweep_1d_figure(summary.points, "weight_decay", selected=2)
    chosen = named(fig, "chosen on validation")[0]
    assert chosen.marker.color == CHOSEN_COLOR
    assert chosen.y[0] == pytest.approx(summary.chosen["val_acc_mean"])
    assert int(chosen.customdata[0][0]) == int(summary.chosen["point"])
    assert named(fig, "picked point")
    clickable = [int(c[0]) for tr in fig.data if tr.customdata is not None for c in tr.customdata]
    assert set(clickable) == set(summary.points["point"])


def test_paired_figure_draws_the_interval_per_split(lam):
    view, summary = lam
    paired = {s: paired_difference(summary.per_run, summary.baseline, metric=f"{s}_acc") for s in ("val", "test")}
    fig = paired_figure(paired, "weight_decay", summary.baseline)
    test = named(fig, "test accuracy − baseline")[0]
    assert test.line.dash == "solid" and named(fig, "validation accuracy − baseline")[0].line.dash == "dot"
    frame = paired["test"].sort_values("weight_decay")
    np.testing.assert_allclose(test.y, frame["diff_mean"])
    np.testing.assert_allclose(np.asarray(test.y) + np.asarray(test.error_y.array), frame["ci_high"])
    assert fig.layout.xaxis.type == "log"


def test_heatmaps_show_validation_and_gap_with_the_chosen_cell_outlined():
    view = fake_view({"weight_decay": "0,0.01,0.1", "dropout": "0,0.2"})
    summary = summarize(view)
    fig = heatmap_figure(summary.points, view.spec.fields, selected=0)
    heat = [tr for tr in fig.data if tr.type == "heatmap"]
    assert len(heat) == 2
    grid = summary.points.pivot(index="weight_decay", columns="dropout", values="val_acc_mean")
    np.testing.assert_allclose(np.asarray(heat[0].z, dtype=float), grid.to_numpy())
    gap = summary.points.pivot(index="weight_decay", columns="dropout", values="gap_mean")
    np.testing.assert_allclose(np.asarray(heat[1].z, dtype=float), gap.to_numpy())
    red = [s for s in fig.layout.shapes if s.line.color == CHOSEN_COLOR]
    assert len(red) == 2
    chosen = summary.chosen
    i = list(grid.index).index(chosen["weight_decay"])
    j = list(grid.columns).index(chosen["dropout"])
    assert (red[0].x0 + 0.5, red[0].y0 + 0.5) == (j, i)
    cells = [int(c[0]) for tr in fig.data if tr.type == "scatter" for c in tr.customdata]
    assert sorted(set(cells)) == list(summary.points["point"])


def test_point_curves_keep_split_styles_and_one_legend_entry_per_split():
    runs = pd.DataFrame({"run_id": ["a", "b"], "seed": [0, 1]})
    epochs = np.arange(4)
    curves = pd.concat([pd.DataFrame({"run_id": r, "epoch": epochs, "train_acc": epochs / 4, "val_acc": epochs / 5,
                                      "test_acc": epochs / 6}) for r in ("a", "b")])
    fig = point_curves_figure(curves, runs)
    assert len(fig.data) == 6
    assert {tr.line.dash for tr in fig.data if tr.name == "validation"} == {"dot"}
    assert sum(tr.showlegend for tr in fig.data) == 3
    assert "No curves" in point_curves_figure(curves.iloc[0:0], runs).layout.annotations[0].text
    diverged = curves.assign(train_acc=0.1, val_acc=0.1, test_acc=0.1)  # flat lines: still an axis of accuracies
    assert tuple(point_curves_figure(diverged, runs).layout.yaxis.range) == (0, 1.02)


def test_an_empty_summary_draws_a_message():
    view = fake_view({"dropout": "0,0.2"})
    view.members["status"] = "missing"
    points = summarize(view).points
    assert "No complete runs" in sweep_1d_figure(points, "dropout").layout.annotations[0].text


def test_training_images_over_a_decade_get_a_log_axis_ticked_at_the_values():
    """A sweep of 100, 300, 1000 and 3000 training images crowded three points into the left third of a linear
    axis (Chromium, the Sweep page); a count spanning a decade is now on a log axis with its own values as ticks."""
    wide = summarize(fake_view({"n_train": "100,300,1000,3000"}))
    fig = sweep_1d_figure(wide.points, "n_train")
    assert fig.layout.xaxis.type == "log"
    assert list(fig.layout.xaxis.tickvals) == [100, 300, 1000, 3000]
    assert list(fig.layout.xaxis.ticktext) == ["100", "300", "1000", "3000"]
    narrow = summarize(fake_view({"n_train": "100,200,300,600"}))  # the default grid: less than a decade
    assert sweep_1d_figure(narrow.points, "n_train").layout.xaxis.type in (None, "linear")
