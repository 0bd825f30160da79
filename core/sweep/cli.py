"""``python -m core sweep``: launch a sweep through the job manager with a progress bar, then print its summary.

    python -m core sweep --preset overfit --vary weight_decay=0,1e-4..1x9log --seeds 5
    python -m core sweep --preset overfit --vary weight_decay=0,1e-3..1x3log --vary dropout=0,0.1,0.2,0.3 --seeds 3
    python -m core sweep --show weight_decay-1abf9b7de9 [--at best]
    python -m core sweep --list

Registered by ``core/cli.py`` as the ``sweep`` subcommand.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from ..cli_common import add_dask_option, count_type, follow_job, natural_type, nonempty_text
from ..config import RunConfig, config_with, parse_override
from ..presets import PRESETS, get_preset
from .grid import GRID_HELP, SWEEP_FIELDS, SweepError, format_value
from .spec import DEFAULT_N_VAL, MAX_SEEDS, SweepSpec, make_spec
from .storage import SweepView, list_sweeps, load_sweep
from .summary import AT, SweepSummary, summarize


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (f"Sweep one or two fields over a grid x seeds; the point is chosen on validation data "
                          f"(a base without a validation split gets n_val={DEFAULT_N_VAL}). Fields: "
                          f"{', '.join(SWEEP_FIELDS)}. A grid is {GRID_HELP}.")
    parser.add_argument("--preset", choices=sorted(PRESETS), help="the base config (default: overfit)")
    parser.add_argument("--config", help="a JSON file with the base config's fields (instead of --preset)")
    parser.add_argument("--set", action="append", metavar="KEY=VALUE", help="a base config field, e.g. --set n_epochs=100")
    parser.add_argument("--vary", action="append", metavar="FIELD=GRID",
                        help="a swept field and its values, e.g. weight_decay=0,1e-4..1x9log (once or twice)")
    parser.add_argument("--seeds", type=count_type("seeds", "--seeds"), default=5,
                        help="training seeds per point: 0..N-1 (default 5)")
    parser.add_argument("--first-seed", type=natural_type("--first-seed"), default=0,
                        help="the first training seed (default 0)")
    parser.add_argument("--workers", type=count_type("workers", "--workers"), default=2, help="runs at once (default 2)")
    parser.add_argument("--at", choices=AT, default="final",
                        help="summarise the final epoch or each run's epoch of best validation accuracy")
    parser.add_argument("--show", metavar="SWEEP_ID", type=nonempty_text("--show"),
                        help="print the summary of a stored sweep and exit")
    parser.add_argument("--list", action="store_true", help="list the stored sweeps and exit")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_dask_option(parser)


def _base(args: argparse.Namespace) -> tuple[RunConfig, bool]:
    """The base config and whether it may get the default validation split (not when n_val is set explicitly)."""
    if args.preset and args.config:
        raise SweepError("preset", "give either --preset or --config, not both")
    if args.config:
        from ..limits import read_small_file

        base = RunConfig.from_json(read_small_file(Path(args.config)))  # a regular, small file; never blocks
    else:
        preset = get_preset(args.preset or "overfit")
        if len(preset.configs) != 1:
            raise SweepError("preset", f"the preset {preset.name!r} has {len(preset.configs)} configs; a sweep "
                                       f"starts from one (choose another preset, or --config)")
        base = preset.configs[0]
    overrides = dict(parse_override(item) for item in args.set or [])
    return config_with(base, overrides), "n_val" not in overrides


def spec_from_args(args: argparse.Namespace) -> SweepSpec:
    """The SweepSpec the options describe; SweepError / ConfigError (one line) when they are invalid."""
    if not args.vary:
        raise SweepError("vary", "give the swept field and its values, e.g. --vary weight_decay=0,1e-4..1x9log")
    vary: dict[str, str] = {}
    for item in args.vary:
        name, sep, grid = item.partition("=")
        if not sep:
            raise SweepError("vary", f"The 'vary' parameter must be FIELD=GRID, e.g. weight_decay=0,1e-4..1x9log. "
                                     f"Got {item!r} instead.")
        if name.strip() in vary:
            raise SweepError("vary", f"The 'vary' parameter must give two different fields. Got {name.strip()!r} "
                                     f"twice instead.")
        vary[name.strip()] = grid
    if len(vary) > 2:
        raise SweepError("vary", f"The 'vary' parameter must give one or two fields. Got {len(vary)} instead.")
    if not 1 <= args.seeds <= MAX_SEEDS:
        raise SweepError("seeds", f"The 'seeds' parameter must be an int in the range [1, {MAX_SEEDS}]. "
                                  f"Got {args.seeds} instead.")
    if args.workers < 1:
        raise SweepError("workers", f"The 'workers' parameter must be an int in the range [1, inf). "
                                    f"Got {args.workers} instead.")
    base, add_validation = _base(args)
    return make_spec(base, vary, seeds=args.seeds, first_seed=args.first_seed, add_validation=add_validation)


def _pm(mean: float, std: float, n: int) -> str:
    if not np.isfinite(mean):
        return "—"
    return f"{mean:.3f}" if n < 2 else f"{mean:.3f} ± {std:.3f}"


def summary_table(summary: SweepSummary, fields: tuple[str, ...]) -> str:
    """Per point: the swept values, seeds, val / test acc and gap (mean ± std), the paired difference in test
    accuracy to the baseline with its 95 % interval, and '*' on the point chosen on validation."""
    paired = summary.paired.set_index("point")
    rows = []
    for _, p in summary.points.iterrows():
        row = {"": "*" if p["chosen"] else "", **{f: format_value(f, p[f]) for f in fields},
               "seeds": f"{p['n']}/{p['n_runs']}" + (f" ({p['n_diverged']} diverged)" if p["n_diverged"] else ""),
               "val acc": _pm(p["val_acc_mean"], p["val_acc_std"], p["n"]),
               "test acc": _pm(p["test_acc_mean"], p["test_acc_std"], p["n"]),
               "gap": _pm(p["gap_mean"], p["gap_std"], p["n"])}
        if p["point"] in paired.index:
            d = paired.loc[p["point"]]
            ci = "" if not np.isfinite(d["ci_low"]) else f" [{d['ci_low']:+.3f}, {d['ci_high']:+.3f}]"
            row["Δ test vs baseline"] = "—" if not np.isfinite(d["diff_mean"]) else f"{d['diff_mean']:+.3f}{ci}"
        else:
            row["Δ test vs baseline"] = "baseline"
        rows.append(row)
    return pd.DataFrame(rows).to_string(index=False)


def print_summary(view: SweepView, at: str, root: Path) -> None:
    curves = None
    if at == "best":
        from ..store import ResultStore

        curves = ResultStore(root).load_curves(view.run_ids)
    summary = summarize(view, curves, at=at)
    spec = view.spec
    print(f"sweep {spec.sweep_id} · {spec.title()} · {view.n_finished} of {spec.n_runs} runs stored · "
          f"{'final epoch' if at == 'final' else 'epoch of best validation accuracy'}")
    print(f"base: {spec.base.label()} · n_train={spec.base.n_train} n_val={spec.base.n_val} "
          f"n_test={spec.base.n_test or 'rest'} · {spec.base.n_epochs} epochs")
    print(summary_table(summary, spec.fields))
    chosen = summary.chosen
    if chosen is not None:
        values = ", ".join(f"{f}={format_value(f, chosen[f])}" for f in spec.fields)
        print(f"* chosen on validation: {values} — val acc {chosen['val_acc_mean']:.3f}, test acc "
              f"{chosen['test_acc_mean']:.3f}, gap {chosen['gap_mean']:.3f} (mean of {chosen['n']} seeds)")


def handle(args: argparse.Namespace) -> int:
    from ..jobs import JobManager
    from ..store import results_dir
    from .runner import start_sweep

    root = results_dir(args.results)
    if args.list:
        from ..store import ResultStore

        sweeps = list_sweeps(root, ResultStore(root).load_runs())
        print("no sweeps" if sweeps.empty else sweeps[["sweep_id", "created", "title", "n_stored", "n_runs",
                                                       "base_label"]].to_string(index=False))
        return 0
    if args.show is not None:
        print_summary(load_sweep(root, args.show), args.at, root)
        return 0
    spec = spec_from_args(args)
    from ..data import check_data

    check_data(spec.base.dataset, spec.base.data_path)
    from ..executors import dask_address

    manager = JobManager(root, max_workers=args.workers, dask=dask_address(args.dask))
    try:
        launch = start_sweep(manager, spec)
        state = "new sweep" if launch.new else "stored sweep, opened again"
        print(f"sweep {launch.sweep_id} ({state}): {launch.n_runs} runs, {launch.n_cached} cached, "
              f"{launch.n_todo} to train")
        if launch.job_id is not None:
            follow_job(root, launch.job_id, manager, total_epochs=launch.n_todo * spec.base.n_epochs,
                       name=f"sweep {launch.sweep_id}", quiet=args.quiet, what="sweep's job")
    finally:
        manager.shutdown()
    view = load_sweep(root, launch.sweep_id)
    print_summary(view, args.at, root)
    failed = int(view.members["status"].isin(["failed"]).sum())
    return 1 if failed else 0
