"""The dashboard at scale in a real browser: Compare (20 groups) and Results, fully drawn in Chromium, with a folder
of 1,000 cached runs against the same view of a folder holding only the drawn runs.

Run from the repository root: ``python -m bench.bench_dashboard [--repeats 5] [--runs 1000] [--cold]`` (2–6 minutes:
longer on busy cores).

What it does:

- Builds two results folders with the real store (``ResultStore.write``) from synthetic records (200 epochs each,
  real ``RunConfig``s, noisy saturating curves: the pages cannot tell them from trained runs). The big folder holds
  ``--runs`` runs in batches of 100, as jobs leave them: the 20 drawn groups (10 weight decays x dropout 0 / 0.2,
  3 seeds each, with a validation split), then 5-seed groups of other widths, learning rates and optimizers and
  one-seed search-like trials. The small folder holds only the 60 drawn runs.
- Starts one ``streamlit run app.py`` per folder (headless, 127.0.0.1, a free port, ``OVERFIT_LAB_RESULTS``), with the
  helpers of ``tests/browser/conftest.py``, and drives Debian's Chromium (``/usr/bin/chromium``) with Playwright.
- Views: ``/compare?groups=<the 20>`` (the shareable URL, every split) and ``/results`` (the default view); and, as
  the floor of any page with charts, ``compare-1``: one group's test curve.
- Times each view from ``page.goto`` in a new tab (a new Streamlit session; the browser's cache holds the app's
  JavaScript as for anyone who opened the dashboard before; ``--cold`` starts from an empty cache) to *fully
  drawn*: every expected plotly chart, found by its Streamlit key, has its SVG and its traces (curves and gap:
  one mean line per group and split; summary; the weight norms inside the closed Mechanism expander), the Results
  table shows its rows, and Streamlit is idle (script not running, no status widget), all of it still true 0.5 s
  later. The time is when that state began, not when the settle ended.
- Warms each server with another view (5 groups; Results) so that modules are imported and the browser holds the
  JavaScript, times the *first* visit of each view (what it computes is not cached yet), then runs ``--repeats``
  alternating rounds (big, small, small, big, ...: the view now cached, as for the next visitor). Prints medians,
  the ratio big / small, the targets (<= 1.5x, <= 2 s), what the browser received and drew (bytes over the
  websocket, script runs, plotly traces and points per chart), the phases of a visit (until the script starts, the
  script as the browser sees it, the drawing after it) and the load average before and after.
- Also counts, per visit, the CPU seconds of the tab's main thread (Chrome's ``Performance.getMetrics``
  ``ThreadTime``: the page's JavaScript, style, layout and paint, from the navigation or the click to fully drawn
  and settled) and of the server process (``/proc/<pid>/stat``, all its threads). On shared cores these say what a
  visit costs when wall times mostly say how long it waited for a core.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from core.config import RunConfig
from core.record import METRICS, RunRecord, RunStatus

REPO = Path(__file__).resolve().parents[1]
DRAWN_DECAYS = tuple(float(x) for x in np.geomspace(1e-4, 0.3, 10))
DRAWN_DROPOUTS = (0.0, 0.2)
DRAWN_SEEDS = 3
TARGET_RATIO, TARGET_SECONDS = 1.5, 2.0
SETTLE_S = 0.5
TIMEOUT_S = 90.0


# ---- the folders --------------------------------------------------------------------------------------------------
def record(config: RunConfig, rng: np.random.Generator, index: int) -> RunRecord:
    """A plausible 200-epoch record: saturating accuracies with noise, losses that follow, growing weight norms."""
    n_evals = config.n_epochs + 1
    t = np.arange(n_evals) / config.n_epochs
    rate = rng.uniform(3, 8)
    gap = 0.25 / (1 + 50 * config.weight_decay) + 0.05
    curves = {"epoch": np.arange(n_evals)}
    for split, ceiling in (("train", 1.0), ("val", 1.0 - gap), ("test", 1.0 - gap)):
        acc = np.clip(ceiling * (1 - 0.9 * np.exp(-rate * t)) + rng.normal(0, 0.01, n_evals), 0, 1)
        if split == "val" and config.n_val == 0:
            acc = np.full(n_evals, np.nan)
        curves[f"{split}_acc"] = acc
        curves[f"{split}_loss"] = -np.log(np.clip(acc, 0.01, 1.0))
    curves["elapsed_s"] = np.cumsum(rng.uniform(0.01, 0.02, n_evals))
    curves = {name: curves[name] for name in ("epoch", *METRICS, "elapsed_s")}
    norms = np.cumsum(rng.uniform(0, 0.1, (n_evals, len(config.hidden_sizes) + 1)), axis=0)
    created = f"2026-11-{1 + index // 100:02d}T{index % 24:02d}:{index % 60:02d}:00+00:00"
    return RunRecord(config, RunStatus.COMPLETE, curves, norms, config.n_epochs, "bench", created,
                     float(curves["elapsed_s"][-1]))


def drawn_configs() -> list[RunConfig]:
    """The 20 groups Compare draws (10 weight decays x 2 dropout ratios), 3 seeds each, with a validation split."""
    return [RunConfig(n_val=100, weight_decay=wd, dropout=p, seed=s)
            for p in DRAWN_DROPOUTS for wd in DRAWN_DECAYS for s in range(DRAWN_SEEDS)]


def other_configs(n: int, rng: np.random.Generator) -> list[RunConfig]:
    """``n`` more runs: half in 5-seed groups (widths, learning rates, optimizers), half one-seed search trials."""
    configs: list[RunConfig] = []
    widths = ((50,) * 2, (100,) * 3, (100,) * 6, (200,) * 2)
    optimizers = ("sgd", "momentum", "adam")
    group = 0
    while len(configs) < n // 2:
        base = RunConfig(hidden_sizes=widths[group % 4], optimizer=optimizers[group % 3],
                         lr=float(10 ** (-3 + (group % 7) / 3)), weight_decay=float(10 ** (-5 + group % 5)))
        configs += [dataclasses.replace(base, seed=s) for s in range(5)]
        group += 1
    while len(configs) < n:
        configs.append(RunConfig(n_val=100, lr=float(10 ** rng.uniform(-4, -1)),
                                 weight_decay=float(10 ** rng.uniform(-8, -3)), n_epochs=200))
    return configs[:n]


def build_folders(root: Path, n_runs: int) -> tuple[Path, Path, list[str]]:
    """The big folder (``n_runs``) and the small one (the drawn runs only); returns them and the drawn group ids."""
    from core.store import ResultStore

    rng = np.random.default_rng(12)
    drawn = [record(c, rng, i) for i, c in enumerate(drawn_configs())]
    others = [record(c, rng, len(drawn) + i) for i, c in enumerate(other_configs(n_runs - len(drawn), rng))]
    big, small = root / "big", root / "small"
    big.mkdir()
    small.mkdir()
    everything = others[:len(others) // 2] + drawn + others[len(others) // 2:]  # the drawn ones in the middle
    store = ResultStore(big)
    for start in range(0, len(everything), 100):
        store.write(everything[start:start + 100])
    ResultStore(small).write(drawn)
    return big, small, list(dict.fromkeys(r.group_id for r in drawn))


# ---- the browser --------------------------------------------------------------------------------------------------
GRID = """'[data-testid="stDataFrame"] table[role="grid"]'"""  # glide-data-grid's table for screen readers
# What "fully drawn" means, evaluated in the browser: each expected chart (by its Streamlit key) has its SVG and at
# least its expected traces drawn, the Results table has its rows, and Streamlit is idle.
DRAWN_JS = """([charts, tableRows, path]) => {
    if (path && !location.pathname.endsWith(path)) return false;
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning'
        || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
        || document.querySelector('[data-testid="stStatusWidget"]')) return false;
    for (const [key, minTraces] of Object.entries(charts)) {
        const p = document.querySelector(`.st-key-${key} .js-plotly-plot`);
        if (!p || !p.querySelector('.main-svg') || !p._fullLayout || !p.data || p.data.length < minTraces) return false;
        if (p.querySelectorAll('.scatterlayer .trace').length < minTraces) return false;
    }
    if (tableRows > 0) {
        const grid = document.querySelector(GRID);
        if (!grid || Number(grid.getAttribute('aria-rowcount') || 0) < tableRows) return false;
        if (!document.querySelector('[data-testid="stDataFrame"] canvas')) return false;
    }
    return true;
}""".replace("GRID", GRID)

# Counts the script runs the page asks for (each change of the app's script state to "running") and keeps when the
# first began and ended, in ms since the navigation started (performance.now()); ``RESET_JS`` starts them again
# before a click in an open tab, from ``window.__origin``.
COUNT_RUNS_JS = """window.__scriptRuns = 0; window.__origin = 0;
new MutationObserver(ms => ms.forEach(m => {
    const state = m.target.getAttribute('data-test-script-state');
    if (state === 'running') { window.__scriptRuns += 1; window.__runStart ??= performance.now(); }
    if (state === 'notRunning' && window.__scriptRuns) window.__runEnd ??= performance.now();
})).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});"""

RESET_JS = """() => { window.__scriptRuns = 0; window.__runStart = undefined; window.__runEnd = undefined;
    window.__origin = performance.now(); }"""

MEASURES_JS = """() => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];  // in page order
    const traces = plots.map(p => (p.data || []).length);
    const points = plots.map(p => (p._fullData || []).reduce((s, t) => s + (t._length || 0), 0));
    const grid = document.querySelector(GRID);
    return {traces, points, rows: grid ? Number(grid.getAttribute('aria-rowcount') || 0) : 0,
            runs: window.__scriptRuns || 0, run_start: (window.__runStart - window.__origin) / 1000,
            run_end: (window.__runEnd - window.__origin) / 1000};
}""".replace("GRID", GRID)


def compare_charts(n_curves: int, n_gaps: int) -> dict[str, int]:
    """Compare's charts (Streamlit key -> least traces): curves, gap, summary. The Mechanism expander stays closed
    and builds nothing until it is opened."""
    return {"compare-curves": n_curves, "compare-gap": n_gaps, "compare-summary": 1}


def new_context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    context.add_init_script(COUNT_RUNS_JS)
    return context


def open_tab(context):
    """A new tab that counts the bytes and frames it receives over its websocket (``page.received``)."""
    page = context.new_page()
    page.received = {"bytes": 0, "frames": 0}

    def on_socket(ws):
        def frame(payload):
            page.received["bytes"] += len(payload)
            page.received["frames"] += 1
        ws.on("framereceived", frame)

    page.on("websocket", on_socket)
    page.cdp = context.new_cdp_session(page)
    page.cdp.send("Performance.enable")  # the tab's CPU counters (page_cpu), from before its navigation
    return page


def server_cpu(pid: int | None) -> float:
    """CPU seconds (user + system, all threads) the process ``pid`` has used so far; NaN where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, TypeError):
        return float("nan")


