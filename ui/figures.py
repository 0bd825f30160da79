"""Plotly figures from the DataFrames of ``core.compare``: plain functions, DataFrame -> ``go.Figure``, no streamlit.

Conventions shared by every figure: one colour per key (config group or run), a dash style per split
(``SPLIT_DASH``), the legend below the plot, and deterministic trace order.
"""
from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.compare import BAND_SPLITS, METRIC_KINDS, SUMMARY_PARAMS

SPLIT_DASH = {"train": "dash", "val": "dot", "test": "solid", "gap": "solid"}
# Tableau 10: distinct hues that stay apart for most colour-vision deficiencies and print well.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
BAND_OPACITY = 0.18
ZERO_COLOR = "#555555"      # λ = 0 and the zero line: neutral, so they do not read as one more config
LEGEND_BELOW = dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0.0)
AXIS_TITLES = {"acc": "accuracy", "loss": "loss"}
PARAM_TITLES = {"weight_decay": "weight decay λ", "dropout": "dropout ratio"}


def color_for(index: int) -> str:
    """The palette colour of the ``index``-th key (cycles when there are more keys than colours)."""
    return PALETTE[index % len(PALETTE)]


def _check_choice(name: str, value: object, options: tuple[str, ...]) -> None:
    if value not in options:
        allowed = ", ".join(map(repr, options))
        raise ValueError(f"The '{name}' parameter must be one of {allowed}. Got {value!r} instead.")


def rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def base_layout(fig: go.Figure, title: str | None) -> go.Figure:
    fig.update_layout(template="plotly_white", title=title, legend=LEGEND_BELOW,
                      margin=dict(l=60, r=20, t=60 if title else 30, b=40), hoverlabel=dict(namelength=-1))
    return fig


def empty_figure(message: str) -> go.Figure:
    """A blank figure that says ``message`` in its middle (for "nothing selected" states)."""
    fig = go.Figure()
    fig.add_annotation(text=html.escape(message), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font=dict(size=16, color="#777777"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, None)


def figure_config(filename: str) -> dict:
    """The ``config`` for ``st.plotly_chart``: the modebar's camera downloads a 2x PNG named ``<filename>.png``."""
    stem = re.sub(r"\.png$", "", filename, flags=re.IGNORECASE)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).strip("._") or "figure"  # it may come from the URL: keep it a name
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": stem, "scale": 2}}


# ---- curves -------------------------------------------------------------------------------------------------------
def _band_traces(bands: pd.DataFrame, value_name: str) -> list[go.Scatter]:
    """Per (key, split), in key order of first appearance then split order: a band (if n > 1 somewhere), a mean line."""
    key_rank = {key: i for i, key in enumerate(dict.fromkeys(bands["key"]))}
    split_rank = {split: i for i, split in enumerate(BAND_SPLITS)}
    parts = dict(iter(bands.groupby(["key", "split"], sort=False)))
    traces = []
    for key, split in sorted(parts, key=lambda ks: (key_rank[ks[0]], split_rank[ks[1]])):
        part = parts[key, split].sort_values("epoch")
        color = color_for(key_rank[key])
        epoch = part["epoch"].to_numpy()
        mean, std, n = (part[c].to_numpy() for c in ("mean", "std", "n"))
        label = html.escape(str(part["label"].iloc[0]))
        name = f"{label} · {split}"
        several = bool((n > 1).any())
        if several:
            traces.append(go.Scatter(
                x=np.concatenate([epoch, epoch[::-1]]), y=np.concatenate([mean + std, (mean - std)[::-1]]),
                fill="toself", fillcolor=rgba(color, BAND_OPACITY), line=dict(width=0), mode="lines",
                hoverinfo="skip", showlegend=False, legendgroup=key, name=f"{name} ± std"))
        spread = " ± %{customdata[0]:.4f} (n=%{customdata[1]})" if several else ""
        traces.append(go.Scatter(
            x=epoch, y=mean, mode="lines" if len(epoch) > 1 else "markers", name=name, legendgroup=key,
            line=dict(color=color, dash=SPLIT_DASH[split], width=2), marker=dict(color=color, size=8),
            customdata=np.column_stack([std, n]),
            hovertemplate=(f"<b>{label}</b><br>{split} · epoch %{{x}}<br>"
                           f"{value_name} %{{y:.4f}}{spread}<extra></extra>")))
    return traces


def curves_figure(bands: pd.DataFrame, *, metric: str = "acc", title: str | None = None) -> go.Figure:
    """Mean line per (key, split) with a mean ± std band over seeds, from ``core.compare.seed_bands``.

    One colour per key, dash style per split (``SPLIT_DASH``); traces are named ``"<label> · <split>"`` and grouped
    by key in the legend. The band (a filled, hover-less trace drawn before its line) exists only for a (key, split)
    with more than one seed at some epoch.
    """
    _check_choice("metric", metric, METRIC_KINDS)
    if bands.empty:
        return empty_figure("No curves to show: choose runs or config groups.")
    fig = go.Figure(_band_traces(bands, AXIS_TITLES[metric]))
    fig.update_xaxes(title_text="epoch")
    fig.update_yaxes(title_text=AXIS_TITLES[metric], **({"range": [0, 1.02]} if metric == "acc" else {}))
    return base_layout(fig, title)


