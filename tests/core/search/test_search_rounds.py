from __future__ import annotations

import numpy as np
import pytest

from core.search import FrozenTrial, SearchSpace, SearchSpec, box_volume, narrow_box, run_search, top_trials
from synthetic import OPTIMUM, bump_objective


def _inside(box, params) -> bool:
    return all(box[k][0] <= params[k] <= box[k][1] for k in box)


def test_coarse_to_fine_narrows_around_the_best_trials_and_keeps_lineage():
    spec = SearchSpec(strategy="coarse-to-fine", n_trials=90, rounds=3, top_fraction=0.2, margin=0.1, seed=3)
    view = run_search(spec, bump_objective)
    space = spec.space
    assert [(r.round, r.parent_round, r.n_trials) for r in view.rounds] == [(0, -1, 30), (1, 0, 30), (2, 1, 30)]
    assert view.rounds[0].box == space.full_box()
    frozen = view.frozen_trials()
    for parent, child in zip(view.rounds, view.rounds[1:]):
        previous = [t for t in frozen if t.round == parent.round]
        best = top_trials(previous, 0.2)
        assert len(best) == 6
        assert all(_inside(child.box, t.params) for t in best)             # contains the top trials
        assert box_volume(space, child.box) < box_volume(space, parent.box)  # and is smaller than its parent
        # every trial of the child round was sampled inside the child's box, and records it
        rows = view.trials[view.trials["round"] == child.round]
        assert all(_inside(child.box, r) for r in rows[["lr", "weight_decay"]].to_dict("records"))
        assert (rows["box_lr_low"] == child.box["lr"][0]).all() and (rows["parent_round"] == parent.round).all()
    # the last box still holds the optimum, and the rounds get better
    last = view.rounds[-1].box
    assert _inside(last, {"lr": 10 ** OPTIMUM[0], "weight_decay": 10 ** OPTIMUM[1]})
    means = view.trials.groupby("round")["value"].mean().to_numpy()
    assert means[0] < means[1] < means[2]


def test_narrow_box_widens_by_the_margin_in_log_space():
    space = SearchSpace.book()
    trials = [FrozenTrial(0, {"lr": 1e-4, "weight_decay": 1e-6}, 0.9),
              FrozenTrial(1, {"lr": 1e-3, "weight_decay": 1e-5}, 0.8),
              FrozenTrial(2, {"lr": 1e-6, "weight_decay": 1e-8}, 0.1)]
    box = narrow_box(space, space.full_box(), trials, top_fraction=0.5, margin=0.1)
    # top 2 span lr 1e-4..1e-3 and wd 1e-6..1e-5; the parent spans 4 decades, so 0.4 decades on each side
    assert np.log10(box["lr"]) == pytest.approx([-4.4, -2.6])
    assert np.log10(box["weight_decay"]) == pytest.approx([-6.4, -4.6])


def test_narrow_box_is_clipped_to_the_space_and_never_collapses():
    space = SearchSpace.book()
    one = [FrozenTrial(0, {"lr": 1e-2, "weight_decay": 1e-8}, 0.9)]
    box = narrow_box(space, space.full_box(), one, top_fraction=0.2, margin=0.0)
    assert box["lr"][1] == pytest.approx(1e-2) and box["weight_decay"][0] == pytest.approx(1e-8)
    assert box_volume(space, box) > 0


def test_a_users_box_starts_the_first_round():
    box = {"lr": (1e-4, 1e-3), "weight_decay": (1e-6, 1e-5)}
    view = run_search(SearchSpec(strategy="coarse-to-fine", n_trials=20, rounds=2, box=box), bump_objective)
    assert view.rounds[0].box == box and view.rounds[0].parent_round == -1
    first = view.trials[view.trials["round"] == 0]
    assert all(_inside(box, r) for r in first[["lr", "weight_decay"]].to_dict("records"))
