"""The probe of issue 11 as property-based tests: config fields, ``--set`` strings, URL parameters and store rows.

Each surface gets 1,000 Hypothesis examples. A surface may refuse an input only with its documented one-line error
(ConfigError / LimitError for configs, a Notice for URLs, a skipped-file Problem or a ValueError for store reads);
anything else is a failure, and so is an accepted config whose model is over the limits or an input that allocates
more than a few MB before it is refused (tracemalloc).
"""
from __future__ import annotations

import dataclasses
import tracemalloc

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.config import FIELD_TYPES, ConfigError, RunConfig, config_with, parse_override
from core.limits import LimitError, check_config, current_limits, n_parameters
from core.validation import ParameterError
from ui.state import Param, parse_view

EXAMPLES = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
FIELDS = sorted(FIELD_TYPES)
PEAK_BYTES = 8 * 2**20
LIMITS = current_limits()

big_ints = st.one_of(st.integers(-5, 5000), st.integers(-2**70, 2**70), st.sampled_from([0, 1, 10_000, 2**31, 2**63]))
values = st.one_of(big_ints, st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
                   st.text(max_size=30), st.lists(big_ints, max_size=60).map(tuple), st.lists(big_ints, max_size=5))


def _bounded(action):
    """Run ``action``; return its result and the peak memory it allocated."""
    tracemalloc.start()
    try:
        result = action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def _config_or_none(make):
    """``make()``, or None when it raised the documented one-line ConfigError."""
    try:
        return make()
    except ConfigError as exc:
        assert "\n" not in str(exc)
        return None


def _accept(config: RunConfig) -> None:
    """An accepted config: either inside the model limits or refused by them, never silently over."""
    try:
        check_config(config, LIMITS)
    except LimitError as exc:
        assert "\n" not in str(exc) and exc.field in FIELD_TYPES
        return
    assert n_parameters(config.hidden_sizes, batch_norm=config.batch_norm) <= LIMITS.params


@EXAMPLES
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=6))
def test_fuzz_config_fields(kwargs):
    config, peak = _bounded(lambda: _config_or_none(lambda: RunConfig(**kwargs)))
    assert peak < PEAK_BYTES
    if config is not None:
        _accept(config)
        assert RunConfig.from_json(config.to_json()) == config


set_values = st.one_of(st.text(max_size=40), big_ints.map(str), st.floats().map(repr),
                       st.tuples(big_ints, big_ints).map(lambda t: f"{t[0]}x{t[1]}"),
                       st.lists(big_ints, max_size=80).map(lambda v: ",".join(map(str, v))))


@EXAMPLES
@given(st.one_of(st.text(max_size=60), st.tuples(st.sampled_from(FIELDS + ["", "bogus", " lr "]), set_values).map(
    lambda kv: f"{kv[0]}={kv[1]}")))
def test_fuzz_set_strings(text):
    config, peak = _bounded(lambda: _config_or_none(lambda: config_with(RunConfig(), dict([parse_override(text)]))))
    assert peak < PEAK_BYTES
    if config is not None:
        _accept(config)


RUN_PARAMS = [Param("mode", "choice", "preset", ("preset", "custom")), Param("preset", "choice", "overfit",
                                                                                ("overfit", "weight_decay")),
              Param("seeds", "int", 3, low=1, high=10), Param("runs", "ids", ()), Param("search", "token", None),
              Param("note", "text", None), Param("by", "choices", (), ("group", "seed")),
              *[Param(name, "field") for name in FIELDS if name != "data_path"]]
url_values = st.one_of(set_values, st.sampled_from(["../../etc/passwd", "<script>alert(1)</script>", "x" * 100_000,
                                                    "%00", "1e308", "nan", "-0", "10000x50"]),
                       st.lists(st.text(max_size=20), max_size=5))


@EXAMPLES
@given(st.dictionaries(st.one_of(st.sampled_from([p.name for p in RUN_PARAMS]), st.text(max_size=10)), url_values,
                       max_size=8))
def test_fuzz_url_parameters(raw):
    (view, notices), peak = _bounded(lambda: parse_view(raw, RUN_PARAMS, {"runs": {"a" * 12}, "search": {"s1"}}))
    assert peak < PEAK_BYTES
    assert set(view) == {p.name for p in RUN_PARAMS}
    for notice in notices:
        assert notice.param and notice.reason  # every dropped value is named, with its reason
    fields = {k: v for k, v in view.items() if k in FIELD_TYPES and v is not None}
    try:  # what the Run form does with the URL's fields: a config, or messages
        config = dataclasses.replace(RunConfig(), **fields)
    except ConfigError:
        return
    _accept(config)


# ---- store rows: the store's reading functions as they exist on this branch ---------------------------------------
row_values = st.one_of(st.text(max_size=40), st.sampled_from(["../../etc/pa", "hacked", "", "{", "null",
                                                             '{"lr": "x"}', "0" * 12, "complete", "failed"]))


def _template_table() -> pa.Table:
    from core.jobs import failed_record
    from core.store_format import runs_table

    if "runs" not in _STATE:
        _STATE["runs"] = runs_table([failed_record(RunConfig(n_epochs=1), "template")], "20260101T000000_000000Z-0")
    return _STATE["runs"]


_STATE: dict = {}


def _with_row(table: pa.Table, run_id: str, status: str, config_json: str) -> pa.Table:
    frame = table.to_pandas()
    frame["run_id"], frame["status"], frame["config_json"] = run_id, status, config_json
    return pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False)


@EXAMPLES
@given(run_id=row_values, status=row_values, config_json=row_values)
def test_fuzz_store_rows(run_id, status, config_json):
    """Rows that fit the schema but hold anything, through ``core.store_format``'s reading functions: a row is read
    or refused with a one-line error (BadFile, ConfigError, ValueError), never anything else.

    The row checks themselves (run_id format, config hash, known statuses) come with the store-harden branch.
    """
    from core.store_format import CURVES_SCHEMA, RUNS_SCHEMA, BadFile, conform, record_from

    table = _with_row(_template_table(), run_id, status, config_json)
    try:
        conformed = conform(table, RUNS_SCHEMA, "runs")
        record_from(conformed.to_pylist()[0], CURVES_SCHEMA.empty_table())
    except (BadFile, ParameterError, ValueError) as exc:
        assert "\n" not in str(exc).strip(), str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(run_id=row_values, status=row_values, config_json=row_values)
def test_fuzz_store_rows_in_real_files(tmp_path_factory, run_id, status, config_json):
    """The same rows in a real parquet file read by a real ResultStore (fewer examples: each writes a file)."""
    from core.store import ResultStore

    if "folder" not in _STATE:
        folder = tmp_path_factory.mktemp("fuzz-store")
        _STATE["folder"] = folder
        _STATE["file"] = folder / "20260101T000000_000000Z-0.runs.parquet"
    pq.write_table(_with_row(_template_table(), run_id, status, config_json), _STATE["file"])
    store = ResultStore(_STATE["folder"])
    assert isinstance(store.load_runs(), pd.DataFrame)
    store.problems()
    store.cached([run_id])
    try:
        store.get(run_id)
    except (ParameterError, ValueError, KeyError) as exc:  # a row that cannot be read says why, in one line
        assert "\n" not in str(exc).strip()
