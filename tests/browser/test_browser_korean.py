"""Every page in Korean, in headless Chromium: its Korean heading, no exception, the whole page list in the sidebar
(no Streamlit "View N more" fold, which would speak English), and a full-page screenshot of each
(``test-artifacts/ko-<page>.png``) for a reader to look at."""
from __future__ import annotations

import pytest

from test_browser import assert_no_exception, open_page, screenshot
from ui.router import LESSON_PAGES, PAGES
from ui.text.ko import KO

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail under CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

NAV_TITLES = [KO["common"][key] for _, _, key, _ in PAGES] + [KO["lessons"][key] for _, _, key, _ in LESSON_PAGES]
HEADINGS = {url: KO[url]["title"] for _, url, _, _ in PAGES} | \
           {url: KO[f"lesson_{url.removeprefix('lesson-').replace('-', '_')}"]["title"] for _, url, _, _ in LESSON_PAGES}


@pytest.mark.parametrize("url_path", list(HEADINGS))
def test_each_page_in_korean_lists_every_page_and_draws_without_error(server, context, artifacts, url_path):
    path = "" if url_path == "home" else url_path  # the default page lives at the root
    page = open_page(context, f"{server['url']}/{path}?lang=ko", HEADINGS[url_path])
    assert_no_exception(page)
    assert page.get_by_text("Page not found").count() == 0
    nav = page.locator('[data-testid="stSidebarNav"]')
    for title in NAV_TITLES:  # every page listed, none folded away
        expect(nav.get_by_text(title, exact=True).first).to_be_visible()
    expect(nav.get_by_text(KO["lessons"]["nav.section"], exact=True)).to_be_visible()
    nav_text = nav.inner_text()
    assert "View" not in nav_text and "more" not in nav_text and "less" not in nav_text, nav_text
    screenshot(page, artifacts, f"ko-{url_path}")
    assert_no_exception(page)
