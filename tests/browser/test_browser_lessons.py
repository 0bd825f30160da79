"""Issue 10: every lesson, in English and in Korean, in headless Chromium over a store holding the lessons' runs
(quick mode: the same experiments at a few epochs): its heading, its figure, its generated sentences, no exception;
a full-page screenshot of each goes to ``test-artifacts/lesson-<name>-<lang>.png``."""
from __future__ import annotations

import os
import sys

import pytest

from conftest import REPO, missing_browser, skip_or_fail, streamlit_server
from test_browser import assert_no_exception, open_page, screenshot, wait_idle
from ui.lesson_plan import PAGES, QUICK_ENV
from ui.text.en import EN
from ui.text.ko import KO

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail under CI) with the reason
    expect = None

CATALOGUES = {"en": EN, "ko": KO}


@pytest.fixture(scope="module")
def lesson_server(tmp_path_factory):
    """``streamlit run app.py`` in quick lesson mode over a folder holding every lesson's quick runs."""
    reason = missing_browser()
    if reason:
        skip_or_fail(reason)
    sys.path.insert(0, str(REPO / "tests" / "pages"))
    from lessontools import build_quick_store

    folder = tmp_path_factory.mktemp("lessons-browser")
    root = folder / "results"
    root.mkdir()
    os.environ[QUICK_ENV] = "1"
    try:
        build_quick_store(root)
    finally:
        os.environ.pop(QUICK_ENV, None)
    with streamlit_server(root, folder / "streamlit.log", "test_browser_lessons", {QUICK_ENV: "1"}) as served:
        yield {**served, "root": root}


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("lesson", sorted(PAGES))
def test_each_lesson_draws_its_figure_and_sentences(lesson_server, context, artifacts, lesson, lang):
    text = CATALOGUES[lang]
    url_path = f"lesson-{lesson.replace('_', '-')}"
    page = open_page(context, f"{lesson_server['url']}/{url_path}?lang={lang}", text[f"lesson_{lesson}"]["title"])
    assert_no_exception(page)
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav.get_by_text(text["lessons"]["nav.section"], exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible()
    expect(page.get_by_text(text["lessons"]["read.title"], exact=True)).to_be_visible()
    expect(page.locator(".katex").first).to_be_visible()  # the formula
    wait_idle(page)
    screenshot(page, artifacts, f"lesson-{lesson}-{lang}")
    assert_no_exception(page)
