"""AppTest: the Compare page."""
from __future__ import annotations

import base64
import dataclasses
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from pagetools import TINY, open_page, texts
from core.presets import get_preset
from core.search import list_searches, load_search
from core.store import ResultStore
from core.train import train


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
    assert {t["meta"] for t in curves["data"] if t.get("mode") == "lines" and "fill" not in t} == {"train", "test"}
    assert curves["layout"]["legend"]["title"]["text"] == "Lines: train dashed, test solid"
    assert gap["layout"]["yaxis"]["title"]["text"] == "train − test accuracy"
    assert summary["layout"]["xaxis"]["title"]["text"] == "weight decay λ"
    # like with like: the baseline and λ = 0.1 share a line; each dropout group (other ratio, 300 epochs) is its own
    left = summary_lines(figure_of(charts["compare.summary"].proto.spec))
    assert len(left) == 3 and sorted(len(t.x) for t in left) == [1, 1, 2], [t.name for t in left]
    assert any("separate lines differ in `dropout`, `n_epochs`" in c.value for c in at.caption)
    assert json.loads(charts["compare.curves"].proto.config)["toImageButtonOptions"]["format"] == "png"
    table = at.dataframe[0].value
    assert len(table) == 4
    assert {d.label for d in at.get("download_button")} >= {"Download curves (CSV)", "Download table (CSV)"}
    assert "final test acc" in table.columns and "best test acc" not in table.columns
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
    assert add.label == "Compare the 2 selected trial runs"
    add.click().run()
    assert at.radio(key="compare.by").value == "run"
    assert at.multiselect(key="compare.runs").value == list(trials.head(2)["run_id"])


def test_read_only_has_the_same_view(runs, read_only):
    at = open_page("pages/compare.py")
    assert at.get("plotly_chart")
    assert not [b for b in at.button]



def test_a_cached_view_is_drawn_again_when_a_run_of_it_is_stored(populated_copy):
    """Compare computes a view once per store version and shares it: a new seed of a shown group must show at once."""
    runs = ResultStore(populated_copy).load_runs()
    group = tiny_groups(runs)[0]
    seeds_of = lambda fig: {int(n) for t in fig.data if t.customdata is not None for n in np.asarray(t.customdata)[:, 1]}
    query = {"groups": group, "splits": "train,test"}
    assert seeds_of(chart(open_page("pages/compare.py", query), "compare.curves")) == {2}
    assert seeds_of(chart(open_page("pages/compare.py", query), "compare.curves")) == {2}  # from the cache
    wd = float(runs.loc[runs["group_id"] == group, "weight_decay"].iloc[0])
    ResultStore(populated_copy).write([train(dataclasses.replace(TINY, weight_decay=wd, seed=7))])
    at = open_page("pages/compare.py", query)
    assert seeds_of(chart(at, "compare.curves")) == {3}
    assert seeds_of(chart(at, "compare.gap")) == {3}

# ---- issue 9: like with like, validation first, stable colours, honest charts ---------------------------------------
LIKE = {  # name -> config: real tiny runs, two seeds each
    "wd0.05_50": dataclasses.replace(TINY, weight_decay=0.05, n_epochs=50),
    "plain_200": dataclasses.replace(TINY, n_epochs=200),
    "wd0.1_200": dataclasses.replace(TINY, weight_decay=0.1, n_epochs=200),
    "plain_50": dataclasses.replace(TINY, n_epochs=50),
    **{f"val_{wd}": dataclasses.replace(TINY, n_val=50, n_epochs=20, weight_decay=wd) for wd in (0.0, 0.01, 0.1)},
}


@pytest.fixture(scope="module")
def like_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("like")
    ResultStore(root).write([train(dataclasses.replace(c, seed=s)) for c in LIKE.values() for s in (0, 1)])
    return root


@pytest.fixture
def like(monkeypatch, like_dir):
    monkeypatch.setenv("OVERFIT_LAB_RESULTS", str(like_dir))
    monkeypatch.delenv("OVERFIT_LAB_READ_ONLY", raising=False)
    return ResultStore(like_dir)


def gid(*names):
    return ",".join(LIKE[n].group_id for n in names)


