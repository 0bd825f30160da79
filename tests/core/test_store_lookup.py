"""The cache lookup that answers without the index (``StoreListing._may_hold``) against the index itself: in every
folder where the two could differ (deleted runs, rows that fail their checks, bad files, many batches), a fresh
store's ``cached`` gives what the index says, and the quick answer is used only where it is exact."""
from __future__ import annotations

import warnings

import pyarrow.parquet as pq
import pytest

import core.store_listing
from core.record import RunStatus
from core.store import ResultStore
from tests.core.test_store import make_record

pytestmark = pytest.mark.usefixtures("private_cache")  # tests/core/conftest.py


def index_answer(root, ids) -> set[str]:
    """What the index says: a store that has listed the folder (so ``_may_hold`` defers to the index)."""
    store = ResultStore(root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        store.load_runs()
        return store.cached(ids)


def quick(root, ids) -> tuple[set[str], bool]:
    """A fresh store's answer, and whether it had to build the index for it."""
    store = ResultStore(root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answer = store.cached(ids)
    return answer, store._raw is not None


def test_an_empty_folder_and_new_configs_are_answered_without_the_index(tmp_path):
    stored, new = make_record(1), make_record(2)
    assert quick(tmp_path, [new.run_id]) == (set(), False)
    ResultStore(tmp_path).write([stored, make_record(3, status=RunStatus.FAILED)])
    assert quick(tmp_path, [new.run_id]) == (set(), False)
    failed_only = make_record(3, status=RunStatus.FAILED).run_id  # stored, but not a cache hit
    assert quick(tmp_path, [failed_only]) == (set(), False)
    assert quick(tmp_path, [stored.run_id, new.run_id]) == ({stored.run_id}, True)


def test_a_deleted_run_is_not_cached_though_its_row_is_still_on_disk(tmp_path):
    run = make_record(1)
    ResultStore(tmp_path).write([run])
    ResultStore(tmp_path).delete([run.run_id])
    assert quick(tmp_path, [run.run_id]) == (set(), True) and index_answer(tmp_path, [run.run_id]) == set()


def test_a_row_that_fails_its_checks_is_not_a_hit(tmp_path):
    run = make_record(1)
    batch = ResultStore(tmp_path).write([run])
    path = tmp_path / f"{batch}.runs.parquet"
    table = pq.read_table(path)
    config_json = table.column("config_json")[0].as_py()
    assert '"seed":1' in config_json
    forged = table.set_column(table.schema.get_field_index("config_json"), table.schema.field("config_json"),
                              [[config_json.replace('"seed":1', '"seed":9')]])
    pq.write_table(forged, path)  # the run_id is no longer the hash of its config
    assert quick(tmp_path, [run.run_id]) == (set(), True) and index_answer(tmp_path, [run.run_id]) == set()


def test_a_torn_runs_file_sends_the_lookup_to_the_index(tmp_path):
    good, lost = make_record(1), make_record(2)
    store = ResultStore(tmp_path)
    store.write([good])
    torn = tmp_path / f"{store.write([lost])}.runs.parquet"
    torn.write_bytes(torn.read_bytes()[: torn.stat().st_size // 2])
    ids = [good.run_id, lost.run_id, make_record(3).run_id]
    assert quick(tmp_path, ids) == ({good.run_id}, True)
    assert quick(tmp_path, [make_record(3).run_id]) == (set(), True)  # cannot tell: the index reports the file


def test_beyond_the_quick_limit_the_index_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(core.store_listing, "QUICK_LOOKUP_FILES", 2)
    runs = [make_record(seed) for seed in range(3)]
    for run in runs:
        ResultStore(tmp_path).write([run])
    new = make_record(9).run_id
    assert quick(tmp_path, [new]) == (set(), True)
    assert quick(tmp_path, [runs[2].run_id, new]) == ({runs[2].run_id}, True)
    monkeypatch.setattr(core.store_listing, "QUICK_LOOKUP_FILES", 3)
    assert quick(tmp_path, [new]) == (set(), False)
