"""ui.figures: traces, styles, bands and axes, from bands and summaries built here with pandas."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from core.compare import gap_bands, seed_bands, summary_against
from core.config import RunConfig
from core.record import METRICS
from ui.figures import (AXIS_PX, ENTRY_PX, LEGEND_LINES, LEGEND_SLACK_PX, MAX_POINTS, PLOT_PX, SPLIT_DASH,
                        curves_figure, empty_figure, figure_config, gap_figure, summary_figure, thin_index)
from ui.palette import assign_colors

N_EPOCHS = 5


def make_frames(configs, *, statuses=None, seed=0):
    """(runs, curves) in the store's schema, with random curves and no val split."""
    rng = np.random.default_rng(seed)
    run_rows, curve_rows = [], []
    for i, config in enumerate(configs):
        values = {m: rng.uniform(0.1, 0.9, N_EPOCHS + 1) for m in METRICS}
        values["val_loss"][:] = values["val_acc"][:] = np.nan
        row = {"run_id": config.run_id, "group_id": config.group_id, "label": config.label(),
               "status": statuses[i] if statuses else "complete", "stopped_epoch": N_EPOCHS, "seed": config.seed,
               "weight_decay": config.weight_decay, "dropout": config.dropout, "duration_s": 1.0,
               **{k: v for k, v in config.to_dict().items() if k not in ("seed", "hidden_sizes")},
               "hidden_sizes": ",".join(map(str, config.hidden_sizes))}
        row.update({f"final_{m}": values[m][-1] for m in METRICS})
        row["final_gap"] = row["final_train_acc"] - row["final_test_acc"]
        run_rows.append(row)
        curve_rows += [{"run_id": config.run_id, "epoch": e, **{m: values[m][e] for m in METRICS}}
                       for e in range(N_EPOCHS + 1)]
    return pd.DataFrame(run_rows), pd.DataFrame(curve_rows)


def group(seeds, **fields):
    return [RunConfig(**{"n_epochs": N_EPOCHS, **fields}, seed=s) for s in seeds]


PLAIN = group([0, 1, 2])
DECAY = group([0, 1], weight_decay=0.1)
DROP = group([0], dropout=0.2)  # one seed: no band


@pytest.fixture(scope="module")
def bands():
    runs, curves = make_frames(PLAIN + DECAY + DROP)
    return seed_bands(curves, runs, splits=("train", "test"))


def lines(fig):
    """The mean lines (not the bands), as (label, split) by their name and ``meta``."""
    return [t for t in fig.data if t.fill != "toself"]


def named(fig):
    return [(t.name, t.meta) for t in lines(fig)]


def test_one_line_per_config_and_split_in_a_fixed_order(bands):
    fig = curves_figure(bands)
    labels = [c[0].label() for c in (PLAIN, DECAY, DROP)]
    assert named(fig) == [(label, split) for label in labels for split in ("train", "test")]
    assert [t.line.dash for t in lines(fig)] == [SPLIT_DASH["train"], SPLIT_DASH["test"]] * 3
    assert SPLIT_DASH == {"train": "dash", "val": "dot", "test": "solid", "gap": "solid"}
    # the legend lists each config once, on its solid test line, and its title says what the line styles mean
    assert [(t.name, t.line.dash) for t in fig.data if t.showlegend is not False] == [(label, "solid") for label in labels]
    assert fig.layout.legend.title.text == "Lines: train dashed, test solid"
    colors = assign_colors([c[0].group_id for c in (PLAIN, DECAY, DROP)])
    for config in (PLAIN, DECAY, DROP):
        of_key = [t for t in fig.data if t.legendgroup == config[0].group_id]
        assert {t.line.color for t in of_key if t.fill != "toself"} == {colors[config[0].group_id]}
    assert len({t.line.color for t in lines(fig)}) == 3
    order = [c[0].group_id for c in (PLAIN, DECAY, DROP)]  # the store's groups, oldest first
    all_three = curves_figure(bands, colors=assign_colors(order, order))
    alone = curves_figure(bands[bands["key"] == DECAY[0].group_id], colors=assign_colors(order[1:2], order))
    assert {t.line.color for t in lines(alone)} == {t.line.color for t in lines(all_three)
                                                    if t.legendgroup == DECAY[0].group_id}
    given = curves_figure(bands, colors={PLAIN[0].group_id: "#123456"})
    assert lines(given)[0].line.color == "#123456"
    assert fig.layout.xaxis.title.text == "epoch" and fig.layout.yaxis.title.text == "accuracy"
    assert tuple(fig.layout.yaxis.range) == (0, 1.02)
    assert fig.layout.legend.orientation == "v" and fig.layout.legend.y < 0  # under the plot: ``legend_below``
    line = lines(fig)[0]
    np.testing.assert_allclose(line.y, bands[(bands["key"] == PLAIN[0].group_id) & (bands["split"] == "train")]["mean"])
    assert PLAIN[0].label() in line.hovertemplate and "epoch %{x}" in line.hovertemplate and "±" in line.hovertemplate


