"""A shared link opened on a freshly started server: the page it names, with no "Page not found" on the way.

Until some session has called ``st.navigation``, Streamlit runs an app with a ``pages/`` folder in its older
multipage layout, where a page's address is its file's name. A link whose address named no file (the lessons'
``/lesson-weight-decay`` against ``pages/lesson_weight_decay.py``) drew the lesson, but only after Streamlit's
"Page not found" dialog, in English on a Korean page. Each case starts its own server, since only the first visit
after a start takes that path. The other cases here also need a server of their own: an address that names no page,
and a folder this machine has not indexed yet.
"""
from __future__ import annotations

import os
import time

import pytest

from core.config import RunConfig
from core.store import ResultStore
from core.train import train
from core.store_listing import LONG_LISTING

from test_browser import assert_no_exception, open_page, wait_loaded
from ui.router import LESSON_PAGES, PAGES
from ui.text.en import EN
from ui.text.ko import KO

pytestmark = pytest.mark.browser

TITLES = {url: EN[url]["title"] for _, url, _, _ in PAGES if url != "home"} | \
         {url: EN[f"lesson_{url.removeprefix('lesson-').replace('-', '_')}"]["title"] for _, url, _, _ in LESSON_PAGES}


@pytest.mark.parametrize("url_path", list(TITLES))
def test_a_shared_link_on_a_fresh_server_opens_its_page_without_page_not_found(context, serve, tmp_path, url_path):
    root = tmp_path / "results"
    root.mkdir()
    with serve(root, tmp_path / "streamlit.log", f"fresh-{url_path}") as server:
        page = open_page(context, f"{server['url']}/{url_path}", TITLES[url_path])
        page.wait_for_timeout(500)  # the dialog comes with the first script run's messages
        assert page.get_by_text("Page not found").count() == 0
        assert page.evaluate("location.pathname") == f"/{url_path}"
        assert_no_exception(page)


def test_an_address_that_names_no_page_says_so_in_the_sessions_language(context, serve, tmp_path):
    """Streamlit's own answer is its home page under an English "Page not found" dialog; the router's is a page in
    the session's language that repeats the address, offers the pages it may have meant, and a way home. The home
    page's own name, ``/home``, leads home. (The server's very first visit is Streamlit's older layout, whose
    dialog comes before the router runs: the first tab opens the home page, as a server's first visitor would.)"""
    root = tmp_path / "results"
    root.mkdir()
    with serve(root, tmp_path / "streamlit.log", "not-found") as server:
        open_page(context, server["url"], EN["home"]["title"]).close()
        page = open_page(context, f"{server['url']}/lesson_weight_decay?lang=ko", KO["common"]["not_found.title"])
        page.wait_for_timeout(500)
        assert page.get_by_text("Page not found").count() == 0
        assert page.evaluate("location.pathname") == "/lesson_weight_decay"
        assert "/lesson_weight_decay" in page.locator('[data-testid="stAlert"]').inner_text()
        near = page.locator('[data-testid="stPageLink"]')
        assert near.all_inner_texts()[0].strip().endswith(KO["lessons"]["nav.weight_decay"])
        near.first.click()
        wait_loaded(page, KO["lesson_weight_decay"]["title"])
        assert page.evaluate("location.pathname") == "/lesson-weight-decay"
        assert_no_exception(page)

        page = open_page(context, f"{server['url']}/home", EN["home"]["title"])
        page.wait_for_timeout(500)
        assert page.get_by_text("Page not found").count() == 0
        assert page.evaluate("location.pathname") == "/"
        assert_no_exception(page)


def test_a_long_first_listing_says_what_it_is_reading(context, serve, tmp_path):
    """A folder this machine has no index of, with many runs files (here one real run's batch and copies of it, as
    a merge leaves them): its first listing reads each file (about 1 ms each), and the page said nothing meanwhile
    (a blank main area for 10-15 s at 10,000 files). Now a spinner says what is read and that it happens once."""
    root = tmp_path / "results"
    root.mkdir()
    batch = ResultStore(root).write([train(RunConfig(n_train=100, n_epochs=1, hidden_sizes=(10,)))])
    n_files = 5 * LONG_LISTING
    for i in range(1, n_files):  # hard links: the same bytes under other batch names
        for kind in ("runs", "curves"):
            os.link(root / f"{batch}.{kind}.parquet", root / f"copy-{i:05d}.{kind}.parquet")
    with serve(root, tmp_path / "streamlit.log", "first-listing", {"OVERFIT_LAB_CACHE": str(tmp_path / "cache")}) \
            as server:
        page = context.new_page()
        page.goto(f"{server['url']}/results?lang=ko")
        notice = KO["common"]["store.first_listing"].format(n=f"{n_files:,}").split(".")[0]
        deadline, seen = time.monotonic() + 60, False
        while time.monotonic() < deadline and not seen:
            seen = page.get_by_text(notice).count() > 0
            if page.locator('[data-testid="stDataFrame"]').count():
                break  # listed before the notice was looked for: the assertion below says so
            time.sleep(0.05)
        assert seen, "no notice while the first listing read its files"
        wait_loaded(page, KO["results"]["title"])
        assert page.get_by_text(notice).count() == 0  # gone once listed
        assert_no_exception(page)
