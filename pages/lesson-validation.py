"""Lesson 3: why validation data: choosing the best of N configs on test overstates its score."""
from __future__ import annotations

import numpy as np
import streamlit as st

from core.lessons.selection import optimism_by_n, selection_scores
from ui.lesson_figures import selection_figure
from ui.lesson_page import FRAME, figure, guarded, lesson_intro, lesson_runs, sentences, waiting
from ui.lesson_plan import config_scores
from ui.lesson_text import formula, validation_sentences
from ui.router import ensure_routed
from ui.text import page_text

t = page_text("lesson_validation")
ensure_routed()
lesson_intro("validation", t, formula("validation"))
with guarded():
    experiment, runs = lesson_runs("validation")["lr_weight_decay"]
    configs = config_scores(runs) if not runs.empty else runs
    if len(configs) < 2:
        waiting()
    else:
        val, test = configs["val_acc"].to_numpy(), configs["test_acc"].to_numpy()
        scores = selection_scores(val, test)
        sizes = sorted({2, 4, 8, len(configs)} & set(range(2, len(configs) + 1)))
        by_n = optimism_by_n(val, test, sizes, np.random.default_rng(0), n_resamples=2000)
        names = {k: t(f"name.{k}") for k in ("configs", "on_test", "on_val")}
        axes = {"val": FRAME("name.val_acc"), "test": FRAME("name.test_acc"), "n": t("axis.n"),
                "score": t("axis.score")}
        chosen = {"on_test": [scores.chosen_on_test], "on_val": list(scores.tied_on_val)}
        figure(selection_figure(configs, chosen, by_n, names, title=t("figure.title"), axes=axes), "validation",
               "lesson.validation.figure")
        st.subheader(FRAME("read.title"))
        n_planned = len({c.group_id for c in experiment.configs})
        sentences(validation_sentences(configs, scores, by_n, n_planned))
        st.page_link("pages/search.py", label=t("link.search"), icon=":material/travel_explore:")
