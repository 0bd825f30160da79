"""Pure labels of the pages (ui/labels.py): job progress lines (runs for run jobs, trials for searches, "starting"
before runs are queued) and markdown escaping."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from core.config import RunConfig
from core.job_state import JobState, RunProgress
from core.store import ResultStore
from core.train import train
from ui.labels import (comparison_labels, config_label, job_progress, localized_label, localized_runs, plain,
                       run_labels, run_progress)

TINY = RunConfig(n_train=100, n_test=200, hidden_sizes=(16,), n_epochs=2, batch_size=50)


def test_a_run_job_counts_runs():
    fraction, text = job_progress(JobState.from_dict({"name": "wd", "kind": "runs", "state": "running", "n_total": 4,
                                                     "n_done": 1, "n_cached": 1, "n_failed": 0}))
    assert fraction == 0.25
    assert text == "wd: 1 of 4 runs done (1 cached, 0 failed) — running"


def test_a_finished_job_says_done_once_and_an_ended_one_says_how():
    done = JobState.from_dict({"name": "wd", "state": "done", "n_total": 4, "n_done": 4})
    assert job_progress(done)[1] == "wd: 4 of 4 runs done (0 cached, 0 failed)"
    search = JobState.from_dict({"name": "s", "kind": "search", "state": "done", "n_trials": 5, "n_trials_done": 5})
    assert job_progress(search)[1] == "s: 5 of 5 trials done"
    failed = JobState.from_dict({"name": "wd", "state": "failed", "n_total": 4, "n_done": 2, "n_failed": 2})
    assert job_progress(failed)[1] == "wd: 2 of 4 runs done (0 cached, 2 failed) — failed"


def test_a_job_yet_to_queue_its_runs_is_starting_not_zero_of_zero():
    fraction, text = job_progress(JobState.from_dict({"name": "wd", "state": "running", "n_total": 0, "n_done": 0}))
    assert (fraction, text) == (0.0, "wd: starting…")
    # an ended job with nothing to run says so plainly
    ended = JobState.from_dict({"name": "wd", "state": "done", "n_total": 0, "n_done": 0})
    assert job_progress(ended)[1].startswith("wd: 0 of 0")


def test_a_search_counts_trials_not_the_runs_of_its_current_batch():
    fraction, text = job_progress(JobState.from_dict({"name": "search x", "kind": "search", "state": "running",
                                                     "n_trials": 100, "n_trials_done": 30, "n_total": 2,
                                                     "n_done": 2}))
    assert fraction == pytest.approx(0.3)
    assert text == "search x: 30 of 100 trials done — running"


@pytest.mark.parametrize("bad", [None, "x", -3, [1]])
def test_bad_counts_in_a_job_file_count_as_zero(bad):
    fraction, text = job_progress(JobState.from_dict({"name": "j", "state": "done", "n_total": bad, "n_done": bad}))
    assert fraction == 0.0 and "0 of 0" in text


def test_plain_escapes_markdown_so_a_label_cannot_format_or_link():
    assert plain("[x](http://a) *b* `c`") == r"\[x\]\(http://a\) \*b\* \`c\`"


# ---- labels that name only what differs, and the Home sentence ------------------------------------------------------
def _runs_of(*configs):
    rows = []
    for c in configs:
        row = {**c.to_dict(), "hidden_sizes": ",".join(map(str, c.hidden_sizes)), "architecture": c.architecture,
               "run_id": c.run_id, "group_id": c.group_id, "label": c.label()}
        rows.append(row)
    return pd.DataFrame(rows)


def test_comparison_labels_name_exactly_the_differing_fields_and_share_the_rest_once():
    from core.config import RunConfig
    from ui.labels import comparison_labels

    a, b, c = RunConfig(n_epochs=50, weight_decay=0.05), RunConfig(), RunConfig(weight_decay=0.1)
    labels, shared = comparison_labels(_runs_of(a, b, c))
    assert [labels[x.group_id] for x in (a, b, c)] == ["wd=0.05 · 50 epochs", "wd=0 · 200 epochs",
                                                       "wd=0.1 · 200 epochs"]
    assert shared == "6×100 · sgd · lr=0.01 · 300 train images"
    only_epochs, _ = comparison_labels(_runs_of(RunConfig(n_epochs=50), RunConfig()))
    assert sorted(only_epochs.values()) == ["200 epochs", "50 epochs"]
    by_run, _ = comparison_labels(_runs_of(RunConfig(seed=1), RunConfig(seed=2)), by="run")
    assert sorted(by_run.values()) == ["no reg. · 6×100 · sgd lr=0.01 · seed=1", "no reg. · 6×100 · sgd lr=0.01 · seed=2"]
    series, _ = comparison_labels(_runs_of(a, b, c), exclude=("weight_decay",), unique=False)
    assert series[b.group_id] == series[c.group_id] == "200 epochs" and series[a.group_id] == "50 epochs"


def test_the_effect_sentence_says_which_side_moved_from_the_numbers():
    from ui.labels import effect_sentence

    base = {"train": 1.0, "test": 0.80, "gap": 0.20}
    text = effect_sentence("wd=0.1", base, {"train": 0.88, "test": 0.76, "gap": 0.12})
    assert text == ("**wd=0.1** narrows the gap (0.200 → 0.120) mainly because train accuracy falls (1.000 → 0.880); "
                    "test accuracy also falls (0.800 → 0.760).")
    rises = effect_sentence("dropout", base, {"train": 1.0, "test": 0.86, "gap": 0.14})
    assert "mainly because test accuracy rises (0.800 → 0.860); train accuracy stays about the same" in rises
    assert "widens the gap" in effect_sentence("x", base, {"train": 1.0, "test": 0.7, "gap": 0.3})


# ---- config labels in the reader's language (config_label, localized_runs) ----------------------------------------
ENGLISH_LABEL_WORDS = ("wd=", "dropout=", "no reg.", "batchnorm", "seed=", "(decoupled)", "(inverted)", "n=")
VARIED = [RunConfig(), RunConfig(weight_decay=0.1), RunConfig(dropout=0.2, dropout_mode="inverted"),
          RunConfig(weight_decay=1e-5, weight_decay_mode="decoupled", dropout=0.5, batch_norm=True),
          RunConfig(hidden_sizes=(50, 20), activation="tanh", init="std", init_std=0.01, optimizer="adam", lr=0.001),
          RunConfig(dataset="digits", n_train=1000, init="xavier", activation="sigmoid", seed=3)]


@pytest.fixture
def korean():
    from ui import text
    text.use_language_source(lambda: "ko")
    yield
    text.use_language_source(lambda: None)


@pytest.mark.parametrize("config", VARIED, ids=lambda c: c.label())
def test_the_english_config_label_is_core_s_label_word_for_word(config):
    assert config_label(config) == config.label()
    assert config_label(config, with_seed=True) == config.label(with_seed=True)


def test_a_runs_row_gives_the_label_the_store_wrote(tmp_path):
    """From the runs table's own columns (hidden_sizes as "100,100", numpy values): the store's English label."""
    records = [train(dataclasses.replace(TINY, **change)) for change in
               ({}, {"weight_decay": 0.1, "weight_decay_mode": "decoupled"}, {"dropout": 0.2, "batch_norm": True},
                {"hidden_sizes": (8, 4), "activation": "tanh", "init": "std", "n_train": 60})]
    ResultStore(tmp_path).write(records)
    runs = ResultStore(tmp_path).load_runs()
    assert len(runs) == 4
    for row in runs.to_dict("records"):
        assert config_label(row) == row["label"]
    assert localized_runs(runs) is runs  # English: the table itself, nothing recomputed


@pytest.mark.parametrize("config", VARIED, ids=lambda c: c.label())
def test_the_korean_config_label_has_no_english_words(config, korean):
    label = config_label(config, with_seed=True)
    assert not [w for w in ENGLISH_LABEL_WORDS if w in label], label
    assert f"시드={config.seed}" in label and config.architecture in label and f"lr={config.lr:g}" in label


def test_korean_labels_reach_the_runs_table_run_labels_and_compared_groups(tmp_path, korean):
    records = [train(dataclasses.replace(TINY, weight_decay=wd, dropout=r, seed=s))
               for wd, r in ((0.0, 0.0), (0.1, 0.0), (0.0, 0.2)) for s in (0, 1)]
    ResultStore(tmp_path).write(records)
    runs = localized_runs(ResultStore(tmp_path).load_runs())
    assert set(runs["label"]) == {"정규화 없음 · 1×16 · sgd lr=0.01 · 훈련 100장",
                                  "가중치 감소=0.1 · 1×16 · sgd lr=0.01 · 훈련 100장",
                                  "드롭아웃=0.2 · 1×16 · sgd lr=0.01 · 훈련 100장"}
    texts = [*run_labels(runs).values(), *comparison_labels(runs, "group")[0].values(),
             *comparison_labels(runs, "run")[0].values()]
    assert len(texts) == 6 + 3 + 6
    assert not [x for x in texts if any(w in x for w in ENGLISH_LABEL_WORDS)], texts
    assert any("시드=1" in x for x in run_labels(runs).values())


def test_preset_titles_and_descriptions_are_core_s_in_english_and_translated_in_korean(korean):
    from core.presets import PRESETS
    from ui.labels import preset_description, preset_title
    from ui.text import lookup
    for name, preset in PRESETS.items():
        assert lookup("common", f"preset.{name}.title", "en") == preset.title
        assert lookup("common", f"preset.{name}.description", "en") == preset.description
        assert preset_title(name) != preset.title
        assert preset_description(name) != preset.description


def _specs():
    from core.search import SearchSpec
    from core.search.spec import STRATEGIES
    for strategy in STRATEGIES:
        yield SearchSpec(strategy=strategy, n_trials=4)
        yield SearchSpec(strategy=strategy, n_trials=4, early_stop=True)
        yield SearchSpec(strategy=strategy, n_trials=4, early_stop=True, rung_metric="val_acc")


def test_strategies_and_trial_statuses_read_as_core_in_english_and_in_korean_words():
    from core.search.spec import strategy_label
    from ui import text
    from ui.labels import strategy_text, trial_status
    labels = [strategy_label(spec) for spec in _specs()]
    assert len(set(labels)) == 12 and [strategy_text(x) for x in labels] == labels
    assert [trial_status(s) for s in ("complete", "pruned", "odd")] == ["complete", "pruned (stopped early)", "odd"]
    text.use_language_source(lambda: "ko")
    try:
        korean = [strategy_text(x) for x in labels]
        assert len(set(korean)) == 12, korean
        assert not [k for k in korean if {"random", "grid", "bayes", "coarse", "early", "rungs"} & set(k.split())]
        assert "무작위 + 조기 종료 (정확도로 비교)" in korean
        assert [trial_status(s) for s in ("complete", "pruned", "diverged", "failed")] == ["완료", "조기 종료됨", "발산", "실패"]
    finally:
        text.use_language_source(lambda: None)


@pytest.mark.parametrize("config", VARIED, ids=lambda c: c.label())
def test_a_job_s_english_run_label_reads_as_config_label_says_it(config, korean):
    """The jobs panel has only the worker's English text: translated, it equals the label made from the config."""
    assert localized_label(config.label(with_seed=True)) == config_label(config, with_seed=True)
    assert localized_label(config.label()) == config_label(config)


