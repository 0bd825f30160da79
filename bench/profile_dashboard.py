"""Where a new tab's main-thread time goes: a CPU profile (Chrome DevTools Protocol) of one view of
``bench_dashboard``, opened in a new tab, summed by script and by call.

Run from the repository root: ``python -m bench.profile_dashboard [--view compare] [--runs 1000] [--save FILE]``
(1–2 minutes). It builds the 1,000-run folder of ``bench_dashboard``, starts ``streamlit run app.py`` on it, warms
the server and the browser's cache with the Compare and Results views, times ``--repeats`` unprofiled visits (wall,
CPU of the tab and of the server), then profiles one more visit from navigation to fully drawn (+0.5 s) and prints:

- self time by script (plotly.js is the ``PlotlyChart`` chunk; ``(program)`` is the browser's own work);
- plotly.js's entry points, inclusive: module evaluation, and each ``Plotly.react`` call split into its first draw
  (``newPlot``), the redraw plotly does itself when legends and axis labels push the margins (``doAutoMargin``),
  and a second full draw (``Plotly.react`` again once mounted; with typed arrays it always recomputes);
- the hottest calls, inclusive.

Sampling (every 200 µs) roughly doubles the tab's CPU time, so the shares matter, not the seconds; ``--save`` keeps
the ``.cpuprofile`` for Chrome's DevTools (Performance panel, "Load profile").
"""
from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import bench_dashboard as bench

# plotly.js's functions are minified: they are found by a piece of their source, at the start of their definition.
PLOTLY_CALLS = {  # label -> the source a call frame starts with
    "Plotly.react": "(t,n,r,a){var o,s;function l(){return e.addFrames(t,o)}",
    "newPlot (first draw)": "(t,n,r,a){return t=i.getGraphDiv(t),u.cleanPlot(",
    "doAutoMargin (redraw for the margins)": "(e){var t=e._fullLayout,n=t.width,r=t.height;t._size||={}",
    "Streamlit's theme copy (JSON round trip)": "(e,t,n){let r=JSON.parse(ke(JSON.stringify(e),n,t))",
}


def frames(profile: dict) -> tuple[dict, dict[int, int], dict[int, int]]:
    """(node id -> node, node id -> its caller's id, node id -> self time in µs) of a ``Profiler.stop`` profile."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    parents = {child: node_id for node_id, node in nodes.items() for child in node.get("children", [])}
    self_us: dict[int, int] = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"][1:] + [0]):  # a delta follows its sample
        self_us[sample] += delta
    return nodes, parents, self_us


def inclusive(nodes: dict, self_us: dict[int, int]) -> dict[int, int]:
    """Node id -> its time with its callees' (children summed before their parents)."""
    order, stack = [], [next(iter(nodes))]  # the first node is the root
    while stack:
        node_id = stack.pop()
        order.append(node_id)
        stack.extend(nodes[node_id].get("children", []))
    total: dict[int, int] = {}
    for node_id in reversed(order):
        total[node_id] = self_us.get(node_id, 0) + sum(total[c] for c in nodes[node_id].get("children", []))
    return total


def source_at(url: str, line: int, column: int, cache: dict) -> str:
    """The first characters of a frame's function in Streamlit's static JavaScript ('' if not there)."""
    name = url.rsplit("/", 1)[-1]
    if name not in cache:
        import streamlit

        path = Path(streamlit.__file__).parent / "static" / "static" / "js" / name
        cache[name] = path.read_text(errors="replace").split("\n") if name and path.is_file() else []
    lines = cache[name]
    return lines[line][column:column + 120] if 0 <= line < len(lines) else ""