def page_cpu(cdp) -> float:
    """CPU seconds of the tab's main thread (Chrome's ``ThreadTime``; ``TaskDuration`` would count the tasks' wall
    time, waits for a busy core included) since the tab opened."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ThreadTime")


def time_view(context, url: str, expect: dict, *, page=None, keep: bool = False, pid: int | None = None) -> dict:
    """Seconds to fully drawn, and what the page received over its websocket and drew.

    Without ``page``: from navigation to ``url`` in a new tab of ``context`` (a new Streamlit session). With an open
    ``page``: from a click on the sidebar's link to ``url``'s page (Streamlit switches pages in the open session;
    the page shows the view it was left in). ``keep`` leaves the tab open and returns it as ``page``. ``pid``: the
    server's process, whose CPU seconds over the visit are counted.
    """
    path = "/" + url.rsplit("/", 1)[-1].split("?")[0]
    args = [expect.get("charts", {}), expect.get("rows", 0), path]
    if page is None:
        page = open_tab(context)
        cpu_before = (page_cpu(page.cdp), server_cpu(pid))  # a new tab's counters start at 0
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
    else:
        page.evaluate(RESET_JS)
        page.received.update(bytes=0, frames=0)
        link = page.locator(f'[data-testid="stSidebarNav"] a[href$="{path}"]').first
        cpu_before = (page_cpu(page.cdp), server_cpu(pid))
        start = time.perf_counter()
        link.click()
    deadline = start + TIMEOUT_S
    drawn_since = None
    try:
        while True:
            now = time.perf_counter()
            if page.evaluate(DRAWN_JS, args):
                drawn_since = drawn_since or now
                if now - drawn_since >= SETTLE_S:
                    break
            else:
                drawn_since = None
            if now > deadline:
                raise RuntimeError(f"{url} was not fully drawn after {TIMEOUT_S:.0f} s: "
                                   f"{page.evaluate(MEASURES_JS)}")
            time.sleep(0.02)
        measures = page.evaluate(MEASURES_JS)
        cpu = {"page_cpu": page_cpu(page.cdp) - cpu_before[0], "server_cpu": server_cpu(pid) - cpu_before[1]}
    finally:
        if not keep:
            page.close()
    return {"seconds": drawn_since - start, **page.received, **measures, **cpu, "page": page if keep else None}


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


IN_APP = {"results, in-app": "results", "compare, in-app": "compare"}  # in this order, from an open Compare tab


def measure(browser, servers: dict[str, str], views: dict, warm: dict, repeats: int, cold: bool,
            pids: dict[str, int]) -> tuple:
    """Warm both servers, time each view's first visit, then ``repeats`` alternating rounds of every view: in a new
    tab each, and in-app (the tab left open on Compare, the sidebar's Results link, then its Compare link)."""
    contexts = {folder: new_context(browser) for folder in servers}
    for path, expect in warm.values():  # imports, and the browser's copy of the JavaScript
        for folder, url in servers.items():
            time_view(contexts[folder], url + path, expect)
    first = {(view, folder): time_view(contexts[folder], servers[folder] + path, expect)["seconds"]
             for view, (path, expect) in views.items() for folder in servers}  # the view is computed
    results = {(view, folder): [] for view in (*views, *IN_APP) for folder in servers}
    for repeat in range(repeats):
        order = ("big", "small") if repeat % 2 == 0 else ("small", "big")
        for view, (path, expect) in views.items():
            for folder in order:
                if cold:  # a first visit: nothing in the browser's cache
                    contexts[folder].close()
                    contexts[folder] = new_context(browser)
                timed = time_view(contexts[folder], servers[folder] + path, expect, keep=view == "compare",
                                  pid=pids[folder])
                results[view, folder].append(timed)
                page = timed.pop("page")
                if page is not None:  # the same tab goes on by the sidebar: Results, then back to Compare
                    for in_app, target in IN_APP.items():
                        target_path, target_expect = views[target]
                        results[in_app, folder].append(time_view(
                            contexts[folder], servers[folder] + target_path, target_expect, page=page, keep=True,
                            pid=pids[folder]))
                    page.close()
    return first, results


def report(first: dict, results: dict) -> None:
    median = statistics.median
    views = list(dict.fromkeys(view for view, _ in results))
    print(f"\n{'view':<17}{'folder':<7}{'first':>7}{'median':>8}{'min':>7}{'max':>7}{'/small':>7}"
          f"{'start':>7}{'script':>7}{'draw':>7}{'tab':>6}{'server':>7}{'KB':>6}{'runs':>5}  traces / points per chart")
    for view in views:
        small_median = median(r["seconds"] for r in results[view, "small"])
        for folder in ("small", "big"):
            rs = results[view, folder]
            ts = [r["seconds"] for r in rs]
            phases = [median(r["run_start"] for r in rs), median(r["run_end"] - r["run_start"] for r in rs),
                      median(r["seconds"] - r["run_end"] for r in rs)]
            m = rs[-1]
            visit = f"{first[view, folder]:>6.2f}s" if (view, folder) in first else f"{'—':>7}"
            print(f"{view:<17}{folder:<7}{visit}{median(ts):>7.2f}s{min(ts):>6.2f}s"
                  f"{max(ts):>6.2f}s{median(ts) / small_median:>7.2f}"
                  + "".join(f"{x:>6.2f}s" for x in phases)
                  + f"{median(r['page_cpu'] for r in rs):>5.2f}s{median(r['server_cpu'] for r in rs):>6.2f}s"
                  + f"{m['bytes'] / 1024:>6.0f}{m['runs']:>5}  {m['traces']} / {m['points']}")
    print("(start: navigation, or the sidebar click in-app, to the script's start; script: its run as the browser "
          "sees it; draw: from its end to fully drawn; tab, server: CPU seconds of the tab's main thread and of the "
          "server process from navigation or click to fully drawn, settle included; medians)")
    print(f"\ntargets: big / small <= {TARGET_RATIO}x and big <= {TARGET_SECONDS} s")
    for view in ("compare", "results", *IN_APP):
        big_median = median(r["seconds"] for r in results[view, "big"])
        ratio = big_median / median(r["seconds"] for r in results[view, "small"])
        print(f"  {view:<16} {ratio:.2f}x {'met' if ratio <= TARGET_RATIO else 'NOT met'}, "
              f"{big_median:.2f} s {'met' if big_median <= TARGET_SECONDS else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="a fresh browser context (empty cache) for every visit")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "tests" / "browser"))  # the browser tests' server helpers, reused as they are
    from conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server
    from playwright.sync_api import sync_playwright

    model = subprocess.run("lscpu | grep 'Model name'", shell=True, capture_output=True, text=True).stdout.split(":")
    print(f"machine: {model[-1].strip()}, {platform.machine()}, {os.cpu_count()} cores")
    print(f"before: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        big, small, groups = build_folders(tmp, args.runs)
        print(f"folders: {args.runs} runs and {DRAWN_SEEDS * len(groups)} runs, built in "
              f"{time.perf_counter() - started:.1f} s")
        n_groups = len(groups)
        views = {  # path, and what it draws: chart key -> at least so many traces (a mean line per group and split)
            "compare": ("/compare?groups=" + ",".join(groups), {"charts": compare_charts(3 * n_groups, n_groups)}),
            "results": ("/results", {"rows": DRAWN_SEEDS * n_groups}),
            # the floor: Streamlit and plotly.js starting in a new tab, with one group's test curve to draw
            "compare-1": (f"/compare?groups={groups[-1]}&splits=test", {"charts": compare_charts(1, 1)}),
        }
        warm = {"compare": ("/compare?groups=" + ",".join(groups[:5]), {"charts": compare_charts(15, 5)}),
                "results": views["results"]}
        env = {"OVERFIT_LAB_CACHE": str(tmp / "cache")}
        with streamlit_server(big, tmp / "big.log", "bench-big", env) as served_big, \
                streamlit_server(small, tmp / "small.log", "bench-small", env) as served_small, \
                sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            servers = {"big": served_big["url"], "small": served_small["url"]}
            pids = {"big": served_big["proc"].pid, "small": served_small["proc"].pid}
            first, results = measure(browser, servers, views, warm, args.repeats, args.cold, pids)
            browser.close()
    print(f"after: {load()}")
    report(first, results)


if __name__ == "__main__":
    main()
