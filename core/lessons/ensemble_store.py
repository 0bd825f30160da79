"""The ensemble lesson's stored result: ``ensemble_vs_dropout``'s per-k table, one small parquet file per setup under
``<results>/lessons/`` (the store ignores sub-folders), published atomically; and the job driver that computes it.

The numbers are not runs (no curves, no config of their own), so they are not written to the run store; the file
name is a hash of everything that decides them, so another setup never reads a stale table.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any, Optional, Sequence

import pandas as pd

from ..atomic import publish
from ..config import ENGINE_VERSION, RunConfig
from .ensemble import ensemble_vs_dropout

LESSONS_DIR = "lessons"


def ensemble_key(base: RunConfig, seeds: Sequence[int], dropout: float) -> str:
    """16 hex of sha256 over the base config, the members' seeds, the dropout ratio and the engine version."""
    identity = {"base": base.to_dict(), "seeds": [int(s) for s in seeds], "dropout": float(dropout),
                "engine": ENGINE_VERSION}
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]


def ensemble_path(root: str | Path, key: str) -> Path:
    if not (len(key) == 16 and all(c in "0123456789abcdef" for c in key)):
        raise ValueError(f"Not an ensemble key: {key[:40]!r}.")
    return Path(root) / LESSONS_DIR / f"ensemble-{key}.parquet"


def compute_ensemble(root: str | Path, base: RunConfig, seeds: Sequence[int], dropout: float,
                     on_progress=None) -> pd.DataFrame:
    """Train the k networks and the dropout network, publish the per-k table with the dropout network's accuracies
    (columns ``dropout_train_acc``, ``dropout_test_acc`` repeated on every row), and return it."""
    result = ensemble_vs_dropout(base, seeds=seeds, dropout=dropout, on_progress=on_progress)
    table = result.curve.assign(dropout_train_acc=result.dropout_train_acc, dropout_test_acc=result.dropout_test_acc,
                                dropout=result.dropout)
    path = ensemble_path(root, ensemble_key(base, seeds, dropout))
    path.parent.mkdir(parents=True, exist_ok=True)
    publish(path, lambda tmp: table.to_parquet(tmp, index=False))
    return table


def load_ensemble(root: str | Path, key: str) -> Optional[pd.DataFrame]:
    """The stored table of ``key``, or None when it was never computed (or cannot be read)."""
    path = ensemble_path(root, key)
    if not path.is_file():
        return None
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError):
        return None


def ensemble_driver(base: RunConfig, seeds: Sequence[int], dropout: float):
    """A ``JobManager.start`` driver computing the table, its progress in the job file (n_done of n_total)."""
    base = dataclasses.replace(base)

    def driver(ctx: Any) -> None:
        ctx.update(n_total=len(seeds) + 1, n_done=0)
        compute_ensemble(ctx.root, base, seeds, dropout,
                         on_progress=lambda done, total: ctx.update(n_done=done, n_total=total))

    return driver
