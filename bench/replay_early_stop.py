"""Early-stopping rules replayed on the stored curves of full searches: which keep each search's best trial, at what cost.

A search without early stopping stores every trial's whole curves. Successive halving decides from the values at its
rungs only, in proposal order (``core/search/pruning.py``: a trial is ranked against the trials proposed before it
that reached the rung), so its outcome on the same trials can be replayed from those curves without training again:
a trial stopped at rung r keeps its validation accuracy at r as its value, as the search ranks a stopped trial. For
each rule (first rung, eta, the metric the rungs rank on) this prints, over the searches, how often the rule loses
the best trial (its best value is lower than the full search's), the mean best value, and the trial-epochs it trains
as a fraction of the full search's. The decision at a rung is ``core.search.pruning.promotable`` itself.

The searches are the book's (``python -m core search --strategy random --trials 100 --epochs 50 --seed S``), run here
into a temporary folder for seeds 0..N-1, or read from ``--folders`` holding one such search each.

Run: python -m bench.replay_early_stop [--seeds 15]          (about 13 s per seed on 2 quiet cores)
     python -m bench.replay_early_stop --folders A B ...     (searches run before, one per folder)
"""
from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from core.search import load_search
from core.search.pruning import RUNG_METRICS, promotable, rung_epochs
from core.store import ResultStore

REPO = Path(__file__).resolve().parent.parent
RULES = ((5, 3), (5, 2), (2, 3), (2, 2), (10, 3), (10, 2))  # (first rung, eta); the default is (5, 2)


def run_search(seed: int, folder: Path, epochs: int) -> None:
    command = [sys.executable, "-m", "core", "search", "--strategy", "random", "--trials", "100", "--epochs",
               str(epochs), "--seed", str(seed), "--quiet", "--results", str(folder)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the search with seed {seed} failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def trials_of(folder: Path) -> list[dict[str, np.ndarray]]:
    """The one search of ``folder``: each trial's validation curves (epoch 0..n), in proposal order."""
    store = ResultStore(folder)
    specs = list((folder / "searches").glob("*.json"))
    if len(specs) != 1:
        raise SystemExit(f"{folder} must hold exactly one search; it holds {len(specs)}.")
    view = load_search(store, specs[0].stem)
    if view.spec.early_stop:
        raise SystemExit(f"{folder}: the search used early stopping; replaying needs every trial's whole curves.")
    trials = view.trials.sort_values(["trial", "seed_index"])
    curves = store.load_curves(trials["run_id"], columns=["val_loss", "val_acc"])
    by_run = {run_id: part.sort_values("epoch") for run_id, part in curves.groupby("run_id")}
    return [{name: by_run[run_id][name].to_numpy() for name in ("val_loss", "val_acc")}
            for run_id in trials["run_id"] if run_id in by_run]


def final_value(curve: dict[str, np.ndarray], epoch: int) -> float:
    """The search's value of a trial that ends at ``epoch``: its validation accuracy; chance (0.1) once diverged."""
    loss, acc = curve["val_loss"][epoch], curve["val_acc"][epoch]
    return float(acc) if math.isfinite(loss) and math.isfinite(acc) else 0.1


def replay(trials: list[dict[str, np.ndarray]], min_epochs: int, eta: int, metric: str) -> tuple[float, list[int]]:
    """(best value, the epoch each trial ends at) of successive halving with these settings on ``trials``, in their
    order."""
    sign = RUNG_METRICS[metric]
    n_epochs = min(len(c["val_acc"]) for c in trials) - 1
    rungs = rung_epochs(min_epochs, eta, n_epochs)
    seen: dict[int, list[float]] = {rung: [] for rung in rungs}
    best, ends = -math.inf, []
    for curve in trials:
        stop = n_epochs
        for rung in rungs:
            value = float(curve[metric][rung])
            value = sign * value if math.isfinite(value) else math.nan
            seen[rung].append(value)
            if not promotable(value, np.array(seen[rung]), eta):
                stop = rung
                break
        best = max(best, final_value(curve, stop))
        ends.append(stop)
    return best, ends


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=15, help="search seeds 0..N-1 to run (default 15)")
    parser.add_argument("--epochs", type=int, default=50, help="epochs per trial (default 50)")
    parser.add_argument("--folders", nargs="+", type=Path, help="replay these searches instead of running new ones")
    args = parser.parse_args()
    if args.seeds < 1 or args.epochs < 6:
        parser.error(f"--seeds must be at least 1 and --epochs at least 6. Got {args.seeds} and {args.epochs}.")
    scratch = None
    if args.folders:
        folders = args.folders
    else:
        scratch = Path(tempfile.mkdtemp(prefix="replay-early-stop-"))
        folders = [scratch / f"seed-{seed}" for seed in range(args.seeds)]
        for seed, folder in enumerate(folders):
            print(f"running the full search with seed {seed} ...", flush=True)
            run_search(seed, folder, args.epochs)
    try:
        searches = [trials_of(folder) for folder in folders]
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    full = [max(final_value(c, len(c["val_acc"]) - 1) for c in trials) for trials in searches]
    full_epochs = [sum(len(c["val_acc"]) - 1 for c in trials) for trials in searches]
    print(f"\n{len(searches)} searches of {len(searches[0])} trials; best value without early stopping: "
          f"mean {np.mean(full):.4f} ({', '.join(f'{v:.2f}' for v in full)})")
    print(f"{'first rung':>10} {'eta':>4} {'rungs':>14} {'ranked on':>9} {'loses best':>10} {'mean best':>9} "
          f"{'trial-epochs':>12}  per search (best - full)")
    for metric in ("val_loss", "val_acc"):
        for min_epochs, eta in RULES:
            rungs = rung_epochs(min_epochs, eta, args.epochs)
            if not rungs:
                continue
            results = [replay(trials, min_epochs, eta, metric) for trials in searches]
            lost = sum(best < value - 1e-9 for (best, _), value in zip(results, full))
            fraction = sum(sum(ends) for _, ends in results) / sum(full_epochs)
            print(f"{min_epochs:>10} {eta:>4} {str(list(rungs)):>14} {metric:>9} {lost:>6} of {len(full):<2}"
                  f"{np.mean([b for b, _ in results]):>9.4f} {fraction:>12.3f}  "
                  + " ".join(f"{b - v:+.2f}" for (b, _), v in zip(results, full)))


if __name__ == "__main__":
    main()