@pytest.mark.parametrize("n_groups", [3, 20])
def test_a_long_legend_takes_room_under_the_plot_never_from_it(n_groups):
    """With 20 groups the legend, placed in the plot's units, took the room from the plot (a 120 px strip in
    Chromium) and covered the axis title: now the plot keeps its pixels, the legend starts under the axis title,
    and past ``LEGEND_LINES`` lines it scrolls instead of growing."""
    configs = [c for k in range(n_groups) for c in group([0, 1], weight_decay=0.001 * (k + 1))]
    runs, curves = make_frames(configs)
    for figure in (curves_figure(seed_bands(curves, runs, splits=("train", "test"))),
                   gap_figure(gap_bands(curves, runs))):
        layout = figure.layout
        assert layout.height - layout.margin.t - layout.margin.b == PLOT_PX
        assert layout.legend.orientation == "v" and layout.legend.y * PLOT_PX == pytest.approx(-AXIS_PX)
        lines_shown = min(n_groups, LEGEND_LINES) + (1 if layout.legend.title.text else 0)
        assert layout.legend.maxheight == ENTRY_PX * lines_shown + 10 == layout.margin.b - AXIS_PX - LEGEND_SLACK_PX


@pytest.mark.parametrize("n_series", [1, 3, 12])
def test_the_summary_legend_takes_room_under_its_panels_never_from_them(n_series):
    """Twelve series (groups that differ in more than λ) in the summary's legend, placed in the plot's units,
    squeezed both panels to strips of about 100 px in Chromium and covered their axis titles."""
    summary = pd.concat([summary_of("weight_decay", [0.0, 0.1], lr=0.01 * (k + 1)) for k in range(n_series)],
                        ignore_index=True)
    layout = summary_figure(summary, "weight_decay").layout
    assert summary["series"].nunique() == n_series
    assert layout.height - layout.margin.t - layout.margin.b == PLOT_PX
    assert layout.legend.orientation == "v" and layout.legend.y * PLOT_PX == pytest.approx(-AXIS_PX)
    assert layout.legend.maxheight == ENTRY_PX * min(n_series, LEGEND_LINES) + 10 == \
        layout.margin.b - AXIS_PX - LEGEND_SLACK_PX


