"""Running a search: one loop of strategy code, driven either by a JobManager (worker processes) or in-process.

The loop proposes a batch of parameter dicts, turns each into ``seeds`` configs (base config + params + a training
seed from the trial's own stream), hands them to a *batch runner*, records each finished run as a trial row, and
publishes the rows as immutable trials files as they come in. Then it proposes the next batch, or the next round.

- ``start_search(manager, spec)`` runs it as a background job (``SearchDriver``): trials train in the manager's
  process pool, cached configs are reused, progress goes to the job file.
- ``run_search(spec, evaluate=...)`` runs it synchronously for tests and benchmarks; ``evaluate`` is the real
  in-process ``train`` by default, or any synthetic objective.
"""
from __future__ import annotations

import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from ..config import RunConfig
from ..outcome import RunOutcome
from ..record import RunRecord, RunStatus
from ..store import ResultStore
from .factory import make_sampler
from .pruning import RungPruner
from .rounds import RoundBox, round_box
from .spec import SearchSpec
from .storage import (SearchView, finish_search, frozen_from_rows, load_search, rung_folder, trials_schema, write_spec,
                      write_trials)
from .trial import CHANCE_ACC, FrozenTrial

if TYPE_CHECKING:
    from ..jobs import JobContext, JobManager

FEEDBACK_FREE = ("random", "grid", "coarse-to-fine")  # proposals that do not depend on results: a round at once
PUBLISH_EVERY = 10  # in-process searches publish a trials file every 10 runs (nobody watches them live)
TRIALS_EVERY_S = 1.0  # a search job publishes a trials file at most this often within a batch (a page polls at 2 s)
TRIAL_SNAPSHOTS = False  # trials take no mechanism snapshots: the Search page, the trials files and the pruner never
                         # read them (only Compare's Mechanism expander does), and they cost ~10 % of a 50-epoch trial
                         # and ~15 % of one pruned at epoch 5 (docs/benchmarks.md)


@dataclass(frozen=True)
class Outcome:
    """What a search needs to know about one finished run."""

    status: str                   # complete | pruned | diverged | failed
    final_val_acc: float
    final_train_acc: float = float("nan")
    stopped_epoch: int = 0
    cached: bool = False

    @property
    def value(self) -> float:
        """The ranking value: final (for pruned: last) val acc; chance for diverged; NaN for failed."""
        if self.status == RunStatus.DIVERGED.value:
            return CHANCE_ACC
        if self.status == RunStatus.FAILED.value or not math.isfinite(self.final_val_acc):
            return float("nan")
        return float(self.final_val_acc)

    @classmethod
    def from_record(cls, record: RunRecord, *, cached: bool = False) -> "Outcome":
        return cls(record.status.value, record.final("val_acc"), record.final("train_acc"), record.stopped_epoch,
                   cached)

    @classmethod
    def from_run(cls, run: RunOutcome) -> "Outcome":
        """From what a job worker (or the cache) reported about the run."""
        return cls(run.status, run.final_val_acc, run.final_train_acc, run.stopped_epoch, run.cached)


OnOutcome = Callable[[str, Outcome], None]
BatchRunner = Callable[[Sequence[RunConfig], Optional[RungPruner], OnOutcome], None]
"""Runs configs (with the pruner, if any) and calls ``on_outcome(run_id, outcome)`` as each finishes."""


