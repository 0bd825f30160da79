"""AppTest of the lesson pages, in English and Korean: an empty store offers to compute, a populated one draws the
figure and the sentences read from its runs; read-only mode hides the button and says so; one click trains."""
from __future__ import annotations

import json
import time

import pytest

from core.jobs import list_jobs
from core.store import ResultStore
from lessontools import QUICK, build_quick_store, english_words
from pagetools import open_page
from ui.lesson_plan import PAGES, experiments
from ui.text.en import EN
from ui.text.ko import KO

CATALOGUES = {"en": EN, "ko": KO}
LESSON_PAGES = sorted(PAGES.items())


@pytest.fixture(scope="session")
def lessons_dir(tmp_path_factory):
    import os
    old = os.environ.get(QUICK)
    os.environ[QUICK] = "1"
    try:
        return build_quick_store(tmp_path_factory.mktemp("lessons"))
    finally:
        if old is None:
            os.environ.pop(QUICK, None)
        else:
            os.environ[QUICK] = old


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setenv(QUICK, "1")


@pytest.fixture
def lessons_store(monkeypatch, lessons_dir, quick):
    monkeypatch.setenv("OVERFIT_LAB_RESULTS", str(lessons_dir))
    monkeypatch.delenv("OVERFIT_LAB_READ_ONLY", raising=False)
    return lessons_dir


def page_strings(at) -> list[str]:
    """Every visible text of the page's main area and sidebar."""
    values = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        values += [str(e.value) for e in at.get(kind)]
    values += [b.label for b in at.button] + [m.label for m in at.sidebar.metric]
    return values


def computes(lesson: str) -> bool:
    return bool(experiments(lesson, quick=True))


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(("lesson", "path"), LESSON_PAGES)
def test_an_empty_store_offers_to_compute(empty_results, quick, lesson, path, lang):
    at = open_page(path, {"lang": lang})
    section = CATALOGUES[lang][f"lesson_{lesson}"]
    assert at.title[0].value == section["title"]
    if computes(lesson):
        assert at.button(key=f"lesson.{lesson}.compute").label.startswith(CATALOGUES[lang]["lessons"]["compute"][:4])
    if lang == "ko":
        assert not english_words(page_strings(at)), english_words(page_strings(at))


@pytest.mark.parametrize(("lesson", "path"), LESSON_PAGES)
def test_read_only_hides_the_button_and_says_so(empty_results, quick, read_only, lesson, path):
    at = open_page(path)
    assert not [b for b in at.button if b.key == f"lesson.{lesson}.compute"]
    if computes(lesson):
        assert EN["lessons"]["read_only"] in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(("lesson", "path"), LESSON_PAGES)
def test_a_populated_store_draws_the_figure_and_the_sentences(lessons_store, lesson, path, lang):
    at = open_page(path, {"lang": lang})
    frame = CATALOGUES[lang]["lessons"]
    assert not [b for b in at.button if b.key == f"lesson.{lesson}.compute"]
    charts = at.get("plotly_chart")
    assert charts, "no figure"
    if lesson == "dropout":  # the curves, and the ensemble's table stored under <results>/lessons/
        assert len(charts) == 2 and CATALOGUES[lang]["lesson_dropout"]["ensemble.title"] in [h.value for h in at.header]
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in charts]
    expected = CATALOGUES[lang][f"lesson_{lesson}"]["figure.title"].split("{")[0]  # before a placeholder
    assert any(title.startswith(expected) for title in titles), titles
    assert frame["read.title"] in [s.value for s in at.subheader]
    readings = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert readings and any(ch.isdigit() for ch in readings[-1]), readings
    if lang == "ko":
        assert not english_words(page_strings(at)), english_words(page_strings(at))
        assert not english_words(titles), titles


def test_one_click_trains_the_missing_runs_in_the_background(empty_results, quick):
    at = open_page("pages/lesson-overfitting.py")
    at.button(key="lesson.overfitting.compute").click().run()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and (not list_jobs(empty_results) or
                                           any(j.active for j in list_jobs(empty_results))):
        time.sleep(0.3)
    jobs = list_jobs(empty_results)
    assert len(jobs) == 2 and all(j.state == "done" for j in jobs), jobs  # the two sweeps
    wanted = {rid for e in experiments("overfitting", quick=True) for rid in e.run_ids}  # the sweeps share one run
    assert set(ResultStore(empty_results).load_runs()["run_id"]) == wanted and len(wanted) == 7
    at = open_page("pages/lesson-overfitting.py")
    assert at.get("plotly_chart") and not [b for b in at.button if b.key == "lesson.overfitting.compute"]
