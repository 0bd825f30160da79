"""Lesson 2: weight decay, ½λΣW² in the loss: the gap against λ, and the weights' norm over epochs for each λ."""
from __future__ import annotations

import streamlit as st

from ui import services
from ui.lesson_figures import lines_figure, sweep_figure
from ui.lesson_page import FRAME, figure, guarded, lesson_intro, lesson_runs, sentences, waiting
from ui.lesson_plan import seed_zero, sweep_points, total_norms
from ui.lesson_text import formula, weight_decay_sentences
from ui.router import ensure_routed
from ui.text import page_text

t = page_text("lesson_weight_decay")
ensure_routed()
lesson_intro("weight_decay", t, formula("weight_decay"))
with guarded():
    experiment, runs = lesson_runs("weight_decay")["weight_decay"]
    if runs.empty:
        waiting()
    else:
        points = sweep_points(experiment, runs)
        names = {m: FRAME(f"name.{m}") for m in ("train_acc", "test_acc", "gap")}
        figure(sweep_figure([(points, "weight_decay", t("axis.lambda"))], names, title=t("figure.title"),
                            y_title=FRAME("axis.acc"), category=True), "weight-decay", "lesson.weight_decay.figure")
        first = seed_zero(experiment)
        norms = total_norms(services.weight_norms([r for r in first if r in set(runs["run_id"])]))
        lines, final = [], {}
        for run_id, values in first.items():
            mine = norms[norms["run_id"] == run_id].sort_values("epoch")
            if not mine.empty:
                lam = float(values["weight_decay"])
                lines.append((f"λ = {lam:g}", mine["epoch"].to_numpy(), mine["norm"].to_numpy()))
                final[lam] = (int(mine["epoch"].iloc[-1]), float(mine["norm"].iloc[0]), float(mine["norm"].iloc[-1]))
        st.markdown(t("norms.intro"))
        figure(lines_figure(lines, title=t("norms.title"), x_title=FRAME("axis.epoch"), y_title=t("axis.norm")),
               "weight-norms", "lesson.weight_decay.norms")
        st.subheader(FRAME("read.title"))
        sentences(weight_decay_sentences(points, final))