class SearchLoop:
    """The strategy code shared by every way of running a search.

    Parameters
    ----------
    spec : SearchSpec
        With its ``search_id`` set.
    root : path, optional
        The results folder: trials files go to ``<root>/searches/``; None keeps everything in memory.
    batch : int
        Proposals per batch for strategies that learn from results (bayes); random, grid and coarse-to-fine
        propose a whole round at once and publish trials every ``batch`` finished runs.
    rung_dir : path, optional
        Where the pruner's rungs live (default: beside the search's files).
    publish_every : int, optional
        Finished runs per trials file (default ``batch``); the end of every batch publishes too.
    publish_interval_s : float
        ... and at least this many seconds between two trials files within a batch (default 0): a random search of
        100 trials on 2 workers would otherwise publish (fsync) 50 files, and merge them all when it ends.
    """

    def __init__(self, spec: SearchSpec, root: str | Path | None = None, *, batch: int = 1,
                 rung_dir: str | Path | None = None, publish_every: int | None = None,
                 publish_interval_s: float = 0.0):
        self.spec = spec
        self.publish_interval_s = publish_interval_s
        self._published_at = -math.inf  # monotonic time of the last trials file
        self.root = None if root is None else Path(root)
        self.batch = max(1, batch)
        self.publish_every = max(1, publish_every or self.batch)
        if rung_dir is None and self.root is not None:
            rung_dir = rung_folder(self.root, spec.search_id)
        self.pruner = None
        if spec.early_stop:
            if rung_dir is None:
                raise ValueError("Early stopping needs a folder for its rungs: give root or rung_dir.")
            self.pruner = RungPruner(rung_dir, min_epochs=spec.min_epochs, eta=spec.eta, n_epochs=spec.n_epochs,
                                     metric=spec.rung_metric)
        self.rows: list[dict[str, Any]] = []
        self.rounds: list[RoundBox] = []
        self.trials: list[FrozenTrial] = []
        self._n_files = 0
        self._store: ResultStore | None = None  # the cached trials' curves, for the rungs (one listing, not one each)
        self._unpublished: list[dict[str, Any]] = []

    # ---- bookkeeping ----------------------------------------------------------------------------------------------
    def _publish(self) -> None:
        if self._unpublished and self.root is not None:
            write_trials(self.root, self.spec, self._n_files, self._unpublished)
            self._n_files += 1
            self._published_at = time.monotonic()
        self._unpublished = []

    def _row(self, pending: Mapping[str, Any], run_id: str, outcome: Outcome, rb: RoundBox) -> dict[str, Any]:
        spec = self.spec
        row = {"search_id": spec.search_id, "strategy": spec.strategy, "round": rb.round,
               "parent_round": rb.parent_round, "trial": pending["trial"], "seed_index": pending["seed_index"],
               "seed": pending["seed"], "run_id": run_id, "status": outcome.status, "value": outcome.value,
               "final_val_acc": outcome.final_val_acc, "final_train_acc": outcome.final_train_acc,
               "stopped_epoch": outcome.stopped_epoch, "cached": outcome.cached,
               **{name: float(v) for name, v in pending["params"].items()}}
        for name, (low, high) in rb.box.items():
            row[f"box_{name}_low"], row[f"box_{name}_high"] = float(low), float(high)
        return row

    def best_value(self) -> float:
        values = [t.value for t in self.trials if t.usable]
        return max(values) if values else float("nan")

    # ---- the loop ---------------------------------------------------------------------------------------------------
    def run(self, run_batch: BatchRunner, *, cancelled: Callable[[], bool] = lambda: False,
            progress: Optional[Callable[..., None]] = None) -> list[dict[str, Any]]:
        """Run every round; return the trial rows (one per run). Stops between batches when ``cancelled()``."""
        spec, space = self.spec, self.spec.space
        rng = spec.sampler_rng()
        next_trial, parent = 0, None
        for round_index, n_round in enumerate(spec.trials_per_round()):
            if cancelled():
                break
            previous = [t for t in self.trials if parent is not None and t.round == parent.round]
            rb = round_box(space, round_index, previous, parent, spec.box, top_fraction=spec.top_fraction,
                           margin=spec.margin)
            sampler = make_sampler(spec.strategy, space, rng, box=rb.box, n_trials=n_round,
                                   n_startup=spec.n_startup, n_candidates=spec.n_candidates)
            done = 0
            while done < n_round and not cancelled():
                k = n_round - done if spec.strategy in FEEDBACK_FREE else min(self.batch, n_round - done)
                proposals = sampler.propose(self.trials, k)
                if not proposals:
                    break  # a finished grid
                pending: dict[str, list[dict[str, Any]]] = {}
                configs = []
                for params in proposals:
                    for seed_index, seed in enumerate(spec.trial_seeds(next_trial)):
                        config = spec.trial_config(params, seed)
                        pending.setdefault(config.run_id, []).append(
                            {"trial": next_trial, "seed_index": seed_index, "seed": seed, "params": params})
                        configs.append(config)
                    next_trial += 1
                batch_rows: list[dict[str, Any]] = []
                seeds_left = {trial: spec.seeds for trial in range(next_trial - len(proposals), next_trial)}

                def report() -> None:
                    if progress is not None:
                        values = [r["value"] for r in batch_rows if math.isfinite(r["value"])]
                        best = max([self.best_value(), *values], key=lambda v: v if math.isfinite(v) else -1.0)
                        progress(round=round_index, n_rounds=spec.rounds, n_trials=spec.n_trials,
                                 n_trials_done=len(self.trials) + sum(n == 0 for n in seeds_left.values()),
                                 best_val_acc=_json_float(best))

                def on_outcome(run_id: str, outcome: Outcome) -> None:
                    if self.pruner is not None:
                        self._rungs_learn(run_id, outcome)
                    for entry in pending.pop(run_id, []):
                        row = self._row(entry, run_id, outcome, rb)
                        batch_rows.append(row)
                        self._unpublished.append(row)
                        seeds_left[entry["trial"]] -= 1
                    if (len(self._unpublished) >= self.publish_every
                            and time.monotonic() - self._published_at >= self.publish_interval_s):
                        self._publish()
                    report()

                if self.pruner is not None:  # a rung ranks each trial against those before it in this batch
                    self.pruner.order = {}
                    for place, config in enumerate(configs):
                        self.pruner.order.setdefault(config.run_id, place)
                run_batch(configs, self.pruner, on_outcome)
                self._publish()
                # In proposal order, not finishing order: what a sampler learns must not depend on the workers.
                batch_rows.sort(key=lambda r: (r["trial"], r["seed_index"]))
                self.rows.extend(batch_rows)
                # A trial counts once all its seeds finished (a cancelled batch leaves some out).
                self.trials.extend(t for t in frozen_from_rows(spec, batch_rows) if seeds_left[t.trial] == 0)
                done += len(proposals)
            self.rounds.append(RoundBox(rb.round, rb.box, rb.parent_round,
                                        len({r["trial"] for r in self.rows if r["round"] == rb.round})))
            parent = rb
        return self.rows

    def _rungs_learn(self, run_id: str, outcome: Outcome) -> None:
        """Tell the rungs that ``run_id`` trains no more; a run found in the cache first gets the values it would
        have recorded at its rungs (from its stored curves), so the trials after it are ranked as in a fresh run."""
        if outcome.cached and self.root is not None:
            metric = self.pruner.metric
            if self._store is None:
                self._store = ResultStore(self.root)
            curves = self._store.load_curves([run_id], columns=[metric])
            for epoch, value in zip(curves["epoch"], curves[metric]):
                if int(epoch) in self.pruner.rungs:
                    self.pruner.record(run_id, int(epoch), float(value) if math.isfinite(value) else float("nan"))
        self.pruner.ended(run_id)

    def view(self) -> SearchView:
        """The rows gathered so far as a SearchView (without the store's columns)."""
        schema = trials_schema(self.spec)
        frame = pd.DataFrame(self.rows, columns=[f.name for f in schema]) if self.rows else \
            schema.empty_table().to_pandas()
        return SearchView(self.spec, frame, list(self.rounds))


