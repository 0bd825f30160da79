"""Hyperparameter search: spaces, samplers (random, grid, bayes, coarse-to-fine), successive halving, search files.

Typical use::

    from core.search import SearchSpec, run_search, start_search, load_search
    spec = SearchSpec(strategy="bayes", n_trials=100)          # the book's lr x weight-decay space and base config
    job_id, spec = start_search(JobManager(root), spec)        # in worker processes, as a job
    view = load_search(ResultStore(root), spec.search_id)      # trials joined with the runs table, rounds, best(n)
"""
from .bayes import BayesSampler, expected_improvement, fit_gp
from .factory import make_sampler
from .pruning import RUNG_METRICS, RungPruner, promotable, rung_epochs
from .rounds import RoundBox, narrow_box, top_trials
from .runner import Outcome, SearchDriver, SearchLoop, run_search, start_search, store_evaluator, trial_epochs
from .samplers import GridSampler, RandomSampler, Sampler, grid_shape
from .space import BOOK_BASE, SEARCHABLE, Box, Param, SearchSpace, box_volume
from .spec import STRATEGIES, SearchSpec, check_search_id, new_search_id
from .storage import (SearchProblem, SearchView, SearchWarning, find_identical, list_searches, load_search, read_spec,
                      search_members, search_problems, searches_dir, write_spec, write_trials)
from .surrogate import surrogate_grid
from .trial import CHANCE_ACC, FrozenTrial, TrialState

__all__ = [
    "BOOK_BASE", "CHANCE_ACC", "RUNG_METRICS", "SEARCHABLE", "STRATEGIES", "BayesSampler", "Box", "FrozenTrial", "GridSampler",
    "Outcome", "Param", "RandomSampler", "RoundBox", "RungPruner", "Sampler", "SearchDriver", "SearchLoop",
    "SearchProblem", "SearchSpace", "SearchSpec", "SearchView", "SearchWarning", "TrialState", "box_volume",
    "check_search_id", "expected_improvement", "find_identical", "fit_gp", "grid_shape", "list_searches", "load_search",
    "make_sampler", "narrow_box", "new_search_id", "promotable", "read_spec", "rung_epochs", "run_search",
    "search_members", "search_problems", "searches_dir", "start_search", "store_evaluator", "surrogate_grid", "top_trials",
    "trial_epochs", "write_spec", "write_trials",
]
