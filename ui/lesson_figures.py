"""Figures of the lessons (plotly only): every label comes in as an argument, already in the reader's language."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.figures import base_layout, color_for

ACC_METRICS = ("train_acc", "test_acc", "gap")
DASH = {"train_acc": "solid", "test_acc": "dash", "val_acc": "dashdot", "gap": "dot"}


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
        if category:
            kind = "category"
        else:
            log = log_x[i - 1] if log_x is not None else bool(len(x)) and bool((np.asarray(x) > 0).all())
            kind = "log" if log else "linear"
        fig.update_xaxes(title_text=x_title, type=kind, row=1, col=i)
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
