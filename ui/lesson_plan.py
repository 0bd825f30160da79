"""What each lesson draws from the store: its experiments (sweeps or preset configs), the same for every viewer.

Pure: no streamlit. A lesson's runs are ordinary cached runs (a sweep's runs share the cache with the Sweep page and
the command line), so ``experiments(lesson)`` is all a page needs to say what is stored, what is missing, and what one
click computes. ``quick=True`` (``OVERFIT_LAB_LESSON_QUICK=1``) gives the same experiments at a few epochs and one
seed: for tests and demonstrations on a slow machine; the lesson says so on the page.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Optional

import numpy as np
import pandas as pd

from core.config import RunConfig
from core.presets import get_preset
from core.sweep import SweepSpec, SweepView, make_spec
from core.sweep.storage import join_runs, members_frame
from core.sweep.summary import point_summary, run_metrics

QUICK_ENV = "OVERFIT_LAB_LESSON_QUICK"
QUICK_EPOCHS = 3
LESSONS = ("overfitting", "weight_decay", "validation", "dropout", "search", "optimizers", "activations", "batchnorm")
# A page's file is named as its address (pages/lesson-weight-decay.py, /lesson-weight-decay): on a fresh server Streamlit
# finds a shared link's page by its file name until the router has run once (tests/browser/test_browser_fresh_server.py)
PAGES = {lesson: f"pages/lesson-{lesson.replace('_', '-')}.py" for lesson in LESSONS}


@dataclass(frozen=True)
class Experiment:
    """One experiment of a lesson: a sweep (``sweep`` set) or a list of configs, and the runs it needs."""

    name: str
    configs: tuple[RunConfig, ...]
    sweep: Optional[SweepSpec] = None

    @property
    def run_ids(self) -> list[str]:
        return [c.run_id for c in self.configs]


def quick_mode(environ=os.environ) -> bool:
    return (environ.get(QUICK_ENV, "") or "").strip().lower() in ("1", "true", "yes", "on")


def _shorten(config: RunConfig, quick: bool) -> RunConfig:
    return dataclasses.replace(config, n_epochs=min(config.n_epochs, QUICK_EPOCHS)) if quick else config


def _sweep(name: str, base: RunConfig, vary: dict[str, str], seeds: int, quick: bool) -> Experiment:
    spec = make_spec(_shorten(base, quick), vary, seeds=1 if quick else seeds)
    return Experiment(name, tuple(c for _, _, c in spec.configs()), spec)


def _configs(name: str, configs, quick: bool) -> Experiment:
    return Experiment(name, tuple(dict.fromkeys(_shorten(c, quick) for c in configs)))


def experiments(lesson: str, quick: bool = False) -> tuple[Experiment, ...]:
    """The experiments of ``lesson`` (one of ``LESSONS``); KeyError for another name."""
    overfit = get_preset("overfit").configs[0]
    if lesson == "overfitting":  # the two conditions: few data, many parameters
        return (_sweep("n_train", overfit, {"n_train": "100,300,1000,3000"}, 2, quick),
                _sweep("hidden_width", overfit, {"hidden_width": "10,30,100,300"}, 2, quick))
    if lesson == "weight_decay":
        return (_sweep("weight_decay", overfit, {"weight_decay": "0,1e-3..1x4log"}, 2, quick),)
    if lesson == "validation":  # 16 configs, each with a validation split: the best of N chosen two ways
        return (_sweep("lr_weight_decay", overfit, {"lr": "1e-3..1x4log", "weight_decay": "0,1e-3..1e-1x3log"}, 1,
                       quick),)
    if lesson == "dropout":
        return (_configs("dropout", get_preset("dropout-long").configs, quick),)
    if lesson == "optimizers":
        return (_configs("optimizers", get_preset("optimizers").configs, quick),)
    if lesson == "batchnorm":
        return (_configs("batchnorm", get_preset("batchnorm-init").configs, quick),)
    if lesson in ("search", "activations"):  # computed on the page, or read from the Search page's searches
        return ()
    raise KeyError(f"Unknown lesson {lesson!r}; known lessons: {', '.join(LESSONS)}.")


def missing_run_ids(experiment: Experiment, cached: set[str]) -> list[str]:
    """The run ids of ``experiment`` the store does not hold (complete or diverged), in order."""
    return [rid for rid in experiment.run_ids if rid not in cached]


def sweep_points(experiment: Experiment, runs: pd.DataFrame) -> pd.DataFrame:
    """One row per point of the experiment's sweep (``core.sweep.point_summary``: the swept values, ``n`` complete
    runs, ``<metric>_mean/std`` of val_acc, test_acc, train_acc and gap at the last epoch), from the store's runs.

    Points without a complete run keep NaN means; the sweep's files are not needed (the runs are found by their ids).
    """
    if experiment.sweep is None:
        raise ValueError(f"The experiment {experiment.name!r} is not a sweep.")
    view = SweepView(experiment.sweep, join_runs(members_frame(experiment.sweep), runs))
    return point_summary(run_metrics(view), experiment.sweep.fields)


def stored_runs(experiment: Experiment, runs: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``runs`` (the store's runs table) that belong to ``experiment``, in the experiment's order."""
    order = {rid: i for i, rid in enumerate(experiment.run_ids)}
    mine = runs[runs["run_id"].isin(order)].drop_duplicates("run_id")
    return mine.assign(_order=mine["run_id"].map(order)).sort_values("_order").drop(columns="_order")


