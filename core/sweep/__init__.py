"""Sweeps: a base config, one or two swept fields × seeds, stored as a unit; its runs are ordinary cached runs.

``grid`` parses the values, ``spec`` holds a sweep, ``storage`` its files, ``runner`` launches it, ``summary`` computes
what its views draw, ``cli`` is ``python -m core sweep``.
"""
from .grid import GRID_HELP, MAX_AXIS_POINTS, SWEEP_FIELDS, SweepError, parse_grid
from .runner import SweepLaunch, run_sweep, start_sweep, sweep_job
from .spec import DEFAULT_N_VAL, MAX_SWEEP_RUNS, Axis, SweepSpec, make_spec, with_validation
from .storage import SweepView, list_sweeps, load_sweep, sweep_members, sweep_problems
from .summary import (SweepSummary, chosen_point, grid_table, paired_difference, point_summary, run_metrics,
                      summarize, t_interval)

__all__ = ["GRID_HELP", "MAX_AXIS_POINTS", "SWEEP_FIELDS", "SweepError", "parse_grid", "SweepLaunch", "run_sweep",
           "start_sweep", "sweep_job", "DEFAULT_N_VAL", "MAX_SWEEP_RUNS", "Axis", "SweepSpec", "make_spec", "with_validation",
           "SweepView", "list_sweeps", "load_sweep", "sweep_members", "sweep_problems", "SweepSummary",
           "chosen_point", "grid_table", "paired_difference", "point_summary", "run_metrics", "summarize",
           "t_interval"]
