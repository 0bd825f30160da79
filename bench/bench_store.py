"""Benchmark of the results store: listing 10,000 runs in 1,000 batch files and reading the curves of 100.

Run from the repository root: ``python -m bench.bench_store`` (about a minute). Prints each time and its ratio to a
baseline measured in the same run: ``pandas.read_parquet`` of one file that holds all the runs rows (for listing),
and of one file that holds all the curves rows, filtered on run_id (for curves).
"""
from __future__ import annotations

import argparse
import platform
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.config import RunConfig
from core.record import METRICS, RunRecord, RunStatus
from core.store import ResultStore


def synthetic_record(seed: int, n_epochs: int, rng: np.random.Generator) -> RunRecord:
    """A plausible record without training: noisy saturating curves, 7 weight norms per evaluation."""
    config = RunConfig(seed=seed, n_epochs=n_epochs, n_val=100, lr=float(rng.choice([0.001, 0.01, 0.1])))
    n_evals = n_epochs + 1
    t = np.arange(n_evals) / n_epochs
    curves = {"epoch": np.arange(n_evals)}
    for split, ceiling in (("train", 1.0), ("val", 0.75), ("test", 0.75)):
        acc = ceiling * (1 - np.exp(-5 * t)) + rng.normal(0, 0.01, n_evals)
        curves[f"{split}_acc"] = acc
        curves[f"{split}_loss"] = -np.log(np.clip(acc, 0.01, 1.0))
    curves["elapsed_s"] = np.cumsum(rng.uniform(0.01, 0.02, n_evals))
    curves = {name: curves[name] for name in ("epoch", *METRICS, "elapsed_s")}
    norms = np.cumsum(rng.uniform(0, 0.1, (n_evals, len(config.hidden_sizes) + 1)), axis=0)
    return RunRecord(config, RunStatus.COMPLETE, curves, norms, n_epochs, "bench", "2025-01-01T00:00:00+00:00",
                     float(curves["elapsed_s"][-1]))


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """Smallest wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--batches", type=int, default=1_000)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--selected", type=int, default=100)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    per_batch = args.runs // args.batches

    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        root = Path(tmp) / "results"
        writer = ResultStore(root)
        start = time.perf_counter()
        for b in range(args.batches):
            writer.write([synthetic_record(b * per_batch + i, args.epochs, rng) for i in range(per_batch)])
        write_s = time.perf_counter() - start
        size_mb = sum(p.stat().st_size for p in root.iterdir()) / 1e6

        # Baselines: the same rows, each kind in one file, read with plain pandas.
        runs_file, curves_file = Path(tmp) / "all.runs.parquet", Path(tmp) / "all.curves.parquet"
        pq.write_table(pa.concat_tables(pq.read_table(p) for p in sorted(root.glob("*.runs.parquet"))), runs_file)
        pq.write_table(pa.concat_tables(pq.read_table(p) for p in sorted(root.glob("*.curves.parquet")))
                       .sort_by("run_id"), curves_file, row_group_size=16_384)
        base_runs = best_of(5, lambda: pd.read_parquet(runs_file))
        all_ids = pd.read_parquet(runs_file, columns=["run_id"])["run_id"].tolist()
        chosen = [str(i) for i in rng.choice(all_ids, args.selected, replace=False)]
        base_curves = best_of(5, lambda: pd.read_parquet(curves_file, filters=[("run_id", "in", chosen)]))

        reader = ResultStore(root)
        cold = best_of(1, reader.load_runs)
        assert len(reader.load_runs()) == args.runs
        warm_same = best_of(5, reader.load_runs)
        version = best_of(5, reader.version)
        writer.write([synthetic_record(10**6, args.epochs, rng)])
        warm_new = best_of(1, reader.load_runs)
        assert len(reader.load_runs()) == args.runs + 1
        curves = best_of(3, lambda: reader.load_curves(chosen))
        assert reader.load_curves(chosen)["run_id"].nunique() == args.selected
        cached = best_of(5, lambda: reader.cached(chosen))

        start = time.perf_counter()
        writer.compact()
        compact_s = time.perf_counter() - start
        compacted = ResultStore(root)
        cold_compacted = best_of(1, compacted.load_runs)
        curves_compacted = best_of(3, lambda: compacted.load_curves(chosen))

    print(f"machine: {platform.machine()} {platform.processor() or ''} · {platform.system()} · python "
          f"{platform.python_version()} · pandas {pd.__version__} · pyarrow {pa.__version__}")
    print(f"store: {args.runs:,} runs x {args.epochs + 1} evals in {args.batches:,} batches, {size_mb:.0f} MB; "
          f"written in {write_s:.1f} s ({1e3 * write_s / args.batches:.1f} ms per batch)")
    print(f"baseline A  pd.read_parquet, one file of all runs rows        {1e3 * base_runs:8.1f} ms")
    print(f"baseline B  pd.read_parquet, one curves file, {args.selected} run_ids      {1e3 * base_curves:8.1f} ms")
    rows = [
        ("load_runs, cold (new instance)", cold, base_runs, "A"),
        ("load_runs, warm, nothing new", warm_same, base_runs, "A"),
        ("load_runs, warm, one new batch", warm_new, base_runs, "A"),
        ("version()", version, base_runs, "A"),
        (f"cached({args.selected} ids), warm", cached, base_runs, "A"),
        (f"load_curves({args.selected} ids)", curves, base_curves, "B"),
        ("compact()", compact_s, base_runs, "A"),
        ("load_runs, cold, after compact", cold_compacted, base_runs, "A"),
        (f"load_curves({args.selected} ids), after compact", curves_compacted, base_curves, "B"),
    ]
    for name, seconds, base, label in rows:
        print(f"{name:<40} {1e3 * seconds:8.1f} ms   {seconds / base:6.2f} x baseline {label}")


if __name__ == "__main__":
    main()
