"""Benchmark of the results store: listing 10,000 runs and reading the curves of 100, before and after merging.

Run from the repository root: ``python -m bench.bench_store`` (about 2 minutes on 2 busy cores; the issue-12
targets are measured with ``--batches 1000``, 10 runs a batch, as the figures before them were). The folder first
holds every run in a batch of its own, as the job workers publish them (``--batches 10000``); then the batches are
merged 100 at a time (``--merge-size``), as a finished job does; then compacted into one. Prints each time and its
ratio to a baseline measured in the same run: ``pandas.read_parquet`` of one file that holds all the runs rows (A,
for listing) and of one file that holds all the curves rows, filtered on run_id (B, for curves).

To build 10,000 batches in seconds rather than minutes, the batch files are written with ``pq.write_table`` straight
to their final names, in two processes: the same bytes as ``ResultStore.write``, without its temporary file, fsync
and rename (timed on its own, on a sample of ``--sample-writes`` batches).

Cold listings are timed twice: the first listing ever (every runs file read and its rows checked; it saves the
private index) and a new ``ResultStore`` that finds the index (what a restarted dashboard or a new CLI process
does). The listing index goes to a temporary cache folder. Each time is also given as CPU seconds of this process,
which a busy machine inflates less than wall time; run ``uptime`` alongside.

Curves are read in each layout by a new store: its first call (every footer unknown), then three selections of
runs not asked for before (the best is "new runs": what a user picking other runs waits; only footers can be
remembered between them), then the first selection again ("same again"). Each layout is read once the folder has
settled (``store_folder.SETTLED_S`` after its last change: a store then trusts its last listing while the folder's
own ``stat`` is unchanged); the unmerged layout is also read just after a batch was written ("folder written"),
where every read lists the folder again.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.config import RunConfig
from core.record import METRICS, RunRecord, RunStatus
from core.store import CURVE_COLUMNS, ResultStore
from core.store_folder import SETTLED_S, file_name
from core.store_format import RUNS_SCHEMA, curves_table, new_stamp, runs_table
from core.store_index import CACHE_ENV

from bench.timing import best_of


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


def write_batches(root: str, first: int, n_runs: int, n_epochs: int, per_batch: int) -> list[str]:
    """Worker: publish runs ``first`` to ``first + n_runs - 1`` in batches of ``per_batch``, as ``write`` would."""
    rng = np.random.default_rng(first)
    records = [synthetic_record(first + i, n_epochs, rng) for i in range(n_runs)]
    runs, curves = runs_table(records, ""), curves_table(records)
    batch_column = RUNS_SCHEMA.get_field_index("batch_id")
    batches, row = [], 0
    for start in range(0, n_runs, per_batch):
        batch = new_stamp()
        n_rows = sum(record.n_evals for record in records[start:start + per_batch])
        size = min(per_batch, n_runs - start)
        pq.write_table(curves.slice(row, n_rows), Path(root) / file_name(batch, "curves"))  # curves first, as write()
        pq.write_table(runs.slice(start, size).set_column(batch_column, "batch_id", pa.array([batch] * size)),
                       Path(root) / file_name(batch, "runs"))
        batches.append(batch)
        row += n_rows
    return batches


def settle(root: Path) -> None:
    """Wait until the folder's last change is ``SETTLED_S`` old: a store then reads curves from its last listing
    while one ``stat`` says the folder is unchanged (``store_folder.settled_mark``), as when browsing results."""
    info = os.stat(root)
    left = max(info.st_mtime_ns, info.st_ctime_ns) / 1e9 + SETTLED_S - time.time()
    time.sleep(max(0.0, left) + 0.05)


def curves_times(root: Path, selections: list[list[str]], columns: tuple[str, ...] | None = None, *,
                 settled: bool = True) -> tuple[float, float, float, float]:
    """load_curves in a new store: (first call, footers unknown; best new selection; best repeat of one selection;
    CPU seconds of the best new selection). Each of the first len(selections) - 1 calls after the first asks for
    runs not asked for before, so only the files' footers can be remembered, not their rows. ``columns``: as
    ``load_curves`` takes them (None: every column). ``settled``: first wait until the folder has settled (else
    a batch is written just before, and every read lists the folder again)."""
    if settled:
        settle(root)
    else:
        ResultStore(root).write([synthetic_record(10**8 + len(os.listdir(root)), 10, np.random.default_rng(0))])
    store = ResultStore(root)
    store.load_runs()
    first = best_of(1, lambda: store.load_curves(selections[0], columns))
    fresh, fresh_cpu = [], []
    for ids in selections[1:]:
        wall, cpu = time.perf_counter(), time.process_time()
        store.load_curves(ids, columns)
        fresh.append(time.perf_counter() - wall)
        fresh_cpu.append(time.process_time() - cpu)
    again = best_of(3, lambda: store.load_curves(selections[0], columns))
    assert store.load_curves(selections[0], columns)["run_id"].nunique() == len(selections[0])
    return first, min(fresh), again, min(fresh_cpu)


def cpu_of(repeat: int, fn) -> float:
    """Smallest CPU time of this process (all its threads) over ``repeat`` calls of ``fn``, in seconds."""
    return best_of(repeat, fn, clock=time.process_time)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--batches", type=int, default=10_000, help="batches the runs are first written in")
    parser.add_argument("--merge-size", type=int, default=100, help="batches merged into one")
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--selected", type=int, default=100)
    parser.add_argument("--sample-writes", type=int, default=100)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    per_batch = args.runs // args.batches
    n_merges = -(-args.batches // args.merge_size)

    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        os.environ[CACHE_ENV] = str(Path(tmp) / "cache")
        sample = ResultStore(Path(tmp) / "sample")
        records = [synthetic_record(10**7 + i, args.epochs, rng) for i in range(args.sample_writes)]
        write_s = best_of(1, lambda: [sample.write([record]) for record in records]) / args.sample_writes

        root = Path(tmp) / "results"
        root.mkdir()
        start = time.perf_counter()
        half = args.batches // 2 * per_batch
        with cf.ProcessPoolExecutor(2) as pool:  # two cores, two halves
            parts = [pool.submit(write_batches, str(root), 0, half, args.epochs, per_batch),
                     pool.submit(write_batches, str(root), half, args.runs - half, args.epochs, per_batch)]
            batches = sorted(b for part in parts for b in part.result())
        build_s = time.perf_counter() - start
        size_mb = sum(p.stat().st_size for p in root.iterdir()) / 1e6

        reader = ResultStore(root)
        first_ever = best_of(1, reader.load_runs)
        cold = best_of(3, lambda: ResultStore(root).load_runs())
        cold_cpu = cpu_of(3, lambda: ResultStore(root).load_runs())
        all_ids = reader.load_runs()["run_id"]
        assert len(all_ids) == args.runs
        picked = [str(i) for i in rng.choice(all_ids, 7 * args.selected, replace=False)]  # 7 disjoint selections
        selections = [picked[k * args.selected:(k + 1) * args.selected] for k in range(7)]
        lean = selections[4:]  # for the curve columns alone: runs no read of every column asked for
        chosen = selections[0]
        warm_same = best_of(5, reader.load_runs)
        settle(root)
        version = best_of(5, reader.version)
        ResultStore(root).write([synthetic_record(10**6, args.epochs, rng)])
        version_new = best_of(1, reader.version)  # the folder changed: listed again
        warm_new = best_of(1, reader.load_runs)
        assert len(reader.load_runs()) == args.runs + 1
        _, curves_busy, _, curves_busy_cpu = curves_times(root, selections[4:], settled=False)
        curves_first, curves, curves_again, curves_cpu = curves_times(root, selections[:4])
        _, curves_lean, _, curves_lean_cpu = curves_times(root, lean, CURVE_COLUMNS)
        cached = best_of(5, lambda: reader.cached(chosen))

        merger = ResultStore(root)
        merger.load_runs()
        merge_times = []
        for first in range(0, len(batches), args.merge_size):
            merge_times.append(best_of(1, lambda: merger.merge(batches[first:first + args.merge_size])))
        warm_merged = best_of(1, reader.load_runs)  # the reader that listed the 10,000 batches, after the merges
        merged = ResultStore(root)
        cold_merged = best_of(1, merged.load_runs)
        cold_merged_again = best_of(3, lambda: ResultStore(root).load_runs())  # the index now knows the merged files
        assert len(merged.load_runs()) == args.runs + 2 and len(list(root.glob("*.runs.parquet"))) == n_merges + 2
        settle(root)
        version_merged = best_of(5, merged.version)
        curves_merged_first, curves_merged, curves_merged_again, curves_merged_cpu = curves_times(root, selections[:4])
        _, curves_merged_lean, _, curves_merged_lean_cpu = curves_times(root, lean, CURVE_COLUMNS)

        # Baselines: the same rows, each kind in one file, read with plain pandas (built from the merged batches:
        # reading 10,000 batches once more would take longer than everything else).
        runs_file, curves_file = Path(tmp) / "all.runs.parquet", Path(tmp) / "all.curves.parquet"
        pq.write_table(pa.concat_tables(pq.read_table(p) for p in sorted(root.glob("*.runs.parquet"))), runs_file)
        pq.write_table(pa.concat_tables(pq.read_table(p) for p in sorted(root.glob("*.curves.parquet")))
                       .sort_by("run_id"), curves_file, row_group_size=16_384)
        base_runs = best_of(5, lambda: pd.read_parquet(runs_file))
        base_curves = best_of(5, lambda: pd.read_parquet(curves_file, filters=[("run_id", "in", chosen)]))

        compact_s = best_of(1, merged.compact)
        compacted = ResultStore(root)
        cold_compacted = best_of(1, compacted.load_runs)
        cold_compacted_again = best_of(3, lambda: ResultStore(root).load_runs())
        curves_compacted_first, curves_compacted, curves_compacted_again, curves_compacted_cpu = curves_times(
            root, selections[:4])
        _, curves_compacted_lean, _, curves_compacted_lean_cpu = curves_times(root, lean, CURVE_COLUMNS)

    print(f"machine: {platform.machine()} {platform.processor() or ''} · {platform.system()} · python "
          f"{platform.python_version()} · pandas {pd.__version__} · pyarrow {pa.__version__}")
    print(f"store: {args.runs:,} runs x {args.epochs + 1} evals in {args.batches:,} batches, {size_mb:.0f} MB; "
          f"built in {build_s:.1f} s; ResultStore.write of a one-run batch {1e3 * write_s:.1f} ms")
    print(f"then merged {args.merge_size} batches at a time into {n_merges:,}: merge() "
          f"{1e3 * statistics.median(merge_times):.0f} ms median, {sum(merge_times):.1f} s in all")
    print(f"baseline A  pd.read_parquet, one file of all runs rows        {1e3 * base_runs:8.1f} ms")
    print(f"baseline B  pd.read_parquet, one curves file, {args.selected} run_ids      {1e3 * base_curves:8.1f} ms")
    rows = [
        (f"load_runs, first ever, {args.batches:,} batches", first_ever, base_runs, "A"),
        (f"load_runs, cold, {args.batches:,} batches", cold, base_runs, "A"),
        ("load_runs, warm, nothing new", warm_same, base_runs, "A"),
        ("load_runs, warm, one new batch", warm_new, base_runs, "A"),
        ("version(), settled folder", version, base_runs, "A"),
        ("version(), just after a write", version_new, base_runs, "A"),
        (f"cached({args.selected} ids), warm", cached, base_runs, "A"),
        (f"load_curves({args.selected} ids), new store", curves_first, base_curves, "B"),
        (f"load_curves({args.selected} ids), new runs", curves, base_curves, "B"),
        (f"load_curves({args.selected} ids), new runs, folder written", curves_busy, base_curves, "B"),
        (f"load_curves({args.selected} ids), same again", curves_again, base_curves, "B"),
        (f"load_curves({args.selected} ids), curve columns, new runs", curves_lean, base_curves, "B"),
        ("load_runs, warm, after the merges", warm_merged, base_runs, "A"),
        (f"load_runs, cold, {n_merges + 2:,} merged batches", cold_merged, base_runs, "A"),
        ("load_runs, cold, merged, index refreshed", cold_merged_again, base_runs, "A"),
        ("version(), merged", version_merged, base_runs, "A"),
        (f"load_curves({args.selected} ids), merged, new store", curves_merged_first, base_curves, "B"),
        (f"load_curves({args.selected} ids), merged, new runs", curves_merged, base_curves, "B"),
        (f"load_curves({args.selected} ids), merged, same again", curves_merged_again, base_curves, "B"),
        (f"load_curves({args.selected} ids), merged, curve columns", curves_merged_lean, base_curves, "B"),
        ("compact()", compact_s, base_runs, "A"),
        ("load_runs, cold, after compact", cold_compacted, base_runs, "A"),
        ("load_runs, cold, compacted, index refreshed", cold_compacted_again, base_runs, "A"),
        (f"load_curves({args.selected} ids), compacted, new store", curves_compacted_first, base_curves, "B"),
        (f"load_curves({args.selected} ids), compacted, new runs", curves_compacted, base_curves, "B"),
        (f"load_curves({args.selected} ids), compacted, same again", curves_compacted_again, base_curves, "B"),
        (f"load_curves({args.selected} ids), compacted, curve columns", curves_compacted_lean, base_curves, "B"),
    ]
    for name, seconds, base, label in rows:
        print(f"{name:<40} {1e3 * seconds:8.1f} ms   {seconds / base:7.2f} x baseline {label}")
    print(f"cold listing, {args.batches:,} batches / {n_merges + 2:,} merged: {cold / cold_merged:.1f}x faster merged")
    print(f"targets (issue 12): cold listing, not merged {cold:.3f} s wall, {cold_cpu:.3f} s CPU (at most 0.3 s); "
          f"curves of {args.selected} new runs (at most 0.1 s): not merged {curves:.3f} s wall, {curves_cpu:.3f} s "
          f"CPU (in a folder written just before: {curves_busy:.3f} s wall, {curves_busy_cpu:.3f} s CPU); "
          f"merged {curves_merged:.3f} s wall, {curves_merged_cpu:.3f} s CPU; compacted {curves_compacted:.3f} "
          f"s wall, {curves_compacted_cpu:.3f} s CPU")
    print(f"the same, curve columns only (load_curves(ids, columns=CURVE_COLUMNS)): not merged {curves_lean:.3f} s "
          f"wall, {curves_lean_cpu:.3f} s CPU; merged {curves_merged_lean:.3f} s wall, {curves_merged_lean_cpu:.3f} s "
          f"CPU; compacted {curves_compacted_lean:.3f} s wall, {curves_compacted_lean_cpu:.3f} s CPU")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")


if __name__ == "__main__":
    main()
