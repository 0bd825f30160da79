from __future__ import annotations

import dataclasses
import json
import threading

import numpy as np
import pandas as pd
import pytest

from core.store import ResultStore
from core.search import (SearchSpec, SearchWarning, list_searches, load_search, read_spec, run_search,
                         search_problems, searches_dir, surrogate_grid, write_spec, write_trials)
from core.search.storage import finish_search, trial_files
from synthetic import bump_objective, curve_objective


@pytest.fixture
def searched(tmp_path):
    spec = SearchSpec(strategy="coarse-to-fine", n_trials=24, rounds=2, seed=1)
    view = run_search(spec, bump_objective, root=tmp_path)
    return tmp_path, view


def test_round_trip_spec_trials_and_rounds(searched):
    root, view = searched
    again = load_search(ResultStore(root), view.search_id)
    assert again.spec == view.spec
    assert len(again.trials) == 24 and again.trials["trial"].tolist() == list(range(24))
    assert [(r.round, r.parent_round, r.n_trials) for r in again.rounds] == [(0, -1, 12), (1, 0, 12)]
    assert again.rounds[1].box == view.rounds[1].box
    for column in ("final_val_acc", "best_val_acc", "final_train_acc", "status", "stopped_epoch", "run_id",
                   "lr", "weight_decay", "box_lr_low", "box_weight_decay_high", "parent_round", "strategy"):
        assert column in again.trials.columns
    best = again.best(3)
    assert best["value"].is_monotonic_decreasing and best["value"].iloc[0] == again.trials["value"].max()
    files = sorted(p.name for p in searches_dir(root).iterdir())
    assert files[0] == f"{view.search_id}.json"
    assert all(name.startswith(view.search_id) for name in files)
    assert not [n for n in files if n.startswith(".tmp")]


def test_list_searches_one_row_per_search_newest_first(tmp_path):
    a = run_search(SearchSpec(n_trials=5, created="2024-01-01T00:00:00+00:00"), bump_objective, root=tmp_path)
    b = run_search(SearchSpec(n_trials=7, strategy="grid", created="2024-02-01T00:00:00+00:00"), bump_objective,
                   root=tmp_path)
    frame = list_searches(tmp_path)
    assert frame["search_id"].tolist() == [b.search_id, a.search_id]
    assert frame["strategy"].tolist() == ["grid", "random"]
    assert frame["strategy_label"].tolist() == ["grid", "random"]
    assert frame["n_done"].tolist() == [4, 5]  # a 7-trial grid over 2 parameters is 2 x 2
    assert frame.loc[1, "best_val_acc"] == pytest.approx(a.trials["value"].max())
    assert list_searches(tmp_path / "nothing-here").empty


def test_malformed_search_id_is_refused_before_touching_files(tmp_path):
    for bad in ("../secrets", "a/b", ""):
        with pytest.raises(ValueError, match="Not a search id"):
            load_search(ResultStore(tmp_path), bad)
    with pytest.raises(FileNotFoundError, match="No search"):
        load_search(ResultStore(tmp_path), "unknown-id")


def test_corrupt_trials_file_is_skipped_with_a_reported_problem(searched):
    root, view = searched
    first = sorted(searches_dir(root).glob("*.trials-*.parquet"))[0]
    n_rows_first = len(__import__("pandas").read_parquet(first))
    first.write_bytes(b"PAR1 this is not parquet")
    with pytest.warns(SearchWarning, match="unreadable trials file"):
        again = load_search(ResultStore(root), view.search_id)
    assert len(again.trials) == 24 - n_rows_first
    assert [p.path.name for p in again.problems] == [first.name]
    assert [p.path.name for p in search_problems(root)] == [first.name]


def test_corrupt_or_foreign_spec_is_skipped_in_the_listing(searched):
    root, view = searched
    (searches_dir(root) / "broken.json").write_text("{not json")
    (searches_dir(root) / "not an id!.json").write_text("{}")
    (searches_dir(root) / ".tmp-abc-x.json").write_text("{")  # a write in progress: silently ignored
    wrong_shape = {**json.loads((searches_dir(root) / f"{view.search_id}.json").read_text()),
                   "search_id": "shape", "early_stop": 5, "box": 5}  # valid JSON, wrong types
    (searches_dir(root) / "shape.json").write_text(json.dumps(wrong_shape))
    with pytest.warns(SearchWarning):
        frame = list_searches(root)
    assert frame["search_id"].tolist() == [view.search_id]
    assert sorted(p.path.name for p in search_problems(root)) == ["broken.json", "not an id!.json", "shape.json"]
    with pytest.raises(ValueError, match="cannot be read"):
        read_spec(root, "broken")


