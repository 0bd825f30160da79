"""The mechanism views as a page piece: an expander "Mechanism: weights and activations" for any selected runs,
with an epoch picker for the histograms (used by Compare, one call)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.mechanism import PROBE_ROWS, active_frame, histogram_frame, norms_frame, snapshot_epochs
from ui import services
from ui.figures import figure_config
from ui.labels import run_labels
from ui.mechanism_figures import active_figure, histogram_figure, norms_figure
from ui.text import page_text
from ui.widgets import guarded

MAX_RUNS = 6  # overlaid runs per panel: more are unreadable


def mechanism_expander(chosen: pd.DataFrame, *, key: str = "compare") -> None:
    """Draw the mechanism views of the runs in ``chosen`` (runs rows, in the order to draw), inside an expander."""
    if chosen.empty:
        return
    t = page_text("mechanism")
    with st.expander(t("expander")), guarded():
        st.caption(t("intro", n=PROBE_ROWS))
        # one run of each config group first, so a capped selection still shows every group
        run_ids = list(dict.fromkeys([*chosen.drop_duplicates("group_id")["run_id"], *chosen["run_id"]]))
        if len(run_ids) > MAX_RUNS:
            st.caption(t("too_many", shown=MAX_RUNS, n=len(run_ids)))
            run_ids = run_ids[:MAX_RUNS]
        labels = run_labels(chosen[chosen["run_id"].isin(run_ids)])
        data = services.mechanism(run_ids)
        order = {run_id: i for i, run_id in enumerate(run_ids)}
        data = data.assign(_order=data["run_id"].map(order)).sort_values(["_order", "epoch"]).drop(columns="_order")
        st.plotly_chart(norms_figure(norms_frame(data, labels)), config=figure_config("overfit-lab-weight-norms"),
                        key=f"{key}.mechanism.norms")
        epochs = snapshot_epochs(data)
        if not epochs:
            st.info(t("none_recorded"))
            return
        epoch = epochs[-1] if len(epochs) == 1 else st.select_slider(
            t("epoch"), epochs, value=epochs[-1], key=f"{key}.mechanism.epoch", help=t("epoch.help"))
        st.plotly_chart(histogram_figure(histogram_frame(data, "weight", [epoch], labels), "weight", epoch),
                        config=figure_config("overfit-lab-weight-histograms"), key=f"{key}.mechanism.weights")
        st.plotly_chart(histogram_figure(histogram_frame(data, "act", [epoch], labels), "act", epoch),
                        config=figure_config("overfit-lab-activation-histograms"), key=f"{key}.mechanism.acts")
        st.plotly_chart(active_figure(active_frame(data, labels)), config=figure_config("overfit-lab-active-units"),
                        key=f"{key}.mechanism.active")
