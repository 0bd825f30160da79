"""Home: what the lab shows, and the book's three experiments (computed in the background on first use)."""
from __future__ import annotations

import streamlit as st

from core.compare import compared_with, final_means, seed_bands
from core.presets import HEADLINE, get_preset
from ui import services
from ui.figures import curves_figure, figure_config
from ui.labels import comparison_labels, effect_sentence, measured_lines, plain
from ui.palette import assign_colors, store_order
from ui.router import ensure_routed
from ui.text import page_text
from ui.widgets import guarded, jobs_panel, link_to_view, read_view, write_view

t = page_text("home")
ensure_routed()  # a shared link opened on a fresh server runs this file alone: draw it through app.py

N_SEEDS = 3
JOB_NAME = "book experiments"

st.title(t("title"))
st.markdown(t("intro"))
st.markdown(t("how"))
read_view("home", [])  # Home has no view state: any parameter is reported and dropped
write_view("home", {})
settings = services.settings()

with guarded():
    configs = [c for name in HEADLINE for c in get_preset(name).configs_for_seeds(N_SEEDS)]
    run_ids = [c.run_id for c in configs]
    group_ids = list(dict.fromkeys(c.group_id for c in configs))
    runs = services.runs()
    cached = runs[runs["run_id"].isin(run_ids)]
    n_total, n_cached = len(set(run_ids)), cached["run_id"].nunique()

    st.subheader(t("headline.title"))
    running = [j for j in services.running_jobs() if j.name == JOB_NAME]
    if n_cached < n_total:
        st.info(t("headline.partial", cached=n_cached, total=n_total) if n_cached else t("headline.empty"))
        if settings.read_only:
            st.caption(t("headline.read_only"))
        elif not running and st.button(t("headline.launch", n=N_SEEDS), type="primary", icon=":material/play_arrow:",
                                       help=t("headline.launch_help", n_runs=n_total), key="home.launch"):
            try:
                job_id = services.launch(configs, JOB_NAME, n_seeds=N_SEEDS, subject={"kind": "book"})
                st.success(t("headline.launched", job_id=job_id))
                st.rerun()
            except services.ActionRefused as exc:
                st.error(plain(exc))
    if not cached.empty:
        order = {g: i for i, g in enumerate(group_ids)}  # the presets' order: overfit, weight decay, dropout
        drawn = cached.assign(_order=cached["group_id"].map(order)).sort_values("_order", kind="stable")
        labels, shared = comparison_labels(drawn, "group")  # only what differs; the rest said once
        curves = services.curves(drawn["run_id"])
        bands = seed_bands(curves, drawn, metric="acc", splits=("train", "test"), labels=labels)
        st.caption(t("headline.caption", n=N_SEEDS) + (" " + t("label.shared", text=shared) if shared else ""))
        st.plotly_chart(curves_figure(bands, metric="acc", title=t("headline.figure_title"),
                                      colors=assign_colors(drawn["group_id"], store_order(runs))),
                        config=figure_config("overfit-lab-headline"), key="home.figure")
        means = final_means(drawn, group_ids)  # measured from the cached runs, never typed in
        if len(means):
            st.markdown(t("headline.measured") + "\n" + "\n".join(f"- {line}" for line in measured_lines(means, labels)))
        base = group_ids[0]  # the overfitting preset: the same network without a regularizer
        pairs = compared_with(drawn, curves, base, list(means.index))  # none without the base's runs
        if pairs:
            sentences = [(t("headline.at_epoch", epoch=epoch) + " " if epoch is not None else "")
                         + effect_sentence(labels[g], base_means, other) for g, epoch, base_means, other in pairs]
            st.markdown(t("headline.reading") + "\n" + "\n".join(f"- {line}" for line in sentences))
            st.caption(t("headline.baseline", name=plain(labels[base])))
        st.page_link("pages/compare.py", label=t("headline.open_compare"), icon=":material/monitoring:",
                     query_params={"by": "group", "groups": ",".join(g for g in group_ids
                                                                     if g in set(cached["group_id"]))})
    if n_cached < n_total or running:
        jobs_panel(key="home.jobs", read_only=settings.read_only, show_finished=False)

link_to_view("", {})
