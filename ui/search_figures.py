"""Plotly figures of hyperparameter searches: DataFrame -> ``go.Figure``, no streamlit. Their words (axes, legends,
hovers) come from the catalogue's ``search`` section, in the reader's language.

- ``lr_wd_scatter``: the book's scatter of trials, lr (x) against weight decay (y), both log axes, colour = final
  validation accuracy, a marker symbol per status, every round's box, optionally the surrogate's mean underneath;
- ``best_so_far_figure``: best validation accuracy against trials, one line per strategy, a band over repeats;
- ``best_n_curves_figure``: the book's "Best-N" small multiples (validation dotted, train dashed: ``ui.palette``).
"""
from __future__ import annotations

import html
import math
from typing import Any, Iterable, Mapping, Optional, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.search.summary import best_so_far
from ui.figures import accuracy_range, base_layout, color_for, empty_figure
from ui.labels import trial_status as status_name
from ui.palette import BAND_OPACITY, SPLIT_COLOR, SPLIT_DASH, rgba
from ui.text import page_text

t = page_text("search")
# status -> marker symbol (its legend name: ``ui.labels.trial_status``); diverged and failed trials have no meaningful
# accuracy: drawn grey.
STATUS_MARKERS = {"complete": "circle", "pruned": "triangle-down", "diverged": "x", "failed": "x-thin-open"}
NO_VALUE_COLOR = "#7f7f7f"
COLORSCALE = "Viridis"
BOX_DASH = ("solid", "dash", "dot", "dashdot", "longdash")

# The scatter's colour bar lies above the plot and its status legend under the axis title, both placed in pixels on
# a figure of fixed height: a bar at the plot's right took 100-150 px of its width, which in Compare's narrow column
# left the four decades of learning rate 65-115 px (their tick labels ran together, in Korean most).
SCATTER_PLOT_PX = 320    # the plot's own height
SCATTER_TOP_PX = 84      # above it: the colour bar's title, the bar and its tick labels
SCATTER_AXIS_PX = 68     # under it: the axis's tick labels (powers of ten) and title, then the legend
SCATTER_BOTTOM_PX = 100  # the margin under the plot: the axis, then the legend's one row
COLORBAR_LIFT_PX = 6     # the bar block's lower edge over the plot (plotly adds its ypad of 10 px, and the ticks)
SCATTER_COLORBAR = dict(orientation="h", thickness=10, lenmode="pixels", len=240, x=0.0, xanchor="left",
                        yanchor="bottom", y=1 + COLORBAR_LIFT_PX / SCATTER_PLOT_PX, ticks="outside", ticklen=3)


def _value_column(trials: pd.DataFrame) -> str:
    return "final_val_acc" if "final_val_acc" in trials.columns else "value"


def _hover(trials: pd.DataFrame, value: str) -> list[str]:
    """Per point: trial, round, accuracies and how it ended (numbers only: nothing to escape)."""
    out = []
    for row in trials.itertuples(index=False):
        r = row._asdict()
        train = r.get("final_train_acc", float("nan"))
        ended = t("figure.hover.ended", status=status_name(r.get("status", "")), epoch=r.get("stopped_epoch", "?"))
        out.append(t("figure.hover.trial", trial=r.get("trial", "?"), round=r.get("round", 0)) + "<br>"
                   + t("figure.hover.acc", val=f"{r[value]:.4f}", train=f"{train:.4f}") + f"<br>{html.escape(ended)}")
    return out


def color_range(trials: pd.DataFrame) -> tuple[float, float]:
    """The colour scale of the scatter: the observed range of the scored trials' values (0-1 when there are none).

    A fixed 0-1 scale draws trials between 0.07 and 0.28 in nearly one colour; a single value gets a small margin.
    """
    if trials.empty or "status" not in trials.columns:
        return 0.0, 1.0
    scored = trials[trials["status"].isin(("complete", "pruned"))]
    values = scored[_value_column(scored)].to_numpy(float) if len(scored) else np.zeros(0)
    values = values[np.isfinite(values)]
    if not len(values):
        return 0.0, 1.0
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-3:
        low, high = low - 0.005, high + 0.005
    return low, high


