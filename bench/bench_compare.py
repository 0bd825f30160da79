"""Server render time of the Compare page with 1,000 cached runs, against the same view of a folder holding only the drawn runs.

The runs are synthetic records (200 epochs each, real RunConfigs, written with the real store) so that building the
folder takes seconds, not hours; the page cannot tell them from trained ones. Rendering goes through Streamlit's
AppTest, which runs the page script as the server does (without a browser).

Run: python -m bench.bench_compare [--runs 1000] [--repeats 5]
"""
from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from core.config import RunConfig
from core.record import METRICS, RunRecord, RunStatus

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def synthetic_records(n_runs: int, n_epochs: int = 200, seeds: int = 3) -> list[RunRecord]:
    rng = np.random.default_rng(0)
    epochs = np.arange(n_epochs + 1)
    records = []
    for i in range(n_runs):
        group = i // seeds  # each group: its own weight decay, `seeds` seeds
        config = RunConfig(weight_decay=float(10 ** (-4 + 4 * group / n_runs)), seed=i % seeds,
                           n_epochs=n_epochs, dropout=[0.0, 0.1, 0.2][(i // seeds) % 3])
        curves = {"epoch": epochs.astype(np.int32), "elapsed_s": epochs * 0.01}
        for name in METRICS:
            base = 1 - np.exp(-epochs / 30) if name.endswith("acc") else np.exp(-epochs / 30) * 2
            curves[name] = base + rng.normal(0, 0.01, len(epochs))
        records.append(RunRecord(config=config, status=RunStatus.COMPLETE, curves=curves,
                                 weight_norms=rng.random((len(epochs), 7)), stopped_epoch=n_epochs,
                                 data_fingerprint="synthetic", created_at="2026-01-01T00:00:00+00:00", duration_s=1.0))
    return records


def render_seconds(root: str, query: dict, repeats: int) -> float:
    """Median wall time of one Compare render (router + page) in a fresh AppTest session."""
    from streamlit.testing.v1 import AppTest

    os.environ["OVERFIT_LAB_RESULTS"] = root
    times = []
    for _ in range(repeats):
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        at.query_params = dict(query)
        at.switch_page("pages/compare.py")
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, [e.value for e in at.exception]
    return statistics.median(times)


def main() -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest's bare-mode warnings are noise here
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    from core.store import ResultStore

    records = synthetic_records(args.runs)
    groups = list(dict.fromkeys(r.group_id for r in records))
    rows = []
    for n_groups in (5, 20):
        query = {"groups": ",".join(groups[:n_groups]), "splits": "train,test"}
        drawn = [r for r in records if r.group_id in set(groups[:n_groups])]
        with tempfile.TemporaryDirectory() as small, tempfile.TemporaryDirectory() as full:
            ResultStore(small).write(drawn)  # baseline: a folder holding only the drawn runs
            store = ResultStore(full)
            for start in range(0, len(records), 100):  # 10 batches, as 10 jobs would leave them
                store.write(records[start:start + 100])
            baseline = render_seconds(small, query, args.repeats)
            seconds = render_seconds(full, query, args.repeats)
        rows.append((f"{len(drawn)} runs drawn, folder of {len(drawn)} (baseline)", baseline, baseline))
        rows.append((f"{len(drawn)} runs drawn, folder of {args.runs}", seconds, baseline))
    print(f"{'Compare page render':<44}{'median':>10}{'/ baseline':>12}")
    for name, seconds, baseline in rows:
        print(f"{name:<44}{seconds:>8.3f} s{seconds / baseline:>12.2f}")


if __name__ == "__main__":
    main()
