"""Page pieces of the lessons: the frame (title, explanation, formula, URL state), what is stored and what is missing,
and the button that computes the missing runs as background jobs (with progress; hidden in read-only mode)."""
from __future__ import annotations

from typing import Callable, Optional

import pandas as pd
import streamlit as st

from ui import services
from ui.figures import figure_config
from ui.labels import plain
from ui.lesson_plan import QUICK_EPOCHS, Experiment, experiments, missing_run_ids, quick_mode
from ui.text import page_text
from ui.widgets import guarded, jobs_panel, read_view, write_view

FRAME = page_text("lessons")
DONE = ("complete", "diverged")


def job_name(lesson: str, experiment: Experiment) -> str:
    """The job name of an experiment: a sweep's own ("sweep <id>", as the Sweep page), else "lesson <lesson>"."""
    return f"sweep {experiment.sweep.sweep_id}" if experiment.sweep is not None else f"lesson {lesson}"


def lesson_intro(lesson: str, lesson_t: Callable[..., str], formula: Optional[str] = None) -> None:
    """Title, the explanation, and the formula; the lesson keeps only ``lang=`` in its URL.

    ``lesson_t``: the lesson's own text lookup (its section's ``title`` and ``intro``)."""
    read_view(f"lesson_{lesson}", [])
    write_view(f"lesson_{lesson}", {})
    st.title(lesson_t("title"))
    st.markdown(lesson_t("intro"))
    if formula:
        st.latex(formula)


def lesson_runs(lesson: str) -> dict[str, tuple[Experiment, pd.DataFrame]]:
    """Each experiment of ``lesson`` with its stored runs (rows of the runs table), after drawing the compute panel."""
    exps = experiments(lesson, quick_mode())
    runs = services.runs()
    compute_panel(lesson, exps, runs)
    out = {}
    for e in exps:
        mine = runs[runs["run_id"].isin(set(e.run_ids))] if not runs.empty else runs
        out[e.name] = (e, mine)
    return out


def compute_panel(lesson: str, exps: tuple[Experiment, ...], runs: pd.DataFrame) -> None:
    """How many of the lesson's runs are stored; the button that computes the rest; the progress of its jobs."""
    if quick_mode():
        st.caption(FRAME("quick", epochs=QUICK_EPOCHS))
    if not exps:
        return
    cached = set(runs.loc[runs["status"].isin(DONE), "run_id"]) if not runs.empty else set()
    todo = {e.name: set(missing_run_ids(e, cached)) for e in exps}
    n_missing = sum(map(len, todo.values()))
    n_total = sum(len(set(e.run_ids)) for e in exps)
    names = {job_name(lesson, e) for e in exps}
    running = [j for j in services.running_jobs() if j.name in names]
    settings = services.settings()
    if n_missing == 0 and not running:
        st.caption(FRAME("stored", n=n_total))
        return
    with st.container(border=True):
        st.markdown(FRAME("missing", missing=n_missing, total=n_total) if n_missing < n_total else
                    FRAME("empty", total=n_total))
        if settings.read_only:
            st.caption(FRAME("read_only"))
        elif running:
            st.caption(FRAME("running"))
        elif st.button(FRAME("compute", n=n_missing), type="primary", icon=":material/play_arrow:",
                       key=f"lesson.{lesson}.compute", help=FRAME("compute_help")):
            try:
                for e in exps:
                    if not todo[e.name]:
                        continue
                    if e.sweep is not None:
                        services.launch_sweep(e.sweep)
                    else:
                        services.launch([c for c in e.configs if c.run_id in todo[e.name]], job_name(lesson, e),
                                        subject={"kind": "lesson", "lesson": lesson})
                st.rerun()
            except services.ActionRefused as exc:
                st.error(plain(exc))
        if running:
            jobs_panel(key=f"lesson.{lesson}.jobs", read_only=settings.read_only, show_finished=False)


def figure(fig, name: str, key: str) -> None:
    """Draw a plotly figure with the dashboard's download settings."""
    st.plotly_chart(fig, config=figure_config(f"overfit-lab-{name}"), key=key)


def sentences(lines: list[str]) -> None:
    """The generated sentences that read the figure's numbers, as one block."""
    if lines:
        st.markdown("\n".join(f"- {line}" for line in lines))


def waiting() -> None:
    """What the figure's place says while no run of it is stored."""
    st.info(FRAME("waiting"), icon=":material/hourglass_empty:")


__all__ = ["FRAME", "guarded", "job_name", "lesson_intro", "lesson_runs", "compute_panel", "figure", "sentences",
           "waiting"]
