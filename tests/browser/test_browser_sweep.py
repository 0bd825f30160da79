"""Real-browser test of the Sweep page: a stored sweep draws with no exception, a click on a marker picks its point
(the plotly selection event reaches the page and the URL), and a 2-D sweep draws its heatmaps."""
from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import TINY
from core.config import RunConfig
from core.sweep import make_spec, run_sweep
from test_browser import assert_no_exception, open_page, screenshot, wait_idle

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail under CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

BASE = dataclasses.replace(RunConfig(**TINY), n_val=50)

MARKER_XY = """([key, name, index]) => {
    const gd = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    const trace = gd._fullData.find(t => t.name === name && t.mode === 'lines+markers');
    const xa = gd._fullLayout[trace.xaxis.replace('x', 'xaxis')];
    const ya = gd._fullLayout[trace.yaxis.replace('y', 'yaxis')];
    const box = gd.getBoundingClientRect();
    return [box.left + xa._offset + xa.l2p(xa.c2l(trace.x[index])),
            box.top + ya._offset + ya.l2p(ya.c2l(trace.y[index])), trace.customdata[index][0]];
}"""


@pytest.fixture(scope="module")
def sweeps(server) -> dict[str, str]:
    """A 1-D λ sweep and a 2-D λ × dropout sweep of tiny real runs in the server's folder."""
    one = run_sweep(make_spec(BASE, {"weight_decay": "0,1e-3..1e-1x3log"}, seeds=2), server["root"])
    two = run_sweep(make_spec(BASE, {"weight_decay": "0,0.1", "dropout": "0,0.2"}, seeds=1), server["root"])
    return {"1d": one.sweep_id, "2d": two.sweep_id}


def test_a_sweep_draws_and_a_click_on_a_point_shows_its_curves(server, sweeps, context, artifacts):
    page = open_page(context, f"{server['url']}/sweep?sweep={sweeps['1d']}", "Sweep")
    assert_no_exception(page)
    chart = page.locator(".st-key-sweep-curve .js-plotly-plot")
    expect(chart).to_be_visible()
    expect(page.get_by_text("Chosen on validation").first).to_be_visible()
    x, y, point = page.evaluate(MARKER_XY, ["sweep-curve", "validation", 1])
    page.mouse.click(x, y)
    expect(page.locator(".st-key-sweep-point_curves .js-plotly-plot")).to_be_visible()
    wait_idle(page)
    assert parse_qs(urlsplit(page.url).query)["point"] == [str(point)]
    assert_no_exception(page)
    screenshot(page, artifacts, "sweep-1d")


def test_a_2d_sweep_draws_its_heatmaps(server, sweeps, context, artifacts):
    page = open_page(context, f"{server['url']}/sweep?sweep={sweeps['2d']}", "Sweep")
    expect(page.locator(".st-key-sweep-heat .js-plotly-plot")).to_be_visible()
    expect(page.locator(".st-key-sweep-heat .heatmaplayer image, .st-key-sweep-heat .hm image").first).to_be_attached()
    assert_no_exception(page)
    screenshot(page, artifacts, "sweep-2d")
