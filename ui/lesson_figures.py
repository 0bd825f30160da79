"""Figures of the lessons (plotly only): every label comes in as an argument, already in the reader's language."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.figures import base_layout, color_for, value_ticks
from ui.palette import SPLIT_DASH, ZERO_COLOR

ACC_METRICS = ("train_acc", "test_acc", "gap")
# The house rule (ui.palette.SPLIT_DASH): train dashed, validation dotted, test solid; the gap, not a split, solid.
DASH = {"train_acc": SPLIT_DASH["train"], "test_acc": SPLIT_DASH["test"], "val_acc": SPLIT_DASH["val"],
        "gap": SPLIT_DASH["gap"]}


def sweep_figure(panels: Sequence[tuple[pd.DataFrame, str, str]], names: Mapping[str, str], *, title: str,
                 y_title: str, log_x: Sequence[bool] | None = None, category: bool = False) -> go.Figure:
    """One panel per swept field: train and test accuracy and the gap (train − test) at each value, mean ± std over
    seeds.

    Parameters
    ----------
    panels : (points, field, x axis title) per panel; ``points`` from ``ui.lesson_plan.sweep_points``.
    names : the legend name of each metric in ``ACC_METRICS``.
    log_x : per panel, a log x axis (default: yes when every value is positive).
    category : the values as evenly spaced labels (a λ grid with 0 and log-spaced values).
    """
    fig = make_subplots(rows=1, cols=len(panels), shared_yaxes=True, horizontal_spacing=0.06)
    for i, (points, field, x_title) in enumerate(panels, start=1):
        drawn = points[points["n"] > 0]
        x = drawn[field].to_numpy(dtype=float)
        x = [f"{v:g}" for v in x] if category else x
        for j, metric in enumerate(ACC_METRICS):
            fig.add_trace(go.Scatter(
                x=x, y=drawn[f"{metric}_mean"], mode="lines+markers", name=names[metric], legendgroup=metric,
                showlegend=i == 1, line={"color": color_for(j), "dash": DASH[metric]},
                error_y={"type": "data", "array": drawn[f"{metric}_std"].fillna(0), "visible": True}), row=1, col=i)
        ticks = {}
        if category:
            kind = "category"
        else:
            log = log_x[i - 1] if log_x is not None else bool(len(x)) and bool((np.asarray(x) > 0).all())
            kind = "log" if log else "linear"
            ticks = value_ticks(x) if log else {}
        fig.update_xaxes(title_text=x_title, type=kind, row=1, col=i, **ticks)
    fig.update_yaxes(title_text=y_title, row=1, col=1)
    fig.update_yaxes(rangemode="tozero")
    return base_layout(fig, title)


def lines_figure(lines: Sequence[tuple[str, np.ndarray, np.ndarray]], *, title: str, x_title: str, y_title: str,
                 log_y: bool = False, dashes: Sequence[str] | None = None) -> go.Figure:
    """Plain lines: (name, x, y) each, coloured in order."""
    fig = go.Figure()
    for i, (name, x, y) in enumerate(lines):
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name,
                                 line={"color": color_for(i), "dash": dashes[i] if dashes else "solid"}))
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, type="log" if log_y else "linear")
    return base_layout(fig, title)


def selection_figure(configs: pd.DataFrame, chosen: Mapping[str, Sequence[int]], by_n: pd.DataFrame,
                     names: Mapping[str, str], *, title: str, axes: Mapping[str, str]) -> go.Figure:
    """Left: validation against test accuracy of each config, the two choices marked. Right: the reported score
    against the number of configs N, chosen on test and on validation.

    When both choices are the same config, the star (test) sits inside the larger diamond (validation), on top: a
    star drawn first was hidden under the diamond, and the legend named a mark the page did not show.

    ``chosen``: "on_test" / "on_val" → rows of ``configs`` (validation marks every config tied on the best
    validation accuracy: it cannot tell them apart); ``names``: legend names of configs, on_test, on_val, optimism;
    ``axes``: titles val, test, n, score.
    """
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1)
    fig.add_trace(go.Scatter(x=configs["val_acc"], y=configs["test_acc"], mode="markers", name=names["configs"],
                             marker={"color": "#999999", "size": 8}, legendrank=1,
                             text=[f"lr={r.lr:g}, λ={r.weight_decay:g}" for r in configs.itertuples()]), row=1, col=1)
    # colour, symbol, size, place in the legend; drawn in this order, so the smaller star lies on top
    for key, i, symbol, size, rank in (("on_val", 1, "diamond", 22, 3), ("on_test", 0, "star", 14, 2)):
        rows = configs.iloc[list(chosen[key])]
        fig.add_trace(go.Scatter(x=rows["val_acc"], y=rows["test_acc"], mode="markers", name=names[key],
                                 legendgroup=key, legendrank=rank,
                                 marker={"color": color_for(i), "size": size, "symbol": symbol,
                                         "line": {"width": 1, "color": "white"}}), row=1, col=1)
        fig.add_trace(go.Scatter(x=by_n["n_configs"], y=by_n["on_test" if key == "on_test" else "honest"],
                                 mode="lines+markers", name=names[key], legendgroup=key, showlegend=False,
                                 line={"color": color_for(i)}), row=1, col=2)
    fig.update_xaxes(title_text=axes["val"], row=1, col=1)
    fig.update_yaxes(title_text=axes["test"], row=1, col=1)
    fig.update_xaxes(title_text=axes["n"], row=1, col=2)
    fig.update_yaxes(title_text=axes["score"], row=1, col=2)
    return base_layout(fig, title)


def runs_curves_figure(curves: pd.DataFrame, labels: Mapping[str, str], names: Mapping[str, str], *, title: str,
                       x_title: str, y_title: str, metric: str = "acc", mark_epoch: int | None = None,
                       mark_label: str = "") -> go.Figure:
    """Train (dashed) and test (solid) curves of each run in ``labels`` (run_id → legend name), one colour per run;
    ``names``: "train" / "test" suffixes; an optional dotted line at ``mark_epoch``."""
    fig = go.Figure()
    for i, (run_id, label) in enumerate(labels.items()):
        mine = curves[curves["run_id"] == run_id].sort_values("epoch")
        for split in ("train", "test"):
            fig.add_trace(go.Scatter(x=mine["epoch"], y=mine[f"{split}_{metric}"], mode="lines",
                                     name=f"{label}: {names[split]}",
                                     line={"color": color_for(i), "dash": SPLIT_DASH[split]}))
    if mark_epoch is not None:  # a reference line, like the zero lines: thin, grey and dotted
        # Its label where the curves are not: accuracies level off near 1 at the top (the label sat on the train
        # curves there), losses near 0 at the bottom.
        fig.add_vline(x=mark_epoch, line={"dash": "dot", "color": ZERO_COLOR, "width": 1}, annotation_text=mark_label,
                      annotation_position="bottom right" if metric == "acc" else "top right")
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    return base_layout(fig, title)


def optimizer_paths_figure(paths: pd.DataFrame, grid_x: np.ndarray, grid_y: np.ndarray, grid_f: np.ndarray, *,
                           title: str) -> go.Figure:
    """The book's figure 6-8: each optimizer's path from the start to near (0, 0), over the contour of f."""
    names = list(dict.fromkeys(paths["optimizer"]))
    fig = make_subplots(rows=2, cols=2, subplot_titles=names, horizontal_spacing=0.08, vertical_spacing=0.12)
    for i, name in enumerate(names):
        row, col = divmod(i, 2)
        mine = paths[paths["optimizer"] == name]
        fig.add_trace(go.Contour(x=grid_x, y=grid_y, z=grid_f, showscale=False, colorscale="Greys", opacity=0.35,
                                 contours={"coloring": "lines", "start": 0, "end": 25, "size": 1.5},
                                 hoverinfo="skip"), row=row + 1, col=col + 1)
        fig.add_trace(go.Scatter(x=mine["x"], y=mine["y"], mode="lines+markers", name=name, showlegend=False,
                                 line={"color": color_for(i)}, marker={"size": 5}), row=row + 1, col=col + 1)
        fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", showlegend=False, hoverinfo="skip",
                                 marker={"symbol": "x", "size": 10, "color": "#333333"}), row=row + 1, col=col + 1)
    fig.update_xaxes(range=[-10, 10])
    fig.update_yaxes(range=[-5, 5])
    fig = base_layout(fig, title)
    fig.update_layout(height=620)
    return fig


def activation_histograms_figure(histograms: pd.DataFrame, inits: Mapping[str, str], *, title: str,
                                 x_title: str) -> go.Figure:
    """The book's figures 6-10..6-14: one row per initialisation (``inits``: label → row title), one column per
    hidden layer, the histogram of that layer's outputs (``core.lessons.activations`` bins)."""
    layers = sorted(histograms["layer"].unique())
    rows = [label for label in inits if label in set(histograms["init"])]
    fig = make_subplots(rows=len(rows), cols=len(layers), shared_xaxes=True, horizontal_spacing=0.02,
                        vertical_spacing=0.05, column_titles=[f"{i}" for i in layers], row_titles=[inits[r] for r in rows])
    for r, label in enumerate(rows, start=1):
        for c, layer in enumerate(layers, start=1):
            mine = histograms[(histograms["init"] == label) & (histograms["layer"] == layer)]
            fig.add_trace(go.Bar(x=(mine["bin_left"] + mine["bin_right"]) / 2, y=mine["count"],
                                 width=(mine["bin_right"] - mine["bin_left"]), showlegend=False,
                                 marker={"color": color_for(r - 1)}), row=r, col=c)
            fig.update_yaxes(showticklabels=False, row=r, col=c)
    fig.update_xaxes(title_text=x_title, row=len(rows))
    fig = base_layout(fig, title)
    fig.update_layout(height=160 * len(rows) + 120, bargap=0)
    return fig