def color_title(low: float, high: float) -> str:
    """The colour bar's title: what the colour is and the range it spans."""
    return t("scatter.colorbar", low=f"{low:.2f}", high=f"{high:.2f}")


def _box_items(boxes: Optional[Iterable[Any]]) -> list[tuple[int, Mapping[str, Sequence[float]]]]:
    """(round, box) from RoundBox objects or dicts with "round" and "box"."""
    items = []
    for b in boxes or []:
        if isinstance(b, Mapping):
            items.append((int(b.get("round", len(items))), b["box"]))
        else:
            items.append((int(b.round), b.box))
    return items


def lr_wd_scatter(trials: pd.DataFrame, boxes: Optional[Iterable[Any]] = None,
                  surrogate: Optional[tuple[np.ndarray, np.ndarray, np.ndarray]] = None,
                  selected: Optional[Iterable[str]] = None, title: Optional[str] = None,
                  colorbar_title: Optional[str] = None) -> go.Figure:
    """Trials of a search: lr (x) against weight decay (y), both log axes, colour = final validation accuracy.

    The colour scale spans the observed values (``color_range``) and its title says so (``colorbar_title``, default
    ``color_title(low, high)``; a page passes its own language's text).

    Parameters
    ----------
    trials : DataFrame
        ``SearchView.trials``: lr, weight_decay, run_id, status, final_val_acc (or value); optional trial, round,
        final_train_acc, stopped_epoch for the hover.
    boxes : iterable of RoundBox or {"round", "box"}, optional
        Each round's box, drawn as a rectangle named and labelled "round r".
    surrogate : (lr_values (n,), wd_values (m,), mean (m, n)), optional
        ``core.search.surrogate_grid``: the GP mean drawn as a heatmap under the points, on the same colour scale.
    selected : run ids, optional
        Points shown selected (the others faded).

    Every point's ``customdata`` is its run id, so a page maps a box selection back to runs; dragmode is "select".
    """
    if trials.empty and not boxes and surrogate is None:
        return empty_figure(t("figure.no_trials"))
    missing = {"lr", "weight_decay", "run_id", "status"} - set(trials.columns)
    if not trials.empty and missing:
        raise ValueError(f"The trials need the columns lr, weight_decay, run_id and status. Missing {sorted(missing)}.")
    value = _value_column(trials) if not trials.empty else "value"
    fig = go.Figure()
    if surrogate is not None:
        lr_values, wd_values, mean = surrogate
        fig.add_trace(go.Heatmap(x=np.asarray(lr_values), y=np.asarray(wd_values), z=np.asarray(mean),
                                 coloraxis="coloraxis", opacity=0.55, zsmooth="best", name=t("figure.surrogate"),
                                 hovertemplate=f"lr %{{x:.3g}}<br>λ %{{y:.3g}}<br>{t('figure.predicted')} "
                                               "%{z:.3f}<extra></extra>"))
    chosen = set(selected or [])
    for status, symbol in STATUS_MARKERS.items():
        part = trials[trials["status"] == status] if not trials.empty else trials
        if part.empty:
            continue
        scored = status in ("complete", "pruned")
        marker = dict(symbol=symbol, size=9 if scored else 8, line=dict(width=0.5, color="#333333"))
        if scored:  # a pruned trial is coloured by its last validation accuracy
            marker.update(color=part[value].to_numpy(float), coloraxis="coloraxis")
        else:
            marker.update(color=NO_VALUE_COLOR)
        trace = go.Scatter(x=part["lr"].to_numpy(float), y=part["weight_decay"].to_numpy(float), mode="markers",
                           name=status_name(status), marker=marker, customdata=part["run_id"].astype(str).to_numpy(),
                           hovertext=_hover(part, value),
                           hovertemplate="lr %{x:.3g}<br>λ %{y:.3g}<br>%{hovertext}<extra></extra>")
        if chosen:
            trace.selectedpoints = [i for i, rid in enumerate(part["run_id"]) if rid in chosen]
            trace.unselected = dict(marker=dict(opacity=0.25))
        fig.add_trace(trace)
    # The boxes and their labels lie under the trials, so that no label hides a trial in a box's corner; over the
    # surrogate's heatmap they lie above everything, or the heatmap would veil them.
    layer = "above" if surrogate is not None else "between"
    for i, (round_index, box) in enumerate(_box_items(boxes)):
        if "lr" not in box or "weight_decay" not in box:
            continue
        (x0, x1), (y0, y1) = box["lr"], box["weight_decay"]
        name = t("figure.round", round=round_index)
        fig.add_shape(type="rect", xref="x", yref="y", x0=x0, x1=x1, y0=y0, y1=y1, name=name,
                      line=dict(color=color_for(round_index), width=2, dash=BOX_DASH[i % len(BOX_DASH)]),
                      fillcolor="rgba(0,0,0,0)", layer=layer,
                      label=dict(text=name, textposition="top left",
                                 font=dict(size=11, color=color_for(round_index))))
    fig.update_xaxes(type="log", title_text=t("figure.lr"), exponentformat="power")
    fig.update_yaxes(type="log", title_text=t("figure.weight_decay"), exponentformat="power")
    low, high = color_range(trials)
    fig = base_layout(fig, title)
    fig.update_layout(dragmode="select", clickmode="event+select",
                      coloraxis=dict(colorscale=COLORSCALE, cmin=low, cmax=high, colorbar=dict(
                          title=dict(text=colorbar_title or color_title(low, high), side="top"), **SCATTER_COLORBAR)))
    return _scatter_frame(fig)


