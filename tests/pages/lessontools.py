"""Helpers of the lesson tests: a store holding every lesson's runs in quick mode, and the English-words check."""
from __future__ import annotations

import re
from pathlib import Path

from core.store import ResultStore
from core.sweep import run_sweep
from core.train import train
from core.lessons.ensemble_store import compute_ensemble
from ui.lesson_plan import LESSONS, QUICK_ENV, ensemble_setup, experiments

# Words that may appear on a Korean page: names of algorithms, units and code (as the catalogue test's NAMES).
NAMES = {"Overfit", "Lab", "MNIST", "ReLU", "SGD", "AdaGrad", "Adam", "Momentum", "Xavier", "He", "tanh", "sigmoid",
         "std", "lr", "ID", "URL", "Bernoulli", "OVERFIT_LAB_LESSON_QUICK"}
CODE = re.compile(r"`[^`]*`|\$[^$]*\$")
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def build_quick_store(root: Path) -> Path:
    """Every lesson's experiments at ``QUICK_EPOCHS`` epochs and one seed, trained here by the core."""
    store = ResultStore(root)
    for lesson in LESSONS:
        for experiment in experiments(lesson, quick=True):
            if experiment.sweep is not None:
                run_sweep(experiment.sweep, root)
            else:
                store.write([train(c) for c in experiment.configs])
    setup = ensemble_setup(quick=True)
    compute_ensemble(root, setup.base, setup.seeds, setup.dropout)
    return root


def english_words(values: list[str]) -> set[str]:
    """Plain Latin words of the interface text outside code spans, math and identifiers (n_train, beta1)."""
    found = set()
    for value in values:
        for word in WORD.findall(CODE.sub(" ", value)):
            if word.isalpha() and len(word) > 1 and word not in NAMES:
                found.add(word)
    return found


QUICK = QUICK_ENV
