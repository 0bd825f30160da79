from __future__ import annotations

import numpy as np
import pytest

from core.search import Param, SearchSpace, box_volume


@pytest.mark.parametrize("kwargs, message", [
    (dict(name="weight_decay", low=0, high=1e-4, scale="log"),
     "`low > 0` must hold for scale='log'. Got low=0 for 'weight_decay'."),
    (dict(name="lr", low=1e-2, high=1e-6, scale="log"), "`low <= high` must hold. Got low=0.01 and high=1e-06 for 'lr'."),
    (dict(name="batch_size", low=10.5, high=100, scale="int"), "must be integers for scale='int'"),
    (dict(name="lr", low=1e-6, high=1e-2, scale="cubic"), "The 'scale' of 'lr' must be one of"),
    (dict(name="dropout", scale="choice", choices=()), "`choices` must be a non-empty tuple"),
    (dict(name="dropout", scale="choice", choices=(0.1, 0.1)), "must not repeat"),
    (dict(name="lr", low=float("nan"), high=1.0), "`low` must be a finite number"),
    (dict(name="seed", low=0, high=10, scale="int"), "must be a numeric RunConfig field"),
    (dict(name="activation", low=0, high=1), "must be a numeric RunConfig field"),
    (dict(name="batch_norm", low=0, high=1), "must be a numeric RunConfig field"),
])
def test_invalid_params_are_refused_with_a_message_naming_the_problem(kwargs, message):
    with pytest.raises(ValueError) as info:
        Param(**kwargs)
    assert message in str(info.value)


def test_book_space_is_the_books_ranges():
    space = SearchSpace.book()
    assert space.names == ("lr", "weight_decay")
    assert (space["lr"].low, space["lr"].high, space["lr"].scale) == (1e-6, 1e-2, "log")
    assert (space["weight_decay"].low, space["weight_decay"].high) == (1e-8, 1e-4)


def test_unit_coordinates_round_trip_and_log_maps_decades_evenly():
    p = Param("lr", 1e-6, 1e-2, "log")
    assert np.allclose(p.to_unit([1e-6, 1e-4, 1e-2]), [0.0, 0.5, 1.0])
    values = np.array([3e-6, 2e-4, 9e-3])
    assert np.allclose(p.from_unit(p.to_unit(values)), values)


def test_int_and_choice_parameters_snap_to_their_values():
    space = SearchSpace((Param("batch_size", 10, 12, "int"), Param("dropout", scale="choice", choices=(0.0, 0.5))))
    u = np.random.default_rng(0).random((3000, 2))
    rows = space.from_unit(u)
    sizes = [r["batch_size"] for r in rows]
    assert set(sizes) == {10, 11, 12} and all(isinstance(s, int) for s in sizes)
    counts = np.bincount(np.array(sizes) - 10)
    assert counts.min() > 900  # each integer owns a third of the unit interval
    assert {r["dropout"] for r in rows} == {0.0, 0.5}


def test_boxes_are_checked_against_the_space():
    space = SearchSpace.book()
    assert space.check_box({"lr": (1e-5, 1e-3)}) == {"lr": (1e-5, 1e-3), "weight_decay": (1e-8, 1e-4)}
    with pytest.raises(ValueError, match="inside the search space"):
        space.check_box({"lr": (1e-7, 1e-3)})
    with pytest.raises(ValueError, match="`low <= high`"):
        space.check_box({"lr": (1e-3, 1e-5)})
    with pytest.raises(KeyError):
        space.check_box({"dropout": (0.1, 0.2)})
    assert box_volume(space, space.full_box()) == pytest.approx(1.0)
    assert box_volume(space, {"lr": (1e-5, 1e-3), "weight_decay": (1e-7, 1e-5)}) == pytest.approx(0.25)


def test_a_space_names_each_parameter_once():
    with pytest.raises(ValueError, match="names each parameter once"):
        SearchSpace((Param("lr", 1e-6, 1e-2, "log"), Param("lr", 1e-5, 1e-2, "log")))
