"""The URL-state parsers of ui/state.py: pure functions, no streamlit."""
from __future__ import annotations

import pytest

from ui.state import (MAX_IDS, MAX_TEXT, Notice, Param, display_name, parse_choice, parse_choices, parse_field,
                      parse_ids, parse_int, parse_text, parse_token, parse_view, split_values, to_query, view_link)

A, B, C = "0123456789ab", "ba9876543210", "aaaaaaaaaaaa"


def reasons(notices: list[Notice]) -> list[str]:
    return [n.reason for n in notices]


def test_split_values_accepts_commas_and_repeats():
    assert split_values("a,b, ,c") == ["a", "b", "c"]
    assert split_values(["a", "b,c", "a"]) == ["a", "b", "c"]
    assert split_values(None) == [] and split_values("") == []


def test_ids_keep_known_ones_in_order():
    ids, notices = parse_ids("groups", f"{B},{A}", {A, B})
    assert ids == [B, A] and notices == []


@pytest.mark.parametrize("raw, reason", [
    ("../../etc/passwd", "bad_id"), ("<script>", "bad_id"), ("0123456789AB", "bad_id"),
    ("0123456789abc", "bad_id"), (C, "unknown_id"),
])
def test_ids_drop_malformed_and_unknown(raw, reason):
    ids, notices = parse_ids("groups", f"{A},{raw}", {A, B})
    assert ids == [A] and reasons(notices) == [reason]


def test_ids_are_capped():
    known = {f"{i:012x}" for i in range(MAX_IDS + 5)}
    ids, notices = parse_ids("runs", ",".join(sorted(known)), known)
    assert len(ids) == MAX_IDS and reasons(notices) == ["too_many"]


def test_token_is_a_known_plain_name():
    assert parse_token("search", "s-2026_01", {"s-2026_01"}) == ("s-2026_01", [])
    assert reasons(parse_token("search", "../x", {"../x"})[1]) == ["bad_id"]  # never a path, even if "known"
    assert reasons(parse_token("search", "other", {"s1"})[1]) == ["unknown_id"]
    assert parse_token("search", "", {"s1"}) == (None, [])


def test_choice_and_choices():
    assert parse_choice("metric", "loss", ("acc", "loss")) == ("loss", [])
    assert parse_choice("metric", ["acc", "loss"], ("acc", "loss")) == ("loss", [])  # the last one wins, as st does
    value, notices = parse_choice("metric", "LOSS", ("acc", "loss"))
    assert value is None and reasons(notices) == ["not_choice"] and notices[0].fmt["options"] == "acc, loss"
    assert parse_choices("splits", "test,train", ("train", "val", "test")) == (["train", "test"], [])
    value, notices = parse_choices("splits", "test,<b>", ("train", "val", "test"))
    assert value == ["test"] and reasons(notices) == ["not_choice"]
    value, notices = parse_choices("splits", "nope", ("train", "val", "test"))
    assert value is None and reasons(notices) == ["not_choice"]


@pytest.mark.parametrize("raw", ["abc", "1e3", "-1", "0", "51", "2.5", " ", "9" * 20, "٣"])
def test_int_rejects_everything_but_plain_digits_in_range(raw):
    value, notices = parse_int("smooth", raw, 1, 50)
    assert value is None
    assert reasons(notices) == ([] if raw.strip() == "" else ["not_int"])


def test_int_in_range():
    assert parse_int("smooth", "50", 1, 50) == (50, [])


@pytest.mark.parametrize("raw", ["<script>alert(1)</script>", "[x](http://evil)", "a`b", "x" * (MAX_TEXT + 1),
                                 "line\nbreak"])
def test_text_rejects_markup_and_long_values(raw):
    assert parse_text("q", raw) == (None, [Notice("q", "bad_text", {"n": MAX_TEXT})])


def test_text_keeps_plain_text():
    assert parse_text("q", "dropout=0.2 · 6×100") == ("dropout=0.2 · 6×100", [])


def test_field_is_typed_like_the_command_line():
    assert parse_field("lr", "0.05") == (0.05, [])
    assert parse_field("hidden_sizes", "100x3") == ((100, 100, 100), [])
    assert parse_field("batch_norm", "1") == (True, [])
    assert parse_field("n_epochs", "-5") == (-5, [])  # ranges are the form's to report, beside the widget
    for name, raw in (("lr", "abc"), ("data_path", "/etc"), ("n_epochs", "<b>"), ("hidden_sizes", "a,b")):
        assert reasons(parse_field(name, raw)[1]) == ["bad_value"]


def test_parse_view_defaults_known_values_and_notices():
    params = [Param("by", "choice", "group", ("group", "run")), Param("groups", "ids", [A]),
              Param("smooth", "int", 1, low=1, high=50), Param("q", "text", "")]
    values, notices = parse_view({"groups": [f"{B},zz"], "smooth": "x", "evil<b>": "1", "q": "ok"}, params,
                                 known={"groups": {A, B}})
    assert values == {"by": "group", "groups": [B], "smooth": 1, "q": "ok"}
    assert [(n.param, n.reason) for n in notices] == [("groups", "bad_id"), ("smooth", "not_int"),
                                                       ("?", "unknown_param")]


def test_parse_view_unknown_ids_fall_back_to_the_default():
    values, _ = parse_view({"groups": C}, [Param("groups", "ids", [A])], known={"groups": {A}})
    assert values["groups"] == [A]


def test_display_name_never_echoes_markup():
    assert display_name("smooth") == "smooth"
    assert display_name("![x](http://evil/p.png)") == "?" and display_name("a" * 41) == "?"


def test_to_query_and_view_link():
    query = to_query({"by": "run", "runs": [A, B], "smooth": 2, "empty": [], "none": None, "q": "", "flag": True})
    assert query == {"by": "run", "runs": f"{A},{B}", "smooth": "2", "flag": "1"}
    assert view_link("compare", query) == f"/compare?by=run&runs={A},{B}&smooth=2&flag=1"
    assert view_link("", {}) == "/"
    assert view_link("results", {"q": "a b&c"}, "http://host:8501/results/") == "http://host:8501/results?q=a%20b%26c"
