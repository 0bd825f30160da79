"""Small real sweeps, trained once per test session."""
from __future__ import annotations

import pytest

from core.sweep import make_spec, run_sweep
from sweep_tiny import TINY


@pytest.fixture(scope="session")
def stored_sweeps(tmp_path_factory):
    """A results folder holding a 1-D λ sweep (4 points x 3 seeds) and a 2-D λ x dropout sweep (2 x 2 x 2)."""
    root = tmp_path_factory.mktemp("sweeps")
    one = run_sweep(make_spec(TINY, {"weight_decay": "0,0.01..1x3log"}, seeds=3), root)
    two = run_sweep(make_spec(TINY, {"weight_decay": "0,1", "dropout": "0,0.3"}, seeds=2), root)
    return root, one, two