def _scatter_frame(fig: go.Figure) -> go.Figure:
    """The scatter's fixed height and margins, its legend under the axis title (placed in pixels)."""
    title_px = 30 if fig.layout.title.text else 0
    return fig.update_layout(height=SCATTER_TOP_PX + title_px + SCATTER_PLOT_PX + SCATTER_BOTTOM_PX,
                             margin=dict(t=SCATTER_TOP_PX + title_px, b=SCATTER_BOTTOM_PX, r=20),
                             legend=dict(orientation="h", yanchor="top", y=-SCATTER_AXIS_PX / SCATTER_PLOT_PX,
                                         xanchor="left", x=0.0))


def _path(x: np.ndarray, y: np.ndarray, *, steps: bool) -> tuple[np.ndarray, np.ndarray]:
    """The points of a line through (x, y), or of a step line that holds each y until the next x (as "hv")."""
    if not steps or len(x) < 2:
        return x, y
    return np.repeat(x, 2)[1:], np.repeat(y, 2)[:-1]


def best_so_far_figure(df: pd.DataFrame, title: Optional[str] = None, *, x: str = "trials") -> go.Figure:
    """Best validation accuracy found after n trials (or n trial-epochs), one line per strategy, a min–max band
    over repeats.

    ``df`` holds trial rows of one or more searches (``strategy``, ``search_id``, ``trial``, ``value``, and
    ``stopped_epoch`` for ``x="epochs"``), e.g. from ``core.search.summary.comparison_trials``; the summary itself
    is ``core.search.summary.best_so_far``. Against trial-epochs the lines are steps: a trial's value is known once
    its epochs are spent.
    """
    summary = best_so_far(df, x=x)
    if summary.empty:
        return empty_figure(t("figure.no_finished"))
    unit = t("figure.unit.trials") if x == "trials" else t("figure.unit.epochs")
    shape = "linear" if x == "trials" else "hv"
    fig = go.Figure()
    groups = list(summary.groupby("strategy", sort=False))
    for i, (strategy, part) in enumerate(groups):
        color, label = color_for(i), html.escape(str(strategy))
        width = 2 + 2 * (len(groups) - 1 - i)  # earlier lines wider: strategies sharing their first trials overlap
        xs = part["x"].to_numpy()
        if (part["n_searches"] > 1).any():
            band_x, high = _path(xs, part["high"].to_numpy(), steps=shape == "hv")
            _, low = _path(xs, part["low"].to_numpy(), steps=shape == "hv")
            fig.add_trace(go.Scatter(x=np.concatenate([band_x, band_x[::-1]]), y=np.concatenate([high, low[::-1]]),
                                     fill="toself", fillcolor=rgba(color, BAND_OPACITY), line=dict(width=0),
                                     mode="lines", hoverinfo="skip", showlegend=False, legendgroup=label,
                                     name=t("figure.range", label=label)))
        fig.add_trace(go.Scatter(x=xs, y=part["mean"].to_numpy(), mode="lines", name=label, legendgroup=label,
                                 line=dict(color=color, width=width, shape=shape),
                                 customdata=part["n_searches"].to_numpy(),
                                 hovertemplate="<br>".join((f"<b>{label}</b>",
                                                            t("figure.hover.after", x="%{x}", unit=unit),
                                                            t("figure.hover.best", y="%{y:.4f}"),
                                                            t("figure.hover.mean_of", n="%{customdata}")))
                                               + "<extra></extra>"))
    fig.update_xaxes(title_text=t("figure.axis.trials") if x == "trials" else t("figure.axis.epochs"))
    fig.update_yaxes(title_text=t("figure.axis.best"), range=accuracy_range(np.concatenate([tr.y for tr in fig.data])))
    return base_layout(fig, title)


