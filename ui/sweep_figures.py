"""Plotly figures of a sweep (plotly only, no streamlit): accuracy and gap against one swept field, the paired
difference to the baseline, heatmaps of a 2-D sweep, and the curves of one point's seeds.

Conventions (``ui.palette``): one colour per split (``SPLIT_COLOR``) and one dash style per split (``SPLIT_DASH``:
train dashed, validation dotted, test solid); the gap has its own panel. Every marker carries its point index in ``customdata[0]``, so a
click (``st.plotly_chart(on_select=...)``) names the point. λ and the learning rate are drawn on a log axis; λ = 0
has no place there, so it is drawn as its own marker one decade left of the others, with a dotted break line.
"""
from __future__ import annotations

import html
from typing import Optional, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.sweep.grid import format_value
from ui.figures import LEGEND_BELOW, base_layout, empty_figure, value_ticks
from ui.palette import BAND_OPACITY, GAP_COLOR, SPLIT_COLOR, SPLIT_DASH, ZERO_COLOR, rgba
from ui.sweep_state import BANDS, COUNT_LOG_FIELDS, LOG_FIELDS, field_label, point_label, symbol
from ui.text import page_text

t = page_text("sweep")

SPLITS = ("train", "val", "test")
CHOSEN_COLOR = "#e15759"


def placed_x(values: np.ndarray, field: str) -> tuple[np.ndarray, bool, Optional[float]]:
    """(x positions, log axis?, where 0 is drawn): a log field with two or more positive values gets a log axis, and
    its 0 (λ = 0) goes one decade left of the smallest positive decade. A count (training images, width) gets one
    when it spans a decade or more: on a linear axis 100, 300 and 1000 crowd into the left third."""
    values = np.asarray(values, dtype=float)
    positive = values[values > 0]
    if field in COUNT_LOG_FIELDS and len(positive) == len(values) and len(np.unique(positive)) >= 2 \
            and positive.max() >= 10 * positive.min():
        return values, True, None
    if field not in LOG_FIELDS or len(np.unique(positive)) < 2:
        return values, False, None
    zero_at = 10.0 ** (np.floor(np.log10(positive.min())) - 1)
    return np.where(values > 0, values, zero_at), True, (zero_at if (values == 0).any() else None)


def _log_ticks(values: np.ndarray, zero_at: Optional[float], field: str = "") -> tuple[list[float], list[str]]:
    """Decades for λ and lr (their grids run to nine values and more); the values themselves for a count."""
    positive = values[values > 0]
    if field in COUNT_LOG_FIELDS:
        ticks = value_ticks(positive)
        return ticks["tickvals"], ticks["ticktext"]
    low, high = int(np.floor(np.log10(positive.min()))), int(np.ceil(np.log10(positive.max())))
    decades = [10.0 ** k for k in range(low, high + 1)]
    vals = ([zero_at] if zero_at is not None else []) + decades
    return vals, (["0"] if zero_at is not None else []) + [f"{d:g}" for d in decades]


def _bounds(points: pd.DataFrame, metric: str, band: str) -> tuple[np.ndarray, np.ndarray]:
    mean = points[f"{metric}_mean"].to_numpy(float)
    if band == "range":
        return points[f"{metric}_min"].to_numpy(float), points[f"{metric}_max"].to_numpy(float)
    std = points[f"{metric}_std"].to_numpy(float)
    return mean - std, mean + std


def _x_axis(fig: go.Figure, field: str, x_raw: np.ndarray, log: bool, zero_at: Optional[float], *, rows: int) -> None:
    for row in range(1, rows + 1):
        extra = {}
        if log:
            tickvals, ticktext = _log_ticks(x_raw, zero_at, field)
            extra = {"type": "log", "tickvals": tickvals, "ticktext": ticktext}
        fig.update_xaxes(title_text=field_label(field) if row == rows else None, row=row, col=1, **extra)
        if log and zero_at is not None:  # the break between 0 and the log scale
            fig.add_vline(x=zero_at * 10 ** 0.5, line=dict(color=ZERO_COLOR, width=1, dash="dot"), row=row, col=1)


