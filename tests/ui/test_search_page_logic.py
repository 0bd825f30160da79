"""The Search page's helpers (ui/search_state.py, ui/search_page.py): URL state, selections, form spec, tables."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from core.job_state import JobState
from core.config import RunConfig
from core.search import BOOK_BASE, Param, SearchSpace, SearchSpec
from ui import search_page, search_state
from ui.search_state import (BOOK_LR, BOOK_WD, LrWdBox, SearchQuery, Selection, active_search_job, box_from_event,
                             build_spec, finer_round_box, selection_from_event)
from ui.search_figures import add_selected_box
from ui.state import to_query as state_to_query

ROOT = Path(__file__).resolve().parents[2]
A, B, C, D = "aaaaaaaaaaa1", "aaaaaaaaaaa2", "aaaaaaaaaaa3", "aaaaaaaaaaa4"
SEARCH_IDS = ["20260102T000000-bayes-bbbbbb", "20260101T000000-random-aaaaaa"]
TINY = RunConfig(n_train=100, n_val=50, n_test=100, hidden_sizes=(20, 20), n_epochs=3, batch_size=50)


def trials() -> pd.DataFrame:
    return pd.DataFrame({
        "run_id": [A, B, C, D], "trial": [0, 1, 2, 3], "round": [0, 0, 1, 1], "seed": [1, 2, 3, 4],
        "lr": [1e-5, 1e-3, 2e-3, 5e-3], "weight_decay": [1e-7, 1e-6, 2e-6, 1e-5],
        "status": ["complete", "complete", "pruned", "diverged"], "value": [0.2, 0.8, 0.5, 0.1],
        "final_val_acc": [0.2, 0.8, 0.5, np.nan], "stopped_epoch": [50, 50, 5, 3], "cached": [False] * 4,
    })


def reasons(notices) -> list[str]:
    return [n.reason for n in notices]


# ---- boxes and selections --------------------------------------------------------------------------------------------
def test_a_box_is_ordered_rounded_and_contains_its_edges():
    box = LrWdBox.from_corners([2.0000004e-3, 1e-5], [1e-5, 1.23456789e-7])
    assert box.lr == (1e-5, 2e-3) and box.weight_decay == (1.235e-7, 1e-5)
    assert list(box.contains(trials())) == [False, True, True, False]  # A: weight decay below; D: lr above
    assert box.to_query() == {"lr_lo": "1e-05", "lr_hi": "0.002", "wd_lo": "1.235e-07", "wd_hi": "1e-05"}


def test_the_box_in_the_url_selects_what_the_drawn_box_selected():
    drawn = box_from_event({"x": [3.3333333e-3, 9.87654321e-6], "y": [1.1111111e-5, 9.9999e-8]})
    parsed, notices = search_state.parse_box(drawn.to_query())
    assert notices == [] and parsed == drawn
    assert list(parsed.contains(trials())) == list(drawn.contains(trials()))


def test_run_ids_of_points_keeps_ids_only_once_and_in_order():
    points = [{"customdata": B}, {"customdata": [A]}, {"customdata": B}, {"customdata": "../x"}, {"x": 1.0},
              {"customdata": ["<b>", 3]}]
    assert search_state.run_ids_of_points(points) == [B, A]


def test_box_from_event_reads_data_values_and_log10_coordinates():
    assert box_from_event({"x": [1e-3, 1e-5], "y": [1e-5, 1e-7]}) == LrWdBox((1e-5, 1e-3), (1e-7, 1e-5))
    # plotly's axis coordinates of log axes are log10 values: negative ones cannot be data values
    assert box_from_event({"x": [-5, -3], "y": [-7.0, -5.0]}) == LrWdBox((1e-5, 1e-3), (1e-7, 1e-5))


@pytest.mark.parametrize("entry", [
    {}, {"x": [1e-3], "y": [1e-5, 1e-7]}, {"x": ["1e-3", 1e-5], "y": [1e-5, 1e-7]},
    {"x": [float("nan"), 1e-5], "y": [1e-5, 1e-7]}, {"x": [True, 1e-5], "y": [1e-5, 1e-7]},
    {"x": [1e-3, 1e-3], "y": [1e-5, 1e-7]}, {"x": [-500, -3], "y": [-7, -5]}, {"x": "abc", "y": [1, 2]},
])
def test_box_from_event_refuses_anything_else(entry):
    assert box_from_event(entry) is None


def test_a_selection_event_gives_the_last_box_else_the_points():
    boxes = [{"x": [1e-6, 1e-2], "y": [1e-8, 1e-4]}, {"x": [1e-4, 1e-2], "y": [1e-7, 1e-4]}]
    event = {"box": boxes, "points": [{"customdata": A}], "lasso": []}
    assert selection_from_event(event) == Selection(box=LrWdBox((1e-4, 1e-2), (1e-7, 1e-4)))
    assert selection_from_event({"box": [], "points": [{"customdata": A}, {"customdata": C}]}) == \
        Selection(run_ids=(A, C))
    assert not selection_from_event({"box": [], "points": [], "lasso": []})
    assert not selection_from_event({})


def test_selected_trials_are_the_box_and_the_picked_ids_best_first():
    selection = Selection(box=LrWdBox((1e-4, 3e-3), (1e-7, 1e-5)), run_ids=(A,))
    assert list(search_state.selected_trials(selection, trials())["run_id"]) == [B, C, A]
    assert search_state.selected_trials(Selection(), trials()).empty
    assert search_state.selected_trials(selection, trials().iloc[:0]).empty


def test_a_finer_round_box_is_clipped_to_the_search_ranges():
    space = SearchSpace.book()
    box = LrWdBox((1e-7, 1e-3), (1e-6, 1e-2))
    assert finer_round_box(box, space) == {"lr": (1e-6, 1e-3), "weight_decay": (1e-6, 1e-4)}
    assert finer_round_box(LrWdBox((1e-1, 1.0), (1e-6, 1e-5)), space) is None  # wholly outside
    assert finer_round_box(box, SearchSpace((Param("lr", 1e-6, 1e-2, "log"),))) is None


def test_a_finer_round_is_a_coarse_to_fine_child_of_the_search_and_round():
    parent = SearchSpec(strategy="bayes", base=TINY, seeds=2, early_stop=True, min_epochs=1, search_id="p-1")
    spec = search_state.finer_round_spec(parent, LrWdBox((1e-5, 1e-3), (1e-7, 1e-5)), 0, 12)
    assert (spec.strategy, spec.rounds, spec.n_trials, spec.parent) == ("coarse-to-fine", 1, 12, "p-1/0")
    assert spec.box == {"lr": (1e-5, 1e-3), "weight_decay": (1e-7, 1e-5)}
    assert (spec.base, spec.space, spec.seeds, spec.early_stop) == (parent.base, parent.space, 2, True)
    with pytest.raises(ValueError, match="outside"):
        search_state.finer_round_spec(parent, LrWdBox((1e-1, 1.0), (1e-7, 1e-5)), 0, 12)


def test_the_parent_round_is_the_latest_selected_one():
    assert search_state.parent_round(trials().iloc[:2], trials()) == 0
    assert search_state.parent_round(trials().iloc[:0], trials()) == 1
    assert search_state.parent_round(trials().iloc[:0], trials().iloc[:0]) == 0


# ---- URL state ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [("1e-05", 1e-5), ("0.002", 2e-3), (".5", 0.5), ("3", 3.0),
                                           ("2E+1", 20.0), ([" 1e-3 "], 1e-3), (["1", "2"], 2.0)])
def test_numbers_in_the_url(raw, expected):
    assert search_state.parse_number("lr_lo", raw) == (expected, [])


@pytest.mark.parametrize("raw", ["-1", "0", "0e5", "inf", "nan", "1e400", "0x10", "1_000", "<b>1</b>", "../1",
                                 "1,2", "1e-3 OR 1", "9" * 60])
def test_anything_else_is_not_a_number(raw):
    value, notices = search_state.parse_number("lr_lo", raw)
    assert value is None and reasons(notices) == ["not_number"]


def test_a_box_needs_all_four_ends_in_order():
    full = {"lr_lo": "1e-5", "lr_hi": "1e-3", "wd_lo": "1e-7", "wd_hi": "1e-5"}
    assert search_state.parse_box(full) == (LrWdBox((1e-5, 1e-3), (1e-7, 1e-5)), [])
    assert search_state.parse_box({}) == (None, [])
    for broken in ({**full, "wd_hi": ""}, {"lr_lo": "1e-5"}, {**full, "lr_lo": "1e-2"}, {**full, "wd_hi": "1e-7"}):
        box, notices = search_state.parse_box(broken)
        assert box is None and reasons(notices) == ["bad_box"]
    box, notices = search_state.parse_box({**full, "lr_hi": "x", "wd_lo": "-1"})
    assert box is None and reasons(notices) == ["not_number", "not_number"]


def test_compared_searches_must_exist():
    ids, notices = search_state.parse_search_ids("cmp", f"{SEARCH_IDS[1]},../etc,{SEARCH_IDS[0]},nope", SEARCH_IDS)
    assert ids == [SEARCH_IDS[1], SEARCH_IDS[0]] and reasons(notices) == ["bad_id", "unknown_id"]
    many = [f"s{i}" for i in range(search_state.MAX_COMPARE + 3)]
    ids, notices = search_state.parse_search_ids("cmp", ",".join(many), many)
    assert ids == many[:search_state.MAX_COMPARE] and reasons(notices) == ["too_many"]


def run_ids_of(search_id: str) -> set[str]:
    return {A, B} if search_id == SEARCH_IDS[1] else {C}


def test_the_view_round_trips_through_the_url():
    selection = Selection(box=LrWdBox((1e-5, 1e-3), (1e-7, 1e-5)), run_ids=(B, A))
    query = state_to_query(search_state.to_query(SEARCH_IDS[1], selection, "10", [SEARCH_IDS[0]]))
    assert query == {"search": SEARCH_IDS[1], "lr_lo": "1e-05", "lr_hi": "0.001", "wd_lo": "1e-07",
                     "wd_hi": "1e-05", "sel": f"{B},{A}", "n": "10", "cmp": SEARCH_IDS[0]}
    view, notices = search_state.parse_query(query, search_ids=SEARCH_IDS, run_ids_of=run_ids_of)
    assert notices == [] and view == SearchQuery(SEARCH_IDS[1], selection, "10", (SEARCH_IDS[0],))


def test_an_empty_url_gives_the_newest_search_and_the_defaults():
    view, notices = search_state.parse_query({}, search_ids=SEARCH_IDS, run_ids_of=run_ids_of)
    assert notices == [] and view == SearchQuery(SEARCH_IDS[0], Selection(), "5", ())
    assert search_state.parse_query({}, search_ids=[], run_ids_of=run_ids_of)[0].search is None


def test_malformed_parameters_are_dropped_each_with_a_notice():
    raw = {"search": ["../../etc/passwd"], "sel": [f"{A},zzz"], "n": ["7"], "cmp": ["<img src=x>"],
           "lr_lo": ["1e-3"], "<script>alert(1)</script>": ["1"]}
    view, notices = search_state.parse_query(raw, search_ids=SEARCH_IDS, run_ids_of=run_ids_of)
    assert view == SearchQuery(SEARCH_IDS[0], Selection(), "5", ())  # A is not a run of the default search
    assert sorted(reasons(notices)) == sorted(["unknown_param", "bad_id", "bad_box", "bad_id", "unknown_id",
                                               "not_choice", "bad_id"])
    texts = [search_state.notice_text(n) for n in notices]
    assert not any("<" in text or "passwd" in text for text in texts)
    assert "Ignored the URL parameter `?`: this page has no such parameter." in texts


def test_notices_use_this_page_reasons_and_the_shared_ones():
    from ui.state import Notice

    assert search_state.notice_text(Notice("lr_lo", "not_number")) == \
        "Ignored the URL parameter `lr_lo`: expected a positive number."
    assert search_state.notice_text(Notice("n", "not_choice", {"options": "5, 10, 20"})) == \
        "Ignored the URL parameter `n`: expected one of 5, 10, 20."


# ---- the launch form ------------------------------------------------------------------------------------------------
def test_exponent_labels_are_powers_of_ten():
    assert [search_state.exponent_label(e) for e in (-6, 0, 12)] == ["10⁻⁶", "10⁰", "10¹²"]


def test_the_form_builds_the_books_search_by_default():
    spec = build_spec(strategy="random", lr_exponents=BOOK_LR, wd_exponents=BOOK_WD, n_trials=100,
                         n_epochs=50, rounds=3)
    assert spec.space == SearchSpace.book() and spec.base == BOOK_BASE
    assert (spec.n_trials, spec.rounds, spec.seeds, spec.early_stop, spec.min_epochs) == (100, 1, 1, False, 5)


def test_the_form_passes_rounds_seeds_repeat_and_early_stopping():
    spec = build_spec(strategy="coarse-to-fine", lr_exponents=(-4, -1), wd_exponents=(-9, -5), n_trials=20,
                         n_epochs=6, seeds=2, rounds=2, early_stop=True, repeat=3)
    assert spec.space["lr"].low == pytest.approx(1e-4) and spec.space["weight_decay"].high == pytest.approx(1e-5)
    assert (spec.rounds, spec.seeds, spec.repeat, spec.n_epochs, spec.min_epochs) == (2, 2, 3, 6, 2)
    assert spec.rung_metric == "val_loss"


def test_the_form_passes_the_first_rung_and_the_rung_metric():
    spec = build_spec(strategy="random", lr_exponents=BOOK_LR, wd_exponents=BOOK_WD, n_trials=200,
                         n_epochs=50, early_stop=True, min_epochs=2, rung_metric="val_acc")
    assert (spec.min_epochs, spec.rung_metric, spec.to_dict()["early_stop"]["rungs"]) == (2, "val_acc", [2, 4, 8, 16])


@pytest.mark.parametrize("change, message", [
    (dict(lr_exponents=(-3, -3)), "lr range needs two different ends"),
    (dict(n_epochs=0), "n_epochs"),
    (dict(n_trials=0), "n_trials"),
    (dict(strategy="coarse-to-fine", rounds=30), "rounds"),
    (dict(early_stop=True, n_epochs=1), "Early stopping"),
    (dict(early_stop=True, n_epochs=10, min_epochs=6), "room for a rung"),
    (dict(early_stop=True, rung_metric="test_acc"), "rung_metric"),
    (dict(strategy="annealing"), "strategy"),
])
def test_the_form_refuses_bad_values_with_the_fields_message(change, message):
    values = dict(strategy="random", lr_exponents=(-6, -2), wd_exponents=(-8, -4), n_trials=10, n_epochs=5)
    with pytest.raises(ValueError, match=message):
        build_spec(**{**values, **change})


# ---- comparison and tables ------------------------------------------------------------------------------------------
def views() -> list[SimpleNamespace]:
    early = SearchSpec(strategy="random", base=TINY, early_stop=True, min_epochs=1, search_id="s-2")
    return [SimpleNamespace(spec=SearchSpec(strategy="random", base=TINY, search_id="s-1"), trials=trials()),
            SimpleNamespace(spec=early, trials=trials().iloc[:2]),
            SimpleNamespace(spec=SearchSpec(strategy="bayes", base=TINY, search_id="s-3"), trials=trials().iloc[:0])]


def test_the_comparison_labels_strategies_with_early_stopping():
    frame = search_state.comparison_frame(views())
    assert list(frame["strategy"]) == ["random"] * 4 + ["random + early stopping"] * 2
    assert search_state.comparison_frame([]).empty


def test_the_budget_table_counts_trial_epochs():
    table = search_state.budget_table(views())
    assert list(table["trial_epochs"]) == [108, 100, 0] and list(table["n_done"]) == [4, 2, 0]
    assert table["best"].iloc[0] == 0.8 and np.isnan(table["best"].iloc[2])


def test_the_trials_table_is_best_first():
    table = search_state.trials_table(trials())
    assert list(table["run_id"]) == [B, C, A, D] and "final_val_acc" not in table.columns
    assert set(table.columns) <= set(search_state.TABLE_COLUMNS)


def test_the_running_job_of_a_search():
    jobs = [JobState.from_dict(j) for j in (
        {"kind": "runs", "state": "running"}, {"kind": "search", "search_id": "s-1", "state": "done"},
        {"kind": "search", "search_id": "s-1", "state": "running", "id": "j2"})]
    assert active_search_job(jobs, "s-1").id == "j2" and active_search_job(jobs, "s-2") is None


def test_the_scatter_callback_keeps_the_users_selection(monkeypatch):
    state = {"search.scatter": {"selection": {"box": [{"x": [1e-4, 1e-2], "y": [1e-7, 1e-4]}], "points": []}}}
    monkeypatch.setattr(search_page.st, "session_state", state)
    search_page.keep_scatter_selection("s-1")
    assert search_page.current_selection("s-1") == Selection(box=LrWdBox((1e-4, 1e-2), (1e-7, 1e-4)))
    assert not search_page.current_selection("s-2")  # a selection belongs to its search
    state["search.scatter"] = {"selection": {"box": [], "points": [], "lasso": []}}  # a user's deselect
    search_page.keep_scatter_selection("s-1")
    assert not search_page.current_selection("s-1")


def test_the_selected_box_is_drawn_on_the_figure():
    import plotly.graph_objects as go

    fig = add_selected_box(go.Figure(), LrWdBox((1e-5, 1e-3), (1e-7, 1e-5)), "selected box")
    shape = fig.layout.shapes[0]
    assert (shape.name, shape.x0, shape.x1, shape.y0, shape.y1) == ("selected box", 1e-5, 1e-3, 1e-7, 1e-5)



def test_the_trials_tables_headers_are_short_and_the_test_column_says_why_in_its_tooltip():
    """A long header widens its column past the table's edge, where its right-aligned numbers are out of sight: the
    test accuracy column looked empty in Chromium behind "final test acc (never used to rank)". Headers stay within
    28 columns of text (a Hangul syllable takes two) in every language; the test column's tooltip says it never
    ranks."""
    import unicodedata

    from ui import search_page
    from ui.search_state import TABLE_COLUMNS
    from ui.text import available_languages, lookup

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    for lang in available_languages():
        for column in TABLE_COLUMNS:
            header = lookup("search", f"column.{column}", lang)
            assert width(header) <= 28, (lang, header)
    config = search_page.column_config(TABLE_COLUMNS)  # outside a script run: English
    assert "never used to rank" in config["final_test_acc"]["help"]
    assert "순위" in lookup("search", "column.final_test_acc.help", "ko")
