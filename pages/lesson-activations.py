"""Lesson 7: activation histograms of 5 hidden layers for sigmoid, tanh and ReLU at four initial weight scales
(computed here in a fraction of a second: no training)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from core.lessons.activations import ACTIVATIONS, INITS, activation_histograms
from ui.lesson_figures import activation_histograms_figure
from ui.lesson_page import FRAME, compute_panel, figure, guarded, lesson_intro, sentences
from ui.lesson_text import formula, activation_sentences
from ui.router import ensure_routed
from ui.text import page_text

t = page_text("lesson_activations")
ensure_routed()


@st.cache_data(show_spinner=False)
def histograms():
    return activation_histograms(np.random.default_rng(0))


lesson_intro("activations", t, formula("activations"))
with guarded():
    compute_panel("activations", (), None)
    activation = st.segmented_control(t("pick"), ACTIVATIONS, default="sigmoid", key="lesson.activations.pick")
    activation = activation or "sigmoid"
    result = histograms()
    inits = {label: t(f"init.{label}") for label in INITS}
    drawn = result.histograms[result.histograms["activation"] == activation]
    figure(activation_histograms_figure(drawn, inits, title=t("figure.title", activation=activation),
                                        x_title=t("axis.output")), "activations", "lesson.activations.figure")
    st.caption(t("caption"))
    st.subheader(FRAME("read.title"))
    sentences(activation_sentences(result.summary, activation, inits))
