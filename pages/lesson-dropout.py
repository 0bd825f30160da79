"""Lesson 4: dropout: the mask in training, the (1 − r) scaling at test against inverted dropout, and why 300
epochs are not enough at r = 0.2 (the same run continued to 1,000 epochs)."""
from __future__ import annotations

import streamlit as st

from ui import services
from ui.labels import plain as plain_text
from ui.lesson_figures import ensemble_figure, runs_curves_figure
from ui.lesson_page import FRAME, figure, guarded, lesson_intro, lesson_runs, sentences, waiting
from ui.lesson_plan import ensemble_setup, quick_mode
from ui.lesson_text import formula, dropout_sentences, ensemble_sentences
from ui.router import ensure_routed
from ui.text import page_text

SHORT_EPOCHS = 300  # the book's dropout run
t = page_text("lesson_dropout")
ensure_routed()
lesson_intro("dropout", t, formula("dropout"))
st.markdown(t("inverted"))
st.latex(formula("dropout_inverted"))
with guarded():
    experiment, runs = lesson_runs("dropout")["dropout"]
    if runs.empty:
        waiting()
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

st.header(t("ensemble.title"))
st.markdown(t("ensemble.intro"))
with guarded():
    setup = ensemble_setup(quick_mode())
    table = services.ensemble(setup.key)
    job_name = f"ensemble {setup.key}"
    running = [j for j in services.running_jobs() if j.name == job_name]
    if table is None:
        with st.container(border=True):
            st.markdown(t("ensemble.missing", k=len(setup.seeds), epochs=setup.base.n_epochs))
            if services.settings().read_only:
                st.caption(FRAME("read_only"))
            elif running:
                st.caption(FRAME("running"))
                from ui.widgets import jobs_panel
                jobs_panel(key="lesson.dropout.ensemble.jobs", read_only=False, show_finished=False)
            elif st.button(t("ensemble.compute", k=len(setup.seeds)), type="primary", icon=":material/play_arrow:",
                           key="lesson.dropout.ensemble.compute", help=FRAME("compute_help")):
                try:
                    services.launch_ensemble(setup.base, setup.seeds, setup.dropout)
                    st.rerun()
                except services.ActionRefused as exc:
                    st.error(plain_text(exc))
    else:
        names = {c: t(f"ensemble.{c}") for c in ("ensemble_test_acc", "member_test_acc", "thinned_test_acc",
                                                 "dropout_test_acc")}
        figure(ensemble_figure(table, names, title=t("ensemble.figure"), x_title=t("ensemble.k"),
                               y_title=FRAME("name.test_acc")), "ensemble", "lesson.dropout.ensemble")
        sentences(ensemble_sentences(table))