def test_band_only_with_several_seeds_and_spans_mean_plus_minus_std(bands):
    fig = curves_figure(bands)
    fills = [t for t in fig.data if t.fill == "toself"]
    assert [t.legendgroup for t in fills] == [PLAIN[0].group_id, DECAY[0].group_id]  # one per key; none for DROP
    assert all(t.showlegend is False and t.hoverinfo == "skip" for t in fills)
    assert all(t.fillcolor.startswith("rgba(") and t.fillcolor.endswith(",0.18)") for t in fills)
    # each key's band comes just before its lines
    assert [t.fill == "toself" for t in fig.data if t.legendgroup == PLAIN[0].group_id] == [True, False, False]
    runs, curves = make_frames(PLAIN)
    values = curves.pivot(index="run_id", columns="epoch", values="test_acc").to_numpy()
    m = N_EPOCHS + 1
    x, y = np.asarray(fills[0].x, dtype=float), np.asarray(fills[0].y, dtype=float)
    assert np.flatnonzero(np.isnan(x)).tolist() == [2 * m] and np.isnan(y[2 * m])  # train's outline, a gap, test's
    band_x, band = x[2 * m + 1:], y[2 * m + 1:]  # PLAIN · test
    np.testing.assert_allclose(band[:m], values.mean(axis=0) + values.std(axis=0), rtol=1e-6)
    np.testing.assert_allclose(band[m:], (values.mean(axis=0) - values.std(axis=0))[::-1], rtol=1e-6)
    np.testing.assert_array_equal(band_x, np.r_[np.arange(m), np.arange(m)[::-1]])
    drop_line = [t for t in fig.data if t.legendgroup == DROP[0].group_id][0]
    assert "±" not in drop_line.hovertemplate


def test_loss_axis_gap_and_empty_figures():
    runs, curves = make_frames(PLAIN)
    fig = curves_figure(seed_bands(curves, runs, metric="loss", splits=("val", "test")), metric="loss", title="t")
    assert fig.layout.yaxis.title.text == "loss" and fig.layout.yaxis.range is None
    assert named(fig) == [(PLAIN[0].label(), "test")]  # val has no values
    assert fig.layout.legend.title.text == "Lines: test solid"
    assert [t.showlegend for t in lines(fig)] == [True]
    gap = gap_figure(gap_bands(curves, runs))
    assert named(gap) == [(PLAIN[0].label(), "gap")] and lines(gap)[0].line.dash == "solid"
    assert gap.layout.legend.title.text is None  # one style: the axis says it is the gap
    assert any(shape.y0 == 0 and shape.y1 == 0 for shape in gap.layout.shapes)  # the zero line
    empty = curves_figure(seed_bands(curves.iloc[0:0], runs))
    assert not empty.data and "No curves" in empty.layout.annotations[0].text
    assert empty_figure("Nothing selected").layout.annotations[0].text == "Nothing selected"
    with pytest.raises(ValueError, match="'metric' parameter must be one of"):
        curves_figure(seed_bands(curves, runs), metric="accuracy")


def summary_of(param, values, **fields):
    configs = [c for v in values for c in group([0, 1], **{param: v}, **fields)]
    runs, _ = make_frames(configs)
    return summary_against(runs, param)


def points(fig, axis="x"):
    return [t for t in fig.data if t.xaxis == axis and t.marker.symbol != "circle-open"]


def test_summary_log_axis_for_weight_decay_with_lambda_zero_at_the_left():
    summary = summary_of("weight_decay", [0.0, 0.01, 0.1, 1.0])
    fig = summary_figure(summary, "weight_decay")
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis2.type == "log"
    left, right = points(fig, "x"), points(fig, "x2")
    zero = [t for t in left + right if t.marker.symbol == "diamond"]
    positive = [t for t in left + right if t.marker.symbol == "circle"]
    assert len(zero) == 2 and len(positive) == 2  # no validation data: test (left) and gap (right) only
    assert all(x > 0 for t in fig.data for x in t.x)  # nothing at 0 on a log axis
    assert list(zero[0].x) == [0.001] and "λ = 0" in zero[0].hovertemplate
    assert list(positive[0].x) == [0.01, 0.1, 1.0] and positive[0].line.dash == "solid"
    np.testing.assert_allclose(positive[0].y, summary["test_mean"][1:])
    np.testing.assert_allclose(positive[0].error_y.array, summary["test_std"][1:])
    np.testing.assert_allclose(positive[1].y, summary["gap_mean"][1:])
    np.testing.assert_allclose(zero[1].error_y.array, summary["gap_std"][:1])
    assert (positive[0].xaxis, positive[1].xaxis) == ("x", "x2")
    assert list(fig.layout.xaxis.tickvals) == [0.001, 0.01, 0.1, 1.0]
    assert list(fig.layout.xaxis.ticktext) == ["0", "0.01", "0.1", "1"]  # the λ = 0 position reads "0"
    assert fig.layout.yaxis2.title.text == "train − test accuracy"
    off_decade = summary_figure(summary_of("weight_decay", [0.0, 0.003, 0.3]), "weight_decay")
    assert off_decade.layout.xaxis.ticktext[0] == "0" and off_decade.layout.xaxis.tickvals[0] == pytest.approx(1e-4)


