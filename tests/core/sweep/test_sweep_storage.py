from __future__ import annotations

import json

import pandas as pd
import pytest

from core.sweep import list_sweeps, load_sweep, make_spec, sweep_members, sweep_problems
from core.sweep.storage import SweepWarning, open_or_write, read_members, sweeps_dir

from sweep_tiny import TINY


def test_a_sweep_is_published_with_its_members_and_opens_before_any_run(tmp_path):
    spec = make_spec(TINY, {"weight_decay": "0,0.1"}, seeds=2)
    stored, new = open_or_write(tmp_path, spec)
    assert new and stored.created and stored == spec
    assert sorted(p.name for p in sweeps_dir(tmp_path).iterdir()) == [f"{spec.sweep_id}.json",
                                                                     f"{spec.sweep_id}.members.parquet"]
    members = read_members(tmp_path, spec)
    assert list(members["run_id"]) == [c.run_id for _, _, c in spec.configs()]
    assert list(members["weight_decay"]) == [0.0, 0.0, 0.1, 0.1] and list(members["seed"]) == [0, 1, 0, 1]
    view = load_sweep(tmp_path, spec.sweep_id)
    assert set(view.members["status"]) == {"missing"} and view.n_finished == 0
    again, new_again = open_or_write(tmp_path, make_spec(TINY, {"weight_decay": "0.1,0"}, seeds=2))
    assert not new_again and again.created == stored.created


def test_the_members_keep_the_run_ids_they_were_written_with(tmp_path):
    """After an engine change every run_id moves; a stored sweep still opens with its own runs."""
    spec = make_spec(TINY, {"weight_decay": "0,0.1"}, seeds=1)
    open_or_write(tmp_path, spec)
    path = sweeps_dir(tmp_path) / f"{spec.sweep_id}.members.parquet"
    members = pd.read_parquet(path)
    members["run_id"] = ["old000000001", "old000000002"]
    members.to_parquet(path)
    assert load_sweep(tmp_path, spec.sweep_id).run_ids == ["old000000001", "old000000002"]


def test_unreadable_files_are_reported_and_skipped(tmp_path):
    good = make_spec(TINY, {"weight_decay": "0,0.1"}, seeds=1)
    open_or_write(tmp_path, good)
    folder = sweeps_dir(tmp_path)
    (folder / "torn-0123456789.json").write_text('{"spec_version": 1, "sweep_id": "torn-')
    (folder / "wrong-0123456789.json").write_text(json.dumps({"spec_version": 1, "sweep_id": "other"}))
    with pytest.warns(SweepWarning):
        listed = list_sweeps(tmp_path)
    assert list(listed["sweep_id"]) == [good.sweep_id]
    assert sorted(p.path.name for p in sweep_problems(tmp_path)) == ["torn-0123456789.json", "wrong-0123456789.json"]
    with pytest.raises(ValueError, match="cannot be read"):
        load_sweep(tmp_path, "torn-0123456789")
    with pytest.raises(FileNotFoundError, match="No sweep 'absent'"):
        load_sweep(tmp_path, "absent")
    with pytest.raises(ValueError, match="Not a sweep id"):
        load_sweep(tmp_path, "../escape")


def test_sweep_members_say_which_sweeps_a_run_belongs_to(stored_sweeps):
    root, one, two = stored_sweeps
    members = sweep_members(root)
    assert set(members["sweep_id"]) == {one.sweep_id, two.sweep_id} and len(members) == 12 + 8
    shared = set(one.run_ids) & set(two.run_ids)  # λ ∈ {0, 1}, no dropout, seeds 0 and 1
    assert len(shared) == 4
    owners = members[members["run_id"].isin(shared)].groupby("run_id")["sweep_id"].nunique()
    assert (owners == 2).all()
    listed = list_sweeps(root, runs=pd.concat([one.members, two.members])[["run_id"]])
    assert list(listed["n_stored"]) == [8, 12] or list(listed["n_stored"]) == [12, 8]