def draws_figure(draws: pd.DataFrame, names: Mapping[str, str], *, title: str, x_title: str) -> go.Figure:
    """The values of each sampling scale as a strip of points on a log axis (``names``: scale → row name)."""
    fig = go.Figure()
    for i, (scale, name) in enumerate(names.items()):
        values = draws.loc[draws["scale"] == scale, "value"]
        fig.add_trace(go.Scatter(x=values, y=[name] * len(values), mode="markers", name=name, showlegend=False,
                                 marker={"color": color_for(i), "size": 9, "opacity": 0.6}))
    # powers of ten (10⁻⁸ … 10⁻⁴), as the text and the formula write them, not Plotly's SI prefixes (10n … 100µ)
    fig.update_xaxes(title_text=x_title, type="log", exponentformat="power")
    fig = base_layout(fig, title)
    fig.update_layout(height=300)
    return fig


def ensemble_figure(table: pd.DataFrame, names: Mapping[str, str], *, title: str, x_title: str,
                    y_title: str) -> go.Figure:
    """Test accuracy against k: the average of k networks, each network alone, k thinned copies of the dropout
    network; the dropout network with its (1 − r) scaling as a flat line.

    Every line is a test accuracy, so every line is solid (``SPLIT_DASH``): dotted or dashed would read as validation
    or train. Colour and marker tell them apart; the flat line is grey and has no markers."""
    fig = go.Figure()
    for i, (column, symbol) in enumerate((("ensemble_test_acc", "circle"), ("member_test_acc", "square"),
                                          ("thinned_test_acc", "diamond"))):
        fig.add_trace(go.Scatter(x=table["k"], y=table[column], mode="lines+markers", name=names[column],
                                 line={"color": color_for(i), "dash": SPLIT_DASH["test"]}, marker={"symbol": symbol}))
    fig.add_trace(go.Scatter(x=[table["k"].min(), table["k"].max()], y=[table["dropout_test_acc"].iloc[0]] * 2,
                             mode="lines", name=names["dropout_test_acc"],
                             line={"color": ZERO_COLOR, "dash": SPLIT_DASH["test"], "width": 1.5}))
    fig.update_xaxes(title_text=x_title, dtick=1)
    fig.update_yaxes(title_text=y_title)
    return base_layout(fig, title)