def test_summary_draws_one_line_per_series_in_the_colour_of_its_first_group():
    short = summary_of("weight_decay", [0.0, 0.1])
    long = summary_of("weight_decay", [0.0, 0.1], n_epochs=N_EPOCHS + 5)
    summary = pd.concat([short, long], ignore_index=True)
    fig = summary_figure(summary, "weight_decay", series_labels={s: f"line {i}" for i, s in
                                                               enumerate(summary["series"].unique())})
    left = points(fig)
    assert [t.name for t in left] == ["line 0 · test", "line 1 · test"]
    assert all(t.mode == "lines+markers" and len(t.x) == 2 for t in left)
    colors = assign_colors(summary["group_id"])
    assert [t.line.color for t in left] == [colors[short["group_id"][0]], colors[long["group_id"][0]]]


def test_summary_with_validation_draws_val_dotted_and_rings_the_choice():
    summary = summary_of("dropout", [0.0, 0.15, 0.5], n_val=100)
    summary["val_mean"] = [0.5, 0.7, 0.6]
    summary["val_std"] = 0.0
    summary["chosen"] = [False, True, False]
    fig = summary_figure(summary, "dropout", metric="loss")
    left = points(fig)
    assert [t.line.dash for t in left] == ["dot", "solid"]  # validation dotted, test solid
    rings = [t for t in fig.data if t.marker.symbol == "circle-open"]
    assert rings and all(list(t.x) == [0.15] for t in rings)
    assert fig.layout.yaxis.title.text == "loss" and fig.layout.yaxis2.title.text == "test − train loss"
    assert fig.layout.xaxis.type == "linear" and fig.layout.xaxis.range[0] < 0 < 0.5 < fig.layout.xaxis.range[1]


def test_summary_axes_fit_a_single_point_and_bad_arguments_are_named():
    one = summary_figure(summary_of("weight_decay", [0.0]), "weight_decay")
    assert list(one.layout.xaxis.tickvals) == [0.0] and list(one.layout.xaxis.ticktext) == ["0"]
    assert one.layout.xaxis.range[0] < 0 < one.layout.xaxis.range[1] and one.layout.xaxis.range[1] < 1
    two = summary_figure(summary_of("weight_decay", [0.0, 0.1]), "weight_decay")
    assert two.layout.xaxis.type == "linear" and list(points(two)[0].x) == [0.0, 0.1]
    with pytest.raises(ValueError, match="'param' parameter must be one of 'weight_decay', 'dropout'"):
        summary_figure(summary_of("dropout", [0.0]), "lr")
    assert not summary_figure(summary_of("dropout", [0.0]).iloc[0:0], "dropout").data


def test_figure_config_downloads_png():
    config = figure_config("compare")
    assert config["toImageButtonOptions"] == {"format": "png", "filename": "compare", "scale": 2}
    assert config["displaylogo"] is False
    assert figure_config("../etc/pass wd.png")["toImageButtonOptions"]["filename"] == "etc_pass_wd"


