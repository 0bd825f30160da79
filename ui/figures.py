"""Plotly figures from the DataFrames of ``core.compare``: plain functions, DataFrame -> ``go.Figure``, no streamlit.

Conventions shared by every figure: one colour per key (config group or run) from ``ui.palette.assign_colors`` (so a
group has the same colour on every page), a dash style per split (``SPLIT_DASH``: train dashed, validation dotted,
test solid), the legend below the plot, deterministic trace order, and every title, axis and legend word from the
text catalogue (``figure.*`` in ``common``), so figures follow the page's language.
"""
from __future__ import annotations

import html
import re
import unicodedata
from typing import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.compare import BAND_SPLITS, METRIC_KINDS, SUMMARY_PARAMS
from core.validation import check_choice
from ui.text import t
from ui.palette import BAND_OPACITY, SPLIT_DASH, ZERO_COLOR, assign_colors, indexed_color, rgba  # noqa: F401 (re-exported)

LEGEND_BELOW = dict(orientation="h", yanchor="top", y=-0.26, xanchor="left", x=0.0)  # below the axis title
PLOT_PX = 300          # the plot's own height in a chart whose legend is placed in pixels (``legend_below``)
AXIS_PX = 66           # under the plot: its tick labels and x-axis title, then the legend
ENTRY_PX = 30          # a legend line (29 px as the dashboard draws it)
LEGEND_LINES = 10      # legend lines shown at most: beyond them the legend scrolls (plotly's own scroll bar)
# Margins that already hold what plotly would push them out for: the y axis's tick labels and title (60 px were
# pushed to 70-76), the last x tick label (20 -> 21), a legend's padding and scroll bar (up to 10 px under it).
# Each push is a second full draw of the chart (``doAutoMargin``: 8 % of a new tab's Compare in a CPU profile,
# python -m bench.profile_dashboard); a chart that needs more still gets it, drawn twice.
MARGIN_L, MARGIN_R = 80, 30
LEGEND_SLACK_PX = 16


color_for = indexed_color  # the palette's index-th colour, for what is not a config (rounds, strategies)


def base_layout(fig: go.Figure, title: str | None) -> go.Figure:
    fig.update_layout(template="plotly_white", title=title, legend=LEGEND_BELOW,
                      margin=dict(l=MARGIN_L, r=MARGIN_R, t=60 if title else 30, b=40), hoverlabel=dict(namelength=-1))
    return fig


def legend_below(fig: go.Figure, n_entries: int, *, plot_px: int = PLOT_PX, title_lines: int = 0,
                 max_lines: int | None = LEGEND_LINES) -> go.Figure:
    """The legend under the x-axis title, one entry per line, and the figure made that much taller.

    A legend placed in the plot's own units (``LEGEND_BELOW``: 0.26 of the plot below it) drifts up into the axis
    title as it grows: the room it takes is taken from the plot, whose height is its unit. With 20 groups in
    Compare the curves chart's plot shrank to a strip of 120 px under a legend that covered its axis title. Here
    the room is set in pixels: the plot keeps ``plot_px`` (the rows of panels and the gaps between them, for a
    grid), and the legend starts ``AXIS_PX`` under it in every language. ``title_lines``: lines of the legend's own
    title; past ``max_lines`` lines (None: no limit) the legend scrolls instead of growing.
    """
    lines = n_entries if max_lines is None else min(n_entries, max_lines)
    legend_px = ENTRY_PX * (lines + title_lines) + 10
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 30
    bottom = AXIS_PX + legend_px + LEGEND_SLACK_PX
    return fig.update_layout(height=top + plot_px + bottom, margin_b=bottom,
                             legend=dict(orientation="v", yanchor="top", y=-AXIS_PX / plot_px, xanchor="left", x=0.0,
                                         maxheight=legend_px))


def accuracy_range(values: npt.ArrayLike) -> list[float] | None:
    """A y range for accuracies ``values`` (NaN ignored): their span with a margin, kept within [0, 1] but for room
    for a line's width; None without a finite value (plotly's autorange then).

    Plotly's own autorange turns a flat line (a search whose first trial stayed the best) into an axis from -0.5 to
    1.5: accuracies that cannot exist, and the line's level hard to read.
    """
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if not len(finite):
        return None
    low, high = float(finite.min()), float(finite.max())
    margin = max(0.1 * (high - low), 0.02)
    return [max(low - margin, -0.01), min(high + margin, 1.01)]


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


