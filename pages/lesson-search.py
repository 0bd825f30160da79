"""Lesson 5: hyperparameter search: log scales, coarse to fine, validation data; links into the Search page."""
from __future__ import annotations

import numpy as np
import streamlit as st

from ui.lesson_figures import draws_figure
from ui.lesson_page import FRAME, compute_panel, figure, guarded, lesson_intro, sentences
from ui.lesson_plan import linear_and_log_draws
from ui.lesson_text import formula, search_sentences
from ui.router import ensure_routed
from ui.text import page_text

LOW, HIGH, N = 1e-8, 1e-4, 100  # the book's range of λ
t = page_text("lesson_search")
ensure_routed()


@st.cache_data(show_spinner=False)
def draws():
    return linear_and_log_draws(np.random.default_rng(0), LOW, HIGH, N)


lesson_intro("search", t, formula("search"))
with guarded():
    compute_panel("search", (), None)
    values = draws()
    figure(draws_figure(values, {"linear": t("scale.linear"), "log": t("scale.log")}, title=t("figure.title"),
                        x_title=t("axis.value")), "search-scales", "lesson.search.figure")
    st.subheader(FRAME("read.title"))
    sentences(search_sentences(values, LOW, HIGH))
    st.markdown(t("coarse"))
    st.page_link("pages/search.py", label=t("link.search"), icon=":material/travel_explore:")
