"""Compare search strategies on the book's search: best validation accuracy found and the compute it took.

The book's search (section 6.5): lr log-uniform in [1e-6, 1e-2], weight decay in [1e-8, 1e-4], 100 trials of 50
epochs on 400 training / 100 validation images, 6x100 SGD. Each strategy runs ``--repeats`` times (repeat index
0, 1, ...; random and random + early stopping share their proposals, a paired comparison):

- random                  the book's method;
- random + early stopping: successive halving with the defaults (rungs at 5, 10 and 20 epochs, eta=2; before
  session 8, 5 and 15 with eta=3) ranking the rungs on validation loss, on the same 100 trials;
- random + early stopping on accuracy: the same, ranking the rungs on validation accuracy;
- random + early stopping, 2x trials: spending what early stopping saves on twice the trials (the Hyperband
  argument), with cheaper rungs (at 2, 4, 8 and 16 epochs) so that the search costs about a third of random's;
- coarse-to-fine          2 rounds x half the trials, the second in the box of the first round's top 20%;
- bayes                   GP + expected improvement, 10 random start-up trials, batches of ``--batch``.

Reported per strategy, over repeats: the best validation accuracy (mean ± std, min–max), the test accuracy of the
trial chosen by validation (never used for choosing), trial-epochs (compute) and its ratio to random's, wall time.
Trials train in this process (no results folder, nothing cached), ``--workers`` searches at once.

Run: python -m bench.bench_search [--trials 100 --repeats 5 --epochs 50 --workers 2]
     python -m bench.bench_search --trials 12 --repeats 1 --epochs 5      (a quick check)
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import dataclasses
import multiprocessing
import os
import platform
import time

import numpy as np

from core.jobs import limit_blas_threads
from core.search import BOOK_BASE, SearchSpec, run_search, trial_epochs

STRATEGIES = ("random", "random + early stopping", "random + early stopping on accuracy",
              "random + early stopping, 2x trials", "coarse-to-fine", "bayes")
MORE_TRIALS = 2        # early stopping spends what it saves on more trials ...
MORE_TRIALS_RUNG = 2   # ... with a first rung at 2 epochs (rungs 2 and 6 of 50): about 0.3x random's trial-epochs


def spec_for(strategy: str, *, trials: int, epochs: int, repeat: int, seed: int) -> SearchSpec:
    base = dataclasses.replace(BOOK_BASE, n_epochs=epochs)
    min_epochs = max(1, min(5, epochs // 10))  # 5 for the book's 50 epochs; rungs need min_epochs < epochs
    common = dict(base=base, n_trials=trials, seed=seed, repeat=repeat, min_epochs=min_epochs)
    if strategy == "random":
        return SearchSpec(strategy="random", **common)
    if strategy == "random + early stopping":
        return SearchSpec(strategy="random", early_stop=True, **common)
    if strategy == "random + early stopping on accuracy":
        return SearchSpec(strategy="random", early_stop=True, rung_metric="val_acc", **common)
    if strategy.startswith("random + early stopping, "):  # same seed: the same first trials as random, then more
        return SearchSpec(strategy="random", early_stop=True, **{
            **common, "n_trials": trials * MORE_TRIALS, "min_epochs": max(1, min(MORE_TRIALS_RUNG, epochs // 25))})
    if strategy == "coarse-to-fine":
        return SearchSpec(strategy="coarse-to-fine", rounds=2, **common)
    return SearchSpec(strategy="bayes", n_startup=min(10, trials), **common)


def one_search(strategy: str, trials: int, epochs: int, repeat: int, seed: int, batch: int) -> dict:
    """Run one search in this process; return its best trial's numbers and its compute."""
    from core.train import train

    test_acc: dict[str, float] = {}

    def evaluate(config, pruner):
        record = train(config, pruner=pruner)
        test_acc[config.run_id] = record.final("test_acc")
        return record

    started = time.perf_counter()
    view = run_search(spec_for(strategy, trials=trials, epochs=epochs, repeat=repeat, seed=seed), evaluate,
                      batch=batch)
    best = view.best(1).iloc[0]
    return {"strategy": strategy, "repeat": repeat, "best_val": float(best["value"]),
            "test_of_best": test_acc.get(best["run_id"], float("nan")), "lr": float(best["lr"]),
            "weight_decay": float(best["weight_decay"]), "epochs": trial_epochs(view.trials),
            "n_pruned": int((view.trials["status"] == "pruned").sum()), "seconds": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--first-repeat", type=int, default=0, help="repeat indices start here (5: five fresh ones)")
    parser.add_argument("--batch", type=int, default=2, help="bayes proposals per batch (as with 2 workers)")
    parser.add_argument("--workers", type=int, default=1, help="searches at once, each in its own process")
    parser.add_argument("--strategies", nargs="+", choices=STRATEGIES, default=list(STRATEGIES), metavar="NAME")
    args = parser.parse_args()

    print(f"# bench_search · {platform.node()} · {platform.processor() or platform.machine()} · "
          f"{os.cpu_count()} cores · numpy {np.__version__}")
    last = args.first_repeat + args.repeats - 1
    print(f"# {args.trials} trials x {args.epochs} epochs, repeats {args.first_repeat}..{last}, seed {args.seed}, "
          f"bayes batch {args.batch}, {args.workers} worker(s)")
    repeats = range(args.first_repeat, args.first_repeat + args.repeats)
    jobs = [(s, args.trials, args.epochs, r, args.seed, args.batch) for r in repeats for s in args.strategies]
    results = []
    if args.workers > 1:
        context = multiprocessing.get_context("spawn")
        threads = max(1, (os.cpu_count() or 1) // args.workers)  # as the job manager: no BLAS oversubscription
        with cf.ProcessPoolExecutor(args.workers, mp_context=context, initializer=limit_blas_threads,
                                    initargs=(threads,)) as pool:
            for result in pool.map(one_search, *zip(*jobs)):
                results.append(result)
                print(f"  done: {result['strategy']:<36} repeat {result['repeat']}", flush=True)
    else:
        for job in jobs:
            results.append(one_search(*job))
            print(f"  done: {job[0]:<36} repeat {job[3]}", flush=True)

    random_epochs = np.mean([r["epochs"] for r in results if r["strategy"] == "random"] or [np.nan])
    print()
    print(f"{'strategy':<36} {'best val acc':>16} {'min–max':>13} {'test of best':>12} {'trial-epochs':>12} "
          f"{'vs random':>9} {'pruned':>6} {'s/search':>8}")
    for strategy in args.strategies:
        rows = [r for r in results if r["strategy"] == strategy]
        best = np.array([r["best_val"] for r in rows])
        epochs = np.mean([r["epochs"] for r in rows])
        print(f"{strategy:<36} {best.mean():>9.4f} ± {best.std():.4f} {best.min():>6.3f}–{best.max():.3f} "
              f"{np.nanmean([r['test_of_best'] for r in rows]):>12.4f} {epochs:>12.0f} "
              f"{epochs / random_epochs:>9.2f} {np.mean([r['n_pruned'] for r in rows]):>6.1f} "
              f"{np.mean([r['seconds'] for r in rows]):>8.1f}")
    random_best = {r["repeat"]: r["best_val"] for r in results if r["strategy"] == "random"}
    if random_best:
        print()
        print("paired with random (same seed and repeat): best val acc at least random's, and trial-epochs")
        for strategy in args.strategies:
            rows = [r for r in results if r["strategy"] != "random" and r["strategy"] == strategy]
            if rows:
                wins = sum(r["best_val"] >= random_best[r["repeat"]] - 1e-12 for r in rows)
                ratio = max(r["epochs"] for r in rows) / random_epochs
                print(f"  {strategy:<36} in {wins} of {len(rows)} repeats; at most {ratio:.2f}x random's trial-epochs")
    print()
    print("best trial of each search (lr, weight decay):")
    for r in results:
        print(f"  {r['strategy']:<36} repeat {r['repeat']}: val {r['best_val']:.4f} at lr={r['lr']:.3g}, "
              f"wd={r['weight_decay']:.3g}")


if __name__ == "__main__":
    main()
