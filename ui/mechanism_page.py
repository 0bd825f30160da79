"""The mechanism views as a page piece: an expander "Mechanism: weights and activations" for any selected runs,
with an epoch picker for the histograms (used by Compare, one call).

The expander keeps its open state (``on_change="rerun"``): while it is closed nothing inside is loaded, built or
sent, so a page that shows it pays only for its title. Opened, its figures are built once per view and store
version through ``services.view_part`` and shared by every session.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.mechanism import PROBE_ROWS, active_frame, histogram_frame, norms_frame, snapshot_epochs
from ui import services
from ui.figures import figure_config
from ui.labels import run_labels
from ui.mechanism_figures import active_figure, histogram_figure, norms_figure
from ui.text import page_text
from ui.widgets import guarded

MAX_RUNS = 6  # overlaid runs per panel: more are unreadable


def shown_runs(chosen: pd.DataFrame) -> list[str]:
    """The run ids drawn, at most ``MAX_RUNS``: each config group's lowest seed, then each group's next one, and so
    on, groups in the order they come in ``chosen``. So a capped selection shows every group, and as many seeds of
    each as it can: filling up with the first group's other seeds drew three runs of one regularizer beside one of
    each other (seen on Compare, with the book's four groups of three seeds)."""
    groups = {group: k for k, group in enumerate(dict.fromkeys(chosen["group_id"]))}
    within = chosen.sort_values("seed", kind="stable") if "seed" in chosen.columns else chosen
    ordered = within.assign(_turn=within.groupby("group_id", sort=False).cumcount(),
                            _group=within["group_id"].map(groups)).sort_values(["_turn", "_group"], kind="stable")
    return list(dict.fromkeys(ordered["run_id"]))[:MAX_RUNS]


def run_styles(chosen: pd.DataFrame, run_ids: list[str]) -> dict[str, tuple[int, int]]:
    """run_id -> (colour index, turn) for ``run_ids``: one colour per config group, in the order the groups are
    drawn; turn 0 for a group's first drawn run, 1, 2 ... for its other seeds (``ui.mechanism_figures.Styles``).
    Two seeds of one config in unrelated colours read as two configs."""
    group_of = dict(zip(chosen["run_id"], chosen["group_id"]))
    colours: dict[object, int] = {}
    turns: dict[object, int] = {}
    styles = {}
    for run_id in run_ids:
        group = group_of.get(run_id, run_id)
        colours.setdefault(group, len(colours))
        styles[run_id] = (colours[group], turns.get(group, 0))
        turns[group] = turns.get(group, 0) + 1
    return styles


def mechanism_data(chosen: pd.DataFrame, run_ids: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The mechanism rows of ``run_ids`` in their order, and their labels."""
    labels = run_labels(chosen[chosen["run_id"].isin(run_ids)])
    data = services.mechanism(run_ids)
    order = {run_id: i for i, run_id in enumerate(run_ids)}
    data = data.assign(_order=data["run_id"].map(order)).sort_values(["_order", "epoch"]).drop(columns="_order")
    return data, labels


def overview_part(chosen: pd.DataFrame, run_ids: list[str]) -> tuple[go.Figure, go.Figure, list[int]]:
    """The weight norms and active-units figures, and the epochs with histograms."""
    data, labels = mechanism_data(chosen, run_ids)
    styles = run_styles(chosen, run_ids)
    return (norms_figure(norms_frame(data, labels), styles), active_figure(active_frame(data, labels), styles),
            snapshot_epochs(data))


def histograms_part(chosen: pd.DataFrame, run_ids: list[str], epoch: int
                    ) -> tuple[go.Figure, go.Figure, list[tuple[str, list[int], list[int]]]]:
    """The weight and activation histograms at ``epoch``, and the shown runs without histograms there, as (config
    label, their seeds, the epochs they have histograms at) per config: a run records them at its own 0, 25, 50 and
    100 %, so a run of another length misses the epoch, and a search trial records none."""
    data, labels = mechanism_data(chosen, run_ids)
    styles = run_styles(chosen, run_ids)
    weights = histogram_frame(data, "weight", [epoch], labels)
    drawn = set(weights["run_id"])
    rows = chosen.drop_duplicates("run_id").set_index("run_id")
    missing: dict[tuple[str, tuple[int, ...]], list[int]] = {}
    for run_id in run_ids:
        if run_id not in drawn:
            epochs = tuple(snapshot_epochs(data[data["run_id"] == run_id]))
            missing.setdefault((rows.at[run_id, "label"], epochs), []).append(int(rows.at[run_id, "seed"]))
    return (histogram_figure(weights, "weight", epoch, styles),
            histogram_figure(histogram_frame(data, "act", [epoch], labels), "act", epoch, styles),
            [(label, seeds, list(epochs)) for (label, epochs), seeds in missing.items()])


def mechanism_expander(chosen: pd.DataFrame, runs: pd.DataFrame, *, key: str = "compare") -> None:
    """Draw the mechanism views of the runs in ``chosen`` (rows of ``runs``, in the order to draw) inside an
    expander that computes them only while it is open."""
    if chosen.empty:
        return
    t = page_text("mechanism")
    expander = st.expander(t("expander"), key=f"{key}.mechanism", on_change="rerun")
    if not expander.open:
        return
    with expander, guarded():
        st.caption(t("intro", n=PROBE_ROWS))
        run_ids = shown_runs(chosen)
        n_runs = chosen["run_id"].nunique()
        if n_runs > len(run_ids):
            st.caption(t("too_many", shown=len(run_ids), n=n_runs))
        norms, active, epochs = services.view_part("mechanism.overview", lambda: overview_part(chosen, run_ids),
                                                   runs, tuple(run_ids))
        st.plotly_chart(norms, config=figure_config("overfit-lab-weight-norms"), key=f"{key}.mechanism.norms")
        if not epochs:
            st.info(t("none_recorded"))
            return
        epoch = epochs[-1] if len(epochs) == 1 else st.select_slider(
            t("epoch"), epochs, value=epochs[-1], key=f"{key}.mechanism.epoch", help=t("epoch.help"))
        weights, acts, missing = services.view_part(
            "mechanism.histograms", lambda: histograms_part(chosen, run_ids, epoch), runs, tuple(run_ids), epoch)
        if missing:
            configs = [t("not_at_epoch.config" if recorded else "not_at_epoch.config_none", label=label,
                         n=len(seeds), seeds=", ".join(map(str, seeds)), epochs=", ".join(map(str, recorded)))
                       for label, seeds, recorded in missing]
            st.caption(t("not_at_epoch", epoch=epoch, n=sum(len(seeds) for _, seeds, _ in missing),
                         configs="; ".join(configs)))
        st.plotly_chart(weights, config=figure_config("overfit-lab-weight-histograms"), key=f"{key}.mechanism.weights")
        st.plotly_chart(acts, config=figure_config("overfit-lab-activation-histograms"), key=f"{key}.mechanism.acts")
        st.plotly_chart(active, config=figure_config("overfit-lab-active-units"), key=f"{key}.mechanism.active")
