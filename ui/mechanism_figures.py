"""The mechanism views (plotly only): per-layer weight norms over epochs, weight and activation histograms at one
epoch, and the fraction of active ReLU units per hidden layer. One panel per layer, one line per run: one colour per
run, or with ``styles`` one per config group, its first seed drawn full and the others thinner and lighter.

Inputs are the tidy frames of ``core.mechanism`` (``norms_frame``, ``histogram_frame``, ``active_frame``); every
title and axis comes from the ``mechanism`` section of the text catalogue, in the session's language.
"""
from __future__ import annotations

import html
import math
from typing import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.figures import base_layout, color_for, empty_figure, legend_below
from ui.text import page_text

MAX_COLUMNS = 4  # panels per row
PANEL_PX = 240   # height of a row of panels


def _grid(layers: list[int], title_key: str, **fmt) -> tuple[go.Figure, dict[int, tuple[int, int]]]:
    t = page_text("mechanism")
    cols = min(MAX_COLUMNS, max(len(layers), 1))
    rows = math.ceil(len(layers) / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[t(title_key, layer=layer) for layer in layers],
                        horizontal_spacing=0.06, vertical_spacing=0.12 if rows > 1 else 0.08)
    where = {layer: (i // cols + 1, i % cols + 1) for i, layer in enumerate(layers)}
    return fig, where


def _legend_below(fig: go.Figure, rows: int, n_entries: int) -> go.Figure:
    """``ui.figures.legend_below`` for a grid of ``rows`` rows of panels: one run per line, every run listed."""
    plot = PANEL_PX * rows + (rows - 1) * 60  # the rows and the gaps between them (vertical_spacing)
    return legend_below(fig, n_entries, plot_px=plot, max_lines=None)


Styles = Mapping[str, tuple[int, int]]
"""run_id -> (colour index, turn): the run's config group and which of the group's drawn seeds it is (0: the first)."""


def _runs(frame: pd.DataFrame, styles: Styles | None) -> list[tuple[dict, str, pd.DataFrame, float]]:
    """(line, escaped label, rows, opacity) per run, in order of first appearance."""
    drawn = []
    for i, (run_id, part) in enumerate(frame.groupby("run_id", sort=False)):
        colour, turn = (styles or {}).get(run_id, (i, 0))
        line = dict(color=color_for(colour), width=2 if turn == 0 else 1.2)
        drawn.append((line, html.escape(str(part["label"].iloc[0])), part, 1.0 if turn == 0 else 0.55))
    return drawn


def _layer_figure(frame: pd.DataFrame, *, panel: str, x: str, y: str, title: str, x_title: str, y_title: str,
                  hover: str, styles: Styles | None = None, y_axis: dict | None = None, **trace) -> go.Figure:
    """One panel per layer (``panel``: its title key) and in each a line of ``y`` against ``x`` per run; the legend
    lists each run once. ``hover`` is the value part of the hover text (plotly's template)."""
    t = page_text("mechanism")
    if frame.empty:
        return empty_figure(t("nothing"))
    layers = sorted(frame["layer"].unique().tolist())
    fig, where = _grid(layers, panel)
    for line, label, part, opacity in _runs(frame, styles):
        for layer, rows in part.groupby("layer"):
            row, col = where[layer]
            fig.add_trace(go.Scatter(x=rows[x], y=rows[y], name=label, legendgroup=label,
                                     showlegend=layer == layers[0], line=line, opacity=opacity,
                                     hovertemplate=f"<b>{label}</b><br>{hover}<extra></extra>", **trace),
                          row=row, col=col)
    bottoms: dict[int, int] = {}  # each column's lowest panel: the only one titled, so that a title never lands on
    for row, col in where.values():  # the subplot title of the panel under it
        bottoms[col] = max(bottoms.get(col, 0), row)
    for col, row in bottoms.items():
        fig.update_xaxes(title_text=x_title, row=row, col=col)
    fig.update_yaxes(title_text=y_title, col=1, **(y_axis or {}))
    return _legend_below(base_layout(fig, title), max(row for row, _ in where.values()), frame["run_id"].nunique())


def norms_figure(norms: pd.DataFrame, styles: Styles | None = None) -> go.Figure:
    """The Frobenius norm of each affine layer's W against the epoch, one panel per layer."""
    t = page_text("mechanism")
    return _layer_figure(norms, panel="panel.layer", x="epoch", y="norm", title=t("norms.title"),
                         x_title=t("axis.epoch"), y_title=t("axis.norm"), hover="%{x}: %{y:.4g}", styles=styles,
                         mode="lines")


def histogram_figure(hist: pd.DataFrame, kind: str, epoch: int, styles: Styles | None = None) -> go.Figure:
    """Histograms at ``epoch``, one panel per layer (``kind`` "weight": affine layers, "act": hidden layers), the
    share of the layer's values per bin, one outline per run."""
    t = page_text("mechanism")
    if kind not in ("weight", "act"):
        raise ValueError(f"The 'kind' parameter must be 'weight' or 'act'. Got {kind!r} instead.")
    hist = hist[hist["epoch"] == epoch] if not hist.empty else hist
    return _layer_figure(hist, panel="panel.layer" if kind == "weight" else "panel.hidden", x="center", y="share",
                         title=t(f"{kind}.title", epoch=epoch), x_title=t(f"axis.{kind}"), y_title=t("axis.share"),
                         hover="%{x:.3g}: %{y:.3f}", styles=styles, y_axis=dict(rangemode="tozero"),
                         mode="lines", line_shape="hvh")


def active_figure(active: pd.DataFrame, styles: Styles | None = None) -> go.Figure:
    """The fraction of active (> 0) units per hidden layer over the recorded epochs, one panel per layer."""
    t = page_text("mechanism")
    return _layer_figure(active, panel="panel.hidden", x="epoch", y="active_fraction", title=t("active.title"),
                         x_title=t("axis.epoch"), y_title=t("axis.active"), hover="%{x}: %{y:.3f}",
                         styles=styles, y_axis=dict(range=[0, 1.02]), mode="lines+markers")
