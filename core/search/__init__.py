"""Hyperparameter search: spaces, samplers (random, grid, bayes, coarse-to-fine), successive halving, search files.

Typical use::

    from core.search import SearchSpec, run_search, start_search, load_search
    spec = SearchSpec(strategy="bayes", n_trials=100)          # the book's lr x weight-decay space and base config
    job_id, spec = start_search(JobManager(root), spec)        # in worker processes, as a job
    view = load_search(ResultStore(root), spec.search_id)      # trials joined with the runs table, rounds, best(n)

The names below are loaded on first use (PEP 562), so importing one submodule stays cheap: a pool worker that
unpickles a trial's ``RungPruner`` imports ``core.search.pruning`` (numpy) and not the runner's pandas, pyarrow and
store, about 0.3 s of CPU per worker before its first trial.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and for tests/test_imports.py's import graph
    from .bayes import BayesSampler, expected_improvement, fit_gp
    from .factory import make_sampler
    from .pruning import RUNG_METRICS, RungPruner, promotable, rung_epochs
    from .rounds import RoundBox, narrow_box, top_trials
    from .runner import Outcome, SearchDriver, SearchLoop, run_search, start_search, store_evaluator, trial_epochs
    from .samplers import GridSampler, RandomSampler, Sampler, grid_shape
    from .space import BOOK_BASE, SEARCHABLE, Box, Param, SearchSpace, box_volume
    from .spec import STRATEGIES, SearchSpec, check_search_id, new_search_id
    from .storage import (SearchProblem, SearchView, SearchWarning, find_identical, list_searches, load_search,
                          read_spec, search_members, search_problems, searches_dir, write_spec, write_trials)
    from .surrogate import surrogate_grid
    from .trial import CHANCE_ACC, FrozenTrial, TrialState

_SOURCES = {
    "bayes": ("BayesSampler", "expected_improvement", "fit_gp"),
    "factory": ("make_sampler",),
    "pruning": ("RUNG_METRICS", "RungPruner", "promotable", "rung_epochs"),
    "rounds": ("RoundBox", "narrow_box", "top_trials"),
    "runner": ("Outcome", "SearchDriver", "SearchLoop", "run_search", "start_search", "store_evaluator", "trial_epochs"),
    "samplers": ("GridSampler", "RandomSampler", "Sampler", "grid_shape"),
    "space": ("BOOK_BASE", "SEARCHABLE", "Box", "Param", "SearchSpace", "box_volume"),
    "spec": ("STRATEGIES", "SearchSpec", "check_search_id", "new_search_id"),
    "storage": ("SearchProblem", "SearchView", "SearchWarning", "find_identical", "list_searches", "load_search",
                "read_spec", "search_members", "search_problems", "searches_dir", "write_spec", "write_trials"),
    "surrogate": ("surrogate_grid",),
    "trial": ("CHANCE_ACC", "FrozenTrial", "TrialState"),
}
_MODULE_OF = {name: module for module, names in _SOURCES.items() for name in names}

__all__ = [
    "BOOK_BASE", "CHANCE_ACC", "RUNG_METRICS", "SEARCHABLE", "STRATEGIES", "BayesSampler", "Box", "FrozenTrial", "GridSampler",
    "Outcome", "Param", "RandomSampler", "RoundBox", "RungPruner", "Sampler", "SearchDriver", "SearchLoop",
    "SearchProblem", "SearchSpace", "SearchSpec", "SearchView", "SearchWarning", "TrialState", "box_volume",
    "check_search_id", "expected_improvement", "find_identical", "fit_gp", "grid_shape", "list_searches", "load_search",
    "make_sampler", "narrow_box", "new_search_id", "promotable", "read_spec", "rung_epochs", "run_search",
    "search_members", "search_problems", "searches_dir", "start_search", "store_evaluator", "surrogate_grid", "top_trials",
    "trial_epochs", "write_spec", "write_trials",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use, then keep it here."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