def summarize(profile: dict, top: int = 25) -> None:
    nodes, parents, self_us = frames(profile)
    total = inclusive(nodes, self_us)
    sampled = sum(self_us.values())
    by_script: dict[str, int] = collections.Counter()
    for node_id, us in self_us.items():
        frame = nodes[node_id]["callFrame"]
        by_script[frame["url"].rsplit("/", 1)[-1] or frame["functionName"]] += us
    print(f"\nsampled {sampled / 1e6:.2f} s (profiling slows the tab: read the shares)\n\nself time by script:")
    for script, us in by_script.most_common(10):
        print(f"  {us / 1e6:6.2f} s {100 * us / sampled:5.1f} %  {script}")
    cache: dict = {}
    calls: dict[tuple, int] = collections.Counter()  # (name, script, line, column) -> inclusive µs, once per stack
    for node_id in nodes:
        frame = nodes[node_id]["callFrame"]
        key = (frame["functionName"], frame["url"].rsplit("/", 1)[-1], frame["lineNumber"], frame["columnNumber"])
        ancestors_same = False  # a recursive call is counted at its outermost frame only
        parent = parents.get(node_id)
        while parent is not None:
            p = nodes[parent]["callFrame"]
            if (p["functionName"], p["url"].rsplit("/", 1)[-1], p["lineNumber"], p["columnNumber"]) == key:
                ancestors_same = True
                break
            parent = parents.get(parent)
        if not ancestors_same:
            calls[key] += total[node_id]
    print("\nplotly.js, inclusive:")
    module = sum(us for (name, script, line, column), us in calls.items()
                 if script.startswith("PlotlyChart") and (line, column) == (0, 0))
    print(f"  {module / 1e6:6.2f} s {100 * module / sampled:5.1f} %  module evaluation (the chunk's top level)")
    found = {label: sum(v for (name, script, line, column), v in calls.items()
                        if source_at(script, line, column, cache).startswith(start))
             for label, start in PLOTLY_CALLS.items()}
    found["Plotly.react beyond its first draw (a second react)"] = \
        found["Plotly.react"] - found["newPlot (first draw)"]
    for label, us in found.items():
        print(f"  {us / 1e6:6.2f} s {100 * us / sampled:5.1f} %  {label}")
    print(f"\nhottest calls, inclusive (top {top}):")
    for (name, script, line, column), us in calls.most_common(top):
        print(f"  {us / 1e6:6.2f} s  {name or '(anonymous)'} {script}:{line}:{column}  "
              f"{source_at(script, line, column, cache)[:60]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--view", choices=("compare", "results", "compare-1"), default="compare")
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3, help="unprofiled visits timed before the profiled one")
    parser.add_argument("--save", type=Path, help="write the .cpuprofile here")
    args = parser.parse_args()
    sys.path.insert(0, str(bench.REPO / "tests" / "browser"))
    from conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server
    from playwright.sync_api import sync_playwright

    print(f"load: {bench.load()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        big, _, groups = bench.build_folders(tmp, args.runs)
        n = len(groups)
        views = {"compare": ("/compare?groups=" + ",".join(groups), {"charts": bench.compare_charts(3 * n, n)}),
                 "results": ("/results", {"rows": bench.DRAWN_SEEDS * n}),
                 "compare-1": (f"/compare?groups={groups[-1]}&splits=test", {"charts": bench.compare_charts(1, 1)})}
        env = {"OVERFIT_LAB_CACHE": str(tmp / "cache")}
        with streamlit_server(big, tmp / "server.log", "profile", env) as served, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            context = bench.new_context(browser)
            url, pid = served["url"], served["proc"].pid
            for warm in ("compare", "results", args.view):
                bench.time_view(context, url + views[warm][0], views[warm][1])
            path, expect = views[args.view]
            timed = [bench.time_view(context, url + path, expect, pid=pid) for _ in range(args.repeats)]
            print(f"{args.view}, new tab, {args.repeats} visits (medians): "
                  + ", ".join(f"{k} {statistics.median(t[k] for t in timed):.2f} s"
                              for k in ("seconds", "page_cpu", "server_cpu")))
            page = bench.open_tab(context)
            page.cdp.send("Profiler.enable")
            page.cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            page.cdp.send("Profiler.start")
            page.goto(url + path, wait_until="commit")
            args_js = [expect.get("charts", {}), expect.get("rows", 0), path.split("?")[0]]
            deadline = time.perf_counter() + bench.TIMEOUT_S
            while not page.evaluate(bench.DRAWN_JS, args_js):
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"{path} was not fully drawn after {bench.TIMEOUT_S:.0f} s")
                time.sleep(0.02)
            time.sleep(bench.SETTLE_S)
            profile = page.cdp.send("Profiler.stop")["profile"]
            browser.close()
    if args.save:
        args.save.write_text(json.dumps(profile))
    summarize(profile)
    print(f"\nload: {bench.load()}")


if __name__ == "__main__":
    main()