def test_the_jobs_panel_shows_a_running_run_in_the_reader_s_language(korean):
    config = RunConfig(weight_decay=0.1, dropout=0.2, seed=4)
    run = RunProgress(run_id=config.run_id, label=config.label(with_seed=True), state="running", epoch=3, n_epochs=10)
    fraction, text = run_progress(run)
    assert fraction == 0.3
    assert text.startswith(plain(config_label(config, with_seed=True)) + ": ")
    assert "가중치 감소=0.1" in text and "시드=4" in text and "wd=" not in text and "seed=" not in text


def test_english_and_other_text_pass_unchanged(korean):
    assert localized_label("search 20261202-abc") == "search 20261202-abc"
    from ui import text
    text.use_language_source(lambda: "en")
    assert localized_label("wd=0.1 · 6×100 · sgd lr=0.01 · seed=2") == "wd=0.1 · 6×100 · sgd lr=0.01 · seed=2"


def test_status_counts_read_in_korean_and_stay_as_core_wrote_them_in_english(korean):
    from ui import text
    from ui.labels import status_counts_text

    assert status_counts_text("3 complete") == "완료 3"
    assert status_counts_text("2 complete, 1 diverged") == "완료 2, 발산 1"
    assert status_counts_text("1 pruned, 1 odd status") == "조기 종료됨 1, 1 odd status"  # unknown words as they are
    text.use_language_source(lambda: None)
    assert status_counts_text("2 complete, 1 diverged") == "2 complete, 1 diverged"


