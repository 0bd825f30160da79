"""Lesson 4: dropout: the mask in training, the (1 − r) scaling at test against inverted dropout, and why 300
epochs are not enough at r = 0.2 (the same run continued to 1,000 epochs)."""
from __future__ import annotations

import streamlit as st

from ui import services
from ui.lesson_figures import runs_curves_figure
from ui.lesson_page import FRAME, figure, guarded, lesson_intro, lesson_runs, sentences, waiting
from ui.lesson_text import FORMULAS, dropout_sentences
from ui.router import ensure_routed
from ui.text import page_text

SHORT_EPOCHS = 300  # the book's dropout run
t = page_text("lesson_dropout")
ensure_routed()
lesson_intro("dropout", t, FORMULAS["dropout"])
st.markdown(t("inverted"))
st.latex(FORMULAS["dropout_inverted"])
with guarded():
    experiment, runs = lesson_runs("dropout")["dropout"]
    if runs.empty:
        waiting(FRAME)
    else:
        book, inverted, plain = experiment.run_ids
        labels = {book: t("label.book"), inverted: t("label.inverted"), plain: t("label.plain")}
        labels = {rid: label for rid, label in labels.items() if rid in set(runs["run_id"])}
        curves = services.curves(list(labels))
        short = min(SHORT_EPOCHS, experiment.configs[0].n_epochs)
        figure(runs_curves_figure(curves, labels, {"train": t("split.train"), "test": t("split.test")},
                                  title=t("figure.title"), x_title=FRAME("axis.epoch"), y_title=FRAME("axis.acc"),
                                  mark_epoch=short, mark_label=t("mark", epochs=short)),
               "dropout", "lesson.dropout.figure")
        st.subheader(FRAME("read.title"))
        sentences(dropout_sentences(curves, book, inverted, plain, short))
