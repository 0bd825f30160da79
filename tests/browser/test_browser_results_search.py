"""Real-browser tests of the Results, Search and Run pages as a new user sees them (issue 9, items 7 and 8):
the Results table with its validation-first columns and membership filter, the Search scatter's colour scale, and a
cached config's final numbers on Run. Screenshots go to test-artifacts/."""
from __future__ import annotations

import pytest

from core.search import load_search
from core.store import ResultStore
from test_browser import assert_no_exception, chart, open_page, screenshot, wait_idle

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402


def test_results_table_shows_membership_and_filters_by_search(server, context, artifacts):
    search_id = server["search_id"]
    page = open_page(context, f"{server['url']}/results?sort=final_test_acc", "Results")
    assert_no_exception(page)
    expect(page.get_by_text("Validation first").first).to_be_visible()
    screenshot(page, artifacts, "results-sorted-by-test-acc")
    page.goto(f"{server['url']}/results?in=search:{search_id}")
    wait_idle(page)
    assert_no_exception(page)
    n_trials = server["n_trials"]
    total = len(ResultStore(server["root"]).load_runs())
    expect(page.get_by_text(f"{n_trials} of {total} runs shown").first).to_be_visible()
    expect(page.locator(".st-key-results-in").get_by_text(f"search {search_id}")).to_be_visible()
    screenshot(page, artifacts, "results-filtered-by-search")


def test_search_scatter_colour_scale_is_the_observed_range(server, search_page, context, artifacts):
    search_id = server["search_id"]
    page = open_page(context, f"{server['url']}/search?search={search_id}", "Search")
    assert_no_exception(page)
    graph = chart(page, "search.scatter")
    expect(graph).to_be_visible()
    axis = graph.first.evaluate("el => el.layout.coloraxis")
    values = load_search(ResultStore(server["root"]), search_id).trials["final_val_acc"]
    assert axis["cmin"] == pytest.approx(values.min()) and axis["cmax"] == pytest.approx(values.max())
    assert f"scale {values.min():.2f}–{values.max():.2f}" in axis["colorbar"]["title"]["text"]
    screenshot(page, artifacts, "search-scatter-observed-scale")


def test_run_page_states_a_cached_configs_final_numbers(server, context, artifacts):
    from core.presets import HEADLINE, get_preset

    name = HEADLINE[0]  # the populated folder holds the book's headline configs for 3 seeds
    n_runs = len(get_preset(name).configs) * 3
    page = open_page(context, f"{server['url']}/run?preset={name}&seeds=3", "Run")
    assert_no_exception(page)
    expect(page.get_by_text("Final numbers of the cached runs").first).to_be_visible()
    expect(page.get_by_text(f"Open {n_runs} runs in Compare").first).to_be_visible()
    screenshot(page, artifacts, "run-cached-final-numbers")
