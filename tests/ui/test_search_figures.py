from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from core.search import RoundBox
from ui.palette import SPLIT_COLOR
from ui.search_figures import (STATUS_MARKERS, best_n_curves_figure, best_so_far_figure, color_range, lr_wd_scatter,
                                status_name)


def _trials() -> pd.DataFrame:
    return pd.DataFrame({
        "run_id": ["aaaaaaaaaaa1", "aaaaaaaaaaa2", "aaaaaaaaaaa3", "aaaaaaaaaaa4", "aaaaaaaaaaa5"],
        "trial": [0, 1, 2, 3, 4], "round": [0, 0, 0, 1, 1],
        "lr": [1e-5, 1e-3, 5e-3, 2e-3, 8e-3], "weight_decay": [1e-7, 1e-6, 1e-5, 2e-6, 1e-8],
        "status": ["complete", "complete", "pruned", "complete", "diverged"],
        "final_val_acc": [0.2, 0.8, 0.4, 0.85, np.nan], "final_train_acc": [0.2, 0.9, 0.4, 0.95, np.nan],
        "stopped_epoch": [50, 50, 5, 50, 3],
    })


BOXES = [RoundBox(0, {"lr": (1e-6, 1e-2), "weight_decay": (1e-8, 1e-4)}),
         RoundBox(1, {"lr": (5e-4, 5e-3), "weight_decay": (5e-7, 2e-5)}, parent_round=0)]


def test_scatter_has_log_axes_colour_by_val_acc_and_select_drag():
    fig = lr_wd_scatter(_trials(), boxes=BOXES)
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    assert fig.layout.dragmode == "select"
    complete = next(t for t in fig.data if t.name == "complete")
    assert list(complete.marker.color) == [0.2, 0.8, 0.85] and complete.marker.coloraxis == "coloraxis"
    assert fig.layout.coloraxis.colorbar.title.text.startswith("final val acc")


def test_scatter_colour_scale_spans_the_observed_values_and_says_so():
    trials = _trials()
    scored = trials[trials["status"].isin(("complete", "pruned"))]["final_val_acc"]
    fig = lr_wd_scatter(trials)
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (scored.min(), scored.max())
    assert f"scale {scored.min():.2f}–{scored.max():.2f}" in fig.layout.coloraxis.colorbar.title.text
    low = trials.assign(final_val_acc=np.linspace(0.07, 0.28, len(trials)))  # the reported search: all look alike
    fig = lr_wd_scatter(low, colorbar_title="val acc (scale 0.07–0.28)")
    assert fig.layout.coloraxis.cmax - fig.layout.coloraxis.cmin < 0.25
    assert fig.layout.coloraxis.colorbar.title.text == "val acc (scale 0.07–0.28)"  # one line, over a flat bar
    one = trials.assign(status="complete", final_val_acc=0.5)
    assert color_range(one) == (0.495, 0.505)
    assert color_range(trials.iloc[:0]) == (0.0, 1.0)


def test_scatter_marks_pruned_and_diverged_trials_with_their_own_symbols():
    fig = lr_wd_scatter(_trials())
    symbols = {t.name: t.marker.symbol for t in fig.data}
    assert symbols == {status_name(s): STATUS_MARKERS[s] for s in ("complete", "pruned", "diverged")}
    assert len(set(symbols.values())) == 3
    diverged = next(t for t in fig.data if t.name == "diverged")
    assert list(diverged.x) == [8e-3] and diverged.marker.coloraxis is None  # grey, off the accuracy scale


def test_scatter_draws_one_rectangle_per_round_box_with_its_round():
    fig = lr_wd_scatter(_trials(), boxes=BOXES)
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 2
    assert [s.label.text for s in rects] == ["round 0", "round 1"]
    assert (rects[1].x0, rects[1].x1, rects[1].y0, rects[1].y1) == (5e-4, 5e-3, 5e-7, 2e-5)  # data values
    # boxes as plain dicts work too (e.g. from JSON)
    fig = lr_wd_scatter(_trials(), boxes=[b.to_dict() for b in BOXES])
    assert len([s for s in fig.layout.shapes if s.type == "rect"]) == 2


