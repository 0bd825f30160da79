"""The text catalogue (ui/text): every key the code looks up exists in English, lookups fall back section by section
and language by language, and the session's language is resolved from the URL, the session, then the environment."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import ui.text as text
from ui.text import EN, PLURAL, lookup, page_text, plural, resolve_language, t

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(str(p.relative_to(ROOT)) for p in [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/**/*.py")]
                 if "text" not in p.parts)
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_.-]+)["']""")
SECTION = re.compile(r"""page_text\(\s*["'](\w+)["']\s*\)""")


@pytest.mark.parametrize("source", SOURCES)
def test_every_literal_key_has_an_english_string(source):
    code = (ROOT / source).read_text()
    sections = SECTION.findall(code) or ["common"]
    assert len(set(sections)) == 1, f"{source}: one text section per module"
    for key in LITERAL_KEY.findall(code):
        assert key in EN[sections[0]] or key in EN["common"], f"{source}: t({key!r}) has no English string"


def test_every_config_field_and_search_column_has_a_label():
    from core.config import FIELD_TYPES
    from core.search import STRATEGIES
    from ui.search_state import TABLE_COLUMNS, budget_table

    assert {f"field.{name}" for name in FIELD_TYPES} <= set(EN["common"])
    assert {f"launch.strategy.{s}" for s in STRATEGIES} <= set(EN["search"])
    assert {f"column.{c}" for c in [*TABLE_COLUMNS, *budget_table([]).columns]} <= set(EN["search"])


def test_lookup_formats_falls_back_to_common_and_fails_loudly_on_a_typo():
    home = page_text("home")
    assert home("headline.launch", n=3) == "Run the book's three experiments (3 seeds)"
    assert home("nav.run") == t("nav.run") == "Run"  # a page's t reaches the shared strings
    assert page_text("search")("jobs.title") == EN["search"]["jobs.title"]  # a page's own string wins
    with pytest.raises(KeyError, match="no.such.key"):
        home("no.such.key")
    with pytest.raises(KeyError, match="nowhere"):
        page_text("nowhere")


def test_a_count_gives_its_noun_the_singular_only_at_one():
    results, sweep = page_text("results"), page_text("sweep")
    assert results("count", shown=1, total=1) == "1 of 1 run shown."
    assert results("count", shown=0, total=0) == "0 of 0 runs shown."
    assert results("count", shown=1, total=20) == "1 of 20 runs shown."  # the noun follows the count it stands by
    assert sweep("sweep_title", fields="lr", n_points=1, seeds=3) == "lr · 1 point × 3 seeds"
    assert plural("{n} {n|run|runs}, {m} {m|seed|seeds}", {"n": 2, "m": 1}) == "{n} runs, {m} seed"
    with pytest.raises(KeyError, match="n"):
        plural("{n|run|runs}", {})


def test_every_plural_in_english_counts_a_placeholder_of_its_own_string():
    for section, table in EN.items():
        for key, value in table.items():
            for name, one, other in PLURAL.findall(value):
                assert "{" + name + "}" in value, (section, key, name)  # the count is shown beside its noun
                assert one and other and one != other, (section, key)


def test_a_translation_missing_a_key_shows_english(monkeypatch):
    monkeypatch.setitem(text.catalogues(), "xx", {"home": {"title": "Translated"}, "common": {"nav.run": "Go"}})
    assert lookup("home", "title", "xx") == "Translated"
    assert lookup("home", "intro", "xx") == EN["home"]["intro"]        # missing: English, same section
    assert lookup("home", "nav.run", "xx") == "Go"                      # then the translation's common section
    assert lookup("search", "jobs.title", "xx") == EN["search"]["jobs.title"]  # before another section's meaning


@pytest.mark.parametrize("url, kept, env, expected", [
    ("en", "xx", "xx", ("en", False)),          # the URL wins
    (None, None, None, ("en", False)),          # nothing given: English
    (None, None, " EN ", ("en", False)),
    ("fr", None, None, ("en", True)),           # unknown in the URL: refused (a notice drops it)
    (["xx", "en"], None, None, ("en", False)),  # repeated: the last one
    ("<b>", None, None, ("en", True)),
    ("", None, None, ("en", False)),
])
def test_resolve_language(url, kept, env, expected):
    assert resolve_language(url, kept=kept, env_value=env) == expected


def test_resolve_language_prefers_the_session_then_the_environment(monkeypatch):
    monkeypatch.setitem(text.catalogues(), "xx", {})
    assert resolve_language(None, kept="xx", env_value="en") == ("xx", False)
    assert resolve_language(None, kept=None, env_value="xx") == ("xx", False)
    assert resolve_language("fr", kept="xx", env_value="en") == ("xx", True)


def test_the_language_source_decides_and_unknown_answers_fall_back(monkeypatch):
    monkeypatch.setitem(text.catalogues(), "xx", {"common": {"nav.run": "Go"}})
    monkeypatch.setattr(text, "_source", [])
    monkeypatch.setenv(text.LANG_ENV, "xx")
    assert t("nav.run") == "Go"                    # no session: the environment's language
    text.use_language_source(lambda: "en")
    assert t("nav.run") == "Run"
    text.use_language_source(lambda: "zz")          # a language without a catalogue: the environment's
    assert t("nav.run") == "Go"


def test_a_translation_has_english_sections_and_keys_only():
    """A translation present in ui/text (e.g. ko/) uses EN's sections and key names: anything else is never shown."""
    for code, catalogue in text.catalogues().items():
        extra = {f"{section}: {key}" for section, table in catalogue.items() for key in table
                 if key not in EN.get(section, {})}
        assert not extra, f"{code}: keys that English does not have: {sorted(extra)[:10]}"
