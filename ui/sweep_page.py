"""The Sweep page's widgets: the launch form (each error beside its field), the live watcher of a running sweep,
the chart selections and the page's session state.

The pure logic (URL state, the form's spec, captions) is in ``ui/sweep_state.py``; the launch goes through
``ui/services.py``, which refuses it in read-only mode and beyond the server's limits.
"""
from __future__ import annotations

from typing import Any, Mapping

import streamlit as st

from core.sweep import SWEEP_FIELDS
from core.sweep.summary import AT
from ui import services
from ui.widgets import rerun_keeping_flash
from ui.labels import config_label, job_progress, plain, preset_title
from ui.sweep_state import (BANDS, DEFAULT_GRIDS, NO_FIELD, NO_POINT, SweepQuery, active_sweep_job, base_presets,
                            build_form_spec, field_label, launch_message)
from ui.text import page_text

t = page_text("sweep")

LIVE_SECONDS = 2.0
FORM = "sweep.form"


def seed_state(view: SweepQuery, *, fresh: bool) -> None:
    """Put the URL's view into the widgets' state on a fresh URL (or the first visit); the widgets win otherwise."""
    for key, value in (("sweep.sweep", view.sweep), ("sweep.at", view.at), ("sweep.band", view.band),
                       ("sweep.point", view.point)):
        if fresh or key not in st.session_state:
            st.session_state[key] = value


def forget_point() -> None:
    """Another sweep was picked: its points are others."""
    st.session_state["sweep.point"] = NO_POINT


def point_from_event(chart_key: str) -> None:
    """A chart's ``on_select``: the clicked marker's point (``customdata[0]``) becomes the selected point."""
    event = st.session_state.get(chart_key) or {}
    for entry in (event.get("selection") or {}).get("points", []):
        custom = entry.get("customdata")
        value = custom[0] if isinstance(custom, (list, tuple)) and custom else custom
        try:
            st.session_state["sweep.point"] = int(value)
            return
        except (TypeError, ValueError):
            continue


def _form_values() -> dict[str, Any]:
    s = st.session_state
    return dict(base=s[f"{FORM}.base"], n_epochs=s[f"{FORM}.epochs"], field1=s[f"{FORM}.field1"],
                grid1=s[f"{FORM}.grid1"], field2=s[f"{FORM}.field2"], grid2=s[f"{FORM}.grid2"],
                seeds=s[f"{FORM}.seeds"], n_val=s[f"{FORM}.n_val"])


def _launch() -> None:
    """The form's button: check every field first (errors go beside them), then launch or open the sweep."""
    result = build_form_spec(**_form_values())
    if result.spec is None:  # the messages are beside the fields
        st.session_state["sweep.flash"] = ("error", t("launch.invalid"))
        return
    try:
        launch = services.launch_sweep(result.spec)
    except (services.ActionRefused, ValueError) as exc:
        st.session_state["sweep.flash"] = ("error", t("launch.failed", error=plain(exc)))
        return
    st.session_state["sweep.sweep"] = launch.sweep_id
    st.session_state["sweep.point"] = NO_POINT
    st.session_state["sweep.flash"] = launch_message(launch)


def _new_field(slot: str) -> None:
    """A field was picked: offer its usual grid (the user edits it from there)."""
    name = st.session_state[f"{FORM}.field{slot}"]
    st.session_state[f"{FORM}.grid{slot}"] = DEFAULT_GRIDS.get(name, "")


def _error(errors: Mapping[str, str], slot: str) -> None:
    if slot in errors:
        st.error(plain(errors[slot]), icon=":material/error:")