def sweep_1d_figure(points: pd.DataFrame, field: str, *, band: str = "std", selected: Optional[int] = None,
                    height: int = 620) -> go.Figure:
    """Train, validation and test accuracy (top) and the train − test gap (bottom) against ``field``.

    ``points`` is ``core.sweep.point_summary``. Bands: mean ± std (``band="std"``) or min–max over seeds. The point
    chosen on validation gets a ring on the validation curve; ``selected`` (a point index) a grey ring on every panel.
    """
    if band not in BANDS:
        raise ValueError(f"The 'band' parameter must be one of {', '.join(map(repr, BANDS))}. Got {band!r} instead.")
    counted = points[points["n"] > 0].sort_values(field)
    if counted.empty:
        return empty_figure(t("figure.no_runs"))
    x_raw = counted[field].to_numpy(float)
    x, log, zero_at = placed_x(x_raw, field)
    on_scale = ~((x_raw == 0) & log)   # lines join the points on the scale; λ = 0 stands alone at the left
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.08,
                        subplot_titles=[t("figure.accuracy_panel"), t("figure.gap_panel")])
    custom = np.column_stack([counted["point"].to_numpy(int), counted["n"].to_numpy(int),
                              [html.escape(point_label({field: v})) for v in counted[field]]])
    panels = [(1, split, f"{split}_acc", t(f"split.{split}"), SPLIT_COLOR[split], SPLIT_DASH[split])
              for split in SPLITS]
    panels.append((2, "gap", "gap", t("figure.gap"), GAP_COLOR, SPLIT_DASH["gap"]))
    for row, key, metric, name, color, dash in panels:
        low, high = _bounds(counted, metric, band)
        mean = counted[f"{metric}_mean"].to_numpy(float)
        xs = x[on_scale]
        band_y = np.concatenate([high[on_scale], low[on_scale][::-1]])
        fig.add_trace(go.Scatter(x=np.concatenate([xs, xs[::-1]]), y=band_y, mode="lines", fill="toself",
                                 fillcolor=rgba(color, BAND_OPACITY), line=dict(width=0),
                                 hoverinfo="skip", showlegend=False, legendgroup=key), row=row, col=1)
        fig.add_trace(go.Scatter(
            x=xs, y=mean[on_scale], mode="lines+markers", name=name, legendgroup=key,
            line=dict(color=color, dash=dash, width=2), marker=dict(color=color, size=8),
            customdata=custom[on_scale], error_y=None,
            hovertemplate=(f"%{{customdata[2]}}<br>{html.escape(name)} %{{y:.3f}} (n=%{{customdata[1]}})"
                           "<extra></extra>")),
            row=row, col=1)
        if (~on_scale).any():
            fig.add_trace(go.Scatter(
                x=x[~on_scale], y=mean[~on_scale], mode="markers", name=name, legendgroup=key, showlegend=False,
                marker=dict(color=color, size=10, symbol="diamond"), customdata=custom[~on_scale],
                error_y=dict(type="data", symmetric=False, array=(high - mean)[~on_scale],
                             arrayminus=(mean - low)[~on_scale], color=color),
                hovertemplate=(f"%{{customdata[2]}} ({html.escape(t('figure.zero_note', symbol=symbol(field)))})"
                               f"<br>{html.escape(name)} %{{y:.3f}} (n=%{{customdata[1]}})<extra></extra>")),
                row=row, col=1)
    chosen = counted[counted["chosen"]]
    if not chosen.empty:
        cx = x[counted["chosen"].to_numpy(bool)]
        fig.add_trace(go.Scatter(x=cx, y=chosen["val_acc_mean"], mode="markers", name=t("figure.chosen"),
                                 marker=dict(size=18, symbol="circle-open", color=CHOSEN_COLOR, line=dict(width=3)),
                                 customdata=np.column_stack([chosen["point"].to_numpy(int)]),
                                 hovertemplate=f"{html.escape(t('figure.chosen'))}<extra></extra>"), row=1, col=1)
    if selected is not None and selected in set(counted["point"]):
        row_sel = counted[counted["point"] == selected]
        sx = x[counted["point"].to_numpy() == selected]
        for row, metric in ((1, "test_acc"), (2, "gap")):
            fig.add_trace(go.Scatter(x=sx, y=row_sel[f"{metric}_mean"], mode="markers", showlegend=row == 1,
                                     name=t("figure.selected"), legendgroup="selected",
                                     marker=dict(size=16, symbol="square-open", color=ZERO_COLOR, line=dict(width=2)),
                                     customdata=np.column_stack([row_sel["point"].to_numpy(int)]),
                                     hoverinfo="skip"), row=row, col=1)
    _x_axis(fig, field, x_raw, log, zero_at, rows=2)
    if log and zero_at is not None:
        fig.add_annotation(text=html.escape(t("figure.zero_note", symbol=symbol(field))), x=0, y=1.0, xref="paper",
                           yref="paper", xanchor="left", yanchor="bottom", yshift=22, showarrow=False,
                           font=dict(size=11, color=ZERO_COLOR))
    fig.update_yaxes(title_text=t("figure.accuracy"), row=1, col=1)
    fig.update_yaxes(title_text=t("figure.gap_axis"), row=2, col=1)
    fig.add_hline(y=0, line=dict(color=ZERO_COLOR, width=1, dash="dot"), row=2, col=1)
    base_layout(fig, None)
    return fig.update_layout(height=height, margin_t=70, legend=LEGEND_BELOW | {"y": -0.12}, clickmode="event+select")


