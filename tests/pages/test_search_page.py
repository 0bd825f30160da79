"""AppTest: the Search page (pages/search.py) on an empty folder, on real searches, from URLs, in read-only mode."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

from pagetools import open_page, texts, use_copy_of
from core.config import RunConfig
from core.jobs import list_jobs
from core.search import SearchSpec, list_searches, load_search, read_spec, run_search
from core.store import ResultStore

BASE = RunConfig(n_train=100, n_val=50, n_test=100, hidden_sizes=(20, 20), n_epochs=3, batch_size=50)
SEARCHES = {  # name -> spec: two repeats of random (a band), bayes (a surrogate), coarse to fine with early stopping
    "random": SearchSpec(strategy="random", n_trials=6, base=BASE),
    "random-repeat": SearchSpec(strategy="random", n_trials=6, base=BASE, repeat=1),
    "bayes": SearchSpec(strategy="bayes", n_trials=6, base=BASE, n_startup=3, n_candidates=200),
    "c2f": SearchSpec(strategy="coarse-to-fine", n_trials=6, rounds=2, base=BASE, early_stop=True, min_epochs=1),
}


@pytest.fixture(scope="session")
def search_dir(tmp_path_factory) -> Path:
    """Four real searches of tiny trials, in the store and under ``searches/`` as the core writes them."""
    root = tmp_path_factory.mktemp("searches")
    for spec in SEARCHES.values():
        run_search(spec, root=root)
    return root


@pytest.fixture
def ids(monkeypatch, search_dir) -> dict[str, str]:
    """The search ids by name, with the app pointed at the shared folder (tests using it must not write)."""
    monkeypatch.setenv("OVERFIT_LAB_RESULTS", str(search_dir))
    monkeypatch.delenv("OVERFIT_LAB_READ_ONLY", raising=False)
    frame = list_searches(search_dir)
    by_key = {(s.strategy, s.repeat): name for name, s in SEARCHES.items()}
    return {by_key[(row.strategy, row.repeat)]: row.search_id for row in frame.itertuples()}


@pytest.fixture
def writable(monkeypatch, search_dir, tmp_path) -> Path:
    return use_copy_of(search_dir, tmp_path, monkeypatch)


def chart(at, key: str) -> dict:
    return json.loads(next(c for c in at.get("plotly_chart") if c.key == key).proto.spec)


def chart_keys(at) -> set[str]:
    return {c.key for c in at.get("plotly_chart")}


def table(at, column: str) -> pd.DataFrame:
    """The st.dataframe with ``column`` (AppTest keeps no key of a table without selections)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def run_ids_in(figure: dict) -> set[str]:
    return {i for trace in figure["data"] for i in (trace.get("customdata") or [])}


def notices(at) -> list[str]:
    return [n for n in texts(at, "info") if "Ignored the URL parameter" in n]


