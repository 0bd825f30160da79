"""Dropout vs an ensemble of k networks on a tiny real setup: structure and sanity relations, no fixed accuracies."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.config import RunConfig
from core.data import load_split
from core.lessons.ensemble import ensemble_vs_dropout, predict_proba, train_network

TINY = RunConfig(n_train=100, n_test=500, hidden_sizes=(20, 20), n_epochs=4, batch_size=50, lr=0.1)


@pytest.fixture(scope="module")
def split():
    return load_split(TINY)


@pytest.fixture(scope="module")
def comparison(split):
    calls = []
    result = ensemble_vs_dropout(TINY, seeds=[0, 1, 2], dropout=0.3, masks_rng=np.random.default_rng(0), split=split,
                                 on_progress=lambda done, total: calls.append((done, total)))
    return result, calls


def test_structure_and_progress(comparison, split):
    result, calls = comparison
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert list(result.curve["k"]) == [1, 2, 3] and list(result.curve["seed"]) == [0, 1, 2]
    assert result.member_probs.shape == (3, 500, 10) and result.dropout_probs.shape == (500, 10)
    assert np.allclose(result.member_probs.sum(axis=2), 1.0) and np.allclose(result.dropout_probs.sum(axis=1), 1.0)
    accuracies = result.curve.drop(columns=["k", "seed"]).to_numpy()
    assert np.all((accuracies >= 0) & (accuracies <= 1))
    assert 0 <= result.dropout_test_acc <= 1 and (result.dropout, result.dropout_mode) == (0.3, "book")


def test_ensemble_accuracy_is_that_of_the_mean_probabilities(comparison):
    result, _ = comparison
    for k in (1, 2, 3):
        mean = result.member_probs[:k].mean(axis=0)
        expected = np.mean(mean.argmax(axis=1) == result.y_test)
        assert result.curve.loc[k - 1, "ensemble_test_acc"] == pytest.approx(expected)
    first = result.curve.iloc[0]
    assert first["ensemble_test_acc"] == first["member_test_acc"]  # an ensemble of one is that network
    assert first["ensemble_train_acc"] == first["member_train_acc"]
    assert not np.allclose(result.member_probs[0], result.member_probs[1])  # other seeds, other networks


def test_an_ensemble_of_one_seed_repeated_is_the_single_network(split):
    result = ensemble_vs_dropout(TINY, seeds=[4, 4, 4], dropout=0.3, split=split)
    assert np.array_equal(result.member_probs[0], result.member_probs[2])
    curve = result.curve
    assert (curve["ensemble_test_acc"] == curve["member_test_acc"].iloc[0]).all()
    assert (curve["member_test_acc"] == curve["member_test_acc"].iloc[0]).all()


def test_the_hook_network_is_the_one_the_record_evaluated(split):
    net, record = train_network(TINY, split)
    assert np.mean(predict_proba(net, split.x_test).argmax(axis=1) == split.y_test) == record.final("test_acc")
    assert record.stopped_epoch == TINY.n_epochs


def test_thinned_networks_average_towards_the_scaled_network(split):
    """Many sampled masks, averaged, predict like the (1 - r)-scaled network: the approximation dropout relies on."""
    net, _ = train_network(dataclasses.replace(TINY, dropout=0.3), split)
    scaled = predict_proba(net, split.x_test).argmax(axis=1)
    rng = np.random.default_rng(0)
    one = predict_proba(net, split.x_test, masks_rng=rng).argmax(axis=1)
    many = sum(predict_proba(net, split.x_test, masks_rng=rng) for _ in range(50)).argmax(axis=1)
    assert np.mean(many == scaled) > np.mean(one == scaled)


@pytest.mark.parametrize("kwargs, words", [({"seeds": []}, "'seeds'"), ({"dropout": 0.0}, "'dropout'")])
def test_bad_arguments_are_refused(kwargs, words, split):
    with pytest.raises(ValueError, match=words):
        ensemble_vs_dropout(TINY, split=split, **kwargs)
