"""Fixtures of the page tests: an empty results folder, and one populated by the core once per session."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from core.presets import HEADLINE, get_preset
from core.search import SearchSpec, run_search
from core.store import ResultStore
from core.train import train
from pagetools import TINY, use_copy_of

WEIGHT_DECAYS = (0.0, 0.01, 0.1)
SEEDS = (0, 1)


@pytest.fixture(scope="session")
def populated_dir(tmp_path_factory) -> Path:
    """Real runs of tiny configs (3 weight decays x 2 seeds, 1 dropout run), the book's headline configs, and a
    4-trial random search over lr x weight decay (with a validation split).

    The headline configs train 200-300 epochs of a 6x100 network, too long for a page test: their records carry the
    curves of a tiny run (trained here) under the headline config, so the Home page has something true to draw.
    """
    root = tmp_path_factory.mktemp("populated")
    records = [train(dataclasses.replace(TINY, weight_decay=wd, seed=seed)) for wd in WEIGHT_DECAYS for seed in SEEDS]
    records.append(train(dataclasses.replace(TINY, dropout=0.2)))
    tiny = records[0]
    headline = [c for name in HEADLINE for c in get_preset(name).configs_for_seeds(3)]
    records += [dataclasses.replace(tiny, config=c) for c in headline]
    ResultStore(root).write(records)
    run_search(SearchSpec(strategy="random", n_trials=4, base=dataclasses.replace(TINY, n_val=50)), root=root)
    return root


@pytest.fixture
def empty_results(monkeypatch, tmp_path) -> Path:
    monkeypatch.setenv("OVERFIT_LAB_RESULTS", str(tmp_path))
    monkeypatch.delenv("OVERFIT_LAB_READ_ONLY", raising=False)
    return tmp_path


@pytest.fixture
def populated(monkeypatch, populated_dir) -> Path:
    """The shared populated folder: tests using it must not write (use ``populated_copy`` for that)."""
    monkeypatch.setenv("OVERFIT_LAB_RESULTS", str(populated_dir))
    monkeypatch.delenv("OVERFIT_LAB_READ_ONLY", raising=False)
    return populated_dir


@pytest.fixture
def populated_copy(monkeypatch, populated_dir, tmp_path) -> Path:
    return use_copy_of(populated_dir, tmp_path, monkeypatch)


@pytest.fixture
def read_only(monkeypatch):
    monkeypatch.setenv("OVERFIT_LAB_READ_ONLY", "1")
