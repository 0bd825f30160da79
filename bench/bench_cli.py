"""The whole ``python -m core run`` command for one config against the engine's own time for that run.

The command (interpreter start, imports, the job files, training, writing the store, printing) runs in a fresh
process on an empty results folder; the engine's time is the run's ``duration_s`` as stored (``train`` alone).
One config trains in the command's own process (``core/executors.InlineExecutor``), with no worker process to start.
Target: the command costs at most 1.2x the engine's time. Median of ``--repeats``.

Run: python -m bench.bench_cli [--repeats 5] [-- extra --set options]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

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
    ratios, walls, engines = [], [], []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as root:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "core", *command, "--results", root], check=True,
                           stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - start
            engine = float(ResultStore(root).load_runs()["duration_s"].iloc[0])
        walls.append(wall)
        engines.append(engine)
        ratios.append(wall / engine)
        print(f"  command {wall:6.2f} s, engine {engine:6.2f} s: {wall / engine:.2f}x")
    print(f"median: command {statistics.median(walls):.2f} s, engine {statistics.median(engines):.2f} s, "
          f"ratio {statistics.median(ratios):.2f}x (target <= 1.2x)")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
