"""Lesson 8: batch normalization, with a poor initial scale (std 0.01) and with He's, each with and without it."""
from __future__ import annotations

import streamlit as st

from ui import services
from ui.lesson_figures import runs_curves_figure
from ui.lesson_page import FRAME, figure, guarded, lesson_intro, lesson_runs, sentences, waiting
from ui.lesson_text import formula, batchnorm_sentences, curve_at
from ui.router import ensure_routed
from ui.text import page_text

EARLY_EPOCH = 5
t = page_text("lesson_batchnorm")
ensure_routed()
lesson_intro("batchnorm", t, formula("batchnorm"))
with guarded():
    experiment, runs = lesson_runs("batchnorm")["batchnorm"]
    if runs.empty:
        waiting()
    else:
        inits = {"std": t("init.std"), "he": t("init.he")}
        stored = set(runs["run_id"])
        keys = {c.run_id: (c.init, c.batch_norm) for c in experiment.configs if c.run_id in stored}
        labels = {rid: t("label", init=inits[init], bn=t("bn.on") if bn else t("bn.off"))
                  for rid, (init, bn) in keys.items()}
        curves = services.curves(list(labels))
        figure(runs_curves_figure(curves, labels, {"train": t("split.train"), "test": t("split.test")},
                                  title=t("figure.title"), x_title=FRAME("axis.epoch"), y_title=FRAME("axis.acc")),
               "batchnorm", "lesson.batchnorm.figure")
        finals = {key: curve_at(curves, rid, 10 ** 9) for rid, key in keys.items()}
        early = {key: curve_at(curves, rid, EARLY_EPOCH) for rid, key in keys.items()}
        st.subheader(FRAME("read.title"))
        sentences(batchnorm_sentences(finals, early, inits))