def paired_figure(paired: dict[str, pd.DataFrame], field: str, baseline: dict) -> go.Figure:
    """Mean paired difference (point − baseline, seed by seed) with its 95 % t-interval, per split.

    ``paired`` maps a split ("val", "test") to ``core.sweep.paired_difference`` on that split's accuracy.
    """
    frames = {s: p for s, p in paired.items() if not p.empty}
    if not frames:
        return empty_figure(t("figure.no_pairs"))
    fig = go.Figure()
    for offset, (split, frame) in zip((-0.04, 0.04), frames.items()):
        frame = frame.sort_values(field)
        x_raw = frame[field].to_numpy(float)
        x, log, zero_at = placed_x(np.append(x_raw, float(baseline[field])), field)
        x = x[:-1] * (10 ** offset if log else 1) + (0 if log else offset * (np.ptp(x_raw) or 1) / 4)
        mean = frame["diff_mean"].to_numpy(float)
        name = t("figure.paired_split", split=t(f"split.{split}"))
        fig.add_trace(go.Scatter(
            x=x, y=mean, mode="markers+lines", name=name,
            line=dict(color=SPLIT_COLOR[split], dash=SPLIT_DASH[split]), marker=dict(color=SPLIT_COLOR[split], size=8),
            error_y=dict(type="data", symmetric=False, array=frame["ci_high"].to_numpy(float) - mean,
                         arrayminus=mean - frame["ci_low"].to_numpy(float), color=SPLIT_COLOR[split]),
            customdata=np.column_stack([frame["point"].to_numpy(int), frame["n_pairs"].to_numpy(int),
                                        [html.escape(point_label({field: v})) for v in frame[field]]]),
            hovertemplate=(f"%{{customdata[2]}}<br>{html.escape(name)} %{{y:+.3f}} (n=%{{customdata[1]}})"
                           "<extra></extra>")))
        if log:
            vals, text = _log_ticks(x_raw, None, field)
            fig.update_xaxes(type="log", tickvals=vals, ticktext=text)
    fig.add_hline(y=0, line=dict(color=ZERO_COLOR, width=1, dash="dot"))
    fig.update_xaxes(title_text=field_label(field))
    fig.update_yaxes(title_text=t("figure.paired_axis", baseline=point_label(baseline)))
    return base_layout(fig, None).update_layout(clickmode="event+select")


