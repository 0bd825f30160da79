"""AppTest: the Compare page."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pagetools import TINY, open_page, texts
from core.search import list_searches, load_search
from core.store import ResultStore


@pytest.fixture
def runs(populated) -> pd.DataFrame:
    return ResultStore(populated).load_runs()


def tiny_groups(runs: pd.DataFrame) -> list[str]:
    tiny = runs[(runs["n_train"] == TINY.n_train) & (runs["dropout"] == 0) & (runs["n_val"] == 0)]
    return list(tiny.drop_duplicates("group_id").sort_values("weight_decay")["group_id"])


def test_empty_folder_says_so(empty_results):
    at = open_page("pages/compare.py")
    assert at.title[0].value == "Compare"
    assert any("No runs are cached yet" in s for s in texts(at, "info"))
    assert not at.get("plotly_chart")


def test_default_view_draws_curves_gap_summary_and_table(runs):
    at = open_page("pages/compare.py")
    assert at.radio(key="compare.by").value == "group"
    assert len(at.multiselect(key="compare.groups").value) == 4  # the headline groups: overfit, λ=0.1, 2 dropouts
    charts = {c.key: c for c in at.get("plotly_chart") if not c.key.startswith("compare.mechanism.")}  # own test
    assert set(charts) == {"compare.curves", "compare.scatter", "compare.gap", "compare.summary"}
    curves, gap, summary = (json.loads(charts[f"compare.{k}"].proto.spec) for k in ("curves", "gap", "summary"))
    assert curves["layout"]["title"]["text"] == "Accuracy per epoch"
    assert {t["name"].rsplit(" · ", 1)[1] for t in curves["data"] if t.get("mode") == "lines" and "fill" not in t} \
        == {"train", "test"}
    assert gap["layout"]["yaxis"]["title"]["text"] == "train − test accuracy"
    assert summary["layout"]["xaxis"]["title"]["text"] == "weight decay λ"
    # the two dropout groups are not drawn at λ = 0: the summary has the baseline and λ = 0.1, and says so
    drawn = [row[0] for trace in summary["data"] if trace.get("xaxis", "x") == "x" for row in trace["customdata"]]
    assert len(drawn) == 2 and not any("dropout" in label for label in drawn), drawn
    assert any("2 chosen group(s) with dropout are left out" in c.value for c in at.caption)
    assert json.loads(charts["compare.curves"].proto.config)["toImageButtonOptions"]["format"] == "png"
    table = at.dataframe[0].value
    assert len(table) == 4
    assert {d.label for d in at.get("download_button")} >= {"Download curves (CSV)", "Download table (CSV)"}
    assert at.query_params["by"] == "group" and len(at.query_params["groups"].split(",")) == 4
    assert at.sidebar.metric[0].value == str(len(runs))  # drawn through app.py's router, with the shared sidebar


def test_url_reproduces_the_view(runs):
    groups = tiny_groups(runs)
    query = {"by": "group", "groups": ",".join(groups), "metric": "loss", "splits": "train,test", "smooth": "2",
             "vs": "weight_decay"}
    at = open_page("pages/compare.py", query)
    assert at.multiselect(key="compare.groups").value == groups
    assert at.slider(key="compare.smooth").value == 2
    table = at.dataframe[0].value
    assert list(table["id"]) == groups and set(table["seeds"]) == {2}
    assert json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["yaxis"]["title"]["text"] == "loss"
    assert {k: at.query_params[k] for k in query} == query  # the URL written back is the one given


def test_single_runs_from_the_url(runs):
    ids = list(runs[(runs["n_train"] == TINY.n_train) & (runs["n_val"] == 0)]["run_id"][:3])
    at = open_page("pages/compare.py", {"runs": ",".join(ids)})
    assert at.radio(key="compare.by").value == "run"
    assert at.multiselect(key="compare.runs").value == ids
    assert len(at.dataframe[0].value) == 3


def test_malformed_query_is_reported_not_used(runs):
    at = open_page("pages/compare.py", {"groups": "zzz,../../etc/passwd,0123456789ab", "metric": "bogus",
                                        "smooth": "1e9", "splits": "<img src=x>", "search": "../x", "evil": "1"})
    notices = [n for n in texts(at, "info") if "Ignored the URL parameter" in n]
    assert len(notices) >= 6
    assert not any("<img" in n or "passwd" in n for n in notices)
    assert len(at.multiselect(key="compare.groups").value) == 4  # fell back to the default selection
    assert at.get("plotly_chart")


def test_search_scatter_beside_the_curves(runs, populated):
    search_id = list_searches(populated)["search_id"][0]
    at = open_page("pages/compare.py", {"search": search_id})
    assert at.selectbox(key="compare.search").value == search_id
    scatter = json.loads([c for c in at.get("plotly_chart") if c.key == "compare.scatter"][0].proto.spec)
    assert scatter["layout"]["xaxis"]["type"] == "log" and scatter["layout"]["yaxis"]["type"] == "log"
    trial_ids = {i for trace in scatter["data"] for i in trace.get("customdata", [])}
    assert len(trial_ids) == 4 and trial_ids <= set(runs["run_id"])
    assert at.query_params["search"] == search_id


def test_selected_trials_can_be_compared(runs, populated):
    trials = load_search(ResultStore(populated), list_searches(populated)["search_id"][0]).trials
    at = open_page("pages/compare.py")
    points = [{"x": float(r.lr), "y": float(r.weight_decay), "customdata": r.run_id}
              for r in trials.head(2).itertuples()]
    at.session_state["compare.scatter"] = {"selection": {"points": points, "point_indices": [0, 1], "box": [],
                                                         "lasso": []}}
    at.run()
    add = at.button(key="compare.search_add")
    assert add.label == "Compare the 2 selected trial run(s)"
    add.click().run()
    assert at.radio(key="compare.by").value == "run"
    assert at.multiselect(key="compare.runs").value == list(trials.head(2)["run_id"])


def test_read_only_has_the_same_view(runs, read_only):
    at = open_page("pages/compare.py")
    assert at.get("plotly_chart")
    assert not [b for b in at.button]
