"""The mechanism figures, built from real runs' stored snapshots without streamlit."""
from __future__ import annotations

import dataclasses

import pytest

from core.config import RunConfig
from core.mechanism import active_frame, histogram_frame, norms_frame
from core.store import ResultStore
from core.store_index import CACHE_ENV
from core.train import train
from ui.mechanism_figures import active_figure, histogram_figure, norms_figure

BASE = RunConfig(n_train=100, n_test=200, hidden_sizes=(20, 20, 20), n_epochs=4, batch_size=50)


@pytest.fixture(scope="module")
def curves(tmp_path_factory):
    root = tmp_path_factory.mktemp("mechanism")
    import os
    os.environ.setdefault(CACHE_ENV, str(root / ".cache"))
    records = [train(BASE), train(dataclasses.replace(BASE, weight_decay=0.5))]
    store = ResultStore(root)
    store.write(records)
    return store.load_curves([r.run_id for r in records]), {r.run_id: r.config.label() for r in records}


def test_norms_figure_has_a_panel_per_layer_and_a_line_per_run(curves):
    frame, labels = curves
    fig = norms_figure(norms_frame(frame, labels))
    assert len(fig.data) == 2 * 4 and fig.layout.title.text == "Weight norm per layer"
    assert [a.text for a in fig.layout.annotations] == [f"layer {i}" for i in range(1, 5)]
    assert {trace.name for trace in fig.data} == set(labels.values())


def test_histogram_figures_show_the_chosen_epoch_only(curves):
    frame, labels = curves
    weights = histogram_figure(histogram_frame(frame, "weight", labels=labels), "weight", 2)
    assert weights.layout.title.text == "Weight histograms per layer at epoch 2" and len(weights.data) == 8
    assert all(len(trace.x) == 41 for trace in weights.data)
    acts = histogram_figure(histogram_frame(frame, "act", labels=labels), "act", 4)
    assert [a.text for a in acts.layout.annotations] == [f"hidden layer {i}" for i in range(1, 4)]
    assert histogram_figure(histogram_frame(frame, "act"), "act", 3).layout.annotations[0].text \
        == "Nothing recorded to show."  # no snapshot at epoch 3
    with pytest.raises(ValueError, match="'kind'"):
        histogram_figure(histogram_frame(frame, "act"), "bias", 0)


def test_active_figure_plots_the_fraction_per_hidden_layer_over_recorded_epochs(curves):
    frame, labels = curves
    fig = active_figure(active_frame(frame, labels))
    assert len(fig.data) == 2 * 3 and list(fig.data[0].x) == [0, 1, 2, 4]
    assert all(0 <= y <= 1 for trace in fig.data for y in trace.y)
    assert fig.layout.yaxis.title.text == "active fraction"


def test_in_two_rows_of_panels_only_each_columns_lowest_panel_names_its_x_axis():
    """Seven layers in rows of four: a first-row panel's axis title fell on the subplot title of the panel under it."""
    import numpy as np
    import pandas as pd

    norms = pd.DataFrame({"run_id": "r", "label": "run", "epoch": np.tile([0, 1], 7),
                          "layer": np.repeat(np.arange(1, 8), 2), "norm": 1.0})
    fig = norms_figure(norms)
    titled = {axis: fig.layout[axis].title.text for axis in fig.layout if axis.startswith("xaxis")}
    # rows of four: panels 1-4 above 5-7; panel 4 has none under it
    assert {a for a, text in titled.items() if text} == {"xaxis4", "xaxis5", "xaxis6", "xaxis7"}


def test_a_capped_selection_shows_the_groups_seed_by_seed():
    """Compare's mechanism views draw at most MAX_RUNS runs. With the book's four groups of three seeds they drew
    one group's three seeds beside one run of each other group; now every group's first seed, then its second."""
    import pandas as pd

    from ui.mechanism_page import MAX_RUNS, shown_runs

    chosen = pd.DataFrame([{"run_id": f"{g}{s}", "group_id": g, "seed": s} for g in "abcd" for s in (1, 0, 2)])
    shown = shown_runs(chosen)
    assert MAX_RUNS == 6 and shown == ["a0", "b0", "c0", "d0", "a1", "b1"]
    assert shown_runs(chosen.drop(columns="seed"))[:4] == ["a1", "b1", "c1", "d1"]  # without seeds: as they come


def test_seeds_of_one_config_share_its_colour_on_the_mechanism_views():
    """Two seeds of one config were drawn in unrelated colours, which reads as two configs. With the page's styles a
    group keeps one colour and its further seeds are thinner and lighter; without them every run has its own."""
    import pandas as pd

    from ui.mechanism_figures import norms_figure
    from ui.mechanism_page import run_styles

    chosen = pd.DataFrame([{"run_id": r, "group_id": g} for r, g in (("a0", "a"), ("b0", "b"), ("a1", "a"))])
    norms = pd.DataFrame([{"run_id": r, "label": r, "epoch": e, "layer": 1, "norm": 1.0 + e}
                          for r in ("a0", "b0", "a1") for e in (0, 1)])
    styles = run_styles(chosen, ["a0", "b0", "a1"])
    assert styles == {"a0": (0, 0), "b0": (1, 0), "a1": (0, 1)}
    lines = {tr.name: tr for tr in norms_figure(norms, styles).data}
    assert lines["a0"].line.color == lines["a1"].line.color != lines["b0"].line.color
    assert lines["a1"].line.width < lines["a0"].line.width and lines["a1"].opacity < lines["a0"].opacity
    alone = {tr.name: tr.line.color for tr in norms_figure(norms).data}
    assert len(set(alone.values())) == 3
