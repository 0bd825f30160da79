"""Full-size MNIST: 60,000 training images (generated IDX files), 6x100, 10 epochs; wall time and peak RSS per worker.

The IDX files (60,000 train + 10,000 t10k, raw) are generated from the embedded 5,000 digits (shifted, noised): nothing
is downloaded. ``--workers`` processes (one BLAS thread each, as the job manager's pool) each train one seed of the
same config; each reports its training wall time and its peak resident memory (``ru_maxrss``). The raw IDX files are
memory-mapped, so the dataset's pages are shared by the workers; each worker holds its own float32 split.

Run: python -m bench.bench_mnist_full [--workers 2 --epochs 10 --folder /tmp/mnist-full]
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing
import os
import platform
import resource
import tempfile
import time

import numpy as np

from bench.idx_files import synthetic_mnist, write_idx
from core.config import RunConfig, config_with


def train_one(config_json: str) -> tuple[float, float, float, float]:
    """(seconds to load the split, seconds to train, peak RSS in MB, final test accuracy) in this worker."""
    from threadpoolctl import threadpool_limits

    from core.data import load_split
    from core.train import train

    config = RunConfig.from_json(config_json)
    start = time.perf_counter()
    split = load_split(config)
    loaded = time.perf_counter() - start
    with threadpool_limits(1):
        record = train(config, split)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return loaded, record.duration_s, peak_mb, record.final("test_acc")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--folder", help="where to write the IDX files (default: a temporary folder)")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"load average at start {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or os.path.join(scratch, "mnist-full")
        start = time.perf_counter()
        images, labels = synthetic_mnist(70_000, np.random.default_rng(0))
        write_idx(folder, images, labels, 60_000)
        del images, labels
        print(f"generated 60,000 + 10,000 IDX images in {time.perf_counter() - start:.1f} s: {folder}")
        base = RunConfig(dataset="idx", data_path=folder, n_train=60_000, n_val=0, n_test=10_000,
                         n_epochs=args.epochs, batch_size=100, lr=0.05)
        configs = [config_with(base, {"seed": seed}).to_json() for seed in range(args.workers)]
        start = time.perf_counter()
        with cf.ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(pool.map(train_one, configs))
        wall = time.perf_counter() - start
    print(f"6x100, {args.epochs} epochs, 60,000 training and 10,000 test images, {args.workers} workers at once:")
    for seed, (loaded, trained, peak, test_acc) in enumerate(results):
        print(f"  worker {seed}: split loaded in {loaded:.1f} s, trained in {trained:.1f} s, peak RSS {peak:.0f} MB, "
              f"test acc {test_acc:.3f}")
    print(f"wall time {wall:.1f} s for the {args.workers} runs (including worker start-up); "
          f"float32 train split alone: {60_000 * 784 * 4 / 2**20:.0f} MB")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