def test_round_boxes_and_their_labels_lie_under_the_trials_but_over_a_surrogate():
    """Drawn above the traces, a box's label ("round 0", top left inside the box) hid any trial in that corner;
    under a surrogate's heatmap (opacity 0.55) the boxes would be veiled, so there they stay on top."""
    rects = [s for s in lr_wd_scatter(_trials(), boxes=BOXES).layout.shapes if s.type == "rect"]
    assert {s.layer for s in rects} == {"between"}  # over the grid, under every trace
    surrogate = (np.logspace(-6, -2, 4), np.logspace(-8, -4, 3), np.zeros((3, 4)))
    rects = [s for s in lr_wd_scatter(_trials(), boxes=BOXES, surrogate=surrogate).layout.shapes if s.type == "rect"]
    assert {s.layer for s in rects} == {"above"}


def test_scatter_customdata_holds_the_run_ids():
    fig = lr_wd_scatter(_trials())
    ids = [rid for t in fig.data for rid in t.customdata]
    assert sorted(ids) == sorted(_trials()["run_id"])
    for t in fig.data:  # each point's customdata matches its own coordinates
        frame = _trials().set_index("run_id").loc[list(t.customdata)]
        assert np.allclose(frame["lr"], t.x) and np.allclose(frame["weight_decay"], t.y)


def test_scatter_surrogate_heatmap_lies_under_the_points_in_actual_values():
    lr = np.logspace(-6, -2, 4)
    wd = np.logspace(-8, -4, 3)
    mean = np.arange(12, dtype=float).reshape(3, 4) / 12
    fig = lr_wd_scatter(_trials(), surrogate=(lr, wd, mean))
    assert isinstance(fig.data[0], go.Heatmap)
    assert np.allclose(fig.data[0].x, lr) and np.allclose(fig.data[0].y, wd)
    assert fig.data[0].coloraxis == "coloraxis"


def test_scatter_selection_and_empty_states():
    fig = lr_wd_scatter(_trials(), selected=["aaaaaaaaaaa2"])
    complete = next(t for t in fig.data if t.name == "complete")
    assert list(complete.selectedpoints) == [1]
    assert list(next(t for t in fig.data if t.name == status_name("pruned")).selectedpoints) == []
    empty = lr_wd_scatter(_trials().iloc[:0])
    assert not empty.data and empty.layout.annotations
    with pytest.raises(ValueError, match="Missing"):
        lr_wd_scatter(_trials().drop(columns="run_id"))


def test_best_so_far_one_line_per_strategy_with_a_band_over_repeats():
    rows = []
    for strategy, level in (("random", 0.5), ("bayes", 0.7)):
        for repeat in range(3):
            for trial in range(5):
                rows.append({"strategy": strategy, "search_id": f"{strategy}-{repeat}", "trial": trial,
                             "value": level + 0.05 * repeat - 0.1 * (trial % 2)})
    fig = best_so_far_figure(pd.DataFrame(rows))
    lines = [t for t in fig.data if t.fill is None]
    bands = [t for t in fig.data if t.fill == "toself"]
    assert [t.name for t in lines] == ["random", "bayes"] and len(bands) == 2
    assert list(lines[0].y) == pytest.approx([0.55] * 5)  # mean over repeats of the best so far
    assert np.all(np.diff(lines[1].y) >= 0)
    assert best_so_far_figure(pd.DataFrame()).layout.annotations


def test_best_so_far_keeps_its_accuracy_axis_on_what_an_accuracy_can_be():
    """Plotly's autorange drew a flat line (the first trial stayed the best) on an axis from -0.5 to 1.5."""
    flat = pd.DataFrame({"strategy": "random", "search_id": "s", "trial": range(30), "value": [0.51] + [0.3] * 29})
    low, high = best_so_far_figure(flat).layout.yaxis.range
    assert 0.45 < low < 0.51 < high < 0.57
    rising = pd.DataFrame({"strategy": "random", "search_id": "s", "trial": range(4), "value": [0.1, 0.5, 0.99, 1.0]})
    low, high = best_so_far_figure(rising, x="trials").layout.yaxis.range
    assert -0.01 <= low < 0.1 and 1.0 < high <= 1.01


