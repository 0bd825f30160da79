"""The book's 100-trial search as a user runs it, against the same search as a plain sequential float64 loop.

The search (the book's section 6.5): lr log-uniform in [1e-6, 1e-2], weight decay in [1e-8, 1e-4], 100 trials of
50 epochs on 400 training / 100 validation images, 6x100 ReLU, SGD, batch 100. For each search seed S:

- ours: the whole command, ``python -m core search --strategy random --trials 100 --epochs 50 --seed S`` (2
  workers, the default), in a subprocess on a fresh temporary results folder, and the same with ``--early-stop``:
  wall time from start to exit (start-up, worker processes, store writes and the final table included) and the CPU
  seconds of the command and its workers;
- baseline: the same proposals (each trial's lr, weight decay and training seed, read back from our stored search)
  trained one after another in this process by the book-style float64 loop (``bench.bench_train.book_style``):
  the same initial weights and batches as ours, and like the book's Trainer it scores the whole training (400) and
  validation (100) parts after every epoch; numpy's default BLAS threads. Only the loop is timed (drawing the initial
  weights is left out, which favours the baseline) and Python's start-up is not counted in it.

Printed per seed and as medians: the wall ratios ours / baseline without and with early stopping, the CPU-second
ratios (steadier than wall time on a shared machine), the best validation accuracy of each (a trial's value is its
final validation accuracy, as the search ranks it), and a verdict against the targets of issue 12: at most 0.15x
without early stopping, 0.06x with it, and a best validation accuracy that is not worse (compared on the mean over
seeds; the seeds where ours is lower are counted). Each seed runs ours and the baseline back to back, so a busy
machine slows both; the load average is printed before and after.

``--threads N`` limits the baseline's BLAS threads (default: numpy's own, 2 here). On a machine other processes keep
busy, a 2-thread OpenBLAS spends most of its time waiting for its second thread (docs/benchmarks.md), which makes
the baseline slow and flatters the ratios; ``--threads 1`` then compares the engines rather than the scheduler.

Run: python -m bench.bench_search_book                       (5 seeds x 100 trials: about 15 minutes on 2 quiet cores)
     python -m bench.bench_search_book --seeds 1 --trials 6 --epochs 15    (a quick check)
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.bench_train import book_style, same_start
from core.config import RunConfig
from core.data import load_split
from core.search import load_search
from core.store import ResultStore

TARGET_PLAIN = 0.15       # issue 12: ours / baseline without early stopping ...
TARGET_EARLY_STOP = 0.06  # ... and with it
REPO = Path(__file__).resolve().parent.parent


def machine() -> str:
    """The CPU's model name (as ``lscpu`` prints it) and the core count."""
    try:
        models = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")]
    except OSError:
        models = []
    return f"{models[0] if models else platform.processor() or platform.machine()}, {os.cpu_count()} cores"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_ours(seed: int, trials: int, epochs: int, early_stop: bool) -> tuple[float, float, Path]:
    """The search command in a subprocess on a fresh folder: (wall s, CPU s of it and its workers, folder)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-search-book-"))
    command = [sys.executable, "-m", "core", "search", "--strategy", "random", "--trials", str(trials),
               "--epochs", str(epochs), "--seed", str(seed), "--quiet", "--results", str(folder)]
    if early_stop:
        command.append("--early-stop")
    cpu = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the search command failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return wall, children_cpu() - cpu, folder


def stored_trials(folder: Path):
    """The one search of ``folder``: its trials (with each run's config) in trial order."""
    store = ResultStore(folder)
    (spec_file,) = (folder / "searches").glob("*.json")
    view = load_search(store, spec_file.stem)
    runs = store.load_runs()[["run_id", "config_json"]]
    return view.trials.merge(runs, on="run_id").sort_values(["trial", "seed_index"]).reset_index(drop=True)


def run_baseline(trials) -> tuple[float, float, float]:
    """The trials one after another in the book-style float64 loop: (wall s, CPU s, best final val acc)."""
    configs = [RunConfig.from_json(text) for text in trials["config_json"]]
    split = load_split(configs[0])  # every trial shares the data settings, so the split
    starts = [same_start(config, split) for config in configs]  # untimed: the baseline gets its weights for free
    best = -1.0
    cpu, start = time.process_time(), time.perf_counter()
    for config, (weights, batches) in zip(configs, starts):
        curves = book_style(config, split, weights, batches, parts=("train", "val"))
        value = float(curves["val_acc"][-1])
        best = max(best, value if np.isfinite(curves["val_loss"][-1]) else 0.1)  # diverged counts as chance
    return time.perf_counter() - start, time.process_time() - cpu, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="search seeds 0..N-1 (default 5)")
    parser.add_argument("--trials", type=int, default=100, help="trials per search (default 100)")
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS threads of the baseline (default: numpy's own, 2 on 2 cores)")
    parser.add_argument("--epochs", type=int, default=50, help="epochs per trial (default 50; early stopping needs at least 15)")
    args = parser.parse_args()
    for name in ("seeds", "trials", "epochs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1. Got {getattr(args, name)}.")
    if args.threads is not None and args.threads < 1:
        parser.error(f"--threads must be at least 1. Got {args.threads}.")
    if args.threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)  # this process only: the search command keeps its own settings

    print(f"machine: {machine()}; numpy {np.__version__}")
    print(f"baseline BLAS threads: {args.threads or 'numpy default'}")
    print(f"search: {args.trials} trials x {args.epochs} epochs, seeds 0..{args.seeds - 1}; "
          f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    header = (f"{'seed':>4} {'ours s':>8} {'ours ES s':>9} {'book s':>8} {'ratio':>7} {'ratio ES':>8} "
              f"{'cpu ratio':>9} {'cpu ES':>7} {'best ours':>9} {'best ES':>8} {'best book':>9}")
    print(header, flush=True)
    rows = []
    for seed in range(args.seeds):
        plain_wall, plain_cpu, plain_folder = run_ours(seed, args.trials, args.epochs, early_stop=False)
        es_wall, es_cpu, es_folder = run_ours(seed, args.trials, args.epochs, early_stop=True)
        plain, early = stored_trials(plain_folder), stored_trials(es_folder)
        for folder in (plain_folder, es_folder):
            shutil.rmtree(folder, ignore_errors=True)
        if not (np.array_equal(plain["lr"], early["lr"]) and np.array_equal(plain["seed"], early["seed"])):
            raise SystemExit(f"seed {seed}: the searches with and without early stopping proposed different trials")
        book_wall, book_cpu, book_best = run_baseline(plain)
        row = {"plain": plain_wall / book_wall, "es": es_wall / book_wall, "plain_cpu": plain_cpu / book_cpu,
               "es_cpu": es_cpu / book_cpu, "best": float(plain["value"].max()), "best_es": float(early["value"].max()),
               "best_book": book_best}
        rows.append(row)
        print(f"{seed:>4} {plain_wall:>8.2f} {es_wall:>9.2f} {book_wall:>8.2f} {row['plain']:>7.3f} {row['es']:>8.3f} "
              f"{row['plain_cpu']:>9.3f} {row['es_cpu']:>7.3f} {row['best']:>9.3f} {row['best_es']:>8.3f} "
              f"{book_best:>9.3f}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    def median(key: str) -> float:
        return statistics.median(r[key] for r in rows)

    def mean(key: str) -> float:
        return statistics.fmean(r[key] for r in rows)

    print(f"\nmedian over {len(rows)} seeds: ours / book-style wall {median('plain'):.3f} (early stopping "
          f"{median('es'):.3f}); CPU seconds {median('plain_cpu'):.3f} ({median('es_cpu'):.3f})")
    print(f"best validation accuracy, mean over seeds: ours {mean('best'):.4f}, ours with early stopping "
          f"{mean('best_es'):.4f}, book-style {mean('best_book'):.4f}")
    lower = sum(r["best"] < r["best_book"] for r in rows)
    lower_es = sum(r["best_es"] < r["best_book"] for r in rows)
    plain_ok, es_ok = median("plain") <= TARGET_PLAIN, median("es") <= TARGET_EARLY_STOP
    acc_ok = mean("best") >= mean("best_book") and mean("best_es") >= mean("best_book")
    print(f"verdict: without early stopping {median('plain'):.3f}x (target <= {TARGET_PLAIN}): "
          f"{'met' if plain_ok else 'not met'}; with it {median('es'):.3f}x (target <= {TARGET_EARLY_STOP}): "
          f"{'met' if es_ok else 'not met'}; best validation accuracy {'not worse' if acc_ok else 'worse'} "
          f"(lower than book-style on {lower} of {len(rows)} seeds, {lower_es} with early stopping)")


if __name__ == "__main__":
    main()