def total_norms(norms: pd.DataFrame) -> pd.DataFrame:
    """(run_id, epoch, norm) from ``services.weight_norms`` rows: the norm of all weights, sqrt(Σ_l ‖W_l‖²)."""
    if norms.empty:
        return pd.DataFrame({"run_id": pd.Series(dtype=str), "epoch": pd.Series(dtype="int64"),
                             "norm": pd.Series(dtype=float)})
    total = [float(np.sqrt(np.sum(np.square(np.asarray(v, dtype=float))))) for v in norms["weight_norms"]]
    return pd.DataFrame({"run_id": norms["run_id"].to_numpy(), "epoch": norms["epoch"].to_numpy(), "norm": total})


def seed_zero(experiment: Experiment) -> dict[str, dict]:
    """run_id → swept values of the first seed's run at each point of the experiment's sweep."""
    spec = experiment.sweep
    points = spec.point_values()
    return {c.run_id: points[p] for p, i, c in spec.configs() if i == 0}


def config_scores(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per config (group_id: its seeds averaged) of the complete runs with validation and test accuracy:
    group_id, lr, weight_decay, val_acc, test_acc (``core.lessons.selection.accuracies_from_runs`` by group, with
    the config's values kept for the reader)."""
    usable = runs[(runs["status"] == "complete") & runs["final_val_acc"].notna() & runs["final_test_acc"].notna()]
    grouped = usable.groupby("group_id", sort=True)
    out = grouped[["lr", "weight_decay"]].first().join(grouped[["final_val_acc", "final_test_acc"]].mean())
    return out.rename(columns={"final_val_acc": "val_acc", "final_test_acc": "test_acc"}).reset_index()


def linear_and_log_draws(rng: np.random.Generator, low: float, high: float, n: int) -> pd.DataFrame:
    """``n`` values drawn uniformly on [low, high] and ``n`` drawn uniformly on its log scale (scale "linear" /
    "log", value): the search lesson's picture of why a learning rate or λ is drawn on a log scale."""
    if not (0 < low < high) or n < 1:
        raise ValueError(f"Need 0 < low < high and n >= 1. Got low={low!r}, high={high!r}, n={n!r} instead.")
    linear = rng.uniform(low, high, n)
    log = 10 ** rng.uniform(np.log10(low), np.log10(high), n)
    return pd.DataFrame({"scale": ["linear"] * n + ["log"] * n, "value": np.concatenate([linear, log])})


@dataclass(frozen=True)
class EnsembleSetup:
    """The dropout lesson's ensemble: k networks without dropout against one with ``dropout`` (the book's setup)."""

    base: RunConfig
    seeds: tuple[int, ...]
    dropout: float

    @property
    def key(self) -> str:
        from core.lessons.ensemble_store import ensemble_key
        return ensemble_key(self.base, self.seeds, self.dropout)


def ensemble_setup(quick: bool = False) -> EnsembleSetup:
    """5 networks of the book's 300-image setup (200 epochs) against dropout 0.2; quick: 2 networks, few epochs."""
    base = dataclasses.replace(get_preset("overfit").configs[0], dropout=0.0)
    return EnsembleSetup(_shorten(base, quick), tuple(range(2 if quick else 5)), 0.2)