def launch_form(settings: services.Settings) -> None:
    """Base preset and epochs, one or two swept fields with their grids, seeds and validation images; the errors of
    the form's values beside their fields. Not an ``st.form``: picking a field fills in its usual grid."""
    s = st.session_state
    defaults = {"base": base_presets()[0], "epochs": min(200, settings.max_epochs), "field1": "weight_decay",
                "grid1": DEFAULT_GRIDS["weight_decay"], "field2": NO_FIELD, "grid2": "",
                "seeds": min(3, settings.max_seeds), "n_val": 100}
    for name, value in defaults.items():
        s.setdefault(f"{FORM}.{name}", value)
    preview = build_form_spec(**_form_values())  # checked as the user types: each message beside its field
    errors = preview.errors
    base, epochs = st.columns([2, 1])
    base.selectbox(t("form.base"), base_presets(), key=f"{FORM}.base", help=t("form.base.help"), format_func=preset_title)
    epochs.number_input(t("form.epochs"), 1, settings.max_epochs, key=f"{FORM}.epochs")
    with base:
        _error(errors, "base")
    with epochs:
        _error(errors, "epochs")
    for slot, options in (("1", SWEEP_FIELDS), ("2", (NO_FIELD, *SWEEP_FIELDS))):
        name, grid = st.columns([1, 2])
        name.selectbox(t(f"form.field{slot}"), options, key=f"{FORM}.field{slot}", on_change=_new_field, args=(slot,),
                       format_func=lambda f: field_label(f) if f else t("form.field.none"))
        grid.text_input(t("form.grid"), key=f"{FORM}.grid{slot}", help=t("form.grid.help"),
                        disabled=slot == "2" and not s[f"{FORM}.field2"], placeholder=t("form.grid.placeholder"))
        with name:
            _error(errors, f"field{slot}")
        with grid:
            _error(errors, f"grid{slot}")
    seeds, n_val = st.columns(2)
    seeds.number_input(t("form.seeds"), 1, settings.max_seeds, key=f"{FORM}.seeds", help=t("form.seeds.help"))
    n_val.number_input(t("form.n_val"), 0, 2000, key=f"{FORM}.n_val", help=t("form.n_val.help"))
    with seeds:
        _error(errors, "seeds")
    with n_val:
        _error(errors, "n_val")
    _error(errors, "vary")
    if preview.spec is not None:
        st.caption(t("form.preview", n_points=preview.spec.n_points, seeds=preview.spec.seeds,
                     n_runs=preview.spec.n_runs, label=plain(config_label(preview.spec.base)),
                     n_epochs=preview.spec.base.n_epochs))
    st.button(t("form.submit"), type="primary", icon=":material/play_arrow:", key="sweep.launch", on_click=_launch)


def live_watcher(sweep_id: str) -> None:
    """While the sweep's job runs: its progress, re-read every few seconds; the page redraws as runs arrive."""
    seen = services.store().version()
    inline = [True]  # the first call is within the page's run; later ones are the fragment's own ticks

    @st.fragment(run_every=LIVE_SECONDS)
    def watch() -> None:
        first, inline[0] = inline[0], False
        running = active_sweep_job(services.jobs(), sweep_id)
        if running is None or services.store().version() != seen:
            rerun_keeping_flash("sweep.flash", inline=first)  # a run was stored, or the job ended: figures change
        fraction, text = job_progress(running)
        st.progress(min(fraction, 1.0), text=text)

    watch()


def view_controls() -> None:
    """Final or best epoch, and the band's statistic."""
    at, band = st.columns(2)
    at.radio(t("view.at"), AT, key="sweep.at", horizontal=True, format_func=lambda a: t(f"at.{a}"),
             help=t("view.at.help"))
    band.radio(t("view.band"), BANDS, key="sweep.band", horizontal=True, format_func=lambda b: t(f"band.{b}"))


def table_columns(fields: tuple[str, ...]) -> dict[str, Any]:
    """Headers of the points table from the catalogue; accuracies to 3 decimals, swept values in short form."""
    config: dict[str, Any] = {"point": st.column_config.NumberColumn(t("column.point")),
                              "n": st.column_config.NumberColumn(t("column.n")),
                              "chosen": st.column_config.CheckboxColumn(t("column.chosen"))}
    config |= {f: st.column_config.NumberColumn(field_label(f), format="%.3g") for f in fields}
    config |= {c: st.column_config.NumberColumn(t(f"column.{c}"), format="%.3f")
               for c in ("val_acc_mean", "val_acc_std", "train_acc_mean", "test_acc_mean", "gap_mean")}
    return config
