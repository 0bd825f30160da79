"""Real-browser look at Compare and Home as a new user sees them (issue 9): like-with-like summaries, validation
first, stable colours and the Home caption's measured numbers. Screenshots go to ``test-artifacts/``.
"""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from bench.bench_dashboard import build_folders
from core.store import ResultStore
from test_browser import assert_no_exception, chart, open_page, screenshot

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


# Every word a plotly chart draws, and each panel's plotting area, as boxes in the page, grouped by what they are.
# Tick labels are compared only with the other groups (neighbouring ticks of one axis may touch); a legend is one box.
CHART_BOXES = """(chart) => {
  const boxes = [];
  const add = (kind, el) => {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) boxes.push({kind, text: el.textContent.trim(), x0: r.left, x1: r.right,
                                                 y0: r.top, y1: r.bottom});
  };
  chart.querySelectorAll('.gtitle').forEach(el => add('title', el));
  chart.querySelectorAll('[class*="title"] text.xtitle, [class*="title"] text.ytitle, text[class^="x"][class$="title"],'
                         + ' text[class^="y"][class$="title"]').forEach(el => add('axis title', el));
  chart.querySelectorAll('.annotation-text').forEach(el => add('panel title', el));
  chart.querySelectorAll('g.legend').forEach(el => add('legend', el));
  chart.querySelectorAll('g.xtick text, g.ytick text, g.x2tick text, g.y2tick text, g.x3tick text, g.x4tick text')
    .forEach(el => add('tick label', el));
  chart.querySelectorAll('.draglayer .nsewdrag').forEach(el => add('plot area', el));
  const svg = chart.querySelector('svg.main-svg').getBoundingClientRect();
  return {boxes, left: svg.left, right: svg.right};
}"""


def settled_boxes(page, charts, timeout_ms: int = 10_000) -> list[dict]:
    """Each chart's word boxes (``CHART_BOXES``) once two looks half a second apart agree: after a resize plotly
    lays a chart out again, later on a busy machine, and a box caught mid-way is not what a reader sees."""
    previous = None
    for _ in range(timeout_ms // 500):
        found = [charts.nth(i).evaluate(CHART_BOXES) for i in range(charts.count())]
        if found == previous:
            break
        previous = found
        page.wait_for_timeout(500)
    return found


def pushed_margins(page) -> dict[str, dict[str, int]]:
    """Per Compare chart (curves, gap, summary), the margins plotly drew wider than the figure asked for."""
    return page.evaluate("""() => Object.fromEntries(['curves', 'gap', 'summary'].flatMap(key => {
        const p = document.querySelector(`.st-key-compare-${key} .js-plotly-plot`);
        if (!p || !p._fullLayout) return [[key, 'not drawn']];
        const asked = p.layout.margin, drawn = p._fullLayout._size, wider = {};
        for (const side of ['l', 'r', 't', 'b']) {
            if (Math.round(drawn[side]) > asked[side]) wider[side] = Math.round(drawn[side]) - asked[side];
        }
        return Object.keys(wider).length ? [[key, wider]] : [];
    }))""")


def collisions(found: dict) -> list[str]:
    """The pairs of a chart's words that overlap (by more than a pixel), and the words cut by the chart's edges;
    ``found``: the chart's ``CHART_BOXES``."""
    boxes, problems = found["boxes"], []
    for i, a in enumerate(boxes):
        if a["x0"] < found["left"] - 1 or a["x1"] > found["right"] + 1:
            problems.append(f"{a['kind']} {a['text']!r} is cut by the chart's edge")
        for b in boxes[i + 1:]:
            if a["kind"] == b["kind"] and a["kind"] in ("tick label", "legend", "plot area"):
                continue
            if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 1 and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > 1:
                problems.append(f"{a['kind']} {a['text'][:40]!r} overlaps {b['kind']} {b['text'][:40]!r}")
    return problems


@pytest.mark.parametrize("width", [1280, 1600])
@pytest.mark.parametrize(("lang", "mechanism"), [("en", "Mechanism"), ("ko", "작동 원리")])
def test_compare_s_summary_and_mechanism_charts_leave_room_for_every_title(server, new_context, artifacts, lang,
                                                                          mechanism, width):
    """Compare's final-values chart (its gap panel's axis title ran into the value panel) and the Mechanism
    expander's charts (their x-axis titles ran into the legend): no word of a chart overlaps another or is cut, in
    English and Korean, at two window widths."""
    context = new_context()
    query = urlencode({"groups": ",".join(server["groups"]), "lang": lang})
    page = open_page(context, f"{server['url']}/compare?{query}", "Compare" if lang == "en" else "비교")
    page.set_viewport_size({"width": width, "height": 1000})
    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts.nth(2)).to_be_visible()
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=mechanism)
    expander.locator("summary").click()
    inside = expander.locator('[data-testid="stPlotlyChart"]')
    expect(inside.nth(3)).to_be_visible()
    page.wait_for_timeout(1500)  # plotly lays out at the new width
    assert_no_exception(page)
    summary = charts.filter(has=page.locator(".y2title"))
    assert summary.count() >= 1
    problems = {f"chart {i}": collisions(found) for i, found in enumerate(settled_boxes(page, charts))}
    screenshot(page, artifacts, f"compare-titles-{lang}-{width}")
    assert not {name: p for name, p in problems.items() if p}, problems


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_compare_s_search_scatter_keeps_its_width_for_the_learning_rates(server, new_context, artifacts, lang):
    """In Compare's narrow column the scatter's colour bar, at the plot's right with its title, left the four
    decades of learning rate 65 px in Korean (115 in English) and their tick labels ran together: the bar now lies
    above the plot. No word of the chart overlaps another or is cut."""
    context = new_context()
    query = urlencode({"groups": ",".join(server["groups"]), "lang": lang})
    page = open_page(context, f"{server['url']}/compare?{query}", "Compare" if lang == "en" else "비교")
    page.set_viewport_size({"width": 1280, "height": 1000})
    graph = chart(page, "compare.scatter")
    expect(graph).to_be_visible()
    page.wait_for_timeout(1500)  # plotly lays out at the new width
    assert_no_exception(page)
    (found,) = settled_boxes(page, graph)
    screenshot(page, artifacts, f"compare-scatter-{lang}")
    (plot,) = [box for box in found["boxes"] if box["kind"] == "plot area"]
    assert plot["x1"] - plot["x0"] >= 200, plot
    assert not collisions(found), collisions(found)