def with_traces(layout: go.Figure, traces: list[dict]) -> go.Figure:
    """A figure of ``layout``'s (validated) layout and ``traces`` taken as they are, without plotly's per-property
    validation: 20x faster for the hundreds of lines of a 20-group comparison. The traces' keys are checked by the
    tests (``go.Figure(fig.to_dict())`` validates); later changes to the returned figure are not validated."""
    return go.Figure(traces, layout=layout.layout.to_plotly_json(), _validate=False)


# ---- curves -------------------------------------------------------------------------------------------------------
def _colors(keys, colors: Mapping[str, str] | None) -> dict[str, str]:
    """The caller's colours where given, else the palette's for the shown keys."""
    shown = list(dict.fromkeys(keys))
    own = assign_colors(shown)
    return {k: (colors or {}).get(k, own[k]) for k in shown}


# What a chart receives: the browser draws a few hundred pixels and hovers 4 decimals, so 7 significant digits
# (float32) lose nothing on screen and halve the bytes of every array sent (plotly ships numpy arrays as typed binary).
SENT_FLOAT = np.float32
MAX_POINTS = 1200  # per line: a chart is at most ~1,000 pixels wide; each slice keeps its minimum and maximum


def thin_index(columns: Sequence[npt.ArrayLike], max_points: int) -> np.ndarray:
    """Which points of curves sharing one x axis to draw so that they look the same with at most ``max_points``.

    Parameters
    ----------
    columns : sequence of array_like, each shape (n,)
        Curves over the same x values (e.g. a mean and the two edges of its band).
    max_points : int
        Upper bound on the points kept, at least 2 per column plus the two ends.

    Returns
    -------
    ndarray of int, shape (m,), m <= max(n, max_points)
        Sorted positions: all of them when ``n <= max_points``; else the first, the last, and in each of the
        ``(max_points - 2) // (2 * len(columns))`` equal slices of x the position of every column's minimum and
        maximum (non-finite values never chosen), so each curve keeps its extremes and its envelope per slice: a
        chart a few hundred pixels wide draws the same lines.
    """
    arrays = [np.asarray(c, dtype=float) for c in columns]
    n = len(arrays[0]) if arrays else 0
    if any(a.shape != (n,) for a in arrays):
        raise ValueError(f"thin_index() takes 1-D columns of one length. Got shapes {[a.shape for a in arrays]}.")
    n_slices = (max_points - 2) // (2 * max(len(arrays), 1))
    if n_slices < 1:
        raise ValueError(f"The 'max_points' parameter must leave 2 points per column and the ends. Got {max_points}.")
    if n <= max_points:
        return np.arange(n)
    size = -(-n // n_slices)                                       # ceil: every position falls in a slice
    starts = np.arange(n_slices) * size
    keep = [np.array([0, n - 1])]
    for a in arrays:
        padded = np.pad(a, (0, n_slices * size - n), mode="edge").reshape(n_slices, size)  # (slices, size)
        finite = np.isfinite(padded)
        keep.append(starts + np.argmin(np.where(finite, padded, np.inf), axis=1))
        keep.append(starts + np.argmax(np.where(finite, padded, -np.inf), axis=1))
    return np.unique(np.minimum(np.concatenate(keep), n - 1))


def _band_traces(bands: pd.DataFrame, value_name: str, colors: Mapping[str, str] | None) -> list[dict]:
    """Per key, in order of first appearance: its band (if n > 1 somewhere), then a mean line per split.

    Traces are plain dicts for ``with_traces``. Every line of a key is named by its label and tagged with its split
    (``meta``); the key's last line (test's solid one when test is shown) alone carries its legend entry, so the
    legend lists each key once (a click shows or hides all its lines) and says the splits' line styles in its title. A key's band is one filled trace for all its splits: per split,
    mean + std forward and mean − std back, the splits' outlines apart by a gap (plotly fills each piece of a
    ``toself`` trace on its own), so a comparison draws one band trace per key instead of one per line.
    A line longer than ``MAX_POINTS`` keeps the points ``thin_index`` chooses (each slice's extremes of
    the mean and of both band edges).
    """
    key_rank = {key: i for i, key in enumerate(dict.fromkeys(bands["key"]))}
    palette = _colors(key_rank, colors)
    split_rank = {split: i for i, split in enumerate(BAND_SPLITS)}
    epoch_word = t("figure.epoch")
    traces: list[dict] = []
    ordered = bands.assign(_key=bands["key"].map(key_rank), _split=bands["split"].map(split_rank)) \
        .sort_values(["_key", "_split", "epoch"], kind="stable")
    epochs, means, stds, ns = (ordered[c].to_numpy() for c in ("epoch", "mean", "std", "n"))
    starts = np.flatnonzero(np.r_[True, (np.diff(ordered["_key"].to_numpy()) != 0)
                                  | (np.diff(ordered["_split"].to_numpy()) != 0)])
    stops = np.r_[starts[1:], len(ordered)]
    keys, splits, texts = ordered["key"].to_numpy(), ordered["split"].to_numpy(), ordered["label"].to_numpy()
    outlines: list[tuple[np.ndarray, np.ndarray]] = []  # the current key's band pieces
    lines: list[dict] = []

    def flush(key: str, label: str) -> None:
        if outlines:
            gap = np.array([np.nan])
            x = np.concatenate([part for x, _ in outlines for part in (x, gap)][:-1]).astype(SENT_FLOAT)
            y = np.concatenate([part for _, y in outlines for part in (y, gap)][:-1]).astype(SENT_FLOAT)
            traces.append(dict(
                type="scatter", x=x, y=y,
                fill="toself", fillcolor=rgba(palette[key], BAND_OPACITY), line=dict(width=0), mode="lines",
                hoverinfo="skip", showlegend=False, legendgroup=key, name=f"{label} ± std"))
        traces.extend(lines)
        outlines.clear()
        lines.clear()

    for i, (start, stop) in enumerate(zip(starts, stops)):
        key, split = keys[start], splits[start]
        color = palette[key]
        epoch = epochs[start:stop]  # plotly sends integers in the smallest type that holds them
        mean, std, n = means[start:stop], stds[start:stop], ns[start:stop]
        if len(epoch) > MAX_POINTS:  # thousands of epochs: the points a chart can show, extremes of line and band kept
            keep = thin_index([mean, mean + std, mean - std], MAX_POINTS)
            epoch, mean, std, n = epoch[keep], mean[keep], std[keep], n[keep]
        label = html.escape(str(texts[start]))
        split_word = t(f"figure.split.{split}")
        several = bool((n > 1).any())
        if several:
            outlines.append((np.concatenate([epoch, epoch[::-1]]),  # sent as float32: exact below 2**24 epochs
                             np.concatenate([mean + std, (mean - std)[::-1]])))
        spread = " ± %{customdata[0]:.4f} (n=%{customdata[1]})" if several else ""
        lines.append(dict(
            type="scatter", x=epoch, y=mean.astype(SENT_FLOAT), mode="lines" if len(epoch) > 1 else "markers",
            name=label, meta=split, legendgroup=key, showlegend=False,
            line=dict(color=color, dash=SPLIT_DASH[split], width=2),
            marker=dict(color=color, size=8),
            **(dict(customdata=np.column_stack([std, n]).astype(SENT_FLOAT)) if several else {}),
            hovertemplate=(f"<b>{label}</b><br>{split_word} · {epoch_word} %{{x}}<br>"
                           f"{value_name} %{{y:.4f}}{spread}<extra></extra>")))
        if i + 1 == len(starts) or keys[starts[i + 1]] != key:
            lines[-1]["showlegend"] = True  # one entry per key: plotly measures every entry's text in the browser
            flush(key, label)
    return traces


def curves_figure(bands: pd.DataFrame, *, metric: str = "acc", title: str | None = None,
                  colors: Mapping[str, str] | None = None) -> go.Figure:
    """Mean line per (key, split) with a mean ± std band over seeds, from ``core.compare.seed_bands``.

    One colour per key (``colors``: key -> colour, else ``ui.palette.assign_colors`` of the shown keys), dash style
    per split (``SPLIT_DASH``); the legend lists each key once (its lines are named by its label, their split in
    ``meta``) under a title that gives the shown splits' line styles (``line_styles``). The bands (one
    filled, hover-less trace per key, drawn before its lines) exist only for a (key, split) with more than one seed
    at some epoch. Accuracy keeps the whole 0–1 scale; loss fits the data from 0.
    """
    check_choice("metric", metric, METRIC_KINDS)
    if bands.empty:
        return empty_figure(t("figure.empty.curves"))
    metric_word = t(f"figure.metric.{metric}")
    fig = go.Figure()
    fig.update_xaxes(title_text=t("figure.epoch"))
    fig.update_yaxes(title_text=metric_word, **({"range": [0, 1.02]} if metric == "acc" else {"rangemode": "tozero"}))
    traces = _band_traces(bands, metric_word, colors)
    styles = line_styles(trace["meta"] for trace in traces if "meta" in trace)  # the legend names keys only
    layout = base_layout(fig, title).update_layout(legend_title=dict(text=styles, side="top"))
    return with_traces(legend_below(layout, _entries(traces), title_lines=1), traces)


def _entries(traces: list[dict]) -> int:
    """The legend entries of ``traces`` (plain dicts: a trace is listed unless it says ``showlegend=False``)."""
    return sum(trace.get("showlegend", True) is not False for trace in traces)


def line_styles(splits: Iterable[str]) -> str:
    """What the legend's title says of the shown splits: ``Lines: train dashed, test solid`` (from ``SPLIT_DASH``)."""
    shown = set(splits)
    shown = [split for split in BAND_SPLITS if split in shown]
    return t("figure.line_styles", styles=", ".join(
        t("figure.line_style", split=t(f"figure.split.{split}"), dash=t(f"figure.dash.{SPLIT_DASH[split]}"))
        for split in shown))


def gap_figure(bands: pd.DataFrame, title: str | None = None, *, metric: str = "acc",
               colors: Mapping[str, str] | None = None) -> go.Figure:
    """The generalization gap per epoch, from ``core.compare.gap_bands``, with a zero line.

    Positive means worse on test than on train: the axis says ``train − test accuracy`` or ``test − train loss``.
    """
    check_choice("metric", metric, METRIC_KINDS)
    if bands.empty:
        return empty_figure(t("figure.empty.gap"))
    gap_word = t(f"figure.gap.{metric}")
    fig = go.Figure()
    fig.add_hline(y=0, line=dict(color=ZERO_COLOR, width=1, dash="dot"))
    fig.update_xaxes(title_text=t("figure.epoch"))
    fig.update_yaxes(title_text=gap_word, zeroline=False)
    traces = _band_traces(bands, gap_word, colors)
    return with_traces(legend_below(base_layout(fig, title), _entries(traces)), traces)


# ---- summary against λ / dropout ----------------------------------------------------------------------------------
PANEL_TITLE_WIDTH = 24  # a panel title's line, in Latin letters (a Korean syllable counts two): a half-width panel's


def text_width(text: str) -> int:
    """The width of ``text`` in Latin letters: wide (East Asian) characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap_title(text: str, width: int = PANEL_TITLE_WIDTH) -> str:
    """``text`` in lines of at most ``width`` (``text_width``) joined by ``<br>``, broken at spaces, before a
    parenthesis when there is one: a panel title that does not fit over its panel would be cut at the figure's edge
    or run into its neighbour's."""
    if text_width(text) <= width:
        return text
    head, paren, rest = text.partition(" (")
    if paren and text_width(head) <= width:
        return head + "<br>" + wrap_title("(" + rest, width)
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _uses_log_axis(values: np.ndarray, param: str) -> bool:
    return param == "weight_decay" and len(np.unique(values[values > 0])) >= 2


def value_ticks(values) -> dict:
    """An axis's ticks at exactly the distinct values given, written as they are (``f"{v:g}"``): for a log axis
    over a few measured counts, where Plotly's own ticks read "8 9 100 2 3 4 5 6 7 8 9 1000 2 3"."""
    measured = sorted(set(np.asarray(values, dtype=float).tolist()))
    return {"tickvals": measured, "ticktext": [f"{v:g}" for v in measured]}


def _log_ticks(values: np.ndarray) -> tuple[float, list[float], list[str]]:
    """Where λ = 0 is drawn (one decade left of the decades spanning the positive λ), and the ticks with it as "0"."""
    positive = values[values > 0]
    low, high = int(np.floor(np.log10(positive.min()))), int(np.ceil(np.log10(positive.max())))
    zero_at = 10.0 ** (low - 1)
    decades = [10.0 ** k for k in range(low, high + 1)]
    return zero_at, [zero_at, *decades], ["0", *(f"{d:g}" for d in decades)]


def _linear_axis(values: np.ndarray) -> dict:
    """A linear x axis that fits the values: padded around them; one value alone gets one tick and a small span."""
    low, high = float(values.min()), float(values.max())
    if low == high:
        half = abs(low) * 0.5 or 0.05
        return {"range": [low - half, low + half], "tickvals": [low], "ticktext": [f"{low:g}"]}
    pad = 0.08 * (high - low)
    return {"range": [low - pad, high + pad]}


def _summary_traces(part: pd.DataFrame, param: str, *, prefix: str, x: np.ndarray, is_zero: bool, color: str,
                    dash: str, name: str, show_legend: bool, series: str, words: Mapping[str, str]) -> go.Scatter:
    """One series' points of one panel (values or gap): a line when it has two points or more."""
    symbol = words["symbol"]
    where = words["zero_hover"] if is_zero else f"{symbol} = %{{x:g}}"
    custom = np.column_stack([part["label"].map(lambda s: html.escape(str(s))), part["n"], part[f"{prefix}_std"]])
    mode = "markers" if is_zero or len(part) < 2 else "lines+markers"
    return go.Scatter(
        x=x, y=part[f"{prefix}_mean"], mode=mode, name=name, legendgroup=series, showlegend=show_legend,
        error_y=dict(type="data", array=part[f"{prefix}_std"].to_numpy(), visible=True, color=color, thickness=1),
        marker=dict(color=color, size=10 if is_zero else 8, symbol="diamond" if is_zero else "circle"),
        line=dict(color=color, dash=dash, width=2), customdata=custom,
        hovertemplate=(f"<b>%{{customdata[0]}}</b><br>{where}<br>{html.escape(name)} %{{y:.4f}} "
                       "± %{customdata[2]:.4f} (n=%{customdata[1]})<extra></extra>"))


def summary_figure(summary: pd.DataFrame, param: str, title: str | None = None, *, metric: str = "acc",
                   colors: Mapping[str, str] | None = None,
                   series_labels: Mapping[str, str] | None = None) -> go.Figure:
    """Final validation (dotted) and test (solid) value (left) and final gap (right) against ``param``.

    ``summary`` comes from ``core.compare.summary_against``: one line per *series* (groups that differ in ``param``
    alone), error bars = std over seeds. A series takes the colour of its first group (``colors``: group_id ->
    colour, else the palette's for the shown groups), so a series of one group matches that group's curves; the legend
    names each series by ``series_labels`` (series -> what separates it from the others). The point of a series
    chosen on validation (``chosen``) is ringed. Weight decay gets a log x axis when it has at least two distinct
    positive values; λ = 0 is then drawn as a diamond one decade left of the decades that span the positive λ, with
    the tick "0" and a dotted break line. Otherwise the axis is linear and fits the values (one value: one tick).
    """
    check_choice("param", param, SUMMARY_PARAMS)
    check_choice("metric", metric, METRIC_KINDS)
    if summary.empty:
        return empty_figure(t("figure.empty.summary"))
    metric_word = t(f"figure.metric.{metric}")
    gap_word = t(f"figure.gap.{metric}")
    symbol = "λ" if param == "weight_decay" else "p"
    words = {"symbol": symbol, "zero_hover": t("figure.zero.hover", symbol=symbol)}
    x_all = summary[param].to_numpy(dtype=float)
    log_x = _uses_log_axis(x_all, param)
    zero_at, tickvals, ticktext = _log_ticks(x_all) if log_x else (0.0, None, None)
    panels = [wrap_title(t("figure.summary.value", metric=metric_word)), wrap_title(t("figure.summary.gap", gap=gap_word))]
    fig = make_subplots(rows=1, cols=2, subplot_titles=panels, horizontal_spacing=0.08)
    firsts = summary.drop_duplicates("series").set_index("series")["group_id"]
    palette = _colors(summary["group_id"], colors)
    has_val = bool(np.isfinite(summary["val_mean"].to_numpy(dtype=float)).any())
    for series, part in summary.groupby("series", sort=False):
        color = palette[firsts[series]]
        named = series_labels is not None and series in series_labels
        label = html.escape(str(series_labels[series] if named else part["label"].iloc[0]))
        lines = [("val", "val", 1), ("test", "test", 1), ("gap", "gap", 2)] if has_val \
            else [("test", "test", 1), ("gap", "gap", 2)]
        for prefix, split, col in lines:
            name = f"{label} · {t(f'figure.split.{split}')}" if label else t(f"figure.split.{split}")
            x = part[param].to_numpy(dtype=float)
            for is_zero in (False, True):
                shown = part[(x == 0) == is_zero] if log_x else (part if not is_zero else part.iloc[0:0])
                if shown.empty:
                    continue
                xs = np.full(len(shown), zero_at) if is_zero else shown[param].to_numpy(dtype=float)
                fig.add_trace(_summary_traces(shown, param, prefix=prefix, x=xs, is_zero=is_zero, color=color,
                                              dash=SPLIT_DASH[split], name=name, series=series, words=words,
                                              show_legend=col == 1 and not (is_zero and log_x and (x > 0).any())),
                              row=1, col=col)
        chosen = part[part["chosen"]]
        if len(chosen):
            xs = np.where(chosen[param] > 0, chosen[param], zero_at) if log_x else chosen[param]
            for prefix, col in (("test", 1), ("val", 1), ("gap", 2)):
                fig.add_trace(go.Scatter(
                    x=xs, y=chosen[f"{prefix}_mean"], mode="markers", legendgroup=series, showlegend=False,
                    name=t("figure.chosen"), hoverinfo="skip",
                    marker=dict(symbol="circle-open", size=18, color=color, line=dict(width=2))), row=1, col=col)
    for col in (1, 2):
        if log_x:
            fig.update_xaxes(type="log", tickvals=tickvals, ticktext=ticktext, row=1, col=col)
            fig.add_vline(x=np.sqrt(zero_at * tickvals[1]), line=dict(color=ZERO_COLOR, width=1, dash="dot"),
                          row=1, col=col)
        else:
            fig.update_xaxes(type="linear", row=1, col=col, **_linear_axis(x_all))
        fig.update_xaxes(title_text=t(f"figure.param.{param}"), row=1, col=col)
    fig.update_yaxes(title_text=metric_word, row=1, col=1, automargin=True,
                     **({"range": [0, 1.02]} if metric == "acc" else {"rangemode": "tozero"}))
    # The gap panel's axis on its right: between the panels its tick labels and title ran into the value panel
    # (the space between them is a share of the chart's width, too little in a half-width column)
    fig.update_yaxes(title_text=gap_word, row=1, col=2, side="right", automargin=True)
    fig.add_hline(y=0, line=dict(color=ZERO_COLOR, width=1, dash="dot"), row=1, col=2)
    base_layout(fig, title)
    lines = max(p.count("<br>") for p in panels) + 1
    fig.update_layout(margin_t=(60 if title else 30) + 20 * lines,  # room for the subplot titles
                      margin_r=80)  # and for the gap axis on the right (plotly pushed 20 to 76)
    # in pixels, as the curves' legend: with a dozen series, placed in the plot's units, it squeezed both panels to
    # strips of about 100 px and covered their axis titles
    return legend_below(fig, sum(trace.showlegend is not False for trace in fig.data))
