"""Search: launch a hyperparameter search, read its lr × weight-decay scatter, select trials, compare strategies."""
from __future__ import annotations

import functools

import streamlit as st

from core.search.summary import X_AXES
from ui import services, studies
from ui.figures import figure_config
from ui.labels import plain
from ui.router import ensure_routed
from ui.search_figures import (add_selected_box, best_n_curves_figure, best_so_far_figure, color_range,
                               lr_wd_scatter)
from ui.search_page import (clear_selection, column_config, current_selection, finer_round_controls,
                            keep_scatter_selection, launch_form, live_watcher, run_ids_of, seed_state, surrogate_for)
from ui.search_state import (BEST_N, MAX_COMPARE, MAX_SELECTED_CURVES, PAGE, active_search_job, budget_table,
                             comparison_frame, notice_text, option_label, parent_round, parse_query, selected_trials,
                             status_line, trials_table)
from ui.search_state import to_query as search_query
from ui.text import page_text
from ui.widgets import guarded, jobs_panel, link_to_view, show_flash, url_is_new, write_view

t = page_text("search")
ensure_routed()  # a shared link opened on a fresh server runs this file alone: draw it through app.py

settings = services.settings()
# The jobs and the search files as they are before any search file is read: a job that ends while this run reads
# still gets its watcher (which reruns the page at once), so the page never keeps trials counts older than the job.
jobs_before, listing_before = services.jobs(), studies.searches_listing()
st.title(t("title"))
st.caption(t("intro"))
searches = studies.searches()
ids = searches.ids
fresh = url_is_new(PAGE)
raw_query = {name: st.query_params.get_all(name) for name in st.query_params}
url_view, notices = parse_query(raw_query, search_ids=ids, run_ids_of=run_ids_of)
for notice in notices:
    st.info(notice_text(notice), icon=":material/info:")
seed_state(url_view, fresh=fresh)
show_flash("search.flash")

if searches.error:
    st.warning(t("failed", error=plain(searches.error)))
if not ids:
    st.info(t("empty.read_only" if settings.read_only else "empty"), icon=":material/travel_explore:")
if settings.read_only:
    st.caption(t("read_only"))
else:
    with st.expander(t("launch.title"), expanded=not ids, icon=":material/play_arrow:"):
        launch_form(settings)
with st.expander(t("jobs.title"), expanded=bool(services.running_jobs()), icon=":material/pending_actions:"):
    jobs_panel(key="search.jobs", read_only=settings.read_only, rerun_on_change=False)
with guarded():
    problems = studies.search_files_problems()
    if problems:
        with st.expander(t("problems.title", n=len(problems)), expanded=True, icon=":material/warning:"):
            st.dataframe({t("problems.file"): [p.path.name for p in problems],
                          t("problems.reason"): [p.reason for p in problems]}, hide_index=True, key="search.problems")
if not ids:
    link_to_view(PAGE, write_view(PAGE, {}))
    st.stop()

if st.session_state.get("search.search") not in ids:  # a search deleted meanwhile
    st.session_state["search.search"] = ids[0]
label = functools.partial(option_label, searches.frame)  # options of the selectbox and of the multiselect
search_id = st.selectbox(t("choose"), ids, key="search.search", format_func=label)
try:
    view = studies.search_view(search_id)
except (OSError, ValueError) as exc:  # its spec went bad after it was listed
    st.warning(t("failed", error=plain(f"{type(exc).__name__}: {exc}")))
    st.stop()
spec, trials = view.spec, view.trials
st.caption(status_line(searches.frame, search_id)
           + (" · " + t("lineage", parent=plain(spec.parent)) if spec.parent else ""))
if active_search_job(jobs_before, search_id) is not None:
    live_watcher(search_id, listing_before)
selection = current_selection(search_id)
chosen = selected_trials(selection, trials)