def _json_float(value: float) -> Optional[float]:
    return round(value, 6) if math.isfinite(value) else None


# ---- in-process ---------------------------------------------------------------------------------------------------
Evaluate = Callable[[RunConfig, Optional[Callable[[int, float], bool]]], Any]
"""``evaluate(config, pruner) -> RunRecord | Outcome | float``; ``pruner`` is ``(epoch, metrics) -> bool`` or None."""


def _as_outcome(result: Any, config: RunConfig) -> Outcome:
    if isinstance(result, Outcome):
        return result
    if isinstance(result, RunRecord):
        return Outcome.from_record(result)
    value = float(result)
    return Outcome("complete", value, float("nan"), config.n_epochs)


def store_evaluator(root: str | Path) -> Evaluate:
    """In-process ``train`` that reuses and fills the store at ``root`` (a pruned run is not a cache hit)."""
    from ..train import train

    store = ResultStore(root)

    def evaluate(config: RunConfig, pruner: Optional[Callable[[int, float], bool]]) -> Any:
        if store.cached([config.run_id]):
            runs = store.load_runs()
            rows = runs[(runs["run_id"] == config.run_id) & runs["status"].isin(("complete", "diverged"))]
            return Outcome.from_run(RunOutcome.from_row(rows.iloc[0].to_dict(), cached=True))
        record = train(config, pruner=pruner, snapshots=TRIAL_SNAPSHOTS)
        store.write([record])
        return record

    return evaluate