def test_spec_write_is_atomic_and_batches_are_immutable(searched):
    root, view = searched
    from core.search import write_trials

    k = int(sorted(searches_dir(root).glob("*.trials-*.parquet"))[0].stem.rsplit("-", 1)[1])
    with pytest.raises(FileExistsError, match="immutable"):
        write_trials(root, view.spec, k, [])
    path = write_spec(root, view.spec)
    assert json.loads(path.read_text())["search_id"] == view.search_id


def test_surrogate_grid_maps_the_bump(searched):
    root, _ = searched
    view = load_search(ResultStore(root), run_search(SearchSpec(strategy="random", n_trials=40, seed=2), bump_objective,
                                        root=root).search_id)
    lr, wd, mean = surrogate_grid(view, n=25)
    assert lr.shape == (25,) and wd.shape == (25,) and mean.shape == (25, 25)
    assert lr[0] == pytest.approx(1e-6) and lr[-1] == pytest.approx(1e-2) and wd[-1] == pytest.approx(1e-4)
    row, col = np.unravel_index(np.argmax(mean), mean.shape)
    assert abs(np.log10(lr[col]) + 3) <= 0.5 and abs(np.log10(wd[row]) + 6) <= 1.0  # the peak is found


# ---- finishing a search: one trials file, no rungs -------------------------------------------------------------------
def _pieces(root, n_pieces: int = 12, per_piece: int = 2):
    """A search whose trials sit in ``n_pieces`` files, as a running search leaves them."""
    spec = SearchSpec(n_trials=n_pieces * per_piece).with_id()
    write_spec(root, spec)
    rows = run_search(dataclasses.replace(spec, search_id=""), bump_objective).trials.to_dict("records")
    for k in range(n_pieces):
        write_trials(root, spec, k, [{**r, "search_id": spec.search_id} for r in rows[k * per_piece:(k + 1) * per_piece]])
    return spec


def test_a_finished_search_leaves_one_trials_file_and_no_rungs(tmp_path):
    spec = SearchSpec(n_trials=30, early_stop=True, min_epochs=1, eta=3,
                      base=dataclasses.replace(SearchSpec().base, n_epochs=9))
    view = run_search(spec, curve_objective, root=tmp_path)
    assert list_searches(tmp_path)["strategy_label"].tolist() == ["random + early stopping"]
    names = sorted(p.name for p in searches_dir(tmp_path).iterdir())
    assert names == [f"{view.search_id}.json", f"{view.search_id}.trials-000003.parquet"]  # 3 pieces of 10 merged
    assert len(load_search(ResultStore(tmp_path), view.search_id).trials) == 30


def test_finishing_merges_the_pieces_in_order_and_keeps_every_row(tmp_path):
    spec = _pieces(tmp_path)
    before = load_search(ResultStore(tmp_path), spec.search_id).trials
    merged = finish_search(tmp_path, spec)
    assert merged.name == f"{spec.search_id}.trials-000012.parquet"
    assert [p.name for _, p in trial_files(tmp_path, spec.search_id)] == [merged.name]
    pd.testing.assert_frame_equal(load_search(ResultStore(tmp_path), spec.search_id).trials, before)
    assert finish_search(tmp_path, spec) is None  # one file: nothing to merge


def test_a_reader_between_publish_and_removal_sees_each_row_once(tmp_path):
    spec = _pieces(tmp_path)
    rows = load_search(ResultStore(tmp_path), spec.search_id).trials
    finish_search(tmp_path, spec)  # the merged file (batch 12) ...
    for k in range(12):            # ... with its pieces back beside it: the moment before they are removed
        write_trials(tmp_path, spec, k, rows.iloc[2 * k:2 * k + 2].to_dict("records"))
    assert len(trial_files(tmp_path, spec.search_id)) == 13
    trials = load_search(ResultStore(tmp_path), spec.search_id).trials
    assert trials["trial"].tolist() == list(range(24))


def test_a_corrupt_piece_is_left_alone_and_nothing_is_merged(tmp_path):
    spec = _pieces(tmp_path, n_pieces=3)
    first = trial_files(tmp_path, spec.search_id)[0][1]
    first.write_bytes(b"PAR1 broken")
    assert finish_search(tmp_path, spec) is None
    assert len(trial_files(tmp_path, spec.search_id)) == 3


def test_readers_racing_a_merge_never_lose_or_double_a_row(tmp_path):
    spec = _pieces(tmp_path, n_pieces=40)
    counts, stop = [], threading.Event()

    def read() -> None:
        while not stop.is_set():
            counts.append(len(load_search(ResultStore(tmp_path), spec.search_id).trials))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        finish_search(tmp_path, spec)
    finally:
        stop.set()
        reader.join()
    counts.append(len(load_search(ResultStore(tmp_path), spec.search_id).trials))
    assert set(counts) == {80}, sorted(set(counts))
