"""SearchSpec: one search, fully described and validated on construction (saved as ``<search_id>.json``)."""
from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping, Optional

import numpy as np

from ..config import RunConfig, config_with
from ..validation import (SEARCH_ID_RE, check_bool, check_choice, check_float, check_instance, check_int, check_string,
                          fail)
from .pruning import check_rung_metric, rung_epochs, rung_problem
from .space import BOOK_BASE, Box, SearchSpace

STRATEGIES = ("random", "grid", "bayes", "coarse-to-fine")
SPEC_VERSION = 1


def check_search_id(search_id: Any) -> str:
    """``search_id`` if it is a plain name (ids come from URLs, so never a path); ValueError otherwise."""
    if not isinstance(search_id, str) or not SEARCH_ID_RE.fullmatch(search_id):
        raise ValueError(f"Not a search id: {str(search_id)[:80]!r}. A search id has 1 to 64 letters, digits, '-' or "
                         f"'_', and starts with a letter or digit.")
    return search_id


def new_search_id(strategy: str) -> str:
    """A fresh id: UTC time, strategy and a random suffix, e.g. ``20250101T120000-bayes-3fa2c1``."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{strategy}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class SearchSpec:
    """Every setting of one search. The trial length is ``base.n_epochs``.

    ``seed`` and ``repeat`` together seed everything random in the search (the sampler and each trial's training
    seed): the same spec gives the same proposals, and a repeat of a search is the same spec with another ``repeat``.
    """

    strategy: str = "random"
    space: SearchSpace = field(default_factory=SearchSpace.book)
    base: RunConfig = BOOK_BASE
    n_trials: int = 100
    rounds: int = 1                     # coarse-to-fine only: rounds share n_trials
    seeds: int = 1                      # training seeds per trial config; the trial's value is their mean
    seed: int = 0
    repeat: int = 0
    early_stop: bool = False            # successive halving; off for the book's plain random search
    min_epochs: int = 5                 # first rung
    eta: int = 2                        # each rung keeps the top 1/eta (3 stops the book's best trial: RungPruner)
    rung_metric: str = "val_loss"       # what the rungs rank on (trials are always ranked on val acc)
    batch: int = 0                      # proposals per batch for bayes; 0 = the number of pool workers
    n_startup: int = 10                 # bayes: random trials before the surrogate takes over
    n_candidates: int = 2000            # bayes: random candidates EI is maximised over
    top_fraction: float = 0.2           # coarse-to-fine: the next box bounds this fraction of the best trials
    margin: float = 0.1                 # ... widened by this fraction of the parent box's width on each side
    box: Optional[Box] = None           # the first round's box (a user's selection); None = the whole space
    parent: str = ""                    # "<search_id>/<round>" the user's box came from, for lineage across searches
    search_id: str = ""
    created: str = ""

    def __post_init__(self) -> None:
        check_choice("strategy", self.strategy, STRATEGIES)
        check_instance("space", self.space, SearchSpace)
        check_instance("base", self.base, RunConfig)
        if self.base.n_val == 0:
            raise ValueError("A search tunes hyperparameters on validation data, never on test data, and the base "
                             "config has no validation split (n_val=0). Set n_val, e.g. n_val=100.")
        for p in self.space.params:  # both ends must make valid configs (e.g. dropout < 1)
            for value in (p.low, p.high):
                config_with(self.base, {p.name: p.python_value(value)})
        check_int("n_trials", self.n_trials, 1)
        check_int("rounds", self.rounds, 1)
        if self.rounds > 1 and self.strategy != "coarse-to-fine":
            raise ValueError(f"Only the 'coarse-to-fine' strategy has rounds. Got rounds={self.rounds} with "
                             f"strategy={self.strategy!r}.")
        if self.rounds > self.n_trials:
            fail("rounds", f"at most n_trials ({self.n_trials})", self.rounds)
        check_int("seeds", self.seeds, 1)
        check_int("seed", self.seed, 0)
        check_int("repeat", self.repeat, 0)
        check_bool("early_stop", self.early_stop)
        check_int("min_epochs", self.min_epochs, 1)
        check_int("eta", self.eta, 2)
        check_rung_metric(self.rung_metric)
        problem = rung_problem(self.min_epochs, self.eta, self.base.n_epochs) if self.early_stop else None
        if problem:
            raise ValueError(problem)
        check_int("batch", self.batch, 0)
        check_int("n_startup", self.n_startup, 1)
        check_int("n_candidates", self.n_candidates, 1)
        check_float("top_fraction", self.top_fraction, 0.0, 1.0, low_open=True)
        check_float("margin", self.margin, 0.0, 1.0)
        if self.box is not None:
            object.__setattr__(self, "box", self.space.check_box(self.box))
        if self.search_id:
            check_search_id(self.search_id)
        check_string("parent", self.parent, 200)

    # ---- derived ----------------------------------------------------------------------------------------------
    @property
    def n_epochs(self) -> int:
        return self.base.n_epochs

    def trials_per_round(self) -> list[int]:
        """How ``n_trials`` splits over the rounds (the last rounds take the remainder)."""
        share, extra = divmod(self.n_trials, self.rounds)
        return [share + (1 if r >= self.rounds - extra else 0) for r in range(self.rounds)]

    def seed_sequence(self) -> np.random.SeedSequence:
        """The root of every random stream of this search."""
        return np.random.SeedSequence([self.seed, self.repeat])

    def trial_seeds(self, trial: int) -> list[int]:
        """The training seeds of trial ``trial``: its own stream, child ``trial`` of the trials' sequence."""
        trials_root = self.seed_sequence().spawn(2)[1]
        child = np.random.SeedSequence(trials_root.entropy, spawn_key=(*trials_root.spawn_key, trial))
        return [int(s) for s in child.generate_state(self.seeds, dtype=np.uint32)]

    def trial_config(self, params: Mapping[str, Any], seed: int) -> RunConfig:
        """The config of one trial's run: the base with ``params`` and ``seed``, scoring the test split only at
        the end (the search never reads it before; ``RunConfig.test_every``)."""
        return config_with(self.base, {**params, "seed": seed, "test_every": "end"})

    def sampler_rng(self) -> np.random.Generator:
        return np.random.default_rng(self.seed_sequence().spawn(2)[0])

    def with_id(self) -> "SearchSpec":
        """This spec with a fresh ``search_id`` and ``created`` stamp (unless it has them)."""
        return dataclasses.replace(
            self, search_id=self.search_id or new_search_id(self.strategy),
            created=self.created or datetime.now(timezone.utc).isoformat(timespec="microseconds"))

    # ---- JSON -------------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "spec_version": SPEC_VERSION, "search_id": self.search_id, "created": self.created,
            "strategy": self.strategy, "space": self.space.to_list(), "base": self.base.to_dict(),
            "n_trials": self.n_trials, "rounds": self.rounds, "epochs": self.n_epochs, "seeds": self.seeds,
            "seed": self.seed, "repeat": self.repeat,
            "early_stop": {"enabled": self.early_stop, "min_epochs": self.min_epochs, "eta": self.eta,
                           "metric": self.rung_metric,
                           "rungs": list(rung_epochs(self.min_epochs, self.eta, self.n_epochs))},
            "batch": self.batch, "n_startup": self.n_startup, "n_candidates": self.n_candidates,
            "top_fraction": self.top_fraction, "margin": self.margin,
            "box": None if self.box is None else {k: list(v) for k, v in self.box.items()}, "parent": self.parent,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "SearchSpec":
        """The inverse of ``to_dict``; raises ValueError / KeyError / TypeError on a malformed spec."""
        if d.get("spec_version") != SPEC_VERSION:
            raise ValueError(f"Unknown search spec version {d.get('spec_version')!r} (this code reads {SPEC_VERSION}).")
        stop = d.get("early_stop") or {}
        base = RunConfig.from_dict(d["base"])
        if d.get("epochs") is not None and d["epochs"] != base.n_epochs:
            raise ValueError(f"The spec's epochs ({d['epochs']}) and its base config's n_epochs ({base.n_epochs}) differ.")
        box = d.get("box")
        return cls(
            strategy=d["strategy"], space=SearchSpace.from_list(d["space"]), base=base,
            n_trials=d["n_trials"], rounds=d.get("rounds", 1), seeds=d.get("seeds", 1), seed=d.get("seed", 0),
            repeat=d.get("repeat", 0), early_stop=bool(stop.get("enabled", False)),
            min_epochs=stop.get("min_epochs", 5), eta=stop.get("eta", 3),
            rung_metric=stop.get("metric", "val_acc"),  # specs written before the choice ranked on accuracy
            batch=d.get("batch", 0),
            n_startup=d.get("n_startup", 10), n_candidates=d.get("n_candidates", 2000),
            top_fraction=d.get("top_fraction", 0.2), margin=d.get("margin", 0.1),
            box=None if box is None else {k: (float(v[0]), float(v[1])) for k, v in box.items()},
            parent=d.get("parent", ""), search_id=d.get("search_id", ""), created=d.get("created", ""),
        )


def strategy_label(spec: SearchSpec) -> str:
    """A search's strategy as lists and comparisons name it: "random + early stopping", with the rungs' metric
    when it is not the default (validation loss)."""
    if not spec.early_stop:
        return spec.strategy
    return spec.strategy + " + early stopping" + ("" if spec.rung_metric == "val_loss" else " (rungs on accuracy)")
