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


NO_MEMBER = "none"  # the filter's option for runs in no search and no sweep


def result_column_config() -> dict:
    """Readable headers and number formats: accuracies to 3 decimals, λ and lr in engineering form (1.08e-6)."""
    acc = {"format": "%.3f"}
    return {
        "label": st.column_config.TextColumn(t("header.label"), pinned=True),
        "final_val_acc": st.column_config.NumberColumn(t("header.final_val_acc"), **acc),
        "best_val_acc": st.column_config.NumberColumn(t("header.best_val_acc"), **acc),
        "final_test_acc": st.column_config.NumberColumn(t("header.final_test_acc"), **acc),
        "final_gap": st.column_config.NumberColumn(t("header.final_gap"), **acc),
        "final_train_acc": st.column_config.NumberColumn(t("header.final_train_acc"), **acc),
        "best_test_acc": st.column_config.NumberColumn(t("header.best_test_acc"), **acc),
        "member": st.column_config.TextColumn(t("header.member")),
        "duration_s": st.column_config.NumberColumn(t("header.duration_s"), format="%.1f"),
        "created_at": st.column_config.TextColumn(t("header.created_at")),
        "weight_decay": st.column_config.NumberColumn(t("header.weight_decay"), format="%.2e"),
        "lr": st.column_config.NumberColumn(t("header.lr"), format="%.2e"),
        "dropout": st.column_config.NumberColumn(t("header.dropout"), format="%.2f"),
        "init_std": st.column_config.NumberColumn(format="%.2e"),
    }


def member_keys(members: pd.DataFrame) -> dict[str, list[str]]:
    """run id -> its searches and sweeps as filter options ("search:<id>", "sweep:<id>")."""
    keys: dict[str, list[str]] = {}
    for row in members.itertuples(index=False):
        keys.setdefault(str(row.run_id), []).append(f"{row.kind}:{row.id}")
    return keys


def with_members(runs: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """``runs`` with ``member``: the searches and sweeps each run belongs to ("search <id> · trial 3"), "" for none."""
    cells: dict[str, list[str]] = {}
    for row in members.itertuples(index=False):
        cells.setdefault(str(row.run_id), []).append(t(f"member.cell.{row.kind}", id=row.id, point=int(row.point)))
    return runs.assign(member=[" ; ".join(cells.get(r, [])) for r in runs["run_id"]])


def member_options(members: pd.DataFrame) -> tuple[str, ...]:
    """The filter's options: runs in no search or sweep, then every search and sweep (newest id first)."""
    found = sorted({f"{row.kind}:{row.id}" for row in members.itertuples(index=False)},
                   key=lambda key: (key.split(":", 1)[0], key.split(":", 1)[1]), reverse=True)
    return (NO_MEMBER, *found)


def member_option_label(option: str) -> str:
    if option == NO_MEMBER:
        return t("member.none")
    kind, _, ident = option.partition(":")
    return t(f"member.{kind}", id=ident)


def filter_members(runs: pd.DataFrame, members: pd.DataFrame, chosen: list[str]) -> pd.DataFrame:
    """The runs in any of the ``chosen`` searches or sweeps (``NO_MEMBER``: in none of them)."""
    if not chosen:
        return runs
    keys = member_keys(members)
    wanted = set(chosen)
    keep = [bool(wanted & set(keys.get(r, [NO_MEMBER]))) for r in runs["run_id"]]
    return runs[keep]


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
