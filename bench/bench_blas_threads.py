"""What fixing every run to one BLAS thread (core/jobs.RUN_BLAS_THREADS, for bit-identical curves) costs a single run.

    python -m bench.bench_blas_threads [--repeats 3]

Trains the same configs with 1 and with all cores' BLAS threads in this process, alternating, and prints the
median time of each and their ratio. Report ``uptime`` alongside: the machine is shared.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

from threadpoolctl import threadpool_limits

from core.config import RunConfig
from core.train import train

CONFIGS = {"book 6x100, batch 100": RunConfig(n_train=300, n_test=1000, n_epochs=30),
           "wide 2x1000, batch 300": RunConfig(n_train=1000, n_test=1000, hidden_sizes=(1000, 1000), batch_size=300,
                                               n_epochs=5)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    for name, config in CONFIGS.items():
        train(config)  # warm the data cache
        times: dict[int, list[float]] = {1: [], cores: []}
        for _ in range(args.repeats):
            for n in times:
                with threadpool_limits(n):
                    start = time.perf_counter()
                    train(config)
                    times[n].append(time.perf_counter() - start)
        one, many = statistics.median(times[1]), statistics.median(times[cores])
        print(f"{name}: 1 thread {one:.2f} s, {cores} threads {many:.2f} s, ratio 1/{cores} = {one / many:.2f}")


if __name__ == "__main__":
    main()
