"""The Compare page's pieces: the selectable keys, the split picker, the parts of the view (bands and figures,
summary, final table: built here, cached by the page through ``services.view_part``), and the panel of searches."""
from __future__ import annotations

import streamlit as st

import pandas as pd
import plotly.graph_objects as go

from core.compare import (differing_fields, final_table, gap_bands, group_options, has_split, seed_bands,
                          summary_against)
from core.record import SPLITS
from ui import services, studies
from ui.figures import curves_figure, figure_config, gap_figure, summary_figure
from ui.labels import comparison_labels, plain, points_to_run_ids, run_labels, status_counts_text
from ui.palette import assign_colors, store_order
from ui.search_figures import lr_wd_scatter
from ui.text import page_text
from ui.widgets import url_is_new

t = page_text("compare")


def split_picker(chosen: pd.DataFrame, from_url: list[str]) -> list[str]:
    """One checkbox per split; a split without data in the chosen runs is disabled and says why.

    The checkboxes start from the URL's ``splits`` (a shared link, a first visit), else keep the user's choice.
    Returns the splits to draw, in train, val, test order (test when nothing is ticked).
    """
    seed = url_is_new("compare")
    st.markdown(t("splits"))
    available = {s: chosen.empty or has_split(chosen, s) for s in SPLITS}
    chosen_splits = []
    for column, split in zip(st.columns(len(SPLITS)), SPLITS):
        key = f"compare.split.{split}"
        if seed or key not in st.session_state or not available[split]:
            st.session_state[key] = split in from_url and available[split]
        help_text = t(f"splits.help.{split}") if available[split] else t(f"splits.none.{split}")
        if column.checkbox(t(f"split.{split}"), key=key, disabled=not available[split], help=help_text) \
                and available[split]:
            chosen_splits.append(split)
    if not available["val"]:
        st.caption(t("splits.none.val"))
    return chosen_splits or ["test"]


def options(runs: pd.DataFrame) -> dict[str, dict[str, str]]:
    """The selectable keys with their labels: ``{"group": {group_id: "label (n seeds)"}, "run": {run_id: label}}``."""
    groups = group_options(runs)
    return {"group": {g: t("group.option", label=label, n=n)
                      for g, label, n in zip(groups["group_id"], groups["label"], groups["n_seeds"])},
            "run": run_labels(runs)}


def key_styles(runs: pd.DataFrame, chosen: pd.DataFrame, by: str) -> tuple[dict[str, str], dict[str, str], str]:
    """(colour per shown key, the same on every page; label per key naming only what differs; the shared part)."""
    column = "group_id" if by == "group" else "run_id"
    colors = assign_colors(chosen[column].drop_duplicates(), store_order(runs, column))
    labels, shared = comparison_labels(chosen, by)
    return colors, labels, shared


def curves_part(chosen: pd.DataFrame, *, by: str, metric: str, splits: list[str], smoothing: int,
                labels: dict[str, str], colors: dict[str, str], title: str) -> tuple[pd.DataFrame, go.Figure]:
    """The seed bands of the chosen runs and their curves figure."""
    bands = seed_bands(services.curves(chosen["run_id"]), chosen, metric=metric, splits=splits, by=by,
                       smoothing=smoothing, labels=labels)
    return bands, curves_figure(bands, metric=metric, title=title, colors=colors)


def gap_part(chosen: pd.DataFrame, *, by: str, metric: str, smoothing: int, labels: dict[str, str],
             colors: dict[str, str]) -> go.Figure:
    """The generalization-gap figure of the chosen runs."""
    gaps = gap_bands(services.curves(chosen["run_id"]), chosen, metric=metric, by=by, smoothing=smoothing,
                     labels=labels)
    return gap_figure(gaps, metric=metric, colors=colors)


def summary_part(runs: pd.DataFrame, chosen: pd.DataFrame, vs: str, *, by: str, metric: str, labels: dict[str, str],
                 colors: dict[str, str]) -> tuple[pd.DataFrame, go.Figure, list[str]]:
    """The summary against ``vs`` (groups only: a run is summarised with its group), its figure, and the fields that
    separate its series."""
    group_labels = labels if by == "group" else comparison_labels(chosen, "group")[0]
    summary = summary_against(chosen, vs, metric=metric, labels=group_labels)
    group_colors = assign_colors(summary["group_id"], store_order(runs)) if by == "run" else colors
    series_text, _ = comparison_labels(chosen, "group", exclude=(vs,), unique=False)
    firsts = summary.drop_duplicates("series")
    series_labels = {s: series_text.get(g, "") for s, g in zip(firsts["series"], firsts["group_id"])}
    figure = summary_figure(summary, vs, metric=metric, colors=group_colors, series_labels=series_labels)
    separating = [f for f in differing_fields(chosen.drop_duplicates("group_id")) if f != vs]
    return summary, figure, separating


def table_part(chosen: pd.DataFrame, keys: list[str], *, by: str, labels: dict[str, str]) -> pd.DataFrame:
    """The final table, validation first, its columns named in the page's language."""
    table = final_table(chosen, keys, by=by, labels=labels, curves=services.curves(chosen["run_id"]))
    table["status"] = table["status"].map(status_counts_text)
    return table.rename(columns={c: t(f"table.col.{c}") for c in table.columns})


def show_table(chosen: pd.DataFrame, table: pd.DataFrame) -> None:
    """The final table (``table_part``) and what it ranked on."""
    st.caption(t("table.ranked_val" if has_split(chosen, "val") else "table.no_val"))
    st.dataframe(table, hide_index=True, key="compare.table")


def search_option(frame, search_id: str) -> str:
    """A search in the selectbox: id, strategy, progress and best validation accuracy."""
    row = frame.loc[search_id] if search_id in frame.index else {}
    best = row.get("best_val_acc", float("nan"))
    strategy = row.get("strategy_label", row.get("strategy", "?"))
    return t("search.option", search_id=search_id, strategy=strategy, n_done=row.get("n_done", "?"),
             n_trials=row.get("n_trials", "?"),
             best=f"{best:.3f}" if isinstance(best, (int, float)) and best == best else "—")


def search_panel(searches: studies.Searches, *, key: str, select_key: str) -> None:
    """A selectbox of searches and the lr × weight-decay scatter of the chosen one; selected trials can be compared."""
    if searches.error:
        st.warning(t("search.failed", error=plain(searches.error)))
    if not searches.ids:
        st.caption(t("search.none"))
        return
    search_id = st.selectbox(t("search.choose"), searches.ids, key=f"{key}.search",
                             format_func=lambda i: search_option(searches.frame, i))
    try:
        view = studies.search_view(search_id)
        figure = lr_wd_scatter(view.trials, boxes=view.rounds)
    except Exception as exc:  # noqa: BLE001 - one unreadable search must not break the page
        st.warning(t("search.failed", error=plain(f"{type(exc).__name__}: {exc}")))
        return
    event = st.plotly_chart(figure, key=f"{key}.scatter", on_select="rerun", selection_mode=("points", "box", "lasso"),
                            config=figure_config(f"overfit-lab-search-{search_id}"))
    known = set(services.runs()["run_id"])
    ids = [i for i in points_to_run_ids(list(event["selection"]["points"]), view.trials) if i in known]
    st.caption(t("search.select_hint"))
    if ids:
        def compare_selected() -> None:
            st.session_state[f"{key}.by"] = "run"
            st.session_state[select_key] = ids

        st.button(t("search.add", n=len(ids)), key=f"{key}.search_add", on_click=compare_selected,
                  icon=":material/add_chart:")
