"""Strings of the Run page."""
from __future__ import annotations

from . import lookup

EN = {
    "title": "Run",
    "intro": "Launch training runs in the background. Runs whose config is already cached are never computed again.",
    "mode": "Start from",
    "mode.preset": "A preset (the book's experiments)",
    "mode.custom": "My own config",
    "preset": "Preset",
    "preset.configs": "This preset trains {n} config(s):",
    "seeds": "Number of seeds",
    "seeds.help": "Each config is trained once per seed (seeds {first} to {last}); charts show mean ± std over seeds.",
    "plan": "{n_runs} run(s): {n_cached} cached, {n_todo} to compute.",
    "all_cached": "Cached — every run of this config is already in the results folder.",
    "open_compare": "Open in Compare",
    "launch": "Launch {n} run(s)",
    "launched": "Started job {job_id} with {n} run(s).",
    "launch_failed": "Could not launch: {error}",
    "form_invalid": "Fix the fields marked above before launching.",
    "read_only": ("This dashboard is read-only: runs cannot be launched here. "
                  "Cached results are on Compare and Results."),
    "jobs": "Jobs",
}

t = lookup({"en": EN})
