"""The saving of ``test_every="end"`` on the book's search trial: test scored once at the end, not every epoch.

The workload: ``core.search.space.BOOK_BASE`` (6x100 ReLU, SGD, 400 training, 100 validation and 1,000 test images,
batch 100, 50 epochs = 200 updates and 51 evaluations), the config every trial of ``python -m core search`` starts
from. Each repeat trains it once with ``test_every="epoch"`` and once with ``"end"``, in turn; the time spent in
evaluation (``Evaluation.__call__``) is measured by wrapping it. Ratios are medians over the repeats of the ratios
within a repeat, so a busy machine moves the seconds more than the ratios. The snapshots (``core/mechanism.py``)
are in both.

Run: python -m bench.bench_test_every [--repeats 5] [--threads 1]
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import time

from threadpoolctl import threadpool_limits

import core.evaluation
from core.data import load_split
from core.search.space import BOOK_BASE
from core.train import train


def timed_train(config, split) -> tuple[float, float]:
    """(wall seconds of ``train``, seconds inside evaluations)."""
    spent = [0.0]
    call = core.evaluation.Evaluation.__call__

    def timed(self):
        start = time.perf_counter()
        try:
            return call(self)
        finally:
            spent[0] += time.perf_counter() - start

    core.evaluation.Evaluation.__call__ = timed
    try:
        start = time.perf_counter()
        train(config, split)
        return time.perf_counter() - start, spent[0]
    finally:
        core.evaluation.Evaluation.__call__ = call


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    configs = {mode: dataclasses.replace(BOOK_BASE, test_every=mode) for mode in ("epoch", "end")}
    split = load_split(BOOK_BASE)
    rows = {mode: [] for mode in configs}
    with threadpool_limits(args.threads):
        for config in configs.values():  # warm-up
            timed_train(config, split)
        for _ in range(args.repeats):
            for mode, config in configs.items():
                rows[mode].append(timed_train(config, split))
    print(f"machine: {platform.processor() or platform.machine()}, load {os.getloadavg()[0]:.1f}, "
          f"threads {args.threads}, repeats {args.repeats}")
    for mode, values in rows.items():
        wall = statistics.median(v[0] for v in values)
        share = statistics.median(v[1] / v[0] for v in values)
        print(f"test_every={mode:5s}  trial {wall:.3f} s   evaluation {share:.0%} of it")
    ratio = statistics.median(e[0] / p[0] for p, e in zip(rows["epoch"], rows["end"]))
    print(f"end / epoch: {ratio:.2f}x the time of a trial")


if __name__ == "__main__":
    main()
