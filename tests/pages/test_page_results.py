"""AppTest: the Results page."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pagetools import n_runs, open_page, texts
from core.store import ResultStore


@pytest.fixture
def runs(populated) -> pd.DataFrame:
    return ResultStore(populated).load_runs()


def table(at) -> pd.DataFrame:
    return [d for d in at.dataframe if d.key and d.key.startswith("results.table")][0].value


def test_empty_folder_says_so(empty_results):
    at = open_page("pages/results.py")
    assert at.title[0].value == "Results"
    assert any("No runs are cached yet" in s for s in texts(at, "info"))
    assert len(table(at)) == 0


def test_every_run_is_listed(runs):
    at = open_page("pages/results.py")
    shown = table(at)
    assert len(shown) == len(runs) > 20
    assert {"label", "status", "final_test_acc", "created_at", "duration_s", "weight_decay", "run_id"} <= set(shown)
    assert {d.label for d in at.get("download_button")} == {"Download table (CSV)", "Download table (parquet)"}


def test_filters_and_sort_from_the_url(runs):
    at = open_page("pages/results.py", {"q": "DROPOUT=0.2", "status": "complete", "sort": "label", "order": "asc"})
    shown = table(at)
    assert len(shown) == (runs["label"].str.contains("dropout=0.2")).sum()
    assert list(shown["label"]) == sorted(shown["label"])
    assert at.text_input(key="results.q").value == "DROPOUT=0.2"


def test_selection_from_the_url_opens_in_compare(runs):
    ids = list(runs["run_id"][:2])
    at = open_page("pages/results.py", {"sel": ",".join(ids)})
    assert any("2 runs selected" in s for s in texts(at, "caption"))
    link = [p for p in at.get("page_link") if p.proto.label == "Open selection in Compare"][0]
    assert not link.proto.disabled and link.proto.query_string == f"by=run&runs={ids[0]}%2C{ids[1]}"
    assert at.query_params["sel"] == ",".join(ids)


def test_delete_asks_for_confirmation(populated_copy):
    before = ResultStore(populated_copy).load_runs()
    victim = before["run_id"].iloc[0]
    at = open_page("pages/results.py", {"sel": victim})
    at.button(key="results.delete").click().run()
    assert len(ResultStore(populated_copy).load_runs()) == len(before)  # nothing deleted before "yes"
    at.button(key="results.delete_yes").click().run()
    after = ResultStore(populated_copy).load_runs()
    assert len(after) == len(before) - 1 and victim not in set(after["run_id"])
    assert any("Deleted 1 run." in s for s in texts(at, "success"))


@pytest.mark.filterwarnings("ignore::core.store.StoreWarning")  # the store warns once; the page lists it
def test_unreadable_files_are_listed_with_the_reason(populated_copy):
    (populated_copy / "20260101T000000_000000Z-deadbeef.runs.parquet").write_bytes(b"not parquet at all")
    total = n_runs(populated_copy)
    at = open_page("pages/results.py")
    problems = [d.value for d in at.dataframe if "reason" in d.value.columns][0]
    assert list(problems["file"]) == ["20260101T000000_000000Z-deadbeef.runs.parquet"]
    assert "corrupt" in problems["reason"][0] or "unreadable" in problems["reason"][0]
    assert len(table(at)) == total  # the rest still loads


def test_malformed_query_is_reported_not_used(runs):
    at = open_page("pages/results.py", {"sort": "__import__('os')", "order": "1", "sel": "../../x",
                                        "status": "bogus", "q": "<script>x</script>"})
    notices = [n for n in texts(at, "info") if "Ignored the URL parameter" in n]
    assert len(notices) == 5
    assert len(table(at)) == len(runs)


def test_read_only_draws_no_delete(runs, read_only):
    at = open_page("pages/results.py", {"sel": runs["run_id"].iloc[0]})
    assert not [b for b in at.button if b.key == "results.delete"]


def test_validation_and_test_accuracy_and_the_gap_sit_next_to_the_label(runs):
    at = open_page("pages/results.py", {"sort": "final_test_acc"})
    shown = table(at)
    assert list(shown.columns[:6]) == ["label", "final_val_acc", "best_val_acc", "final_test_acc", "final_gap",
                                       "final_train_acc"]
    assert list(shown["final_test_acc"]) == sorted(shown["final_test_acc"], reverse=True)
    config = [d for d in at.dataframe if d.key and d.key.startswith("results.table")][0].proto.columns
    columns = {name: json.loads(config)[name] for name in ("weight_decay", "lr", "final_test_acc", "label")}
    assert columns["weight_decay"]["type_config"]["format"] == "%.2e"  # 1.08e-6, not 0.000001083922514371907
    assert columns["lr"]["type_config"]["format"] == "%.2e"
    assert columns["final_test_acc"]["type_config"]["format"] == "%.3f"
    assert columns["label"]["pinned"] is True  # stays on screen beside whatever column is sorted on
    with_val = shown[shown["n_val"] > 0]
    assert len(with_val) and with_val["final_val_acc"].notna().all()
    assert shown.loc[shown["n_val"] == 0, "final_val_acc"].isna().all()


def test_a_column_and_a_filter_for_the_search_or_sweep_a_run_belongs_to(populated_copy):
    from core.config import RunConfig
    from core.search import list_searches, load_search
    from core.sweep import run_sweep, sweep_members
    from core.sweep.spec import Axis, SweepSpec

    base = RunConfig(n_train=100, n_val=50, n_test=100, hidden_sizes=(8,), n_epochs=2, batch_size=50)
    sweep = run_sweep(SweepSpec(base, (Axis("weight_decay", (0.0, 1e-3)),), seeds=2), populated_copy)
    sweep_id = sweep.spec.sweep_id
    search_id = list_searches(populated_copy)["search_id"].iloc[0]
    in_search = set(load_search(ResultStore(populated_copy), search_id).trials["run_id"])
    in_sweep = set(sweep_members(populated_copy)["run_id"])
    everything = ResultStore(populated_copy).load_runs()

    at = open_page("pages/results.py")
    shown = table(at).set_index("run_id")
    assert all(shown.loc[r, "member"].startswith(f"search {search_id} · trial ") for r in in_search)
    assert all(f"sweep {sweep_id} · point " in shown.loc[r, "member"] for r in in_sweep)
    assert (shown.drop(index=list(in_search | in_sweep))["member"] == "").all()
    options = at.multiselect(key="results.in").options
    assert {"not in a search or sweep", f"search {search_id}", f"sweep {sweep_id}"} <= set(options)

    at = open_page("pages/results.py", {"in": f"sweep:{sweep_id}"})
    assert set(table(at)["run_id"]) == in_sweep and len(in_sweep) == 4
    at = open_page("pages/results.py", {"in": f"search:{search_id},sweep:{sweep_id}"})
    assert set(table(at)["run_id"]) == in_search | in_sweep
    at = open_page("pages/results.py", {"in": "none"})
    assert set(table(at)["run_id"]) == set(everything["run_id"]) - in_search - in_sweep
    at.multiselect(key="results.in").set_value([f"search:{search_id}"]).run()
    assert set(table(at)["run_id"]) == in_search
    assert at.query_params["in"] == [f"search:{search_id}"] or at.query_params["in"] == f"search:{search_id}"
