"""AppTest: the mechanism views on Compare (an expander for the selected runs, with an epoch picker)."""
from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from streamlit.testing.v1 import AppTest

from pagetools import APP, TINY, open_page
from core.mechanism import mechanism_epochs
from core.store import ResultStore
from core.train import train


@pytest.fixture
def runs(populated) -> pd.DataFrame:
    return ResultStore(populated).load_runs()


def tiny_run_ids(runs: pd.DataFrame) -> list[str]:
    tiny = runs[(runs["n_train"] == TINY.n_train) & (runs["dropout"] == 0) & (runs["n_val"] == 0)]
    return list(tiny.sort_values(["weight_decay", "seed"])["run_id"][:2])


def charts(at) -> dict:
    return {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.key.startswith("compare.mechanism")}


def opened(query: dict):
    """Compare at ``query`` with the Mechanism expander open (its state, as a click leaves it). Set before the page
    runs: a rerun of a Korean page from the test would format its radio's value in English."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.session_state["compare.mechanism"] = True
    at.query_params = query
    at.switch_page("pages/compare.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_closed_mechanism_expander_computes_and_sends_nothing(runs):
    at = open_page("pages/compare.py", {"by": "run", "runs": ",".join(tiny_run_ids(runs))})
    assert [e.label for e in at.expander if e.label == "Mechanism: weights and activations"]
    assert charts(at) == {}
    assert not [s for s in at.get("select_slider") if s.key == "compare.mechanism.epoch"]


def test_compare_draws_the_mechanism_views_of_the_selected_runs_and_the_epoch_picker_moves_them(runs):
    ids = tiny_run_ids(runs)
    at = opened({"by": "run", "runs": ",".join(ids)})
    assert [e.label for e in at.expander if e.label == "Mechanism: weights and activations"]
    drawn = charts(at)
    assert set(drawn) == {f"compare.mechanism.{k}" for k in ("norms", "weights", "acts", "active")}
    n_layers = len(TINY.hidden_sizes) + 1
    assert drawn["compare.mechanism.norms"]["layout"]["title"]["text"] == "Weight norm per layer"
    assert len(drawn["compare.mechanism.norms"]["data"]) == 2 * n_layers  # one line per run and layer
    assert len(drawn["compare.mechanism.acts"]["data"]) == 2 * len(TINY.hidden_sizes)
    last = TINY.n_epochs
    assert drawn["compare.mechanism.weights"]["layout"]["title"]["text"] == f"Weight histograms per layer at epoch {last}"
    picker = at.select_slider(key="compare.mechanism.epoch")
    assert list(picker.options) == [str(e) for e in mechanism_epochs(TINY.n_epochs)] and picker.value == last
    at = picker.set_value(0).run()
    weights = charts(at)["compare.mechanism.weights"]
    assert weights["layout"]["title"]["text"] == "Weight histograms per layer at epoch 0"
    assert not at.exception


def test_the_mechanism_views_follow_the_language(runs):
    ids = tiny_run_ids(runs)
    at = opened({"by": "run", "runs": ids[0], "lang": "ko"})
    assert any(e.label == "작동 원리: 가중치와 활성화 값" for e in at.expander)
    drawn = charts(at)
    assert drawn["compare.mechanism.active"]["layout"]["title"]["text"] == "은닉층별 활성 뉴런(0이 아닌 출력) 비율"
    assert drawn["compare.mechanism.norms"]["layout"]["xaxis"]["title"]["text"] == "에폭"


def test_runs_without_histograms_at_the_picked_epoch_are_named_not_silently_dropped(monkeypatch, tmp_path):
    """A 3-epoch and a 4-epoch run record histograms at [0, 1, 2, 3] and [0, 1, 2, 4]: at epoch 4 only the second is
    drawn, and the page says which run is missing and why; at an epoch both recorded, nothing is said."""
    short, long = (train(dataclasses.replace(TINY, n_epochs=n)) for n in (3, 4))
    ResultStore(tmp_path).write([short, long])
    monkeypatch.setenv("OVERFIT_LAB_RESULTS", str(tmp_path))
    monkeypatch.delenv("OVERFIT_LAB_READ_ONLY", raising=False)
    at = opened({"by": "run", "runs": f"{short.run_id},{long.run_id}"})

    def drawn_runs(at) -> int:
        return len({trace["legendgroup"] for trace in charts(at)["compare.mechanism.weights"]["data"]})

    def notes(at) -> list[str]:
        return [c.value for c in at.caption if c.value.startswith("Not drawn at epoch")]

    assert at.select_slider(key="compare.mechanism.epoch").value == 4 and drawn_runs(at) == 1
    (note,) = notes(at)
    assert note.startswith("Not drawn at epoch 4: 1 run with no histograms there, no reg. · 1×16")
    assert "(1 seed: 0; histograms at epochs 0, 1, 2, 3)" in note
    at = at.select_slider(key="compare.mechanism.epoch").set_value(2).run()
    assert drawn_runs(at) == 2 and notes(at) == []
