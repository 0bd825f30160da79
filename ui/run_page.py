"""The Run page's pieces: the config form, one widget per RunConfig field, each invalid field's message beside it.

The pure side (which widget, values as text, the config back) is in ``ui/config_fields.py``.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import pandas as pd
import streamlit as st

from core import config as cfg
from core.config import RunConfig
from ui.config_fields import CHOICES, SECTIONS, TEXTS, build_config, form_value, widget_value
from ui.labels import plain
from ui.text import page_text, t


def seed_form(base: RunConfig, key: str, overrides: Mapping[str, Any] | None = None) -> None:
    """Put ``base``'s values, then ``overrides`` (even invalid ones: the form reports them), into the form's widgets."""
    for name in cfg.FIELD_TYPES:
        st.session_state[f"{key}.{name}"] = form_value(base, name)
    for name, value in (overrides or {}).items():
        st.session_state[f"{key}.{name}"] = widget_value(name, value)


def field_widget(name: str, key: str) -> None:
    """The widget of RunConfig field ``name``, its state under ``<key>.<name>``."""
    widget_key = f"{key}.{name}"
    label = t(f"field.{name}")
    if name in CHOICES:
        st.selectbox(label, CHOICES[name], key=widget_key)
    elif name == "batch_norm":
        st.checkbox(label, key=widget_key)
    elif name in TEXTS:
        st.text_input(label, key=widget_key)
    else:  # ints: no bounds in the widget, so an out-of-range value reaches the config and its message
        st.number_input(label, step=1, format="%d", key=widget_key)


def config_form(base: RunConfig, *, key: str, max_epochs: int, limits=None) -> RunConfig | None:
    """Widgets for every RunConfig field; each invalid field gets its message beside it. Returns None when invalid."""
    if f"{key}.lr" not in st.session_state:
        seed_form(base, key)
    slots = {}
    columns = st.columns(len(SECTIONS))
    for column, (section, (shown, more)) in zip(columns, SECTIONS.items()):
        with column:
            st.markdown(f"**{t(section)}**")
            for name in shown:
                field_widget(name, key)
                slots[name] = st.empty()
            with st.expander(t("form.advanced")):
                for name in more:
                    field_widget(name, key)
                    slots[name] = st.empty()
    raw = {name: st.session_state[f"{key}.{name}"] for name in cfg.FIELD_TYPES}
    config, errors = build_config(raw)
    epochs = raw["n_epochs"]
    if "n_epochs" not in errors and isinstance(epochs, (int, float)) and epochs > max_epochs:  # this server's limit
        errors["n_epochs"] = t("service.too_many_epochs", limit=max_epochs, value=int(epochs))
        config = None
    if config is not None:  # the server's size limits, beside the field they name (no Launch button then)
        from ui.config_fields import limit_errors

        errors.update(limit_errors(config, limits))
        if errors:
            config = None
    for name, message in errors.items():
        slots.get(name, st).error(plain(message), icon=":material/error:")
    return config


FINAL_COLUMNS = ("label", "n_seeds", "final_train_acc", "final_val_acc", "final_test_acc", "final_gap")


def final_numbers(runs: pd.DataFrame, run_ids: Sequence[str]) -> pd.DataFrame:
    """One row per config group of the cached ``run_ids``: the label, the seeds, and the final train, validation
    and test accuracy and the train − test gap, each the mean over the seeds (validation NaN without a split)."""
    wanted = set(run_ids)
    if runs.empty or not wanted:
        return pd.DataFrame(columns=FINAL_COLUMNS)
    done = runs[runs["run_id"].isin(wanted) & runs["status"].isin(("complete", "diverged"))]
    done = done.drop_duplicates("run_id")
    if done.empty:
        return pd.DataFrame(columns=FINAL_COLUMNS)
    order = list(dict.fromkeys(done["group_id"]))
    table = done.groupby("group_id", sort=False).agg(
        label=("label", "first"), n_seeds=("run_id", "nunique"), final_train_acc=("final_train_acc", "mean"),
        final_val_acc=("final_val_acc", "mean"), final_test_acc=("final_test_acc", "mean"),
        final_gap=("final_gap", "mean"))
    return table.loc[order, list(FINAL_COLUMNS)].reset_index(drop=True)


def final_numbers_table(runs: pd.DataFrame, run_ids: Sequence[str]) -> None:
    """The cached runs' final numbers, with a link to Compare of exactly those runs."""
    text = page_text("run")
    table = final_numbers(runs, run_ids)
    if table.empty:
        return
    st.markdown(f"**{text('final.title')}**")
    acc = {"format": "%.3f"}
    no_val = table["final_val_acc"].isna().all()  # configs without a validation split: no column of blanks
    if no_val:
        table = table.drop(columns="final_val_acc")
    st.dataframe(table, hide_index=True, key="run.final", column_config={
        "label": st.column_config.TextColumn(text("final.label")),
        "n_seeds": st.column_config.NumberColumn(text("final.n_seeds")),
        "final_train_acc": st.column_config.NumberColumn(text("final.train"), **acc),
        "final_val_acc": st.column_config.NumberColumn(text("final.val"), **acc),
        "final_test_acc": st.column_config.NumberColumn(text("final.test"), **acc),
        "final_gap": st.column_config.NumberColumn(text("final.gap"), **acc)})
    st.caption(text("final.caption.no_val" if no_val else "final.caption"))
    ids = sorted(set(run_ids) & set(runs.loc[runs["status"].isin(("complete", "diverged")), "run_id"]))
    st.page_link("pages/compare.py", label=text("final.open_compare", n=len(ids)), icon=":material/monitoring:",
                 query_params={"by": "run", "runs": ",".join(ids)})
