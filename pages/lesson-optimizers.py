"""Lesson 6: optimizer paths on f(x, y) = x²/20 + y² (computed here, instantly), then the same four on MNIST."""
from __future__ import annotations

import streamlit as st

from core.lessons.optimizer_paths import BOOK_LEARNING_RATES, optimizer_paths
from ui import services
from ui.lesson_figures import optimizer_paths_figure, runs_curves_figure
from ui.lesson_page import FRAME, figure, guarded, lesson_intro, lesson_runs, sentences, waiting
from ui.lesson_text import formula, curve_at, optimizer_sentences
from ui.router import ensure_routed
from ui.text import page_text

NAMES = {"sgd": "SGD", "momentum": "Momentum", "adagrad": "AdaGrad", "adam": "Adam"}
t = page_text("lesson_optimizers")
ensure_routed()


@st.cache_data(show_spinner=False)
def paths():
    return optimizer_paths()


lesson_intro("optimizers", t, formula("optimizers"))
with guarded():
    result = paths()
    figure(optimizer_paths_figure(result.paths, result.grid_x, result.grid_y, result.grid_f,
                                  title=t("paths.title")), "optimizer-paths", "lesson.optimizers.paths")
    st.caption(t("paths.caption", rates=", ".join(f"{k} {v:g}" for k, v in BOOK_LEARNING_RATES.items())))
    st.markdown(t("mnist.intro"))
    experiment, runs = lesson_runs("optimizers")["optimizers"]
    finals = {}
    if runs.empty:
        waiting()
    else:
        labels = {c.run_id: NAMES[c.optimizer] for c in experiment.configs if c.run_id in set(runs["run_id"])}
        curves = services.curves(list(labels))
        figure(runs_curves_figure(curves, labels, {"train": t("split.train"), "test": t("split.test")},
                                  title=t("figure.title"), x_title=FRAME("axis.epoch"), y_title=FRAME("axis.acc")),
               "optimizers", "lesson.optimizers.figure")
        finals = {name: curve_at(curves, rid, 10 ** 9) for rid, name in labels.items()}
    st.subheader(FRAME("read.title"))
    sentences(optimizer_sentences(result.final_distances(), finals))
