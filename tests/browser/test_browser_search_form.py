"""Real-browser test of the Search page's launch form: Enter in a number field must not launch a search.

A launch trains many runs, so only the button may start one. Streamlit forms submit on Enter by default, and the
submit button's callback then runs as if clicked; AppTest cannot press Enter, so this needs the real page.
"""
from __future__ import annotations

import pytest

from core.jobs import list_jobs
from core.search import list_searches
from test_browser import assert_no_exception, open_page, wait_idle

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail under CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


def test_enter_in_a_number_field_of_the_search_form_does_not_launch(server, search_page, context, artifacts):
    root = server["root"]
    n_searches, n_jobs = len(list_searches(root)), len(list_jobs(root))
    page = open_page(context, f"{server['url']}/search?search={server['search_id']}", "Search")
    page.get_by_text("Launch a search").first.click()
    epochs = page.locator(".st-key-search-form-epochs input")
    trials = page.locator(".st-key-search-form-trials input")
    expect(trials).to_be_visible()
    epochs.fill("1")  # should Enter launch after all, the search is as small as it gets
    trials.fill("1")
    trials.press("Enter")
    page.wait_for_timeout(1500)  # a launch would rerun the script and publish a job file within this time
    wait_idle(page)
    assert_no_exception(page)
    expect(page.get_by_text("Started search")).to_have_count(0)
    assert (len(list_searches(root)), len(list_jobs(root))) == (n_searches, n_jobs)
    page.screenshot(path=str(artifacts / "search-form-enter.png"), full_page=True)
