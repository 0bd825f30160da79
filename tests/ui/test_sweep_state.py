"""The Sweep page's pure logic: URL state, the launch form's per-field errors, captions from the summary."""
from __future__ import annotations

import re

import numpy as np
import pytest

from core.config import RunConfig
from core.sweep import SweepView, make_spec, summarize
from core.sweep.storage import members_frame
from ui.sweep_state import (NO_POINT, SweepQuery, base_presets, build_form_spec, chosen_caption, curve_caption,
                            paired_caption, parse_query, point_options, to_query)

BASE = RunConfig(n_train=100, n_val=50, n_test=100, hidden_sizes=(10,), n_epochs=3, batch_size=50)


def fake_view(vary: dict, seeds: int = 3, rng_seed: int = 0) -> SweepView:
    """A sweep whose members carry made-up final metrics (the summary is what is tested, not training)."""
    spec = make_spec(BASE, vary, seeds=seeds)
    members = members_frame(spec)
    rng = np.random.default_rng(rng_seed)
    n = len(members)
    members["status"] = "complete"
    members["stopped_epoch"] = 3
    members["final_val_acc"] = rng.uniform(0.5, 0.9, n)
    members["final_test_acc"] = rng.uniform(0.5, 0.9, n)
    members["final_train_acc"] = rng.uniform(0.8, 1.0, n)
    members["best_val_epoch"] = 2
    return SweepView(spec, members)


def numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+\.\d{3}", text)]


# ---- URL ----------------------------------------------------------------------------------------------------------
def test_a_url_round_trips_and_defaults_stay_out_of_it():
    view = SweepQuery("weight_decay-0123456789", "best", "range", 3)
    query = to_query(view)
    assert query == {"sweep": "weight_decay-0123456789", "at": "best", "band": "range", "point": "3"}
    parsed, notices = parse_query({k: [v] for k, v in query.items()}, sweep_ids=["x", view.sweep],
                                  n_points_of=lambda _: 10)
    assert (parsed, notices) == (view, [])
    assert to_query(SweepQuery("s")) == {"sweep": "s"}


@pytest.mark.parametrize("raw, param", [
    ({"sweep": ["../../etc/passwd"]}, "sweep"), ({"sweep": ["nope"]}, "sweep"), ({"at": ["last"]}, "at"),
    ({"band": ["<b>"]}, "band"), ({"point": ["10"]}, "point"), ({"point": ["-1"]}, "point"),
    ({"point": ["1e3"]}, "point"), ({"evil": ["1"]}, "evil")])
def test_malformed_or_unknown_values_are_dropped_with_a_notice(raw, param):
    parsed, notices = parse_query(raw, sweep_ids=["a", "b"], n_points_of=lambda _: 10)
    assert [n.param for n in notices] == [param]
    assert parsed.sweep == "a" and parsed.at == "final" and parsed.band == "std" and parsed.point == NO_POINT


def test_no_sweeps_means_no_point():
    parsed, notices = parse_query({"point": ["1"]}, sweep_ids=[], n_points_of=lambda _: 0)
    assert parsed == SweepQuery(None) and [n.reason for n in notices] == ["no_sweep"]


# ---- the launch form ------------------------------------------------------------------------------------------------
def form(**changes):
    values = dict(base="overfit", n_epochs=10, field1="weight_decay", grid1="0,1e-4..1x9log", field2="", grid2="",
                  seeds=3, n_val=100)
    return build_form_spec(**{**values, **changes})


def test_the_default_form_is_the_books_lambda_sweep():
    result = form()
    assert result.errors == {} and result.spec.fields == ("weight_decay",)
    assert result.spec.axes[0].values[0] == 0.0 and len(result.spec.axes[0].values) == 10
    assert result.spec.base.n_train == 300 and result.spec.base.n_val == 100 and result.spec.n_runs == 30
    assert base_presets()[0] == "overfit"


@pytest.mark.parametrize("changes, slot, words", [
    (dict(grid1="0,1e-4..1x"), "grid1", "'weight_decay' grid"),
    (dict(grid1="0,-1"), "grid1", "weight_decay"),
    (dict(field2="dropout", grid2="0,1.5"), "grid2", "dropout"),
    (dict(field2="weight_decay", grid2="0,1"), "field2", "other than the first"),
    (dict(n_val=0), "n_val", "validation"),
    (dict(n_epochs=0), "epochs", "n_epochs"),
    (dict(base="optimizers"), "base", "one config"),
    (dict(field1="seed"), "field1", "field"),
    (dict(grid1="0..1x50", field2="dropout", grid2="0..0.5x40"), "vary", "at most"),
])
def test_a_bad_value_gives_one_line_beside_its_field(changes, slot, words):
    result = form(**changes)
    assert result.spec is None and list(result.errors) == [slot]
    message = result.errors[slot]
    assert words in message and "\n" not in message


def test_two_bad_grids_give_two_messages():
    result = form(grid1="x", field2="dropout", grid2="2")
    assert set(result.errors) == {"grid1", "grid2"}


# ---- captions ---------------------------------------------------------------------------------------------------
def test_the_caption_states_the_chosen_points_numbers_from_the_summary():
    view = fake_view({"weight_decay": "0,1e-3..1e-1x3log"})
    summary = summarize(view)
    caption = curve_caption(summary, view.spec.fields, "std")
    chosen = summary.chosen
    assert chosen["val_acc_mean"] == summary.points["val_acc_mean"].max()
    assert f"{chosen['test_acc_mean']:.3f}" in caption and f"{chosen['val_acc_mean']:.3f}" in caption
    assert f"{chosen['gap_mean']:.3f}" in caption and "mean ± std" in caption
    assert caption.count(f"{chosen['test_acc_mean']:.3f}") == 1
    first, last = summary.points.iloc[0], summary.points.iloc[-1]
    assert numbers(caption)[:4] == [round(first["val_acc_mean"], 3), round(last["val_acc_mean"], 3),
                                    round(first["gap_mean"], 3), round(last["gap_mean"], 3)]
    assert "min–max" in curve_caption(summary, view.spec.fields, "range")


def test_the_paired_caption_gives_the_chosen_points_interval():
    view = fake_view({"weight_decay": "0,1e-3..1e-1x3log"}, rng_seed=3)
    summary = summarize(view)
    if int(summary.chosen["point"]) == 0:  # the baseline itself: pick data where another point wins
        view.members.loc[view.members["point"] == 2, "final_val_acc"] = 0.99
        summary = summarize(view)
    caption = paired_caption(summary, view.spec.fields)
    row = summary.paired[summary.paired["point"] == int(summary.chosen["point"])].iloc[0]
    assert f"{row['diff_mean']:+.3f}" in caption and f"{row['ci_low']:+.3f}" in caption
    assert "λ = 0" in caption


def test_no_complete_run_gives_the_empty_captions():
    view = fake_view({"dropout": "0,0.2"})
    view.members["status"] = "missing"
    summary = summarize(view)
    assert summary.chosen is None
    assert "No run" in curve_caption(summary, ("dropout",), "std")
    assert "No point" in chosen_caption(summary, ("dropout",))


def test_point_options_name_each_point_by_its_values():
    view = fake_view({"weight_decay": "0,0.1", "dropout": "0,0.2"}, seeds=1)
    options = point_options(summarize(view).points, view.spec.fields)
    assert list(options) == [NO_POINT, 0, 1, 2, 3]
    assert options[3] == "λ = 0.1 · p = 0.2"
