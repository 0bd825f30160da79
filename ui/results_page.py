"""The Results page's pieces: the table's column headers and the delete button with its confirmation dialog."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import services
from ui.labels import plain
from ui.text import page_text

t = page_text("results")
CONFIRM_KEY = "results.confirm"  # the runs awaiting confirmation: the dialog stays open across reruns while set
FLASH_KEY = "results.flash"


def result_column_config() -> dict:
    """Readable headers and number formats for the Results table."""
    acc = {"format": "%.4f"}
    return {
        "final_train_acc": st.column_config.NumberColumn(t("header.final_train_acc"), **acc),
        "final_test_acc": st.column_config.NumberColumn(t("header.final_test_acc"), **acc),
        "final_gap": st.column_config.NumberColumn(t("header.final_gap"), **acc),
        "best_val_acc": st.column_config.NumberColumn(t("header.best_val_acc"), **acc),
        "best_test_acc": st.column_config.NumberColumn(t("header.best_test_acc"), **acc),
        "duration_s": st.column_config.NumberColumn(t("header.duration_s"), format="%.1f"),
        "created_at": st.column_config.TextColumn(t("header.created_at")),
        "weight_decay": st.column_config.NumberColumn(t("header.weight_decay"), format="%g"),
    }


def close_dialog() -> None:
    st.session_state.pop(CONFIRM_KEY, None)


def confirm_delete(run_ids: list[str], runs: pd.DataFrame) -> None:
    """Name the runs to delete (at most 20), and delete them only on "yes"."""
    st.markdown(t("delete.confirm_text", n=len(run_ids)))
    labels = runs.set_index("run_id").loc[run_ids, "label"].head(20)
    st.markdown("\n".join(f"- {plain(label)} (`{run_id}`)" for run_id, label in labels.items()))
    yes, no = st.columns(2)
    if yes.button(t("delete.confirm", n=len(run_ids)), type="primary", key="results.delete_yes"):
        close_dialog()
        try:
            st.session_state[FLASH_KEY] = t("delete.done", n=services.delete(run_ids))
            st.session_state["results.sel"] = []
        except services.ActionRefused as exc:
            st.session_state[FLASH_KEY] = t("delete.failed", error=plain(exc))
        st.rerun()
    if no.button(t("delete.cancel"), key="results.delete_no"):
        close_dialog()
        st.rerun()


def delete_button(column, runs: pd.DataFrame, selected: list[str]) -> None:
    """The delete button (in ``column``) of the selected runs, and the open confirmation dialog if any."""
    column.button(t("delete"), key="results.delete", disabled=not selected, icon=":material/delete:",
                  on_click=lambda: st.session_state.update({CONFIRM_KEY: selected}))
    pending = [i for i in st.session_state.get(CONFIRM_KEY, []) if i in set(runs["run_id"])]
    if pending:  # the dialog is made here so that its title follows the session's language
        st.dialog(t("delete.title"), on_dismiss=close_dialog)(confirm_delete)(pending, runs)