def test_band_traces_are_valid_plotly_and_sent_as_float32(bands):
    # the figures are built without plotly's per-property validation: building them again with it must agree
    for fig in (curves_figure(bands, title="t"), gap_figure(bands)):
        checked = go.Figure(fig.to_dict())  # raises ValueError on a misspelt or ill-typed property
        assert len(checked.data) == len(fig.data) and checked.layout.title.text == fig.layout.title.text
        assert [t.name for t in checked.data] == [t.name for t in fig.data]
    fig = curves_figure(bands)
    assert all(t.y.dtype == np.float32 for t in fig.data)
    spec = pio.to_json(fig, validate=False)
    assert '"dtype":"f4"' in spec and '"dtype":"f8"' not in spec
    several = [t for t in lines(fig) if "±" in t.hovertemplate]
    assert several and all(t.customdata.dtype == np.float32 and t.customdata.shape == (N_EPOCHS + 1, 2)
                           for t in several)
    assert all(t.customdata is None for t in lines(fig) if "±" not in t.hovertemplate)  # one seed: nothing to hover


def test_a_long_curve_keeps_its_extremes_in_at_most_max_points(bands):
    n_epochs = 5000
    rng = np.random.default_rng(1)
    long = pd.DataFrame({"key": "k", "label": "long", "split": "test", "epoch": np.arange(n_epochs + 1),
                         "mean": rng.uniform(0.2, 0.8, n_epochs + 1), "std": rng.uniform(0, 0.1, n_epochs + 1),
                         "n": 3})
    band, line = curves_figure(long).data
    assert len(line.x) <= MAX_POINTS and len(band.x) == 2 * len(line.x)
    assert line.x[0] == 0 and line.x[-1] == n_epochs
    assert line.y.max() == np.float32(long["mean"].max()) and line.y.min() == np.float32(long["mean"].min())
    upper, lower = (long["mean"] + long["std"]).max(), (long["mean"] - long["std"]).min()
    assert band.y.max() == np.float32(upper) and band.y.min() == np.float32(lower)
    short = curves_figure(bands).data[1]
    assert list(short.x) == list(range(N_EPOCHS + 1))  # a curve shorter than MAX_POINTS is sent whole


def test_thin_index_keeps_every_point_of_a_short_curve_and_the_extremes_of_a_long_one():
    short = np.arange(50.0)
    np.testing.assert_array_equal(thin_index([short], 100), np.arange(50))
    rng = np.random.default_rng(3)
    n = 5000
    mean = np.sin(np.arange(n) / 40) + rng.normal(0, 0.2, n)
    upper, lower = mean + 0.3, mean - rng.uniform(0.1, 0.5, n)
    mean[1234] = np.nan  # never chosen
    keep = thin_index([mean, upper, lower], 1200)
    assert len(keep) <= 1200 and keep[0] == 0 and keep[-1] == n - 1
    assert np.all(np.diff(keep) > 0) and 1234 not in keep
    for column in (mean, upper, lower):
        assert np.nanmax(column[keep]) == np.nanmax(column) and np.nanmin(column[keep]) == np.nanmin(column)
    # as the docstring says: (1200 - 2) // (2 * 3) = 199 equal slices of x, each keeping every column's extremes
    size = -(-n // 199)
    for start in range(0, n, size):
        part, kept = np.arange(start, min(start + size, n)), keep[(keep >= start) & (keep < start + size)]
        for column in (upper, lower):
            assert column[kept].max() == column[part].max() and column[kept].min() == column[part].min()
    with pytest.raises(ValueError, match="'max_points'"):
        thin_index([mean], 3)
    with pytest.raises(ValueError, match="one length"):
        thin_index([mean, mean[:-1]], 1200)


def test_a_long_panel_title_is_wrapped_before_its_parenthesis_and_korean_counts_double():
    from ui.figures import text_width, wrap_title

    assert wrap_title("final accuracy") == "final accuracy"
    assert wrap_title("final gap (train − test accuracy)") == "final gap<br>(train − test accuracy)"
    assert text_width("최종 격차") == 9 and wrap_title("최종 격차 (훈련 − 시험 정확도)") == "최종 격차<br>(훈련 − 시험 정확도)"
    assert wrap_title("a" * 10 + " " + "b" * 20, width=24) == "a" * 10 + "<br>" + "b" * 20  # no parenthesis: by words
