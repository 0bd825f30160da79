"""Lesson 1: overfitting and its two conditions (few data, many parameters), as two sweeps of the book's setup."""
from __future__ import annotations

import streamlit as st

from ui.lesson_figures import sweep_figure
from ui.lesson_page import FRAME, figure, guarded, lesson_intro, lesson_runs, sentences, waiting
from ui.lesson_plan import sweep_points
from ui.lesson_text import formula, overfitting_sentences
from ui.router import ensure_routed
from ui.text import page_text

t = page_text("lesson_overfitting")
ensure_routed()
lesson_intro("overfitting", t, formula("overfitting"))
with guarded():
    stored = lesson_runs("overfitting")
    (n_exp, n_runs), (w_exp, w_runs) = stored["n_train"], stored["hidden_width"]
    if n_runs.empty and w_runs.empty:
        waiting()
    else:
        n_points, w_points = sweep_points(n_exp, n_runs), sweep_points(w_exp, w_runs)
        names = {m: FRAME(f"name.{m}") for m in ("train_acc", "test_acc", "gap")}
        figure(sweep_figure([(n_points, "n_train", t("axis.n_train")), (w_points, "hidden_width", t("axis.width"))],
                            names, title=t("figure.title"), y_title=FRAME("axis.acc")), "overfitting",
               "lesson.overfitting.figure")
        st.subheader(FRAME("read.title"))
        sentences(overfitting_sentences(n_points, w_points, n_exp.configs[0].n_epochs))
