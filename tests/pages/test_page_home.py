"""AppTest: the Home page."""
from __future__ import annotations

import numpy as np
from streamlit.testing.v1 import AppTest

from core.presets import HEADLINE, get_preset
from core.record import METRICS, RunRecord, RunStatus
from core.store import ResultStore
from pagetools import APP, n_runs, open_page, texts


def test_empty_folder_offers_the_book_experiments(empty_results):
    at = open_page("pages/home.py")
    assert at.title[0].value == "Overfit Lab"
    assert any("not been computed yet" in s for s in texts(at, "info"))
    assert [b.label for b in at.button] == ["Run the book's three experiments (3 seeds)"]
    assert not at.get("plotly_chart")
    assert at.sidebar.metric[0].value == "0"  # cached runs


def test_populated_folder_draws_the_headline_figure(populated):
    at = open_page("pages/home.py")
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    assert "Overfitting, weight decay and dropout" in charts[0].proto.spec
    assert not at.button  # nothing left to compute
    link = at.get("page_link")[0]
    assert link.proto.label == "Open these runs in Compare" and "groups=" in link.proto.query_string
    assert at.sidebar.metric[0].value == str(n_runs(populated))


def test_malformed_query_is_reported_not_used(empty_results):
    at = open_page("pages/home.py", {"../../etc/passwd": "1", "x": "<script>alert(1)</script>"})
    notices = texts(at, "info")
    assert sum("Ignored the URL parameter" in n for n in notices) == 2
    assert all("<script>" not in n and "passwd" not in n for n in notices)


def test_read_only_draws_no_launch_button(empty_results, read_only):
    at = open_page("pages/home.py")
    assert not at.button
    assert any("read-only" in s for s in texts(at, "caption"))
    assert any("Read-only" in m.value for m in at.sidebar.markdown)  # st.badge is a markdown element


def test_a_results_folder_that_cannot_be_created_is_explained(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("OVERFIT_LAB_RESULTS", str(blocker / "results"))  # a folder inside a file: mkdir fails
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("The results folder cannot be used" in str(e.value) and "a-file" in str(e.value) for e in at.error)


def test_the_caption_states_the_measured_numbers_of_the_store_and_what_they_show(populated):
    runs = ResultStore(populated).load_runs()
    groups = list(dict.fromkeys(c.group_id for name in HEADLINE for c in get_preset(name).configs))
    at = open_page("pages/home.py")
    measured = next(m.value for m in at.markdown if m.value.startswith("Measured at the last epoch"))
    lines = measured.splitlines()[1:]
    assert len(lines) == len(groups) == 4
    expected = {}
    for group_id, line in zip(groups, lines):
        part = runs[(runs["group_id"] == group_id) & (runs["status"] == "complete")]
        numbers = [part["final_train_acc"].mean(), part["final_test_acc"].mean(),
                   (part["final_train_acc"] - part["final_test_acc"]).mean()]
        expected[group_id] = numbers
        assert f"train {numbers[0]:.3f}, test {numbers[1]:.3f}, gap {numbers[2]:.3f} ({len(part)} seeds)" in line
    assert "**no reg. · 200 epochs**" in lines[0] and "**dropout=0.2 · 300 epochs**" in lines[2]
    reading = next(m.value for m in at.markdown if m.value.startswith("What the figure shows"))
    decay = reading.splitlines()[1]
    base, wd = expected[groups[0]], expected[groups[1]]
    assert decay.startswith("- **wd=0.1 · 200 epochs**")
    assert f"({base[2]:.3f} → {wd[2]:.3f})" in decay and f"({base[1]:.3f} → {wd[1]:.3f})" in decay
    verb = "narrows" if wd[2] < base[2] - 0.01 else "widens" if wd[2] > base[2] + 0.01 else "leaves the gap about"
    assert verb in decay
    assert any("All shown: 6×100 · sgd · lr=0.01 · 300 train images." in c.value for c in at.caption)


def test_the_caption_is_written_from_the_numbers_in_korean_too(populated):
    at = open_page("pages/home.py", {"lang": "ko"})
    measured = next(m.value for m in at.markdown if m.value.startswith("마지막 에폭에서 잰 값"))
    assert "**정규화 없음 · 200에폭**: 훈련 " in measured and "(시드 3개)" in measured
    assert any("격차가" in m.value for m in at.markdown)


def test_a_regularizer_trained_longer_is_compared_at_the_last_epoch_both_trained(monkeypatch, tmp_path):
    """The book's dropout runs 300 epochs and its plain network 200. Home compared each at its own end, so dropout
    had half as long again to learn; now the dropout sentences compare both at epoch 200 and say so."""
    configs = [c for name in HEADLINE for c in get_preset(name).configs_for_seeds(3)]
    rng = np.random.default_rng(0)
    records = []
    for config in configs:
        n_evals = config.n_epochs + 1
        curves = {"epoch": np.arange(n_evals), **{m: rng.uniform(0.1, 1.0, n_evals) for m in METRICS},
                  "elapsed_s": np.arange(n_evals) * 0.1}
        curves["val_loss"] = curves["val_acc"] = np.full(n_evals, np.nan)
        records.append(RunRecord(config, RunStatus.COMPLETE, curves, np.ones((n_evals, 7)), config.n_epochs, "fp",
                                 "2026-01-01T00:00:00+00:00", 1.0))
    ResultStore(tmp_path).write(records)
    monkeypatch.setenv("OVERFIT_LAB_RESULTS", str(tmp_path))
    monkeypatch.delenv("OVERFIT_LAB_READ_ONLY", raising=False)
    at = open_page("pages/home.py")
    reading = next(m.value for m in at.markdown if m.value.startswith("What the figure shows")).splitlines()[1:]
    assert [line.startswith("- At epoch 200, the last one both trained: **dropout=") for line in reading] == \
        [False, True, True]

    def gap_at(config, epoch: int) -> float:
        rows = [r.curves for r in records if r.config.group_id == config.group_id]
        return float(np.mean([c["train_acc"][epoch] - c["test_acc"][epoch] for c in rows]))

    plain, dropout = configs[0], next(c for c in configs if c.dropout == 0.2)
    assert f"({gap_at(plain, 200):.3f} → {gap_at(dropout, 200):.3f})" in reading[1]
