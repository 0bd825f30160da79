"""AppTest: the Home page."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

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