def test_twenty_groups_keep_their_charts_tall_and_their_legends_under_the_axis_titles(context, serve, tmp_path,
                                                                                       artifacts):
    """The bench's 20-group comparison (bench/bench_dashboard.py): the legends, placed in the plots' units, took
    their room from the plots (the curves chart's plot shrank to 120 px, the gap chart's to 70) and covered the
    x-axis titles. Now each plot keeps its height and its legend scrolls under the axis title."""
    _, small, groups = build_folders(tmp_path, 60)
    with serve(small, tmp_path / "streamlit.log", "twenty-groups") as served:
        page = open_page(context, f"{served['url']}/compare?{urlencode({'groups': ','.join(groups)})}", "Compare")
        page.set_viewport_size({"width": 1280, "height": 1000})
        charts = [chart(page, key) for key in ("compare.curves", "compare.gap")]
        for graph in charts:
            expect(graph).to_be_visible()
        page.wait_for_timeout(1500)  # plotly lays out at the new width
        assert_no_exception(page)
        found = [settled_boxes(page, graph)[0] for graph in charts]
        screenshot(page, artifacts, "compare-twenty-groups")
        pushed = {"en": pushed_margins(page)}
        korean = open_page(context, f"{served['url']}/compare?{urlencode({'groups': ','.join(groups), 'lang': 'ko'})}",
                           "비교")
        expect(chart(korean, "compare.summary")).to_be_visible()
        korean.wait_for_timeout(1000)
        pushed["ko"] = pushed_margins(korean)
    # plotly draws a chart whose margins it must push (axis labels, a legend's scroll bar) a second time: 8 % of a new
    # tab's Compare in a CPU profile. The charts' margins hold all of it, in both languages.
    assert pushed == {"en": {}, "ko": {}}, pushed
    for name, boxes in zip(("curves", "gap"), found):
        (plot,) = [box for box in boxes["boxes"] if box["kind"] == "plot area"]
        assert plot["y1"] - plot["y0"] >= 250, (name, plot)
        assert not collisions(boxes), (name, collisions(boxes))
