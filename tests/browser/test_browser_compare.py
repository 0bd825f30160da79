"""Real-browser look at Compare and Home as a new user sees them (issue 9): like-with-like summaries, validation
first, stable colours and the Home caption's measured numbers. Screenshots go to ``test-artifacts/``.
"""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from core.store import ResultStore
from test_browser import assert_no_exception, open_page

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail under CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


def shot(page, artifacts, name):
    """The whole page: Streamlit scrolls inside its own container, so the window is made tall enough instead."""
    page.set_viewport_size({"width": 1400, "height": 3000})
    page.wait_for_timeout(1500)  # plotly redraws at the new width
    page.screenshot(path=str(artifacts / f"issue9-{name}.png"))


def test_home_states_its_measured_numbers_in_english_and_korean(server, context, artifacts):
    page = open_page(context, server["url"] + "/", "Overfit Lab")
    assert_no_exception(page)
    expect(page.get_by_text("Measured at the last epoch")).to_be_visible()
    expect(page.get_by_text("What the figure shows, on this data")).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible()
    shot(page, artifacts, "home-en")
    korean = open_page(context, server["url"] + "/?lang=ko", "Overfit Lab")
    assert_no_exception(korean)
    expect(korean.get_by_text("마지막 에폭에서 잰 값")).to_be_visible()
    shot(korean, artifacts, "home-ko")


def test_compare_without_validation_data_disables_the_split_and_says_why(server, context, artifacts):
    query = urlencode({"groups": ",".join(server["groups"]), "metric": "loss"})
    page = open_page(context, f"{server['url']}/compare?{query}", "Compare")
    assert_no_exception(page)
    val = page.locator('[data-testid="stCheckbox"]', has_text="val").locator("input")
    expect(val).to_be_disabled()
    expect(page.get_by_text("No validation data in these runs: n_val = 0").first).to_be_visible()
    expect(page.get_by_text("Generalization gap (test − train loss)")).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"]').nth(2)).to_be_visible()  # curves, gap, summary: wait, then count
    shot(page, artifacts, "compare-no-val-loss")


def test_compare_with_validation_data_ranks_and_chooses_on_it(server, context, artifacts):
    runs = ResultStore(server["root"]).load_runs()
    groups = list(runs[runs["n_val"] > 0].drop_duplicates("group_id")["group_id"])[:5]
    query = urlencode({"groups": ",".join(groups)})
    page = open_page(context, f"{server['url']}/compare?{query}", "Compare")
    assert_no_exception(page)
    val = page.locator('[data-testid="stCheckbox"]', has_text="val").locator("input")
    expect(val).to_be_enabled()
    expect(page.get_by_text("Ranked by final validation accuracy")).to_be_visible()
    shot(page, artifacts, "compare-val")
