"""The ensemble lesson's table: computed by the real training loop, published under <results>/lessons/, read back,
keyed on everything that decides it, and invisible to the run store."""
from __future__ import annotations

import pytest

from core.config import RunConfig
from core.lessons.ensemble_store import compute_ensemble, ensemble_key, ensemble_path, load_ensemble
from core.store import ResultStore

TINY = RunConfig(n_train=100, n_test=200, hidden_sizes=(16,), n_epochs=2, batch_size=50)


def test_the_table_is_published_read_back_and_ignored_by_the_run_store(tmp_path):
    table = compute_ensemble(tmp_path, TINY, (0, 1), 0.2)
    key = ensemble_key(TINY, (0, 1), 0.2)
    assert ensemble_path(tmp_path, key).parent.name == "lessons"
    stored = load_ensemble(tmp_path, key)
    assert list(stored["k"]) == [1, 2] and stored.equals(table)
    assert stored["dropout_test_acc"].between(0, 1).all() and (stored["dropout"] == 0.2).all()
    store = ResultStore(tmp_path)
    assert store.load_runs().empty and store.problems() == []


def test_the_key_changes_with_what_decides_the_numbers(tmp_path):
    key = ensemble_key(TINY, (0, 1), 0.2)
    assert key == ensemble_key(TINY, [0, 1], 0.2)
    assert len({key, ensemble_key(TINY, (0, 1, 2), 0.2), ensemble_key(TINY, (0, 1), 0.3),
                ensemble_key(TINY.__class__(**{**TINY.to_dict(), "n_epochs": 3}), (0, 1), 0.2)}) == 4
    assert load_ensemble(tmp_path, key) is None


def test_a_key_is_never_a_path(tmp_path):
    with pytest.raises(ValueError, match="Not an ensemble key"):
        ensemble_path(tmp_path, "../../etc/passwd")
