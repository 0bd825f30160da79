"""``python -m core search``: run a hyperparameter search in worker processes, with a progress bar over trials.

``core/cli.py`` registers it as the ``search`` subcommand (``add_arguments`` builds its options, ``handle`` runs it).
"""
from __future__ import annotations

import argparse
from typing import Optional

from ..cli_common import (CliError, Progress, add_dask_option, count_type, counted, follow_job, natural_type,
                          nonempty_text)
from ..job_state import JobState
from ..config import config_with, parse_override
from .pruning import RUNG_METRICS
from .space import BOOK_BASE, Param, SearchSpace
from .spec import STRATEGIES, SearchSpec

BEST_COLUMNS = ("trial", "lr", "weight_decay", "value", "final_train_acc", "status", "stopped_epoch", "run_id")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Search learning rate x weight decay on validation data (the book's section 6.5). "
                          "Base config: 400 train / 100 val images, 6x100, SGD.")
    parser.add_argument("--strategy", choices=STRATEGIES, default="random")
    parser.add_argument("--trials", type=count_type("trials", "--trials"), default=100, help="trials in all (default 100)")
    parser.add_argument("--epochs", type=count_type("epochs", "--epochs"), default=BOOK_BASE.n_epochs,
                        help="epochs per trial (default 50)")
    parser.add_argument("--rounds", type=count_type("trials", "--rounds"), default=None,
                        help="coarse-to-fine rounds (default 2)")
    parser.add_argument("--early-stop", action="store_true", help="stop bad trials early (successive halving)")
    parser.add_argument("--rung-metric", choices=tuple(RUNG_METRICS), default="val_loss",
                        help="what early stopping compares at each rung (default val_loss; trials are ranked on "
                             "validation accuracy either way)")
    parser.add_argument("--min-epochs", type=int, default=5, help="first rung of early stopping (default 5)")
    parser.add_argument("--eta", type=int, default=2, help="each rung keeps the top 1/eta (default 2)")
    parser.add_argument("--seeds", type=count_type("seeds", "--seeds"), default=1,
                        help="training seeds per trial (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="the search's seed (default 0)")
    parser.add_argument("--repeat", type=int, default=0, help="repeat index: another draw of the same search")
    parser.add_argument("--lr", type=float, nargs=2, metavar=("LOW", "HIGH"), default=(1e-6, 1e-2),
                        help="learning-rate range, log scale (default 1e-6 1e-2)")
    parser.add_argument("--wd", type=float, nargs=2, metavar=("LOW", "HIGH"), default=(1e-8, 1e-4),
                        help="weight-decay range, log scale (default 1e-8 1e-4)")
    parser.add_argument("--set", action="append", metavar="KEY=VALUE", help="a base config field, e.g. --set n_val=200")
    parser.add_argument("--workers", type=count_type("workers", "--workers"), default=2,
                        help="trials at once (default 2)")
    parser.add_argument("--top", type=natural_type("--top"), default=10, help="rows of the final table (default 10)")
    parser.add_argument("--show", metavar="SEARCH_ID", type=nonempty_text("--show"),
                        help="print the best trials of an existing search and exit")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_dask_option(parser)


def spec_from_args(args: argparse.Namespace) -> SearchSpec:
    """The SearchSpec that the command-line options describe (raises ValueError / ConfigError when invalid)."""
    overrides = dict(parse_override(item) for item in args.set or [])
    base = config_with(BOOK_BASE, {**overrides, "n_epochs": args.epochs})
    rounds = args.rounds if args.rounds is not None else (2 if args.strategy == "coarse-to-fine" else 1)
    space = SearchSpace((Param("lr", *args.lr, "log"), Param("weight_decay", *args.wd, "log")))
    if args.workers < 1:
        raise ValueError(f"The '--workers' option must be at least 1. Got {args.workers} instead.")
    return SearchSpec(strategy=args.strategy, space=space, base=base, n_trials=args.trials, rounds=rounds,
                      seeds=args.seeds, seed=args.seed, repeat=args.repeat, early_stop=args.early_stop,
                      min_epochs=args.min_epochs, eta=args.eta, rung_metric=args.rung_metric)


def best_table(view, n: int) -> str:
    import pandas as pd

    best = view.best(n)
    if best.empty:
        return "no finished trials"
    table = pd.DataFrame({c: best[c] for c in BEST_COLUMNS if c in best.columns})
    table = table.rename(columns={"value": "val_acc", "final_train_acc": "train_acc", "stopped_epoch": "epoch"})
    return table.to_string(index=False, formatters={"lr": "{:.3g}".format, "weight_decay": "{:.3g}".format,
                                                    "val_acc": "{:.4f}".format, "train_acc": "{:.4f}".format})


def trial_progress(n_trials: int) -> Progress:
    """The bar of a search: finished trials, with the round and the best validation accuracy so far (the job's
    own fields, so no run's progress file is read)."""
    def postfix(job: JobState) -> Optional[dict]:
        if job.best_val_acc is None:
            return None
        return {"round": job.round, "best_val": f"{job.best_val_acc:.3f}"}

    return Progress(n_trials, "trial", lambda job: job.n_trials_done, postfix, needs_runs=False)


def handle(args: argparse.Namespace) -> int:
    if args.show is not None:
        return show(args)
    spec = spec_from_args(args)
    from ..data import check_data
    from ..executors import dask_address
    from ..limits import check_config, check_count

    check_count("trials", spec.n_trials)
    check_count("seeds", spec.seeds)
    check_config(spec.base)
    check_data(spec.base.dataset, spec.base.data_path)  # a bad IDX folder: one line now, not N failed trials
    dask = dask_address(args.dask)
    pool = None
    if dask is None:  # the workers start up (numpy, the engine) while this process imports pandas and pyarrow
        from ..job_worker import start_pool

        pool = start_pool(args.workers, warm=True)
    try:
        from ..jobs import JobManager
        from ..store import ResultStore, results_dir
        from .runner import start_search
        from .storage import load_search

        root = results_dir(args.results)
        store = ResultStore(root)
        manager = JobManager(root, max_workers=args.workers, dask=dask, pool=pool)
    except BaseException:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    try:
        job_id, spec = start_search(manager, spec)
        follow_job(root, job_id, manager, name=f"{spec.strategy} search", quiet=args.quiet, what="search",
                   progress=trial_progress(spec.n_trials),
                   interrupted=f"interrupted; search {spec.search_id} was cancelled (finished trials are kept)")
    finally:
        manager.shutdown()
    view = load_search(store, spec.search_id)
    epochs = int(view.trials["stopped_epoch"].sum()) if len(view.trials) else 0
    cached = int(view.trials["cached"].sum()) if len(view.trials) else 0
    print(f"search {spec.search_id}: {counted(view.trials['trial'].nunique(), 'trial')}, "
          f"{counted(epochs, 'trial-epoch')}, {counted(cached, 'run')} from the cache")
    for r in view.rounds:
        box = ", ".join(f"{k} [{lo:.3g}, {hi:.3g}]" for k, (lo, hi) in r.box.items())
        print(f"round {r.round} (parent {r.parent_round}): {counted(r.n_trials, 'trial')} in {box}")
    print(best_table(view, args.top))
    statuses = view.trials["status"] if "status" in view.trials.columns else ()
    if len(statuses) and (statuses == "failed").all():
        first = ""
        if "error" in view.trials.columns:
            first = next((str(e) for e in view.trials["error"] if isinstance(e, str) and e), "")
        raise CliError(f"every trial of search {spec.search_id} failed" + (f": {first}" if first else ""))
    return 0


def show(args: argparse.Namespace) -> int:
    """``--show SEARCH_ID``: the best trials of a stored search."""
    from ..store import ResultStore
    from .storage import load_search

    view = load_search(ResultStore(args.results), args.show)
    print(f"search {view.search_id} · {view.spec.strategy} · {view.trials['trial'].nunique()} of "
          f"{counted(view.spec.n_trials, 'trial')}")
    print(best_table(view, args.top))
    return 0