# ---- a job's name in the reader's language (job_title, from the job file's subject) -----------------------------
JOB_ARGS = ["--set", "n_epochs=1", "--set", "n_train=100", "--set", "n_test=200", "--set", "hidden_sizes=16",
            "--workers", "1", "--quiet"]


def test_jobs_the_cli_starts_are_named_in_korean_and_an_older_job_file_keeps_its_name(tmp_path, korean):
    """Real job files, written by real CLI commands, read by the panel's reader (``list_jobs``, as
    ``services.jobs``) and worded by ``job_progress``: the subject is Korean; a file without one shows its name."""
    import json
    import subprocess
    import sys

    from core.job_files import JOBS_DIR, list_jobs

    root = str(tmp_path)
    for args in (["run", *JOB_ARGS], ["sweep", "--vary", "weight_decay=0,0.1", "--seeds", "1", *JOB_ARGS],
                 ["search", "--trials", "2", "--epochs", "1", "--set", "n_train=100", "--set", "n_val=50",
                  "--set", "hidden_sizes=16", "--workers", "1", "--quiet"]):
        # a process of its own, as a user runs it (its pool's workers spawn from it, not from pytest)
        done = subprocess.run([sys.executable, "-m", "core", "--results", root, *args], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    by_kind = {job.kind: job for job in list_jobs(root)}
    search, sweep, run = by_kind["search"], by_kind["sweep"], by_kind["runs"]
    assert job_progress(search)[1] == f"탐색 {plain(search.search_id)}: 시행 2개 중 2개 완료"
    assert job_progress(sweep)[1] == f"스윕 {plain(sweep.sweep_id)}: 실행 2개 중 2개 완료(캐시 0개, 실패 0개)"
    assert job_progress(run)[1].startswith("정규화 없음 · 1×16 · sgd lr=0.01 · 훈련 100장: 실행 1개 중 1개")
    for job in (search, sweep, run):  # the stored names are English, and none reaches the Korean panel
        assert job.name.split()[0] in ("search", "sweep", "cli") and job.name not in job_progress(job)[1]

    old = tmp_path / JOBS_DIR / f"{search.id}.json"  # as a version before subjects wrote it: the name alone
    data = json.loads(old.read_text())
    del data["subject"]
    old.write_text(json.dumps(data))
    older = next(job for job in list_jobs(root) if job.id == search.id)
    assert older.subject == {} and job_progress(older)[1] == f"search {plain(search.search_id)}: 시행 2개 중 2개 완료"


@pytest.mark.parametrize(("subject", "english", "korean_text"), [
    ({"kind": "book"}, "The book's experiments", "책의 실험"),
    ({"kind": "preset", "preset": "weight-decay"}, "Preset: Weight decay (λ = 0.1)", "프리셋: 가중치 감소 (λ = 0.1)"),
    ({"kind": "lesson", "lesson": "dropout"}, "Lesson: Dropout", "학습 노트: 드롭아웃"),
    ({"kind": "ensemble", "key": "k1"}, "Dropout lesson's ensemble (k1)", "드롭아웃 노트의 앙상블(k1)"),
    ({"kind": "preset", "preset": "no-such-preset"}, "stored name", "stored name"),  # a newer version's preset
    ({"kind": "lesson", "lesson": "../x"}, "stored name", "stored name"),
    ({"kind": "search"}, "stored name", "stored name"),  # its parameter missing
    ({"kind": "telepathy", "x": "1"}, "stored name", "stored name"),  # a kind this version does not know
])
def test_a_job_file_s_subject_is_worded_in_each_language_or_its_name_is_kept(tmp_path, subject, english, korean_text):
    """The dashboard's jobs: the subject a real JobManager publishes, read back from its file."""
    from core.job_files import read_job
    from core.jobs import JobManager
    from ui import text
    from ui.labels import job_title

    manager = JobManager(tmp_path, in_process=True)
    job_id = manager.start("stored name", lambda ctx: None, meta={"subject": subject})
    manager.join(job_id, 30)
    job = read_job(tmp_path, job_id)
    manager.shutdown()
    assert job_title(job) == english
    text.use_language_source(lambda: "ko")
    try:
        assert job_title(job) == korean_text
    finally:
        text.use_language_source(lambda: None)
