"""Sweep: launch a sweep of one or two fields × seeds, and read it: accuracy and gap against the swept field (or
heatmaps of a 2-D sweep), the paired difference to the baseline, the point chosen on validation, and any point's
curves."""
from __future__ import annotations

import streamlit as st

from core.sweep import paired_difference, summarize
from ui import services, studies
from ui.figures import figure_config
from ui.labels import config_label, plain
from ui.router import ensure_routed
from ui.sweep_figures import heatmap_figure, paired_figure, point_curves_figure, sweep_1d_figure
from ui.sweep_page import (forget_point, launch_form, live_watcher, point_from_event, seed_state, table_columns,
                           view_controls)
from ui.sweep_state import (NO_POINT, PAGE, SweepQuery, active_sweep_job, chosen_caption, curve_caption, notice_text,
                            paired_caption, parse_query, sweep_title, point_options, progress_caption, to_query)
from ui.text import page_text
from ui.widgets import guarded, jobs_panel, link_to_view, show_flash, url_is_new, write_view

t = page_text("sweep")
ensure_routed()  # a shared link opened on a fresh server runs this file alone: draw it through app.py

settings = services.settings()
st.title(t("title"))
st.caption(t("intro"))
listing = studies.sweeps()
ids = list(listing["sweep_id"])
n_points = dict(zip(listing["sweep_id"], listing["n_points"]))
raw_query = {name: st.query_params.get_all(name) for name in st.query_params}
url_view, notices = parse_query(raw_query, sweep_ids=ids, n_points_of=lambda i: n_points.get(i, 0))
for notice in notices:
    st.info(notice_text(notice), icon=":material/info:")
seed_state(url_view, fresh=url_is_new(PAGE))
show_flash("sweep.flash")

if not ids:
    st.info(t("empty.read_only" if settings.read_only else "empty"), icon=":material/stacked_line_chart:")
if settings.read_only:
    st.caption(t("read_only"))
else:
    with st.expander(t("launch.title"), expanded=not ids, icon=":material/play_arrow:"):
        launch_form(settings)
with st.expander(t("jobs.title"), expanded=False, icon=":material/pending_actions:"):
    jobs_panel(key="sweep.jobs", read_only=settings.read_only, rerun_on_change=False)
with guarded():
    problems = studies.sweep_files_problems()
    if problems:
        with st.expander(t("problems.title", n=len(problems)), icon=":material/warning:"):
            st.dataframe({t("problems.file"): [p.path.name for p in problems],
                          t("problems.reason"): [p.reason for p in problems]}, hide_index=True)
if not ids:
    link_to_view(PAGE, write_view(PAGE, {}))
    st.stop()

if st.session_state.get("sweep.sweep") not in ids:  # a sweep removed meanwhile
    st.session_state["sweep.sweep"] = ids[0]
titles = {row.sweep_id: sweep_title(row.fields.split(", "), row.n_points, row.seeds) for row in listing.itertuples()}
sweep_id = st.selectbox(t("choose"), ids, key="sweep.sweep", on_change=forget_point,
                        format_func=lambda i: f"{titles.get(i, '')} · {i}")
try:
    view = studies.sweep_view(sweep_id)
except (OSError, ValueError) as exc:  # its files went bad after they were listed
    st.warning(t("failed", error=plain(f"{type(exc).__name__}: {exc}")))
    st.stop()
spec = view.spec
fields = spec.fields
st.caption(t("base", label=plain(config_label(spec.base)), n_epochs=spec.base.n_epochs, n_val=spec.base.n_val,
             title=sweep_title(fields, spec.n_points, spec.seeds))
           + " · " + progress_caption(view.n_finished, spec.n_runs))
if active_sweep_job(services.jobs(), sweep_id) is not None:
    live_watcher(sweep_id)
view_controls()
at, band = st.session_state["sweep.at"], st.session_state["sweep.band"]
if st.session_state.get("sweep.point", NO_POINT) not in range(-1, spec.n_points):
    st.session_state["sweep.point"] = NO_POINT

summary = None
with guarded():
    curves = services.curves(view.run_ids) if at == "best" else None
    summary = summarize(view, curves, at=at)
if summary is not None and not (summary.points["n"] > 0).any():
    st.info(t("empty.runs"), icon=":material/hourglass_top:")
elif summary is not None:
    selected = st.session_state["sweep.point"]
    selected = None if selected == NO_POINT else selected
    if len(fields) == 1:
        st.subheader(t("view.1d.title", field=t(f"field.{fields[0]}")))
        with guarded():
            st.plotly_chart(sweep_1d_figure(summary.points, fields[0], band=band, selected=selected), key="sweep.curve",
                            on_select=lambda: point_from_event("sweep.curve"), selection_mode=("points",),
                            config=figure_config(f"overfit-lab-{sweep_id}"))
            st.caption(curve_caption(summary, fields, band))
        st.subheader(t("view.paired.title"))
        with guarded():
            paired = {split: paired_difference(summary.per_run, summary.baseline, metric=f"{split}_acc")
                      for split in ("val", "test")}
            st.plotly_chart(paired_figure(paired, fields[0], summary.baseline), key="sweep.paired",
                            on_select=lambda: point_from_event("sweep.paired"), selection_mode=("points",),
                            config=figure_config(f"overfit-lab-{sweep_id}-paired"))
            st.caption(paired_caption(summary, fields))
    else:
        st.subheader(" × ".join(t(f"field.{f}") for f in fields))
        with guarded():
            st.plotly_chart(heatmap_figure(summary.points, fields, selected=selected), key="sweep.heat",
                            on_select=lambda: point_from_event("sweep.heat"), selection_mode=("points",),
                            config=figure_config(f"overfit-lab-{sweep_id}-grid"))
            st.caption(t("caption.heat", band=t(f"at.{at}")) + " " + chosen_caption(summary, fields))

    st.subheader(t("view.point.title"))
    with guarded():
        options = point_options(summary.points, fields)
        point = st.selectbox(t("view.point.pick"), list(options), key="sweep.point", format_func=options.get,
                             help=t("view.point.help"))
        if point == NO_POINT:
            st.caption(t("view.point.none"))
        else:
            runs = summary.per_run[summary.per_run["point"] == point]
            st.plotly_chart(point_curves_figure(services.curves(runs["run_id"]), runs), key="sweep.point_curves",
                            config=figure_config(f"overfit-lab-{sweep_id}-point-{point}"))
            row = summary.points[summary.points["point"] == point].iloc[0]
            st.caption(t("view.point.caption", point=options[point], n=int(row["n"]), n_runs=int(row["n_runs"]),
                         val=f"{row['val_acc_mean']:.3f}", train=f"{row['train_acc_mean']:.3f}"))

    st.subheader(t("table.title"))
    with guarded():
        table = summary.points[["point", *fields, "n", "val_acc_mean", "val_acc_std", "train_acc_mean",
                                "test_acc_mean", "gap_mean", "chosen"]]
        st.dataframe(table, hide_index=True, key="sweep.table", column_config=table_columns(fields))
        st.caption(t("table.caption"))

query = write_view(PAGE, to_query(SweepQuery(sweep_id, st.session_state["sweep.at"], st.session_state["sweep.band"],
                                             st.session_state.get("sweep.point", NO_POINT))))
link_to_view(PAGE, query)