def test_best_so_far_against_compute_draws_steps():
    rows = [{"strategy": "random", "search_id": f"s{r}", "trial": t, "value": 0.1 * (t + r), "stopped_epoch": 5 + t}
            for r in range(2) for t in range(3)]
    fig = best_so_far_figure(pd.DataFrame(rows), x="epochs")
    line = next(t for t in fig.data if t.fill is None)
    band = next(t for t in fig.data if t.fill == "toself")
    assert list(line.x) == [5, 11, 18] and line.line.shape == "hv"
    assert fig.layout.xaxis.title.text == "compute (trial-epochs)"
    # the band's upper edge steps: it holds each value until the next x, then rises there
    assert list(band.x[:5]) == [5, 11, 11, 18, 18]
    assert list(band.y[:5]) == pytest.approx([0.1, 0.1, 0.2, 0.2, 0.3])  # the best repeat: 0.1, 0.2, 0.3


def test_best_n_curves_small_multiples_val_dotted_train_dashed():
    runs = _trials().rename(columns={"final_val_acc": "value"}).sort_values("value", ascending=False)
    curves = pd.DataFrame([{"run_id": rid, "epoch": e, "train_acc": 0.1 + 0.01 * e, "val_acc": 0.1 + 0.005 * e}
                           for rid in runs["run_id"] for e in range(6)])
    fig = best_n_curves_figure(curves, runs, n=3)
    assert len(fig.data) == 6
    dashes = {(t.name, t.line.dash) for t in fig.data}
    assert dashes == {("val", "dot"), ("train", "dash")}  # the house rule (ui.palette), as on every page
    assert {(t.name, t.line.color) for t in fig.data} == {("val", SPLIT_COLOR["val"]), ("train", SPLIT_COLOR["train"])}
    titles = [a.text for a in fig.layout.annotations]
    assert titles[0].startswith("Best-1 · val 0.850") and "lr=0.002" in titles[0]
    assert sum(t.showlegend for t in fig.data) == 2
    assert best_n_curves_figure(curves.iloc[:0], runs, n=3).layout.annotations


def _words(fig: go.Figure) -> str:
    """Every word a reader sees or hovers on a figure: titles, axis titles, legend names, annotations, shapes, hovers."""
    layout = fig.layout
    texts = [layout.title.text, layout.xaxis.title.text, layout.yaxis.title.text,
             layout.coloraxis.colorbar.title.text if layout.coloraxis.colorbar else None]
    texts += [a.text for a in layout.annotations] + [s.label.text for s in layout.shapes if s.label]
    for trace in fig.data:
        texts += [trace.name, trace.hovertemplate, *(getattr(trace, "hovertext", None) or [])]
    return " ".join(str(x) for x in texts if x)


def test_in_korean_the_search_figures_have_no_english_words():
    from ui import text
    text.use_language_source(lambda: "ko")
    try:
        trials = _trials()
        curves = pd.DataFrame([{"run_id": rid, "epoch": e, "train_acc": 0.5, "val_acc": 0.4}
                               for rid in trials["run_id"] for e in range(3)])
        figures = {"scatter": lr_wd_scatter(trials, boxes=BOXES),
                   "best so far": best_so_far_figure(trials.assign(strategy="random", search_id="s", value=0.5)),
                   "best-n": best_n_curves_figure(curves, trials.rename(columns={"final_val_acc": "value"}), n=2),
                   "empty": lr_wd_scatter(trials.iloc[:0])}
        english = ("learning rate", "weight decay", "round", "trial", "val acc", "train acc", "complete", "pruned",
                   "diverged", "epoch", "best validation", "No ", "after", "mean of", "search(es)")
        for name, fig in figures.items():
            words = _words(fig)
            assert not [w for w in english if w in words], (name, words)
        assert "라운드 1" in _words(figures["scatter"]) and "조기 종료됨" in _words(figures["scatter"])
    finally:
        text.use_language_source(lambda: None)
