"""The Search page's widget helpers: the launch form, the finer-round controls, the live watcher, session state.

The pure logic they use (URL state, selections, the launch form's spec, tables) is in ``ui/search_state.py``; the
actions go through ``ui/services.py``, which refuses them in read-only mode and beyond the server's limits.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

import numpy as np
import streamlit as st

from core.search import BOOK_BASE, RUNG_METRICS, STRATEGIES, SearchSpec, surrogate_grid
from ui import services, studies
from ui.widgets import rerun_keeping_flash
from ui.labels import plain
from ui.search_state import (BOOK_LR, BOOK_WD, FORMATS, LR_EXPONENTS, MAX_ROUNDS, MAX_TRIALS, WD_EXPONENTS, LrWdBox,
                             SearchQuery, Selection, active_search_job, build_spec, exponent_label, finer_round_box,
                             finer_round_spec, selection_from_event)
from ui.text import page_text

t = page_text("search")

LIVE_SECONDS = 2.0                      # how often a running search is re-read
SURROGATE_POINTS = 40                   # the surrogate heatmap is SURROGATE_POINTS x SURROGATE_POINTS
HELP_COLUMNS = ("final_test_acc",)      # trials table columns whose header has a tooltip ("column.<name>.help")


def column_config(columns: Iterable[str]) -> dict[str, Any]:
    """Headers from the page's strings, numbers in a readable format (the data keeps its column names).

    A header stays short (a long one widens its column past the table's edge, where its right-aligned numbers are
    out of sight and it looks empty); what it needs to say besides goes in its tooltip."""
    def options(c: str) -> dict[str, Any]:
        return {"help": t(f"column.{c}.help")} if c in HELP_COLUMNS else {}

    return {c: st.column_config.NumberColumn(t(f"column.{c}"), format=FORMATS[c], **options(c)) if c in FORMATS
            else st.column_config.Column(t(f"column.{c}"), **options(c)) for c in columns}


def run_ids_of(search_id: str) -> set[str]:
    """The run ids of a search's trials (through the cached view); empty when it cannot be read."""
    try:
        return set(studies.search_view(search_id).trials["run_id"])
    except (OSError, ValueError):
        return set()


def seed_state(view: SearchQuery, *, fresh: bool) -> None:
    """Put the URL's view into the widgets' state on a fresh URL (or the first visit); the widgets win otherwise."""
    for key, value in (("search.search", view.search), ("search.n", view.n), ("search.cmp", list(view.compare)),
                       ("search.x", view.x), ("search.selection", (view.search, view.selection))):
        if fresh or key not in st.session_state:
            st.session_state[key] = value


def current_selection(search_id: str) -> Selection:
    """The selection kept for ``search_id`` (a selection belongs to the search it was made on)."""
    kept = st.session_state.get("search.selection")
    return kept[1] if isinstance(kept, tuple) and kept[0] == search_id else Selection()


def keep_scatter_selection(search_id: str) -> None:
    """The scatter's ``on_select`` callback: only a user's selection lands here (not a redrawn chart's empty state)."""
    event = st.session_state.get("search.scatter") or {}
    st.session_state["search.selection"] = (search_id, selection_from_event(event.get("selection") or {}))


def clear_selection() -> None:
    st.session_state["search.selection"] = None


@st.cache_data(show_spinner=False, max_entries=8)
def _surrogate(search_id: str, signature: tuple, _view: Any) -> tuple:
    return surrogate_grid(_view, SURROGATE_POINTS)


def surrogate_for(view: Any) -> Optional[tuple]:
    """The GP mean over lr x weight decay for a bayes search (cached per trials seen); None otherwise or too early."""
    finished = view.trials[np.isfinite(view.trials["value"].to_numpy(float))] if len(view.trials) else view.trials
    if view.spec.strategy != "bayes" or finished["trial"].nunique() < 2:
        return None
    signature = (len(finished), float(finished["value"].sum()))
    try:
        return _surrogate(view.spec.search_id, signature, view)
    except ValueError:
        return None


def _launch(make_spec: Callable[[], SearchSpec], done_key: str) -> None:
    """A button callback: launch (or open the identical search), show it, and say what happened at the top."""
    try:
        launch = services.open_or_launch_search(make_spec())
    except (services.ActionRefused, ValueError) as exc:
        st.session_state["search.flash"] = ("error", t("launch.failed", error=plain(exc)))
        return
    spec = launch.spec
    st.session_state["search.search"] = spec.search_id
    st.session_state["search.selection"] = None
    if launch.outcome == "opened":
        key = "launch.exists_running" if launch.job_id else "launch.exists"
        st.session_state["search.flash"] = ("info", t(key, search_id=spec.search_id, n_done=launch.n_done,
                                                      n_trials=spec.n_trials))
        return
    message = t(done_key, search_id=spec.search_id, job_id=launch.job_id, n_trials=spec.n_trials,
                n_epochs=spec.n_epochs)
    if launch.outcome == "resumed":
        message += " " + t("launch.resumed", previous=launch.previous, n_done=launch.n_done, n_trials=spec.n_trials)
    st.session_state["search.flash"] = ("success", message)


