"""Results: every cached run in a table with filters and sorting; open a selection in Compare, download, delete."""
from __future__ import annotations

import hashlib
import io

import streamlit as st

from core.config import DATASETS
from core.record import RunStatus
from ui import services, studies
from ui.labels import RESULT_COLUMNS, SORTABLE
from ui.results_page import (FLASH_KEY, delete_button, filter_members, member_option_label, member_options,
                             result_column_config, with_members)
from ui.router import ensure_routed
from ui.state import Param
from ui.text import page_text
from ui.widgets import guarded, link_to_view, read_view, url_is_new, write_view

t = page_text("results")
ensure_routed()  # a shared link opened on a fresh server runs this file alone: draw it through app.py

STATUSES = tuple(s.value for s in RunStatus)
settings = services.settings()
st.title(t("title"))
st.caption(t("intro"))
members = studies.memberships()
runs = with_members(services.runs(), members)
options = member_options(members)
params = [Param("status", "choices", [], STATUSES), Param("dataset", "choices", [], DATASETS),
          Param("in", "choices", [], options), Param("q", "text", ""), Param("sort", "choice", "created_at", SORTABLE),
          Param("order", "choice", "desc", ("asc", "desc")), Param("sel", "ids", [])]
fresh = url_is_new("results")
view = read_view("results", params, known={"sel": set(runs["run_id"])},
                 widget_keys={name: f"results.{name}" for name in ("status", "dataset", "in", "q", "sort", "order")})
if fresh or "results.sel" not in st.session_state:  # the selection, by run id, from a shared link
    st.session_state["results.sel"] = view["sel"]

with guarded():
    f1, f2, f3, f4, f5, f6 = st.columns([2, 2, 3, 3, 2, 1.5])  # the order's two words on one line each
    status = f1.multiselect(t("filter.status"), STATUSES, key="results.status", placeholder=t("filter.any"))
    dataset = f2.multiselect(t("filter.dataset"), DATASETS, key="results.dataset", placeholder=t("filter.any"))
    if not set(st.session_state.get("results.in") or []) <= set(options):  # a search or sweep deleted meanwhile
        st.session_state["results.in"] = [o for o in st.session_state["results.in"] if o in options]
    member = f3.multiselect(t("filter.member"), options, key="results.in", format_func=member_option_label,
                            placeholder=t("filter.any"))
    text = f4.text_input(t("filter.text"), key="results.q", max_chars=80).strip()
    sort = f5.selectbox(t("sort"), SORTABLE, key="results.sort", format_func=lambda c: t(f"column.{c}"))
    order = f6.radio(t("order"), ("desc", "asc"), key="results.order", format_func=lambda o: t(f"order.{o}"))
    shown = filter_members(runs, members, member)
    if status:
        shown = shown[shown["status"].isin(status)]
    if dataset:
        shown = shown[shown["dataset"].isin(dataset)]
    if text:
        shown = shown[shown["label"].str.contains(text, case=False, regex=False)]
    shown = shown.sort_values(sort, ascending=order == "asc", kind="stable", na_position="last").reset_index(drop=True)
    st.caption(t("count", shown=len(shown), total=len(runs)) + " " + t("validation_first"))

    # The table's selection is by position: a new filter, order or run gives a new table, re-selected by run id.
    table_key = "results.table." + hashlib.sha1(repr((status, dataset, member, text, sort, order, len(runs),
                                                      services.store().version())).encode()).hexdigest()[:12]
    positions = [int(i) for i in shown.index[shown["run_id"].isin(st.session_state["results.sel"])]]
    event = st.dataframe(shown[[c for c in RESULT_COLUMNS if c in shown.columns]], key=table_key, hide_index=True,
                         on_select="rerun", selection_mode="multi-row", column_config=result_column_config(),
                         selection_default={"selection": {"rows": positions, "columns": []}})
    selected = [str(i) for i in shown.iloc[list(event["selection"]["rows"])]["run_id"]]
    st.session_state["results.sel"] = selected
    query = write_view("results", {"status": status, "dataset": dataset, "in": member, "q": text, "sort": sort, "order": order,
                                   "sel": selected})

    st.caption(t("selected", n=len(selected)) if selected else t("select_hint"))
    a1, a2, a3, a4 = st.columns(4)
    with a1:
        st.page_link("pages/compare.py", label=t("open_compare"), icon=":material/monitoring:",
                     query_params={"by": "run", "runs": ",".join(selected)}, disabled=not selected)
    a2.download_button(t("csv"), lambda: shown.to_csv(index=False), "overfit-lab-runs.csv", "text/csv",
                       icon=":material/download:", key="results.csv", on_click="ignore")

    def parquet() -> bytes:
        buffer = io.BytesIO()
        shown.to_parquet(buffer, index=False)
        return buffer.getvalue()

    a3.download_button(t("parquet"), parquet, "overfit-lab-runs.parquet", "application/octet-stream",
                       icon=":material/download:", key="results.parquet", on_click="ignore")

    if not settings.read_only:
        delete_button(a4, runs, selected)
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))
    if runs.empty:
        st.info(t("empty"))
    link_to_view("results", query)

with guarded():
    problems = services.problems()
    if problems:
        with st.expander(t("problems.title", n=len(problems)), expanded=True, icon=":material/warning:"):
            st.dataframe({t("problems.file"): [p.path.name for p in problems],
                          t("problems.reason"): [p.reason for p in problems]}, hide_index=True, key="results.problems")