st.subheader(t("scatter.title"))
with guarded():
    if {"lr", "weight_decay"} <= set(spec.space.names):
        surrogate = surrogate_for(view)
        low, high = color_range(trials)
        figure = lr_wd_scatter(trials, boxes=view.rounds, surrogate=surrogate, selected=list(chosen["run_id"]),
                               colorbar_title=t("scatter.colorbar", low=f"{low:.2f}", high=f"{high:.2f}"))
        if selection.box is not None:
            add_selected_box(figure, selection.box, t("selected_box"))
        st.plotly_chart(figure, key="search.scatter", on_select=lambda: keep_scatter_selection(search_id),
                        selection_mode=("box", "lasso", "points"), config=figure_config(f"overfit-lab-{search_id}"))
        st.caption(t("scatter.hint"))
        if spec.strategy == "bayes":
            st.caption(t("surrogate.caption") if surrogate is not None else t("surrogate.none"))
    else:
        st.info(t("scatter.no_lr_wd", params=", ".join(spec.space.names)))

st.subheader(t("selected.title"))
with guarded():
    if not selection:
        st.caption(t("selected.none"))
    else:
        box = selection.box
        st.caption(t("selected.box", n=len(chosen), lr_lo=f"{box.lr[0]:.3g}", lr_hi=f"{box.lr[1]:.3g}",
                     wd_lo=f"{box.weight_decay[0]:.3g}", wd_hi=f"{box.weight_decay[1]:.3g}") if box
                   else t("selected.ids", n=len(chosen)))
        if chosen.empty:
            st.info(t("selected.empty_box"))
        else:
            if len(chosen) > MAX_SELECTED_CURVES:
                st.caption(t("selected.capped", shown=MAX_SELECTED_CURVES))
            shown = chosen.head(MAX_SELECTED_CURVES)
            st.plotly_chart(best_n_curves_figure(services.curves(shown["run_id"]), shown, len(shown)),
                            key="search.selected_curves", config=figure_config(f"overfit-lab-{search_id}-selected"))
        st.button(t("selected.clear"), key="search.clear", icon=":material/deselect:", on_click=clear_selection)
        if not settings.read_only:
            if box is not None:
                finer_round_controls(spec, box, parent_round(chosen, trials))
            else:
                st.caption(t("finer.hint"))

st.subheader(t("best.title"))
with guarded():
    n = st.radio(t("best.n"), BEST_N, key="search.n", horizontal=True)
    best = view.best(int(n))
    st.caption(t("best.caption"))
    st.plotly_chart(best_n_curves_figure(services.curves(best["run_id"]) if len(best) else best, best, int(n)),
                    key="search.best", config=figure_config(f"overfit-lab-{search_id}-best"))

st.subheader(t("compare.title"))
with guarded():
    if not set(st.session_state.get("search.cmp", [])) <= set(ids):  # a search deleted meanwhile
        st.session_state["search.cmp"] = [i for i in st.session_state["search.cmp"] if i in ids]
    choose, against = st.columns([3, 1], vertical_alignment="bottom")
    compare = choose.multiselect(t("compare.choose"), ids, key="search.cmp", max_selections=MAX_COMPARE,
                                 format_func=label, placeholder=t("compare.placeholder"))
    x = against.radio(t("compare.x"), X_AXES, key="search.x", horizontal=True,
                      format_func=lambda v: t(f"compare.x.{v}"))
    st.caption(t("compare.hint"))
    views = [studies.search_view(i) for i in compare] or [view]
    st.plotly_chart(best_so_far_figure(comparison_frame(views), x=x), key="search.best_so_far",
                    config=figure_config("overfit-lab-best-so-far"))
    budget = budget_table(views)
    st.dataframe(budget, hide_index=True, key="search.budget", column_config=column_config(budget.columns))
    st.caption(t("compare.budget"))

st.subheader(t("table.title"))
with guarded():
    table = trials_table(trials)
    st.dataframe(table, hide_index=True, key="search.trials", column_config=column_config(table.columns))
    st.download_button(t("table.csv"), table.to_csv(index=False), f"overfit-lab-{search_id}-trials.csv", "text/csv",
                       icon=":material/download:", key="search.trials_csv", on_click="ignore")

query = write_view(PAGE, search_query(search_id, selection, st.session_state["search.n"],
                                        st.session_state["search.cmp"], st.session_state["search.x"]))
link_to_view(PAGE, query)