def heatmap_figure(points: pd.DataFrame, fields: Sequence[str], *, selected: Optional[int] = None) -> go.Figure:
    """Mean validation accuracy (left) and mean train − test gap (right) over a 2-D sweep's grid; the cell chosen on
    validation outlined in red, the ``selected`` cell dotted black. Transparent markers over the cells carry the point
    index, so a click selects a cell."""
    if len(fields) != 2:
        raise ValueError(f"A heatmap needs a sweep of two fields. Got {len(fields)} ({', '.join(fields)}).")
    if not (points["n"] > 0).any():
        return empty_figure(t("figure.no_runs"))
    rows_f, cols_f = fields
    ys = sorted(points[rows_f].unique())
    xs = sorted(points[cols_f].unique())
    xlab = [format_value(cols_f, v) for v in xs]
    ylab = [format_value(rows_f, v) for v in ys]
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.14,
                        subplot_titles=[t("figure.heat_val"), t("figure.heat_gap")])
    for col, (metric, scale) in enumerate((("val_acc_mean", "Viridis"), ("gap_mean", "Magma")), start=1):
        grid = points.pivot(index=rows_f, columns=cols_f, values=metric).reindex(index=ys, columns=xs)
        z = grid.to_numpy(float)
        fig.add_trace(go.Heatmap(z=z, x=xlab, y=ylab, colorscale=scale, hoverinfo="skip",
                                 text=np.vectorize(lambda v: "–" if not np.isfinite(v) else f"{v:.3f}")(z),
                                 texttemplate="%{text}", colorbar=dict(x=0.43 if col == 1 else 1.0, len=0.9,
                                                                     title=dict(text=t(f"figure.heat_bar.{col}")))),
                      row=1, col=col)
        cells = points.set_index([rows_f, cols_f])
        mx = [format_value(cols_f, c) for r in ys for c in xs]
        my = [format_value(rows_f, r) for r in ys for c in xs]
        ids = [int(cells.loc[(r, c), "point"]) for r in ys for c in xs]
        values = [cells.loc[(r, c), metric] for r in ys for c in xs]
        ns = [int(cells.loc[(r, c), "n"]) for r in ys for c in xs]
        labels = [html.escape(point_label({rows_f: r, cols_f: c})) for r in ys for c in xs]
        fig.add_trace(go.Scatter(x=mx, y=my, mode="markers", showlegend=False,
                                 marker=dict(size=28, symbol="square", color="rgba(0,0,0,0)"),
                                 customdata=np.column_stack([ids, ns, labels]), text=[f"{v:.3f}" for v in values],
                                 hovertemplate=("%{customdata[2]}<br>" + html.escape(t(f"figure.heat_bar.{col}"))
                                                + " %{text} (n=%{customdata[1]})<extra></extra>")), row=1, col=col)
        for point, color, dash in ((_chosen_point(points), CHOSEN_COLOR, "solid"), (selected, "#111111", "dot")):
            if point is None or point not in set(points["point"]):
                continue
            row = points[points["point"] == point].iloc[0]
            i, j = ys.index(row[rows_f]), xs.index(row[cols_f])
            axis = "" if col == 1 else "2"
            fig.add_shape(type="rect", x0=j - 0.5, x1=j + 0.5, y0=i - 0.5, y1=i + 0.5, xref=f"x{axis}",
                          yref=f"y{axis}", line=dict(color=color, width=4, dash=dash))
        fig.update_xaxes(title_text=field_label(cols_f), type="category", row=1, col=col)
        fig.update_yaxes(title_text=field_label(rows_f) if col == 1 else None, type="category", row=1, col=col)
    base_layout(fig, None)
    return fig.update_layout(height=460, margin_t=60, clickmode="event+select")


def _chosen_point(points: pd.DataFrame) -> Optional[int]:
    chosen = points[points["chosen"]]
    return None if chosen.empty else int(chosen["point"].iloc[0])


def point_curves_figure(curves: pd.DataFrame, runs: pd.DataFrame, title: Optional[str] = None) -> go.Figure:
    """Train (dashed), validation (dotted) and test (solid) accuracy per epoch of each seed of one point.

    ``runs`` has run_id and seed (the point's rows of ``run_metrics``); ``curves`` the store's curves of those runs.
    """
    if curves.empty or runs.empty:
        return empty_figure(t("figure.no_curves"))
    fig = go.Figure()
    seeds = dict(zip(runs["run_id"], runs["seed"]))
    for split in SPLITS:
        column = f"{split}_acc"
        first = True
        for run_id, seed in seeds.items():
            part = curves[curves["run_id"] == run_id].sort_values("epoch")
            if part.empty or column not in part or not np.isfinite(part[column].to_numpy(float)).any():
                continue
            fig.add_trace(go.Scatter(x=part["epoch"], y=part[column], mode="lines", name=t(f"split.{split}"),
                                     legendgroup=split, showlegend=first,
                                     line=dict(color=SPLIT_COLOR[split], dash=SPLIT_DASH[split], width=1.5),
                                     opacity=0.85,
                                     hovertemplate=(f"{html.escape(t(f'split.{split}'))} · "
                                                    f"{html.escape(t('figure.seed', seed=seed))}<br>"
                                                    "epoch %{x}: %{y:.3f}<extra></extra>")))
            first = False
    fig.update_xaxes(title_text=t("figure.epoch"))
    # 0 to 1, as every curves chart: plotly's autorange would draw a diverged point's flat line on -0.9 to 1.1
    fig.update_yaxes(title_text=t("figure.accuracy"), range=[0, 1.02])
    return base_layout(fig, title)
