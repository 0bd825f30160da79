"""Compare: overlay learning curves (mean ± std over seeds), the gap, a summary against λ / dropout, a table."""
from __future__ import annotations

import streamlit as st

from core.compare import SUMMARY_PARAMS
from core.presets import HEADLINE, get_preset
from core.record import SPLITS
from ui import services, studies
from ui.figures import figure_config
from ui.compare_page import (curves_part, gap_part, key_styles, options, search_panel, show_table, split_picker,
                             summary_part, table_part)
from ui.mechanism_page import mechanism_expander
from ui.router import ensure_routed
from ui.state import Param
from ui.text import page_text
from ui.widgets import guarded, link_to_view, read_view, write_view

t = page_text("compare")
ensure_routed()  # a shared link opened on a fresh server runs this file alone: draw it through app.py

st.title(t("title"))
st.caption(t("intro"))
runs = services.runs()
labels = services.view_part("compare.options", lambda: options(runs), runs)
headline = [c.group_id for name in HEADLINE for c in get_preset(name).configs]
default_groups = [g for g in headline if g in labels["group"]] or list(runs["group_id"].drop_duplicates())[-5:]
searches = studies.searches()
params = [Param("by", "choice", "run" if "runs" in st.query_params and "groups" not in st.query_params else "group",
                ("group", "run")),
          Param("groups", "ids", default_groups), Param("runs", "ids", []),
          Param("metric", "choice", "acc", ("acc", "loss")), Param("splits", "choices", list(SPLITS), SPLITS),
          Param("smooth", "int", 1, low=1, high=50), Param("vs", "choice", "weight_decay", SUMMARY_PARAMS),
          Param("search", "token", searches.ids[0] if searches.ids else None)]
view = read_view("compare", params, known={"groups": labels["group"], "runs": labels["run"], "search": searches.ids},
          widget_keys={p.name: f"compare.{p.name}" for p in params if p.name != "splits"})
if runs.empty:
    st.info(t("empty"))
    st.page_link("pages/run.py", label=t("go_run"), icon=":material/play_arrow:")
    st.stop()

by = st.radio(t("by"), ("group", "run"), key="compare.by", horizontal=True, format_func=lambda b: t(f"by.{b}"))
key = "groups" if by == "group" else "runs"
selected = st.multiselect(t(f"select.{by}"), list(labels[by]), key=f"compare.{key}", format_func=labels[by].get,
                          placeholder=t("select.placeholder"))
column = "group_id" if by == "group" else "run_id"
order = {k: i for i, k in enumerate(selected)}
chosen = runs[runs[column].isin(order)]
chosen = chosen.assign(_order=chosen[column].map(order)).sort_values("_order", kind="stable").drop(columns="_order")
left, middle, right = st.columns([1, 2, 2])
metric = left.segmented_control(t("metric"), ("acc", "loss"), key="compare.metric",
                                format_func=lambda m: t(f"metric.{m}")) or "acc"
with middle:
    splits = split_picker(chosen, view["splits"])
smoothing = right.slider(t("smooth"), 1, 50, key="compare.smooth")
query = write_view("compare", {"by": by, key: selected, "metric": metric, "splits": splits, "smooth": smoothing,
                               "vs": st.session_state.get("compare.vs"),
                               "search": st.session_state.get("compare.search")})

# One colour per shown key (the same on every page), labels naming only what differs, the shared part said once.
# What follows is computed once per view and store version, and shared by every session showing it.
view = (by, tuple(selected))
colors, labels, shared = services.view_part("compare.keys", lambda: key_styles(runs, chosen, by), runs, *view)
bands = None
curves_col, search_col = st.columns([3, 2])
with curves_col, guarded():
    st.subheader(t("curves.title"))
    if chosen.empty:
        st.info(t("nothing_selected"))
    else:
        title = t("curves.figure_title", metric=t(f"metric.{metric}"))
        bands, figure = services.view_part(
            "compare.curves", lambda: curves_part(chosen, by=by, metric=metric, splits=splits, smoothing=smoothing,
                                                  labels=labels, colors=colors, title=title),
            runs, *view, metric, tuple(splits), smoothing)
        st.plotly_chart(figure, config=figure_config("overfit-lab-curves"), key="compare.curves")
        if shared:
            st.caption(t("label.shared", text=shared))
        st.download_button(t("curves.csv"), lambda: bands.to_csv(index=False), "overfit-lab-curves.csv", "text/csv",
                           icon=":material/download:", key="compare.curves_csv", on_click="ignore")
with search_col, guarded():
    st.subheader(t("search.title"))
    search_panel(searches, key="compare", select_key="compare.runs")

if bands is not None:
    gap_col, summary_col = st.columns(2)
    with gap_col, guarded():
        st.subheader(t(f"gap.title.{metric}"))
        figure = services.view_part(
            "compare.gap", lambda: gap_part(chosen, by=by, metric=metric, smoothing=smoothing, labels=labels,
                                            colors=colors), runs, *view, metric, smoothing)
        st.plotly_chart(figure, config=figure_config("overfit-lab-gap"), key="compare.gap")
        st.caption(t(f"gap.caption.{metric}"))
    with summary_col, guarded():
        st.subheader(t("summary.title"))
        vs = st.selectbox(t("summary.param"), SUMMARY_PARAMS, key="compare.vs",
                          format_func=lambda p: t(f"summary.param.{p}"))
        summary, figure, separating = services.view_part(
            "compare.summary", lambda: summary_part(runs, chosen, vs, by=by, metric=metric, labels=labels,
                                                    colors=colors), runs, *view, metric, vs)
        st.plotly_chart(figure, config=figure_config("overfit-lab-summary"), key="compare.summary")
        if summary["series"].nunique() > 1:
            st.caption(t(f"summary.separate.{vs}", fields=", ".join(f"`{f}`" for f in separating)))
        st.caption(t(f"summary.chosen.{metric}") if summary["chosen"].any()
                   else t("summary.no_val") if not summary["val_mean"].notna().any() else t("summary.one_point"))
        st.download_button(t("summary.csv"), lambda: summary.to_csv(index=False), "overfit-lab-summary.csv", "text/csv",
                           icon=":material/download:", key="compare.summary_csv", on_click="ignore")
    with guarded():
        st.subheader(t("table.title"))
        table = services.view_part("compare.table", lambda: table_part(chosen, selected, by=by, labels=labels), runs,
                                   *view)
        show_table(chosen, table)
        st.download_button(t("table.csv"), lambda: table.to_csv(index=False), "overfit-lab-final.csv", "text/csv",
                           icon=":material/download:", key="compare.table_csv", on_click="ignore")
mechanism_expander(chosen, runs)
link_to_view("compare", query)
