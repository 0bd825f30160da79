"""The Compare page's pieces: the split picker, the final table, and the panel of searches."""
from __future__ import annotations

import streamlit as st

import pandas as pd

from core.compare import final_table, has_split
from core.record import SPLITS
from ui import services
from ui.figures import figure_config
from ui.labels import plain, points_to_run_ids
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


def show_table(chosen: pd.DataFrame, keys: list[str], *, by: str, labels: dict[str, str],
               curves: pd.DataFrame | None) -> pd.DataFrame:
    """The final table, validation first, its columns named in the page's language, and what it ranked on."""
    table = final_table(chosen, keys, by=by, labels=labels, curves=curves)
    ranked = has_split(chosen, "val")
    st.caption(t("table.ranked_val" if ranked else "table.no_val"))
    shown = table.rename(columns={c: t(f"table.col.{c}") for c in table.columns})
    st.dataframe(shown, hide_index=True, key="compare.table")
    return shown


def search_option(frame, search_id: str) -> str:
    """A search in the selectbox: id, strategy, progress and best validation accuracy."""
    row = frame.loc[search_id] if search_id in frame.index else {}
    best = row.get("best_val_acc", float("nan"))
    strategy = row.get("strategy_label", row.get("strategy", "?"))
    return t("search.option", search_id=search_id, strategy=strategy, n_done=row.get("n_done", "?"),
             n_trials=row.get("n_trials", "?"),
             best=f"{best:.3f}" if isinstance(best, (int, float)) and best == best else "—")


def search_panel(searches: services.Searches, *, key: str, select_key: str) -> None:
    """A selectbox of searches and the lr × weight-decay scatter of the chosen one; selected trials can be compared."""
    if searches.error:
        st.warning(t("search.failed", error=plain(searches.error)))
    if not searches.ids:
        st.caption(t("search.none"))
        return
    search_id = st.selectbox(t("search.choose"), searches.ids, key=f"{key}.search",
                             format_func=lambda i: search_option(searches.frame, i))
    try:
        view = services.search_view(search_id)
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
