"""Run: choose a preset or build a config, see what is cached, launch in the background, follow the jobs."""
from __future__ import annotations

import dataclasses

import streamlit as st

from core.config import FIELD_TYPES
from core.presets import PRESETS
from ui import services
from ui.config_fields import form_value
from ui.labels import config_label, plain, preset_description, preset_title
from ui.router import ensure_routed
from ui.run_page import config_form, final_numbers_table, seed_form
from ui.state import Param
from ui.text import page_text
from ui.widgets import guarded, jobs_panel, link_to_view, read_view, url_is_new, write_view

t = page_text("run")
ensure_routed()  # a shared link opened on a fresh server runs this file alone: draw it through app.py

BASE = PRESETS["overfit"].configs[0]  # the custom form starts from the book's overfitting setup
URL_FIELDS = [name for name in FIELD_TYPES if name != "data_path"]  # a URL never names a file
settings = services.settings()

st.title(t("title"))
st.caption(t("intro"))
params = [Param("mode", "choice", "preset", ("preset", "custom")),
          Param("preset", "choice", "overfit", tuple(PRESETS)),
          Param("seeds", "int", 3, low=1, high=settings.max_seeds),
          *[Param(name, "field") for name in URL_FIELDS]]
fresh = url_is_new("run")
view = read_view("run", params, widget_keys={"mode": "run.mode", "preset": "run.preset", "seeds": "run.seeds"})

if settings.read_only:
    st.info(t("read_only"))
else:
    with guarded():
        mode = st.radio(t("mode"), ("preset", "custom"), key="run.mode", horizontal=True,
                        format_func=lambda m: t(f"mode.{m}"))
        overrides = {}
        if mode == "preset":
            preset = PRESETS[st.selectbox(t("preset"), tuple(PRESETS), key="run.preset",
                                          format_func=preset_title)]
            st.markdown(plain(preset_description(preset.name)))
            st.caption(t("preset.configs", n=len(preset.configs)))
            st.markdown("\n".join(f"- {plain(config_label(c))} · {t('label.epochs', n=c.n_epochs)}" for c in preset.configs))
            base_configs = list(preset.configs)
        else:
            if fresh:  # a link carrying config fields: into the form, which says what is wrong with them
                seed_form(BASE, "run.cfg", {k: view[k] for k in URL_FIELDS if view[k] is not None})
            config = config_form(BASE, key="run.cfg", max_epochs=settings.max_epochs, limits=settings.limits)
            base_configs = [config] if config is not None else []
            overrides = {k: value for k in URL_FIELDS  # the URL carries the fields that differ from the base
                         if (value := st.session_state[f"run.cfg.{k}"]) != form_value(BASE, k)}
        n_seeds = st.number_input(t("seeds"), min_value=1, max_value=settings.max_seeds, step=1, key="run.seeds")
        first = base_configs[0].seed if base_configs else 0
        st.caption(t("seeds.help", first=first, last=first + int(n_seeds) - 1))
        write_view("run", {"mode": mode, "preset": preset.name if mode == "preset" else None,
                           "seeds": int(n_seeds), **overrides})

        if not base_configs:
            st.warning(t("form_invalid"))
        else:
            configs = [dataclasses.replace(c, seed=c.seed + s) for c in base_configs for s in range(int(n_seeds))]
            run_ids = list(dict.fromkeys(c.run_id for c in configs))
            cached = services.store().cached(run_ids)
            st.markdown(t("plan", n_runs=len(run_ids), n_cached=len(cached), n_todo=len(run_ids) - len(cached)))
            if len(cached) == len(run_ids):
                st.success(t("all_cached"), icon=":material/check_circle:")
            if cached:  # their final numbers, and a link to Compare of exactly these runs
                final_numbers_table(services.runs(), sorted(cached))
            if len(cached) < len(run_ids) and st.button(
                    t("launch", n=len(run_ids) - len(cached)), type="primary", icon=":material/play_arrow:",
                    key="run.launch"):
                name = preset.title if mode == "preset" else base_configs[0].label()
                subject = {"kind": "preset", "preset": preset.name} if mode == "preset" else \
                    {"kind": "config", "label": base_configs[0].label()}
                try:
                    job_id = services.launch(configs, name, n_seeds=int(n_seeds), subject=subject)
                    st.session_state["run.last_job"] = (job_id, t("launched", job_id=job_id,
                                                                  n=len(run_ids) - len(cached)))
                    st.rerun()  # from the top: the sidebar, drawn before this button, counts the new job too
                except services.ActionRefused as exc:
                    st.error(t("launch_failed", error=plain(exc)))
            job_id, message = st.session_state.get("run.last_job", ("", ""))
            if job_id and job_id in {j.id for j in services.running_jobs()}:  # said while the job runs
                st.success(message)

with st.expander(t("limits.title"), icon=":material/speed:"):
    st.caption(t("limits.intro"))
    st.markdown("\n".join(f"- {t(f'limits.{name}')}: **{value:,}** (`{env}`)"
                           for name, value, env in settings.limits.items()))

st.subheader(t("jobs"))
with guarded():
    jobs_panel(key="run.jobs", read_only=settings.read_only)
link_to_view("run", st.query_params.to_dict())
