"""AppTest: the Sweep page (pages/sweep.py) on an empty folder, on real 1-D and 2-D sweeps, from URLs, in read-only
mode, and its launch form (a bad grid is a message beside the field; an identical sweep opens the stored one)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from core.config import RunConfig
from core.jobs import list_jobs
from core.sweep import list_sweeps, load_sweep, make_spec, run_sweep, summarize
from pagetools import open_page, texts, use_copy_of

BASE = RunConfig(n_train=100, n_val=50, n_test=100, hidden_sizes=(10,), n_epochs=3, batch_size=50, lr=0.1)
ONE_D = {"weight_decay": "0,1e-3..1e-1x3log"}
TWO_D = {"weight_decay": "0,0.01", "dropout": "0,0.2"}


@pytest.fixture(scope="session")
def sweep_dir(tmp_path_factory) -> Path:
    """A 1-D λ sweep (4 points × 2 seeds) and a 2-D λ × dropout sweep (2 × 2 × 2) of tiny real runs."""
    root = tmp_path_factory.mktemp("sweeps")
    run_sweep(make_spec(BASE, ONE_D, seeds=2), root)
    run_sweep(make_spec(BASE, TWO_D, seeds=2), root)
    return root


@pytest.fixture
def ids(monkeypatch, sweep_dir) -> dict[str, str]:
    monkeypatch.setenv("OVERFIT_LAB_RESULTS", str(sweep_dir))
    monkeypatch.delenv("OVERFIT_LAB_READ_ONLY", raising=False)
    frame = list_sweeps(sweep_dir)
    return {"1d": frame.loc[frame["fields"] == "weight_decay", "sweep_id"].iloc[0],
            "2d": frame.loc[frame["fields"] == "weight_decay, dropout", "sweep_id"].iloc[0]}


def chart(at, key: str) -> dict:
    return json.loads(next(c for c in at.get("plotly_chart") if c.key == key).proto.spec)


def chart_keys(at) -> set[str]:
    return {c.key for c in at.get("plotly_chart")}


def notices(at) -> list[str]:
    return [n for n in texts(at, "info") if "Ignored the URL parameter" in n]


def test_empty_folder_explains_and_offers_the_launch_form(empty_results):
    at = open_page("pages/sweep.py")
    assert at.title[0].value == "Sweep"
    assert any("No sweeps yet" in s for s in texts(at, "info"))
    assert at.button(key="sweep.launch")
    assert at.text_input(key="sweep.form.grid1").value == "0,1e-4..1x9log"
    assert not chart_keys(at) and not at.error


def test_a_1d_sweep_draws_accuracy_gap_paired_and_states_the_chosen_point(ids, sweep_dir):
    at = open_page("pages/sweep.py", {"sweep": ids["1d"]})
    assert {"sweep.curve", "sweep.paired"} <= chart_keys(at) and not at.error
    figure = chart(at, "sweep.curve")
    assert figure["layout"]["xaxis"]["type"] == "log"
    summary = summarize(load_sweep(sweep_dir, ids["1d"]))
    chosen = summary.chosen
    captions = " ".join(texts(at, "caption"))
    assert f"its test accuracy is {chosen['test_acc_mean']:.3f}" in captions
    assert captions.count(f"{chosen['test_acc_mean']:.3f} ±") == 1
    assert "mean ± std" in captions
    assert at.query_params["sweep"] == ids["1d"]


def test_a_2d_sweep_draws_heatmaps_with_the_chosen_cell(ids, sweep_dir):
    at = open_page("pages/sweep.py", {"sweep": ids["2d"]})
    assert "sweep.heat" in chart_keys(at) and "sweep.curve" not in chart_keys(at)
    figure = chart(at, "sweep.heat")
    assert sum(1 for trace in figure["data"] if trace["type"] == "heatmap") == 2
    assert figure["layout"]["shapes"]
    chosen = summarize(load_sweep(sweep_dir, ids["2d"])).chosen
    assert any(f"test accuracy is {chosen['test_acc_mean']:.3f}" in c for c in texts(at, "caption"))


def test_the_url_reproduces_best_epoch_band_and_point(ids):
    at = open_page("pages/sweep.py", {"sweep": ids["1d"], "at": "best", "band": "range", "point": "2"})
    assert not notices(at)
    assert at.radio(key="sweep.at").value == "best" and at.radio(key="sweep.band").value == "range"
    assert at.selectbox(key="sweep.point").value == 2 and "sweep.point_curves" in chart_keys(at)
    assert any("min–max" in c for c in texts(at, "caption"))
    assert {k: at.query_params[k] for k in ("sweep", "at", "band", "point")} == {
        "sweep": ids["1d"], "at": "best", "band": "range", "point": "2"}
    at.selectbox(key="sweep.point").set_value(1).run()  # the keyboard way to pick a point
    assert at.query_params["point"] == "1"
    assert chart(at, "sweep.point_curves")["data"]


def test_malformed_url_values_are_dropped_with_a_notice(ids):
    at = open_page("pages/sweep.py", {"sweep": "../../etc", "at": "last", "point": "99", "bogus": "1"})
    assert len(notices(at)) == 4 and not at.error
    assert "at" not in at.query_params and "point" not in at.query_params and "bogus" not in at.query_params
    assert at.selectbox(key="sweep.sweep").value in ids.values()


def test_read_only_mode_hides_the_launch_form(ids, read_only):
    at = open_page("pages/sweep.py", {"sweep": ids["1d"]})
    assert not [b for b in at.button if b.key == "sweep.launch"]
    assert any("read-only" in c for c in texts(at, "caption"))
    assert "sweep.curve" in chart_keys(at)


def test_a_bad_grid_shows_a_message_beside_its_field_and_launches_nothing(empty_results):
    at = open_page("pages/sweep.py")
    at.text_input(key="sweep.form.grid1").set_value("0,1e-4..1x").run()
    errors = texts(at, "error")
    assert len(errors) == 1 and "grid must be" in errors[0] and "1e-4..1x" in errors[0]
    at.button(key="sweep.launch").click().run()
    assert any("not launched" in e for e in texts(at, "error"))
    assert not (empty_results / "sweeps").exists() and not list_jobs(empty_results)


def test_launching_an_identical_sweep_opens_it_and_says_already_computed(ids, sweep_dir, tmp_path, monkeypatch):
    root = use_copy_of(sweep_dir, tmp_path, monkeypatch)
    at = open_page("pages/sweep.py")
    # The form's presets are the book's; the stored 1-D sweep was made from BASE, so launch a tiny overfit sweep
    # twice: the second launch must open the first and start no job.
    at.number_input(key="sweep.form.epochs").set_value(1)
    at.number_input(key="sweep.form.seeds").set_value(1)
    at.text_input(key="sweep.form.grid1").set_value("0,0.1").run()
    at.button(key="sweep.launch").click().run()
    assert any("Started sweep" in s for s in texts(at, "success")), texts(at, "error")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(j.active for j in list_jobs(root)):
        time.sleep(0.5)
    n_jobs = len(list_jobs(root))
    at.button(key="sweep.launch").click().run()
    assert any("already" in s and "computed" in s for s in texts(at, "success"))
    assert len(list_jobs(root)) == n_jobs and len(list_sweeps(root)) == 3


def test_a_sweep_with_no_finished_runs_says_so(tmp_path, monkeypatch):
    from core.sweep.storage import open_or_write

    open_or_write(tmp_path, make_spec(BASE, {"dropout": "0,0.5"}, seeds=1))
    monkeypatch.setenv("OVERFIT_LAB_RESULTS", str(tmp_path))
    monkeypatch.delenv("OVERFIT_LAB_READ_ONLY", raising=False)
    at = open_page("pages/sweep.py")
    assert any("None of this sweep's runs" in s for s in texts(at, "info"))
    assert not chart_keys(at) and not at.error


def test_launch_sweep_refuses_in_read_only_mode_and_beyond_the_limits(empty_results, monkeypatch):
    from ui import services

    spec = make_spec(BASE, {"dropout": "0,0.2"}, seeds=2)
    monkeypatch.setenv("OVERFIT_LAB_READ_ONLY", "1")
    with pytest.raises(services.ActionRefused, match="read-only"):
        services.launch_sweep(spec)
    monkeypatch.delenv("OVERFIT_LAB_READ_ONLY")
    monkeypatch.setenv("OVERFIT_LAB_MAX_SEEDS", "1")
    with pytest.raises(services.ActionRefused, match="At most 1 seed "):
        services.launch_sweep(spec)
    monkeypatch.setenv("OVERFIT_LAB_MAX_EPOCHS", "2")
    with pytest.raises(services.ActionRefused, match="At most 2 epochs"):
        services.launch_sweep(make_spec(BASE, {"dropout": "0,0.2"}, seeds=1))
    assert not (empty_results / "sweeps").exists() and list_jobs(empty_results) == []
