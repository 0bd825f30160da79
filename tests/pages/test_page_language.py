"""AppTest: the session's language (URL ``lang=``, then the session, then OVERFIT_LAB_LANG) and the sidebar picker.

The Korean catalogue is written elsewhere; here a small stand-in catalogue ``ko`` is put in place for the test, so the
plumbing is checked whatever ``ui/text/ko/`` holds.
"""
from __future__ import annotations

import pytest

import ui.text as text
from pagetools import open_page, texts

KO = {"common": {"sidebar.cached": "캐시된 실행"}, "compare": {"title": "비교"}}


@pytest.fixture
def korean(monkeypatch):
    monkeypatch.setitem(text.catalogues(), "ko", KO)


@pytest.fixture
def english_only(monkeypatch):
    monkeypatch.delitem(text.catalogues(), "ko", raising=False)


def test_an_unknown_language_is_dropped_with_a_notice(populated):
    at = open_page("pages/compare.py", {"lang": "fr"})
    notices = texts(at, "info")
    assert any("Ignored the URL parameter `lang`" in n for n in notices), notices
    assert "lang" not in at.query_params
    assert at.title[0].value == "Compare"


def test_english_only_has_no_picker_and_lang_en_is_kept_in_the_url(populated, english_only):
    at = open_page("pages/compare.py", {"lang": "en"})
    assert not at.sidebar.selectbox
    assert not any("`lang`" in n for n in texts(at, "info"))
    assert at.query_params["lang"] == "en"  # the page rewrote its view and kept the language


def test_lang_in_the_url_translates_and_falls_back_to_english(populated, korean):
    at = open_page("pages/compare.py", {"lang": "ko"})
    assert at.title[0].value == "비교"
    assert at.sidebar.metric[0].label == "캐시된 실행"
    assert at.sidebar.metric[1].label == "Running jobs"  # missing in the catalogue: English
    assert at.query_params["lang"] == "ko"


def test_the_picker_writes_the_url_and_the_session_keeps_it(populated, korean):
    at = open_page("pages/compare.py")
    picker = at.sidebar.selectbox(key="sidebar.lang")
    assert picker.options == ["English", "한국어"] and picker.value == "en"
    picker.set_value("ko").run()
    assert at.title[0].value == "비교" and at.query_params["lang"] == "ko"
    at.switch_page("pages/results.py").run()  # another page, its link without lang=: the session keeps it
    assert at.sidebar.metric[0].label == "캐시된 실행"


def test_the_environment_sets_the_default(populated, korean, monkeypatch):
    monkeypatch.setenv(text.LANG_ENV, "ko")
    at = open_page("pages/compare.py")
    assert at.title[0].value == "비교"
    assert "lang" not in at.query_params  # the server's default is not written into every link
