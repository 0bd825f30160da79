"""AppTest: the Run page."""
from __future__ import annotations

import re

from pagetools import open_page, texts


def test_empty_folder_offers_a_launch(empty_results):
    at = open_page("pages/run.py")
    assert at.title[0].value == "Run"
    assert at.selectbox(key="run.preset").value == "overfit"
    assert [b.label for b in at.button if b.key == "run.launch"] == ["Launch 3 runs"]
    assert any("3 runs: 0 cached, 3 to compute" in s for s in texts(at, "markdown"))


def test_cached_configs_are_recognised_before_computing(populated):
    at = open_page("pages/run.py", {"preset": "dropout", "seeds": "3"})
    assert any(s.startswith("Cached") for s in texts(at, "success"))
    assert not [b for b in at.button if b.key == "run.launch"]
    link = compare_link(at)
    assert link.proto.query_string.startswith("by=run&runs=")  # one link: exactly the cached runs
    assert not [p for p in at.get("page_link") if p.proto.label == "Open in Compare"]


def test_custom_config_errors_are_shown_beside_the_field(empty_results):
    at = open_page("pages/run.py", {"mode": "custom"})
    at.text_input(key="run.cfg.lr").input("abc")
    at.number_input(key="run.cfg.n_epochs").set_value(5000)
    at.number_input(key="run.cfg.batch_size").set_value(0)
    at.run()
    errors = texts(at, "error")
    assert any("'lr'" in e and "float" in e for e in errors)
    assert any("At most 1000 epochs" in e for e in errors)
    assert any("'batch\\_size'" in e for e in errors)
    assert not [b for b in at.button if b.key == "run.launch"]
    assert any("Fix the fields" in w for w in texts(at, "warning"))


def test_custom_config_from_the_url(empty_results):
    at = open_page("pages/run.py", {"mode": "custom", "lr": "0.05", "hidden_sizes": "16", "weight_decay": "0.1",
                                    "n_epochs": "3", "seeds": "2"})
    assert at.text_input(key="run.cfg.lr").value == "0.05"
    assert at.text_input(key="run.cfg.hidden_sizes").value == "16x1"
    assert [b.label for b in at.button if b.key == "run.launch"] == ["Launch 2 runs"]
    assert at.query_params["lr"] == "0.05" and at.query_params["mode"] == "custom"


def test_malformed_query_is_reported_not_used(empty_results):
    at = open_page("pages/run.py", {"seeds": "abc", "preset": "../../x", "mode": "custom", "lr": "<b>1</b>",
                                    "data_path": "/etc", "bogus": "1"})
    notices = [n for n in texts(at, "info") if "Ignored the URL parameter" in n]
    assert len(notices) == 5
    assert at.text_input(key="run.cfg.lr").value == "0.01"
    assert at.text_input(key="run.cfg.data_path").value == ""


def test_read_only_draws_no_launch(populated, read_only):
    at = open_page("pages/run.py")
    assert not at.button and not at.radio
    assert any("read-only" in s for s in texts(at, "info"))


def test_invalid_values_from_the_url_are_shown_in_the_form(empty_results):
    at = open_page("pages/run.py", {"mode": "custom", "n_epochs": "0", "dropout": "1.5"})
    assert at.number_input(key="run.cfg.n_epochs").value == 0
    errors = texts(at, "error")
    assert any("'n\\_epochs'" in e for e in errors) and any("'dropout'" in e for e in errors)
    assert not [b for b in at.button if b.key == "run.launch"]


def test_a_cached_config_shows_its_final_numbers_and_links_to_exactly_its_runs(populated):
    import dataclasses

    from core.presets import get_preset
    from core.store import ResultStore

    at = open_page("pages/run.py", {"preset": "dropout", "seeds": "3"})
    configs = [dataclasses.replace(c, seed=c.seed + s) for c in get_preset("dropout").configs for s in range(3)]
    runs = ResultStore(populated).load_runs().set_index("run_id").loc[[c.run_id for c in configs]]
    table = next(d.value for d in at.dataframe if "final_test_acc" in d.value.columns)
    expected = runs.groupby("group_id", sort=False)[["final_train_acc", "final_test_acc", "final_gap"]].mean()
    assert list(table["n_seeds"]) == [3] * len(expected)
    for column in expected.columns:
        assert sorted(table[column]) == sorted(expected[column]), column
    assert abs(table["final_gap"] - (table["final_train_acc"] - table["final_test_acc"])).max() < 1e-12
    # the dropout preset keeps no validation split: no column of blanks, and the caption says why
    assert all(c.n_val == 0 for c in configs) and "final_val_acc" not in table.columns
    assert any("no validation column" in c for c in texts(at, "caption"))
    link = compare_link(at)
    assert link.proto.label == f"Open {len(configs)} {'run' if len(configs) == 1 else 'runs'} in Compare"
    assert "by=run" in link.proto.query_string
    shown = link.proto.query_string.split("runs=")[1].split("&")[0].replace("%2C", ",").split(",")
    assert sorted(shown) == sorted(c.run_id for c in configs)


def test_oversized_model_from_the_url_shows_the_limit_not_a_launch(empty_results):
    """Issue 11, finding 1: the probe's URL offered "Launch 10 run(s)" for a ~20 GB model."""
    at = open_page("pages/run.py", {"mode": "custom", "hidden_sizes": "10000x50", "n_epochs": "1000", "seeds": "10"})
    errors = texts(at, "error")
    assert any("hidden\\_sizes=10000x50" in e and "OVERFIT\\_LAB\\_MAX\\_PARAMS" in e for e in errors), errors
    assert not [b for b in at.button if b.key == "run.launch"]


def test_the_run_page_shows_the_limits(empty_results, monkeypatch):
    monkeypatch.setenv("OVERFIT_LAB_MAX_PARAMS", "123456")
    at = open_page("pages/run.py")
    shown = "\n".join(texts(at, "markdown"))
    assert "123,456" in shown and "OVERFIT_LAB_MAX_PARAMS" in shown


def compare_link(at):
    """The page's "Open N runs in Compare" link."""
    return [p for p in at.get("page_link") if re.fullmatch(r"Open \d+ runs? in Compare", p.proto.label)][0]
