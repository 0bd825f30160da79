"""AppTest: on Korean pages, config labels (selectboxes, legends, tables, captions) carry no English label words.

The store writes ``RunConfig.label()`` in English; the pages must draw ``ui.labels.config_label`` instead.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from core.store import ResultStore
from pagetools import open_page

ENGLISH_LABEL_WORDS = ("wd=", "dropout=", "no reg.", "batchnorm", "seed=", "(decoupled)", "(inverted)", "epochs")


@pytest.fixture
def runs(populated) -> pd.DataFrame:
    return ResultStore(populated).load_runs()


def english_words(texts) -> dict[str, list[str]]:
    return {w: found for w in ENGLISH_LABEL_WORDS if (found := [x for x in texts if w in str(x)])}


def drawn_texts(at) -> list[str]:
    """What a reader sees of labels: widget options, captions, markdown, table cells and figure trace names."""
    texts = [str(o) for kind in ("multiselect", "selectbox") for w in at.get(kind) for o in w.options]
    texts += [str(e.value) for kind in ("caption", "markdown", "info") for e in at.get(kind)]
    texts += [str(v) for d in at.dataframe for c in d.value.columns if d.value[c].dtype == object for v in d.value[c]]
    for chart in at.get("plotly_chart"):
        texts += [str(trace.get("name", "")) for trace in json.loads(chart.proto.spec)["data"]]
    return texts


def test_the_korean_compare_page_draws_korean_labels_for_groups_and_runs(runs):
    tiny = runs[(runs["n_train"] == 100) & (runs["n_val"] == 0)]  # not the search's trials
    assert set(tiny["weight_decay"]) == {0.0, 0.01, 0.1} and (tiny["dropout"] > 0).any()
    for by, key in (("group", "groups"), ("run", "runs")):
        ids = ",".join(tiny["group_id" if by == "group" else "run_id"].drop_duplicates())
        at = open_page("pages/compare.py", {"lang": "ko", "by": by, key: ids})
        assert at.title[0].value == "비교"
        texts = drawn_texts(at)
        assert any("가중치 감소=0.1" in x for x in texts) and any("드롭아웃=0.2" in x for x in texts), texts[:20]
        assert not english_words(texts), english_words(texts)
        statuses = at.dataframe[-1].value.iloc[:, 3]  # the final table: id, config, seeds, status ("3 complete" in core)
        assert statuses.str.startswith("완료 ").all(), list(statuses)
        if by == "run":
            assert any("시드=1" in x for x in texts)


def test_the_korean_results_page_lists_korean_labels(runs):
    at = open_page("pages/results.py", {"lang": "ko"})
    labels = [d for d in at.dataframe if d.key and d.key.startswith("results.table")][0].value["label"]
    assert len(labels) == len(runs) and labels.str.contains("정규화 없음").any()
    assert not english_words(drawn_texts(at)), english_words(drawn_texts(at))


def test_the_english_pages_keep_core_s_labels(runs):
    at = open_page("pages/results.py")
    table = [d for d in at.dataframe if d.key and d.key.startswith("results.table")][0].value
    assert set(table["label"]) == set(runs["label"])


def test_the_korean_run_page_names_presets_and_their_configs_in_korean(populated):
    at = open_page("pages/run.py", {"lang": "ko", "preset": "dropout"})
    presets = at.selectbox(key="run.preset")
    assert presets.value == "dropout" and "드롭아웃" in presets.options and "Overfitting" not in presets.options
    shown = [m.value for m in at.markdown]
    assert any(m.startswith("훈련 중에 은닉층 뉴런을") for m in shown), shown
    assert any("드롭아웃=0.2 · 6×100 · sgd lr=0.01 · 300에폭" in m for m in shown), shown
    assert not english_words(drawn_texts(at)), english_words(drawn_texts(at))


def test_the_korean_results_filters_say_all_instead_of_streamlit_s_choose_option(populated):
    at = open_page("pages/results.py", {"lang": "ko"})
    assert {m.placeholder for m in at.multiselect} == {"전체"}


def test_the_korean_search_page_names_strategies_and_statuses_in_korean(populated):
    at = open_page("pages/search.py", {"lang": "ko"})
    option = at.selectbox(key="search.search").options[0]
    assert option.endswith(" · 무작위"), option  # the id itself says "random": it is a name, not a word
    trials = at.dataframe[-1].value
    assert set(trials.iloc[:, 2]) <= {"완료", "조기 종료됨", "발산", "실패"} and len(trials) == 4, trials.head()
    charts = {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    assert charts["search.scatter"]["layout"]["xaxis"]["title"]["text"] == "학습률"
    assert {t["name"] for t in charts["search.best_so_far"]["data"]} <= {"무작위", "무작위 (반복 간 범위)"}