def wait_for_job(root: Path, timeout: float = 90.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and list_jobs(root)[0].state == "running":
        time.sleep(0.2)
    return list_jobs(root)[0]


def test_empty_folder_explains_and_offers_the_launch_form(empty_results):
    at = open_page("pages/search.py")
    assert at.title[0].value == "Search"
    assert any("No searches yet" in s for s in texts(at, "info"))
    assert at.button(key="search.launch").label == "Launch search"
    assert at.select_slider(key="search.form.lr").value == (-6, -2)  # the book's ranges
    assert at.select_slider(key="search.form.wd").value == (-8, -4)
    assert not at.get("plotly_chart") and not notices(at)


def test_empty_folder_read_only_says_how_to_search(empty_results, read_only):
    at = open_page("pages/search.py")
    assert any("python -m core search" in s for s in texts(at, "info"))
    assert not [b for b in at.button if b.key == "search.launch"]


def test_default_view_draws_the_newest_search(ids, search_dir):
    at = open_page("pages/search.py")
    newest = list_searches(search_dir)["search_id"][0]
    assert at.selectbox(key="search.search").value == newest
    assert {"search.scatter", "search.best", "search.best_so_far"} <= chart_keys(at)
    assert "search.selected_curves" not in chart_keys(at)
    assert "No trials selected: draw a box on the scatter." in texts(at, "caption")
    assert [s.value for s in at.subheader] == ["Learning rate × weight decay", "Selected trials", "Best trials",
                                               "Best so far, by trials or by compute", "Trials"]
    trials = load_search(ResultStore(search_dir), newest).trials
    scatter = chart(at, "search.scatter")
    assert scatter["layout"]["xaxis"]["type"] == "log" and scatter["layout"]["yaxis"]["type"] == "log"
    assert run_ids_in(scatter) == set(trials["run_id"])
    trials_table = table(at, "stopped_epoch")
    assert len(trials_table) == len(trials) and list(trials_table["value"]) == sorted(trials["value"], reverse=True)
    assert at.query_params["search"] == newest and at.query_params["n"] == "5"


def test_coarse_to_fine_draws_every_round_and_its_pruned_trials(ids):
    at = open_page("pages/search.py", {"search": ids["c2f"]})
    scatter = chart(at, "search.scatter")
    assert {s["name"] for s in scatter["layout"]["shapes"]} == {"round 0", "round 1"}
    assert "pruned (stopped early)" in {t["name"] for t in scatter["data"]}


def test_bayes_search_draws_the_surrogate_under_the_points(ids):
    at = open_page("pages/search.py", {"search": ids["bayes"]})
    scatter = chart(at, "search.scatter")
    assert scatter["data"][0]["type"] == "heatmap" and scatter["data"][0]["name"] == "surrogate mean"
    assert any("surrogate's predicted validation accuracy" in c for c in texts(at, "caption"))


def test_a_box_in_the_url_shows_the_selected_trials_curves(ids, search_dir):
    trials = load_search(ResultStore(search_dir), ids["random"]).trials
    lr = trials["lr"].sort_values().to_numpy()
    box = {"lr_lo": f"{lr[0] * 0.99:.4g}", "lr_hi": f"{lr[3] * 1.01:.4g}", "wd_lo": "1e-08", "wd_hi": "0.0001"}
    expected = set(trials[trials["lr"] <= float(box["lr_hi"])]["run_id"])
    assert len(expected) == 4
    at = open_page("pages/search.py", {"search": ids["random"], **box})
    assert not notices(at)
    assert f"{len(expected)} {'run' if len(expected) == 1 else 'runs'} in lr" in " ".join(texts(at, "caption"))
    assert run_ids_in(chart(at, "search.selected_curves")) == expected
    scatter = chart(at, "search.scatter")
    assert "selected box" in {s["name"] for s in scatter["layout"]["shapes"]}
    shown = {i for t in scatter["data"] for k, i in enumerate(t.get("customdata") or [])
             if k in (t.get("selectedpoints") or [])}
    assert shown == expected  # the selected trials are highlighted, the others faded
    assert at.button(key="search.finer").label == "Start a finer round in this box"
    assert {k: at.query_params[k] for k in box} == box  # the URL keeps the selection


def test_trials_picked_by_id_in_the_url(ids, search_dir):
    picked = list(load_search(ResultStore(search_dir), ids["bayes"]).trials["run_id"][:2])
    at = open_page("pages/search.py", {"search": ids["bayes"], "sel": ",".join(picked), "n": "10"})
    assert "2 runs picked." in texts(at, "caption")
    assert run_ids_in(chart(at, "search.selected_curves")) == set(picked)
    assert "Draw a box (box select) to start a finer round in it." in texts(at, "caption")
    assert at.radio(key="search.n").value == "10"
    assert at.query_params["sel"] == ",".join(picked)


def test_the_clear_button_drops_the_selection(ids):
    at = open_page("pages/search.py", {"search": ids["random"], "lr_lo": "1e-06", "lr_hi": "0.01",
                                       "wd_lo": "1e-08", "wd_hi": "0.0001"})
    at.button(key="search.clear").click().run()
    assert "search.selected_curves" not in chart_keys(at)
    assert "lr_lo" not in at.query_params


def test_searches_compared_from_the_url_draw_a_band_over_repeats(ids):
    at = open_page("pages/search.py", {"search": ids["random"], "cmp": f"{ids['random']},{ids['random-repeat']}"})
    assert at.multiselect(key="search.cmp").value == [ids["random"], ids["random-repeat"]]
    figure = chart(at, "search.best_so_far")
    assert [t["name"] for t in figure["data"] if t.get("fill") != "toself"] == ["random"]
    assert any(t.get("fill") == "toself" for t in figure["data"])  # the band over the two repeats
    budget = table(at, "trial_epochs")
    assert list(budget["trial_epochs"]) == [6 * BASE.n_epochs] * 2


def test_the_comparison_drawn_against_compute_comes_from_the_url_and_goes_back_to_it(ids):
    at = open_page("pages/search.py", {"search": ids["random"], "x": "epochs"})
    assert at.radio(key="search.x").value == "epochs"
    figure = chart(at, "search.best_so_far")
    assert figure["layout"]["xaxis"]["title"]["text"] == "compute (trial-epochs)"
    assert at.query_params["x"] == "epochs"
    at.radio(key="search.x").set_value("trials").run()
    assert chart(at, "search.best_so_far")["layout"]["xaxis"]["title"]["text"] == "trials"
    assert "x" not in at.query_params  # the default stays out of the URL


def test_malformed_url_parameters_are_reported_and_ignored(ids, search_dir):
    query = {"search": "../../etc/passwd", "lr_lo": "<b>x</b>", "lr_hi": "1e-2", "wd_lo": "nan", "wd_hi": "1e400",
             "sel": "zzz,0123456789ab", "n": "7", "cmp": "a/b,20200101T000000-random-abcdef", "<script>": "1",
             "x": "<i>wall-clock</i>"}
    at = open_page("pages/search.py", query)
    found = notices(at)
    assert len(found) == 11, found
    assert at.radio(key="search.x").value == "trials"
    assert not any("<" in n or "passwd" in n for n in found)
    assert at.selectbox(key="search.search").value == list_searches(search_dir)["search_id"][0]
    assert "No trials selected: draw a box on the scatter." in texts(at, "caption")
    assert set(at.query_params) == {"search", "n"}  # the URL written back holds only what was used


def test_a_box_with_a_missing_or_inverted_end_is_reported(ids):
    at = open_page("pages/search.py", {"search": ids["random"], "lr_lo": "0.01", "lr_hi": "1e-06", "wd_lo": "1e-8"})
    assert len(notices(at)) == 1 and "lr_lo below lr_hi" in notices(at)[0]
    assert "search.selected_curves" not in chart_keys(at)


def test_read_only_draws_no_launch_and_no_finer_round(ids, read_only):
    at = open_page("pages/search.py", {"search": ids["random"], "lr_lo": "1e-06", "lr_hi": "0.01",
                                       "wd_lo": "1e-08", "wd_hi": "0.0001"})
    assert "search.selected_curves" in chart_keys(at)  # reading is the same
    assert {b.key for b in at.button} == {"search.clear"}
    assert "This dashboard is read-only: searches cannot be launched here." in texts(at, "caption")


@pytest.mark.filterwarnings("ignore::core.search.SearchWarning")  # the core warns once; the page lists it
def test_unreadable_search_files_are_listed_with_the_reason(writable):
    bad = writable / "searches" / "20200101T000000-random-abcdef.json"
    bad.write_text("{not json")
    at = open_page("pages/search.py")
    problems = table(at, "reason")
    assert list(problems["file"]) == [bad.name] and "cannot be read" in problems["reason"][0]
    assert len(at.selectbox(key="search.search").options) == len(SEARCHES)  # the others still load


def test_a_finer_round_in_the_selected_box_starts_a_child_search(writable):
    parent = list_searches(writable).query("strategy == 'coarse-to-fine'")["search_id"].iloc[0]
    box = {"lr_lo": "1e-05", "lr_hi": "0.001", "wd_lo": "1e-07", "wd_hi": "1e-05"}
    at = open_page("pages/search.py", {"search": parent, **box})
    at.number_input(key="search.finer_trials").set_value(2)
    at.button(key="search.finer").click().run()
    assert any("Started the finer round" in s for s in texts(at, "success")), texts(at, "error")
    child = at.selectbox(key="search.search").value
    spec = read_spec(writable, child)
    assert spec.strategy == "coarse-to-fine" and spec.n_trials == 2
    assert spec.parent == f"{parent}/1"  # the latest round among the selected trials
    assert spec.box["lr"] == (1e-05, 0.001) and spec.box["weight_decay"] == (1e-07, 1e-05)
    assert wait_for_job(writable).state == "done"


def test_a_search_launched_from_the_form_runs_in_the_background(empty_results):
    at = open_page("pages/search.py")
    at.selectbox(key="search.form.strategy").set_value("random")
    at.number_input(key="search.form.trials").set_value(2)
    at.number_input(key="search.form.epochs").set_value(1)
    at.select_slider(key="search.form.lr").set_value((-3, -1))
    at.button(key="search.launch").click().run()
    assert any("Started search" in s for s in texts(at, "success")), texts(at, "error")
    job = wait_for_job(empty_results)
    assert job.state == "done" and job.kind == "search", job
    at.run()
    search_id = at.selectbox(key="search.search").value
    trials = load_search(ResultStore(empty_results), search_id).trials
    assert len(trials) == 2 and trials["lr"].between(1e-3, 1e-1).all()
    assert run_ids_in(chart(at, "search.scatter")) == set(trials["run_id"])
    assert isinstance(trials, pd.DataFrame)


def test_a_job_ending_while_the_page_reads_leaves_no_stale_trial_count(empty_results, monkeypatch):
    """The "18 of 20 trials done" beside "No job is running" stall, reproduced deterministically.

    A real 4-trial search is stored, then set back to its state before its last trial was published, with a real
    job of the manager still running for it. While the page reads the search listing (3 of 4 done), the job publishes
    its last trials file and ends, as the search driver does. The old page decided whether to watch the job only
    after its reads: it saw no running job, drew no watcher, and kept "3 of 4" until a reload.
    """
    import threading

    import pyarrow.parquet as pq

    from core.jobs import JobManager
    from core.search.storage import trial_files, write_trials
    from ui import studies  # where the search listing is read

    root = empty_results
    view = run_search(SearchSpec(strategy="random", n_trials=4, base=BASE), root=root)
    spec, rows = view.spec, pq.read_table(trial_files(root, view.search_id)[0][1]).to_pylist()
    for _, path in trial_files(root, spec.search_id):
        path.unlink()
    write_trials(root, spec, 0, rows[:3])
    release = threading.Event()
    manager = JobManager(root, max_workers=1)
    job_id = manager.start(f"search {spec.search_id}", lambda ctx: release.wait(60), kind="search",
                           meta={"search_id": spec.search_id, "n_trials": 4, "n_trials_done": 3})
    real = studies.list_searches
    ended = []

    def list_then_end_the_job(folder):
        frame = real(folder)
        if not ended:  # the job's end lands while this page run is reading
            write_trials(root, spec, 1, rows[3:])
            release.set()
            manager.wait(job_id)
            ended.append(True)
        return frame

    monkeypatch.setattr(studies, "list_searches", list_then_end_the_job)
    try:
        at = open_page("pages/search.py", {"search": spec.search_id})
    finally:
        release.set()
        manager.shutdown()
    assert ended and list_jobs(root)[0].state == "done"
    status = [c for c in texts(at, "caption") if "trials done" in c]
    assert status and status[0].startswith("4 of 4 trials done"), status
    assert run_ids_in(chart(at, "search.scatter")) == {r["run_id"] for r in rows}


def test_a_running_search_gives_its_count_once(empty_results):
    """Drawn while its job ran, the page said "54 of 100 trials done" (the stored trials) and a line below "Running:
    38 of 100 trials done" (the job's count, read at another moment): two numbers for one thing, seen in Chromium."""
    import threading

    from core.jobs import JobManager

    view = run_search(SearchSpec(strategy="random", n_trials=4, base=BASE), root=empty_results)
    release = threading.Event()
    manager = JobManager(empty_results, max_workers=1)
    manager.start(f"search {view.search_id}", lambda ctx: release.wait(60), kind="search",
                  meta={"search_id": view.search_id, "n_trials": 4, "n_trials_done": 1})  # behind the store
    try:
        at = open_page("pages/search.py", {"search": view.search_id})
    finally:
        release.set()
        manager.shutdown()
    captions = texts(at, "caption")
    assert any(c.startswith("Running:") for c in captions), captions  # the watcher is drawn
    counts = [c for c in captions if " of 4 " in c or "1 of" in c]
    assert len(counts) == 1 and counts[0].startswith("4 of 4 trials done"), counts


def test_the_scatter_colour_scale_is_the_observed_range_named_on_the_colour_bar(ids, search_dir):
    at = open_page("pages/search.py", {"search": ids["random"]})
    axis = chart(at, "search.scatter")["layout"]["coloraxis"]
    values = load_search(ResultStore(search_dir), ids["random"]).trials["final_val_acc"]
    assert (axis["cmin"], axis["cmax"]) == pytest.approx((values.min(), values.max()))
    assert f"(scale {values.min():.2f}–{values.max():.2f})" in axis["colorbar"]["title"]["text"]


def launch_small_random(at, trials: int = 2) -> None:
    at.selectbox(key="search.form.strategy").set_value("random")
    at.number_input(key="search.form.trials").set_value(trials)
    at.number_input(key="search.form.epochs").set_value(1)
    at.select_slider(key="search.form.lr").set_value((-3, -1))
    at.button(key="search.launch").click().run()


def test_relaunching_an_identical_search_opens_the_existing_one(empty_results):
    at = open_page("pages/search.py")
    launch_small_random(at)
    first = at.selectbox(key="search.search").value
    assert wait_for_job(empty_results).state == "done"
    n_jobs = len(list_jobs(empty_results))
    launch_small_random(at)  # the same settings again
    assert any("already exists — opened it" in s and first in s for s in texts(at, "info")), texts(at, "info")
    assert at.selectbox(key="search.search").value == first
    assert list(list_searches(empty_results)["search_id"]) == [first]  # no second search, no new job
    assert len(list_jobs(empty_results)) == n_jobs
    at.number_input(key="search.form.repeat").set_value(1)  # another draw of trials is a new search
    at.button(key="search.launch").click().run()
    assert any("Started search" in s for s in texts(at, "success")), texts(at, "error")
    assert wait_for_job(empty_results).state == "done"
    assert len(list_searches(empty_results)) == 2


def test_an_identical_search_that_stopped_early_is_finished_by_a_new_one_which_says_so(empty_results):
    from core.search import RUNG_METRICS
    from ui.search_state import BOOK_WD, build_spec

    form = build_spec(strategy="random", lr_exponents=(-3, -1), wd_exponents=BOOK_WD, n_trials=2, n_epochs=1, seeds=1,
                      rounds=2, early_stop=False, rung_metric=tuple(RUNG_METRICS)[0], min_epochs=None, repeat=0)
    stopped = run_search(form, root=empty_results, cancelled=lambda: len(ResultStore(empty_results).load_runs()) >= 1)
    assert stopped.trials["trial"].nunique() == 1  # cancelled after its first trial, no job ever ran it
    at = open_page("pages/search.py")
    launch_small_random(at)
    message = " ".join(texts(at, "success"))
    assert f"An identical search, {stopped.search_id}, stopped at 1 of 2 trials" in message, message
    assert wait_for_job(empty_results).state == "done"
    newest = list_searches(empty_results).iloc[0]
    assert newest["search_id"] != stopped.search_id and newest["n_done"] == 2
    assert list_jobs(empty_results)[0].n_cached == 1  # the stopped search's trial came from the cache