def best_n_curves_figure(curves: pd.DataFrame, runs: pd.DataFrame, n: int = 10) -> go.Figure:
    """The book's "Best-N": one small plot per trial, best first; validation dotted, train dashed (``SPLIT_DASH``).

    Parameters
    ----------
    curves : DataFrame
        ``ResultStore.load_curves(run_ids)``: run_id, epoch, train_acc, val_acc.
    runs : DataFrame
        The trials to show, best first (e.g. ``SearchView.best(n)``): run_id, lr, weight_decay and
        final_val_acc or value.
    n : int
        How many (the first ``n`` rows of ``runs``).
    """
    runs = runs.head(max(0, int(n)))
    if runs.empty or curves.empty:
        return empty_figure(t("figure.no_curves"))
    n_plots = len(runs)
    cols = min(5, n_plots)
    rows = math.ceil(n_plots / cols)
    value = "value" if "value" in runs.columns else "final_val_acc"
    titles = [t("figure.best_n", k=k + 1, value=f"{r[value]:.3f}") + f"<br>lr={r['lr']:.2g} · λ={r['weight_decay']:.2g}"
              for k, r in enumerate(runs.to_dict("records"))]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, shared_yaxes=True,
                        horizontal_spacing=0.03, vertical_spacing=0.5 / max(rows, 1) if rows > 1 else 0.1)
    by_run = dict(iter(curves.groupby("run_id", sort=False)))
    for k, run_id in enumerate(runs["run_id"]):
        part = by_run.get(run_id)
        if part is None:
            continue
        part = part.sort_values("epoch")
        row, col = k // cols + 1, k % cols + 1
        for split in ("val", "train"):
            name = t(f"figure.split.{split}")
            fig.add_trace(go.Scatter(x=part["epoch"], y=part[f"{split}_acc"], mode="lines", name=name,
                                     legendgroup=split, showlegend=k == 0, customdata=[run_id] * len(part),
                                     line=dict(color=SPLIT_COLOR[split], dash=SPLIT_DASH[split], width=1.5),
                                     hovertemplate=f"{name} %{{y:.3f}} · {t('figure.epoch')} %{{x}}<extra></extra>"),
                          row=row, col=col)
    fig.update_yaxes(range=[0, 1.02])
    fig.update_annotations(font_size=10)
    fig.update_layout(height=230 * rows + 80)
    return base_layout(fig, None)


def add_selected_box(fig: go.Figure, box: Any, label: str) -> go.Figure:
    """Draw the selected box (``ui.search_state.LrWdBox``) on the scatter as a dotted black rectangle, so a shared link
    shows what it selects."""
    fig.add_shape(type="rect", xref="x", yref="y", x0=box.lr[0], x1=box.lr[1], y0=box.weight_decay[0],
                  y1=box.weight_decay[1], name=label, line=dict(color="#111111", width=2, dash="dot"),
                  fillcolor="rgba(0,0,0,0.04)", layer="above",
                  label=dict(text=label, textposition="bottom right", font=dict(size=11, color="#111111")))
    return fig