def decoded(value):
    """``value`` with plotly's typed binary arrays (``{"dtype", "bdata"}``) turned back into lists."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        return array.reshape([int(n) for n in str(shape).split(",")]).tolist() if shape else array.tolist()
    if isinstance(value, dict):
        return {k: decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decoded(v) for v in value]
    return value


def figure_of(spec: str) -> go.Figure:
    return go.Figure(decoded(json.loads(spec)))


def chart(at, key):
    """The plotly figure of the chart ``key``, its arrays decoded."""
    return figure_of([c for c in at.get("plotly_chart") if c.key == key][0].proto.spec)


def line_colors(fig):
    """legend group (key) -> the colours of its mean lines (bands and rings left out)."""
    colors = {}
    for trace in fig.data:
        if trace.fill != "toself" and trace.mode and "lines" in trace.mode:
            colors.setdefault(trace.legendgroup, set()).add(trace.line.color)
    return colors


def summary_lines(fig):
    return [t for t in fig.data if t.xaxis == "x" and t.marker.symbol != "circle-open"]


def mean_lines(fig):
    return [t for t in fig.data if t.fill != "toself"]


def test_a_50_and_a_200_epoch_group_in_one_summary_are_two_lines_named_by_what_separates_them(like):
    at = open_page("pages/compare.py", {"groups": gid("wd0.05_50", "plain_200", "wd0.1_200"), "vs": "weight_decay"})
    points = {}  # legend name -> the λ of its points (λ = 0 is a diamond of its own at the left of the log axis)
    for trace in summary_lines(chart(at, "compare.summary")):
        points.setdefault(trace.name, []).extend(0.0 if trace.marker.symbol == "diamond" else x for x in trace.x)
    assert points == {"50 epochs · test": [0.05], "200 epochs · test": [0.1, 0.0]}
    assert any("separate lines differ in `n_epochs`" in c.value for c in at.caption)
    curve_names = {(t.name, t.meta) for t in mean_lines(chart(at, "compare.curves"))}
    assert {("wd=0.05 · 50 epochs", "train"), ("wd=0 · 200 epochs", "test"), ("wd=0.1 · 200 epochs", "test")} \
        <= curve_names
    shared = [c.value for c in at.caption if c.value.startswith("All shown:")]
    assert shared == ["All shown: 1×16 · sgd · lr=0.01 · 100 train images."]  # said once, not in every label


def test_groups_that_differ_only_in_epochs_get_different_labels(like):
    at = open_page("pages/compare.py", {"groups": gid("plain_50", "plain_200")})
    curves = chart(at, "compare.curves")
    assert [(t.name, t.meta) for t in mean_lines(curves)] == [("50 epochs", "train"), ("50 epochs", "test"),
                                                             ("200 epochs", "train"), ("200 epochs", "test")]
    assert [t.name for t in curves.data if t.showlegend is not False] == ["50 epochs", "200 epochs"]  # once each
    assert list(at.dataframe[0].value["config"]) == ["50 epochs", "200 epochs"]


def test_a_group_keeps_its_colour_in_two_selections_and_on_home_and_compare(populated, runs):
    overfit, decay = (get_preset(n).configs[0].group_id for n in ("overfit", "weight-decay"))
    tiny = tiny_groups(runs)
    first = open_page("pages/compare.py", {"groups": ",".join([overfit, decay, *tiny[:2]])})
    second = open_page("pages/compare.py", {"groups": ",".join([tiny[1], tiny[2], overfit])})
    home = open_page("pages/home.py")
    one, two = line_colors(chart(first, "compare.curves")), line_colors(chart(second, "compare.curves"))
    on_home = line_colors(chart(home, "home.figure"))
    for colors in (one, two, on_home):
        assert all(len(c) == 1 for c in colors.values())  # train and test of a group: one colour
    assert one[overfit] == two[overfit] == on_home[overfit]
    assert one[decay] == on_home[decay] and one[decay] != one[overfit]
    assert one[tiny[1]] == two[tiny[1]]  # a group that is not a preset keeps its colour too
    assert len({c for cs in one.values() for c in cs}) == len(one)  # never two shown groups in one colour
    gap = line_colors(chart(first, "compare.gap"))
    assert gap[overfit] == one[overfit]  # and on every chart of the page


def test_loss_mode_gap_is_test_minus_train_and_the_summary_follows_the_metric(like):
    at = open_page("pages/compare.py", {"groups": gid("plain_200", "wd0.1_200"), "metric": "loss"})
    gap = chart(at, "compare.gap")
    assert gap.layout.yaxis.title.text == "test − train loss"
    assert "Generalization gap (test − train loss)" in [h.value for h in at.subheader]
    runs = like.load_runs()
    plain = runs[runs["group_id"] == LIKE["plain_200"].group_id]
    curves = like.load_curves(list(plain["run_id"]))
    last = curves[curves["epoch"] == 200]
    expected = float((last["test_loss"] - last["train_loss"]).mean())
    line = [t for t in mean_lines(gap) if t.legendgroup == LIKE["plain_200"].group_id][0]
    assert line.y[-1] == pytest.approx(expected) and expected > 0  # overfitting reads positive
    summary = chart(at, "compare.summary")
    assert summary.layout.yaxis.title.text == "loss"
    assert summary.layout.yaxis2.title.text == "test − train loss"
    titles = [a.text.replace("<br>", " ") for a in summary.layout.annotations]  # a long panel title is wrapped
    assert titles[:2] == ["final loss", "final gap (test − train loss)"]
    (test_line,) = summary_lines(summary)
    assert test_line.y[0] == pytest.approx(plain["final_test_loss"].mean())
    single = chart(open_page("pages/compare.py", {"groups": gid("plain_200"), "metric": "loss"}), "compare.summary")
    axis = single.layout.xaxis
    assert list(axis.tickvals) == [0.0] and axis.range[0] > -0.5 and axis.range[1] < 0.5  # not −1 to 1


def test_the_validation_split_is_disabled_with_its_reason_when_the_runs_have_none(populated, runs):
    at = open_page("pages/compare.py", {"groups": ",".join(tiny_groups(runs)), "splits": "train,val,test"})
    val = at.checkbox(key="compare.split.val")
    assert val.disabled and not val.value and "n_val = 0" in val.help
    assert not at.checkbox(key="compare.split.test").disabled
    assert any("No validation data in these runs: n_val = 0" in c.value for c in at.caption)
    curves = chart(at, "compare.curves")
    assert {t.meta for t in mean_lines(curves)} == {"train", "test"}
    assert any("rows keep your order, and no best epoch is chosen" in c.value for c in at.caption)
    assert any("no point is chosen" in c.value for c in at.caption)


def test_with_validation_data_the_table_and_the_summary_choose_on_it(like):
    names = ["val_0.0", "val_0.01", "val_0.1"]
    at = open_page("pages/compare.py", {"groups": gid(*names)})
    assert not at.checkbox(key="compare.split.val").disabled and at.checkbox(key="compare.split.val").value
    runs = like.load_runs()
    selected = gid(*names).split(",")
    val = runs[runs["group_id"].isin(selected)].groupby("group_id")["final_val_acc"].mean().reindex(selected)
    table = at.dataframe[0].value
    assert list(table["id"]) == list(val.sort_values(ascending=False, kind="stable").index)  # ties keep the selection
    assert {"final val acc", "test acc at best val epoch"} <= set(table.columns)
    assert any(c.value.startswith("Ranked by final validation accuracy") for c in at.caption)
    summary = chart(at, "compare.summary")
    dashes = {(t.name.rsplit(" · ", 1)[-1], t.line.dash) for t in summary_lines(summary)}
    assert dashes == {("val", "dot"), ("test", "solid")}  # validation dotted, test solid
    best = runs.drop_duplicates("group_id").set_index("group_id").loc[val.idxmax(), "weight_decay"]
    rings = [t for t in summary.data if t.marker.symbol == "circle-open"]
    drawn_at = best if best > 0 else 0.001  # λ = 0 sits one decade left of 0.01 on the log axis
    assert len(rings) == 3 and all(list(t.x) == [pytest.approx(drawn_at)] for t in rings)


def test_figures_follow_the_language(like):
    at = open_page("pages/compare.py", {"groups": gid("plain_50", "plain_200"), "lang": "ko"})
    curves, gap = chart(at, "compare.curves"), chart(at, "compare.gap")
    assert curves.layout.xaxis.title.text == "에폭"
    assert gap.layout.yaxis.title.text == "훈련 − 시험 정확도"
    assert [t.name for t in curves.data if t.showlegend is not False] == ["50에폭", "200에폭"]
    assert curves.layout.legend.title.text == "선 모양: 훈련(파선), 시험(실선)"


def test_back_through_the_sidebar_compare_shows_the_view_it_left_and_a_link_with_a_view_wins(runs):
    groups = tiny_groups(runs)[:2]
    at = open_page("pages/compare.py", {"groups": ",".join(groups), "metric": "loss"})
    at.query_params = {}
    at.switch_page("pages/results.py")
    at.run()
    at.query_params = {}  # the sidebar's link to Compare carries no view
    at.switch_page("pages/compare.py")
    at.run()
    assert not at.exception
    assert at.multiselect(key="compare.groups").value == groups
    assert at.segmented_control(key="compare.metric").value == "loss"
    assert at.query_params["groups"] == ",".join(groups) and at.query_params["metric"] == "loss"
    at.query_params = {"groups": groups[0]}  # a shared link or a page link: its view, not the last one
    at.switch_page("pages/compare.py")
    at.run()
    assert at.multiselect(key="compare.groups").value == groups[:1]