def run_search(spec: SearchSpec, evaluate: Optional[Evaluate] = None, *, root: str | Path | None = None,
               batch: int = 1, progress: Optional[Callable[..., None]] = None,
               cancelled: Callable[[], bool] = lambda: False) -> SearchView:
    """Run a search synchronously, in this process; return its view.

    Parameters
    ----------
    spec : SearchSpec
    evaluate : callable, optional
        ``evaluate(config, pruner) -> RunRecord | Outcome | float``. Default: ``core.train.train`` (with the
        store at ``root`` as a cache when ``root`` is given).
    root : path, optional
        Results folder for the spec and trials files; None keeps the search in memory.
    batch : int
        Proposals per batch for bayes (to mimic ``batch`` parallel workers).
    """
    spec = spec.with_id()
    if evaluate is None:
        if root is not None:
            evaluate = store_evaluator(root)
        else:
            from ..train import train

            def evaluate(config: RunConfig, pruner: Any) -> Any:
                return train(config, pruner=pruner, snapshots=TRIAL_SNAPSHOTS)

    if root is not None:
        write_spec(root, spec)
    with tempfile.TemporaryDirectory(prefix="overfit-lab-rungs-") as scratch:
        loop = SearchLoop(spec, root, batch=batch, rung_dir=None if root is not None else scratch,
                          publish_every=max(batch, PUBLISH_EVERY))

        def run_batch(configs: Sequence[RunConfig], pruner: Optional[RungPruner], on_outcome: OnOutcome) -> None:
            for config in configs:
                if cancelled():
                    return
                bound = None if pruner is None else pruner.bind(config.run_id)
                on_outcome(config.run_id, _as_outcome(evaluate(config, bound), config))

        try:
            loop.run(run_batch, cancelled=cancelled, progress=progress)
        finally:
            if root is not None:
                finish_search(root, spec)
    return load_search(ResultStore(root), spec.search_id) if root is not None else loop.view()


# ---- as a background job ----------------------------------------------------------------------------------------
class SearchDriver:
    """A JobManager driver: ``manager.start(name, SearchDriver(spec), kind="search", meta={"search_id": ...})``."""

    def __init__(self, spec: SearchSpec):
        if not spec.search_id:
            raise ValueError("A search driver needs a spec with its search_id (spec.with_id(), then write_spec).")
        self.spec = spec

    def __call__(self, ctx: "JobContext") -> None:
        spec = self.spec
        batch = spec.batch or ctx._manager.max_workers
        loop = SearchLoop(spec, ctx.root, batch=batch, publish_interval_s=TRIALS_EVERY_S)

        def run_batch(configs: Sequence[RunConfig], pruner: Optional[RungPruner], on_outcome: OnOutcome) -> None:
            def on_result(run: RunOutcome) -> None:
                if run.status != "cancelled":
                    on_outcome(run.run_id, Outcome.from_run(run))

            ctx.run(configs, pruner=pruner, on_result=on_result, snapshots=TRIAL_SNAPSHOTS)

        ctx.update(search_id=spec.search_id, round=0, n_rounds=spec.rounds, n_trials_done=0, n_trials=spec.n_trials)
        try:
            loop.run(run_batch, cancelled=lambda: ctx.cancelled, progress=lambda **fields: ctx.update(**fields))
        finally:
            finish_search(ctx.root, spec)


def start_search(manager: "JobManager", spec: SearchSpec) -> tuple[str, SearchSpec]:
    """Write the search's spec and start it as a background job; return (job_id, spec with its id).

    Refuses (``core.limits.LimitError``) a search over the trials, seeds or model limits before writing anything.
    """
    from ..limits import check_config, check_count

    check_count("trials", spec.n_trials)
    check_count("seeds", spec.seeds)
    check_config(spec.base)
    spec = spec.with_id()
    write_spec(manager.root, spec)
    job_id = manager.start(f"search {spec.search_id}", SearchDriver(spec), kind="search",
                           meta={"search_id": spec.search_id, "strategy": spec.strategy, "n_trials": spec.n_trials,
                                 "subject": {"kind": "search", "search_id": spec.search_id}})
    return job_id, spec


def trial_epochs(trials: pd.DataFrame) -> int:
    """Compute a search used: epochs trained over its runs (a pruned run counts up to where it stopped)."""
    return int(np.asarray(trials["stopped_epoch"], dtype=np.int64).sum()) if len(trials) else 0
