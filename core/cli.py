"""``python -m core``: run presets or configs, list, show and delete cached runs, from a terminal."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

from .cli_common import (CliError, OneLineParser, add_dask_option, add_results_option, count_type, counted, follow_job,
                         natural_type, print_error, skipped_file_notices)
from .config import ConfigError, RunConfig, config_with, parse_override
from .limits import check_job, read_small_file
from .presets import PRESETS, get_preset

if TYPE_CHECKING:  # numpy comes with it: `presets`, `list` and a refused option need none
    from .outcome import RunOutcome


def _configs_from_args(args: argparse.Namespace) -> list[RunConfig]:
    if args.preset and (args.config or args.set):
        raise CliError("give either --preset or --config/--set, not both")
    if args.preset:
        return get_preset(args.preset).configs_for_seeds(args.seeds, args.first_seed or 0)
    base = RunConfig()
    if args.config:
        base = RunConfig.from_json(read_small_file(Path(args.config)))  # a regular, small file; never blocks
    overrides = dict(parse_override(item) for item in args.set or [])
    base = config_with(base, overrides)
    first = base.seed if args.first_seed is None else args.first_seed  # --set seed=5 / "seed": 7 are respected
    return [config_with(base, {"seed": s}) for s in range(first, first + args.seeds)]


def run_configs(configs: Sequence[RunConfig], *, root: str | None, workers: int, name: str,
                quiet: bool = False, dask: str | None = None,
                subject: Mapping[str, str] | None = None) -> dict[str, RunOutcome]:
    """Run configs through a JobManager (so the dashboard sees the job) with a tqdm bar over epochs.

    Returns ``{run_id: RunOutcome}``: a config found in the store has ``cached=True`` and the status "cached" (its
    row is in the store); a trained one, the outcome its run ended with. One config to train and no cluster: it
    trains in this process (the job manager's in-process executor), with the same job files and the same
    publish-on-finish as a worker, but without a worker process's start-up.
    """
    from .executors import dask_address
    from .jobs import JobManager
    from .outcome import RunOutcome
    from .store import ResultStore

    store = ResultStore(root)
    cached = store.cached(c.run_id for c in configs)
    for c in configs:
        if c.run_id in cached:
            print(f"cached  {c.run_id}  {c.label(with_seed=True)}")
    found = {c.run_id: RunOutcome(c.run_id, "cached", cached=True) for c in configs if c.run_id in cached}
    todo = [c for c in configs if c.run_id not in cached]
    if not todo:
        return found
    address = dask_address(dask)
    manager = JobManager(store.root, max_workers=min(workers, len(todo)), dask=address,
                         in_process=address is None and len(todo) == 1)
    total_epochs = sum(c.n_epochs for c in todo)
    results: dict[str, RunOutcome] = {}
    job_id = manager.start(name, lambda ctx: results.update(ctx.run(todo)), meta={"subject": dict(subject or {})})
    try:
        follow_job(store.root, job_id, manager, total_epochs=total_epochs, name=name, quiet=quiet)
    finally:
        manager.shutdown()
    return {**found, **results}


def _run_line(status: str, run_id: str, train_acc: float, test_acc: float, gap: float, config: RunConfig) -> str:
    return (f"{status:<9} {run_id}  train={train_acc:.3f} test={test_acc:.3f} gap={gap:+.3f}  {config.label()} · "
            f"seed={config.seed}")


def _cmd_run(args: argparse.Namespace) -> int:
    configs = _configs_from_args(args)
    check_job(configs)  # model, memory and run-count limits, before any array exists
    from .data import check_data

    for key in dict.fromkeys((c.dataset, c.data_path) for c in configs):
        check_data(*key)  # a bad IDX folder is reported here, not as failed runs in the store
    name = f"preset {args.preset}" if args.preset else "cli run"
    subject = {"kind": "preset", "preset": args.preset} if args.preset else {"kind": "config",
                                                                             "label": configs[0].label()}
    results = run_configs(configs, root=args.results, workers=args.workers, name=name, quiet=args.quiet,
                          dask=args.dask, subject=subject)
    from .store import ResultStore

    store = ResultStore(args.results)
    rows = {}
    if any(outcome.cached for outcome in results.values()):  # their rows from the store (pandas is loaded by then)
        runs = store.load_runs()
        rows = {row["run_id"]: row for row in runs[runs["run_id"].isin(list(results))].to_dict("records")}
    for config in dict((c.run_id, c) for c in configs).values():  # a trained run's line from its outcome: no listing
        outcome, row = results.get(config.run_id), rows.get(config.run_id)
        if row is not None:
            print(_run_line(row["status"], config.run_id, row["final_train_acc"], row["final_test_acc"],
                            row["final_gap"], config))
        elif outcome is not None and outcome.status != "cancelled":
            print(_run_line(outcome.status, config.run_id, outcome.final_train_acc, outcome.final_test_acc,
                            outcome.final_train_acc - outcome.final_test_acc, config))
    statuses = [outcome.status for outcome in results.values()]
    failed = statuses.count("failed")
    print(f"{counted(len(results), 'run')}: {statuses.count('cached')} cached, {failed} failed; "
          f"results in {store.root}")
    return 1 if failed else 0


def _cmd_list(args: argparse.Namespace) -> int:
    from .store import ResultStore
    from .store_listing import LONG_LISTING

    store = ResultStore(args.results)
    unread = store.unread_files()
    if unread >= LONG_LISTING:  # a long first listing says what it is doing (the dashboard shows a spinner)
        print(f"reading {unread:,} runs files not indexed on this machine yet (once)...", file=sys.stderr)
    runs = store.load_runs()
    if args.status:
        runs = runs[runs["status"] == args.status]
    if runs.empty:
        print(f"no cached runs in {store.root}")
    else:
        cols = ["run_id", "status", "seed", "n_epochs", "final_train_acc", "final_test_acc", "final_gap", "label"]
        shown = runs[cols].tail(args.limit) if args.limit else runs[cols].iloc[0:0]
        print(shown.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    for problem in store.problems():
        print(f"skipped {problem.path}: {problem.reason}", file=sys.stderr)
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from .store import ResultStore

    record = ResultStore(args.results).get(args.run_id)
    if record is None:
        raise CliError(f"no cached run with id {args.run_id!r}")
    print(f"run {record.run_id} (group {record.group_id}) · {record.status.value} at epoch {record.stopped_epoch}")
    print(f"label: {record.config.label(with_seed=True)}")
    print(f"created {record.created_at}, {record.duration_s:.2f} s, data {record.data_fingerprint}")
    if record.error:
        print(f"error: {record.error}")
    print("config: " + json.dumps(record.config.to_dict(), sort_keys=True))
    step = max(1, record.n_evals // 10)
    print(f"{'epoch':>6} {'train_acc':>9} {'val_acc':>8} {'test_acc':>8} {'train_loss':>10} {'test_loss':>9}")
    for i in list(range(0, record.n_evals, step)) + ([record.n_evals - 1] if (record.n_evals - 1) % step else []):
        c = record.curves
        print(f"{int(c['epoch'][i]):>6} {c['train_acc'][i]:>9.4f} {c['val_acc'][i]:>8.4f} {c['test_acc'][i]:>8.4f} "
              f"{c['train_loss'][i]:>10.4f} {c['test_loss'][i]:>9.4f}")
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    from .store import ResultStore

    store = ResultStore(args.results)
    known = set(store.load_runs()["run_id"])
    missing = [rid for rid in args.run_ids if rid not in known]
    if missing:
        raise CliError(f"no cached run with id {missing[0]!r}; nothing deleted")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("refusing to delete without --yes when not interactive")
        if input(f"delete {counted(len(args.run_ids), 'run')}? [y/N] ").strip().lower() != "y":
            print("nothing deleted")
            return 0
    print(f"deleted {counted(store.delete(args.run_ids), 'run')}")
    return 0


def _cmd_presets(args: argparse.Namespace) -> int:
    for preset in PRESETS.values():
        print(f"{preset.name:<13} {counted(len(preset.configs), 'config'):<10} {preset.description}")
    return 0


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser; given ``argv``, with the search and sweep commands only when it names them (or
    asks for help): their modules (pandas, the samplers) cost about half a second of start-up that ``run`` or
    ``list`` do not need, and a search starts its workers before it imports pandas."""
    parser = OneLineParser(prog="python -m core", description="Overfit Lab: train, cache and inspect runs.")
    add_results_option(parser, subcommand=False)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run a preset or a config (cached configs are not recomputed)")
    run.add_argument("--preset", choices=sorted(PRESETS), help="one of the book's experiments")
    run.add_argument("--config", help="a JSON file with config fields")
    run.add_argument("--set", action="append", metavar="KEY=VALUE", help="a config field, e.g. --set lr=0.1")
    run.add_argument("--seeds", type=count_type("seeds", "--seeds"), default=1, help="seeds per config (default 1)")
    run.add_argument("--first-seed", type=natural_type("--first-seed"), default=None,
                     help="the first seed (default: the config's seed, 0 unless --set seed=N or the file sets it)")
    run.add_argument("--workers", type=count_type("workers", "--workers"), default=2, help="runs at once (default 2)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    add_dask_option(run)
    run.set_defaults(handler=_cmd_run)

    ls = sub.add_parser("list", help="list cached runs")
    ls.add_argument("--status", choices=["complete", "diverged", "pruned", "failed"])
    ls.add_argument("--limit", type=natural_type("--limit"), default=50, help="newest rows shown (default 50)")
    ls.set_defaults(handler=_cmd_list)

    show = sub.add_parser("show", help="show one cached run")
    show.add_argument("run_id")
    show.set_defaults(handler=_cmd_show)

    delete = sub.add_parser("delete", help="delete cached runs")
    delete.add_argument("run_ids", nargs="+")
    delete.add_argument("--yes", action="store_true", help="do not ask")
    delete.set_defaults(handler=_cmd_delete)

    sub.add_parser("presets", help="list the presets").set_defaults(handler=_cmd_presets)
    if argv is not None and not {"search", "sweep", "-h", "--help"} & set(argv):
        for command in sub.choices.values():
            add_results_option(command, subcommand=True)
        return parser

    words = set(argv) if argv is not None else {"search", "sweep"}
    if words & {"search", "-h", "--help"}:
        from .search import cli as search_cli  # here, not at the top: `python -m core run` need not load the search

        search = sub.add_parser("search", help="a hyperparameter search (random, grid, bayes, coarse-to-fine)")
        search_cli.add_arguments(search)
        search.set_defaults(handler=search_cli.handle)

    if words & {"sweep", "-h", "--help"}:
        # likewise, and a search need not load the sweep's pandas: it starts its workers before that import
        from .sweep import cli as sweep_cli

        sweep = sub.add_parser("sweep", help="sweep one or two fields over a grid x seeds, chosen on validation")
        sweep_cli.add_arguments(sweep)
        sweep.set_defaults(handler=sweep_cli.handle)

    for command in sub.choices.values():  # --results also after the subcommand, where the README puts it
        add_results_option(command, subcommand=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    try:
        with skipped_file_notices():
            return args.handler(args)
    except (CliError, ConfigError, KeyError, ValueError, OSError, RuntimeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        if isinstance(exc, OSError) and "No space left" in str(exc):
            from .jobs import describe_os_error

            message = describe_os_error(exc, getattr(exc, "filename", None) or args.results or "the results folder")
        print_error(message)
        return 2