def _form_spec() -> SearchSpec:
    state = st.session_state
    return build_spec(strategy=state["search.form.strategy"], lr_exponents=state["search.form.lr"],
                      wd_exponents=state["search.form.wd"], n_trials=state["search.form.trials"],
                      n_epochs=state["search.form.epochs"], seeds=state["search.form.seeds"],
                      rounds=state["search.form.rounds"], early_stop=state["search.form.early_stop"],
                      rung_metric=state["search.form.rung_metric"], min_epochs=state["search.form.min_epochs"],
                      repeat=state["search.form.repeat"])


def launch_form(settings: services.Settings) -> None:
    """The launch form: strategy, log ranges, trials, epochs, seeds, rounds, early stopping, repeat."""
    # Enter in a number field must not launch a search (hundreds of trainings): only the button submits.
    with st.form("search.launch_form", border=False, enter_to_submit=False):
        st.selectbox(t("launch.strategy"), STRATEGIES, key="search.form.strategy",
                     format_func=lambda s: t(f"launch.strategy.{s}"))
        lr, wd = st.columns(2)
        lr.select_slider(t("launch.lr"), LR_EXPONENTS, value=BOOK_LR, key="search.form.lr", format_func=exponent_label)
        wd.select_slider(t("launch.wd"), WD_EXPONENTS, value=BOOK_WD, key="search.form.wd", format_func=exponent_label)
        trials, epochs, seeds, rounds = st.columns(4)
        trials.number_input(t("launch.trials"), 1, MAX_TRIALS, 100, key="search.form.trials")
        epochs.number_input(t("launch.epochs"), 1, settings.max_epochs, min(BOOK_BASE.n_epochs, settings.max_epochs),
                            key="search.form.epochs")
        seeds.number_input(t("launch.seeds"), 1, settings.max_seeds, 1, key="search.form.seeds",
                           help=t("launch.seeds.help"))
        rounds.number_input(t("launch.rounds"), 1, MAX_ROUNDS, 2, key="search.form.rounds",
                            help=t("launch.rounds.help"))
        stop, metric, first, repeat = st.columns(4, vertical_alignment="bottom")
        stop.checkbox(t("launch.early_stop"), key="search.form.early_stop", help=t("launch.early_stop.help"))
        metric.selectbox(t("launch.rung_metric"), tuple(RUNG_METRICS), key="search.form.rung_metric",
                         format_func=lambda m: t(f"launch.rung_metric.{m}"), help=t("launch.rung_metric.help"))
        first.number_input(t("launch.min_epochs"), 1, settings.max_epochs, None, key="search.form.min_epochs",
                           placeholder=t("launch.min_epochs.auto"), help=t("launch.min_epochs.help"))
        repeat.number_input(t("launch.repeat"), 0, 999, 0, key="search.form.repeat", help=t("launch.repeat.help"))
        hidden = BOOK_BASE.hidden_sizes
        st.caption(t("launch.base", n_train=BOOK_BASE.n_train, n_val=BOOK_BASE.n_val, batch_size=BOOK_BASE.batch_size,
                     hidden=f"{len(hidden)} × {hidden[0]}", optimizer=BOOK_BASE.optimizer.upper()))
        st.form_submit_button(t("launch.submit"), type="primary", icon=":material/play_arrow:", key="search.launch",
                              on_click=_launch, args=(_form_spec, "launch.done"))


def finer_round_controls(parent: SearchSpec, box: LrWdBox, round_index: int) -> None:
    """"Start a finer round in this box": a coarse-to-fine search of one round there, child of this search/round."""
    if finer_round_box(box, parent.space) is None:
        st.caption(t("finer.outside"))
        return
    size, button = st.columns([1, 2], vertical_alignment="bottom")
    size.number_input(t("finer.trials"), 1, MAX_TRIALS, parent.trials_per_round()[-1], key="search.finer_trials")
    button.button(t("finer.start"), key="search.finer", icon=":material/zoom_in:", on_click=_launch, args=(
        lambda: finer_round_spec(parent, box, round_index, st.session_state["search.finer_trials"]), "finer.done"))


def trial_files_in(listing: Iterable[tuple[str, int]], search_id: str) -> frozenset:
    """The (name, mtime) of ``search_id``'s trials files in a listing of ``searches/`` (``studies.searches_listing``)."""
    prefix = f"{search_id}.trials-"
    return frozenset(entry for entry in listing if entry[0].startswith(prefix))


def live_watcher(search_id: str, listing_before: tuple) -> None:
    """While the search's job runs: re-read its files every few seconds and redraw the page when trials arrive.

    The page calls this when the job was running *before* it read any search file, and ``listing_before`` is the
    folder as it was then. Both matter: a page that reads the trials (18 of 20), then sees the job already ended
    (it published the last trials meanwhile) would draw no watcher and keep "18 of 20" until a reload.
    """
    seen = trial_files_in(listing_before, search_id)
    inline = [True]  # the first call is within the page's run; later ones are the fragment's own ticks

    @st.fragment(run_every=LIVE_SECONDS)
    def watch() -> None:
        first, inline[0] = inline[0], False
        running = active_search_job(services.jobs(), search_id)
        if running is None or trial_files_in(studies.searches_listing(), search_id) != seen:
            # new trials or the end of the job: the whole page (scatter, Best-N, table) changes
            rerun_keeping_flash("search.flash", inline=first)
        # No count here: the status line above gives the stored trials', and the job's own count, read at another
        # moment, disagreed with it on the same screen ("54 of 100 trials done", then "Running: 38 of 100").
        st.caption(t("live"))

    watch()