def gap_figure(bands: pd.DataFrame, title: str | None = None, *, metric: str = "acc") -> go.Figure:
    """The generalization gap (train − test) per epoch, from ``core.compare.gap_bands``, with a zero line."""
    _check_choice("metric", metric, METRIC_KINDS)
    if bands.empty:
        return empty_figure("No gap to show: choose runs or config groups.")
    fig = go.Figure(_band_traces(bands, "gap"))
    fig.add_hline(y=0, line=dict(color=ZERO_COLOR, width=1, dash="dot"))
    fig.update_xaxes(title_text="epoch")
    fig.update_yaxes(title_text=f"train − test {AXIS_TITLES[metric]}", zeroline=False)
    return base_layout(fig, title)


# ---- summary against λ / dropout ----------------------------------------------------------------------------------
def _uses_log_axis(values: np.ndarray, param: str) -> bool:
    return param == "weight_decay" and len(np.unique(values[values > 0])) >= 2


def _log_ticks(values: np.ndarray) -> tuple[float, list[float], list[str]]:
    """Where λ = 0 is drawn (one decade left of the decades spanning the positive λ), and the ticks with it as "0"."""
    positive = values[values > 0]
    low, high = int(np.floor(np.log10(positive.min()))), int(np.ceil(np.log10(positive.max())))
    zero_at = 10.0 ** (low - 1)
    decades = [10.0 ** k for k in range(low, high + 1)]
    return zero_at, [zero_at, *decades], ["0", *(f"{d:g}" for d in decades)]


def summary_figure(summary: pd.DataFrame, param: str, title: str | None = None) -> go.Figure:
    """Final test accuracy (left) and final gap (right) against ``param``, error bars = std over seeds.

    ``summary`` comes from ``core.compare.summary_against``. Weight decay gets a log x axis when it has at least two
    distinct positive values; λ = 0 cannot sit on a log axis, so it is then drawn as its own grey diamond one decade
    left of the decades that span the positive λ, with the tick "0", a dotted break line, and "λ = 0" in the legend,
    the marker's text and its hover. Dropout is linear.
    """
    _check_choice("param", param, SUMMARY_PARAMS)
    if summary.empty:
        return empty_figure("No complete runs to summarise.")
    x = summary[param].to_numpy(dtype=float)
    log_x = _uses_log_axis(x, param)
    symbol = "λ" if param == "weight_decay" else "p"
    panels = (("test_acc", "final test accuracy"), ("gap", "final gap (train − test accuracy)"))
    fig = make_subplots(rows=1, cols=2, subplot_titles=[text for _, text in panels], horizontal_spacing=0.1)
    zero_at, tickvals, ticktext = _log_ticks(x) if log_x else (0.0, None, None)
    placed = summary[x > 0] if log_x else summary
    at_zero = summary[x == 0] if log_x else summary.iloc[0:0]
    # Lines join the points only when each x has one group; otherwise the groups differ in other fields too.
    mode = "lines+markers" if placed[param].is_unique else "markers"
    for col, (prefix, text) in enumerate(panels, start=1):
        for part, is_zero in ((placed, False), (at_zero, True)):
            if part.empty:
                continue
            custom = np.column_stack([part["label"].map(lambda s: html.escape(str(s))), part["n"],
                                      part[f"{prefix}_std"]])
            where = f"{symbol} = 0 (drawn at the left: 0 has no place on a log axis)" if is_zero \
                else f"{symbol} = %{{x:g}}"
            fig.add_trace(go.Scatter(
                x=np.full(len(part), zero_at) if is_zero else part[param],
                y=part[f"{prefix}_mean"],
                error_y=dict(type="data", array=part[f"{prefix}_std"].to_numpy(), visible=True),
                mode="markers+text" if is_zero else mode,
                text=[f"{symbol} = 0"] * len(part) if is_zero else None, textposition="middle right",
                name=f"{symbol} = 0 (at left, off the log scale)" if is_zero else text,
                legendgroup="zero" if is_zero else "positive", showlegend=is_zero and col == 1,
                marker=dict(color=ZERO_COLOR if is_zero else color_for(0), size=10 if is_zero else 8,
                            symbol="diamond" if is_zero else "circle"),
                line=dict(color=color_for(0)),
                customdata=custom,
                hovertemplate=(f"<b>%{{customdata[0]}}</b><br>{where}<br>{text} %{{y:.4f}} ± %{{customdata[2]:.4f}}"
                               " (n=%{customdata[1]})<extra></extra>"),
            ), row=1, col=col)
        fig.update_xaxes(title_text=PARAM_TITLES[param], type="log" if log_x else "linear", row=1, col=col,
                         **({"tickvals": tickvals, "ticktext": ticktext} if log_x else {}))
        if log_x:  # a dotted break between λ = 0 and the log scale
            fig.add_vline(x=np.sqrt(zero_at * tickvals[1]), line=dict(color=ZERO_COLOR, width=1, dash="dot"),
                          row=1, col=col)
    fig.update_yaxes(title_text="accuracy", range=[0, 1.02], row=1, col=1)
    fig.update_yaxes(title_text="train − test", row=1, col=2)
    fig.add_hline(y=0, line=dict(color=ZERO_COLOR, width=1, dash="dot"), row=1, col=2)
    base_layout(fig, title)
    return fig.update_layout(margin_t=80 if title else 50)  # room for the subplot titles
