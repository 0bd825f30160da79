"""The Sweep page's pure logic: its URL state, the launch form's spec and per-field errors, labels and captions.

No streamlit and no plotly here: everything is tested without either. The widgets are in ``ui/sweep_page.py``,
the figures in ``ui/sweep_figures.py``.

URL parameters of the page (``pages/sweep.py``)::

    sweep=<sweep id>          the sweep shown (default: the newest)
    at=final|best             accuracies at the last epoch or at each run's epoch of best validation accuracy
    band=std|range            seed bands: mean ± std, or min–max over seeds
    point=<int>               the point whose curves are shown (0 .. n_points - 1)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import pandas as pd

from core.config import ConfigError, RunConfig, config_with
from core.job_state import JobState
from core.presets import PRESETS
from core.sweep import SWEEP_FIELDS, SweepError, SweepSpec, parse_grid
from core.sweep.grid import format_value
from core.sweep.runner import JOB_KIND
from core.sweep.spec import Axis
from core.sweep.summary import AT, SweepSummary
from ui.state import GLOBAL_PARAMS, Notice, display_name, parse_choice, parse_int, parse_token
from ui.text import page_text

t = page_text("sweep")

PAGE = "sweep"
PARAMS = ("sweep", "at", "band", "point")
BANDS = ("std", "range")
NO_POINT = -1                    # the point picker's "none"
LOG_FIELDS = ("weight_decay", "lr")   # drawn on a log axis (λ = 0 at the left, off the scale)
COUNT_LOG_FIELDS = ("n_train", "hidden_width")  # on a log axis when they span a decade or more (100 ... 3000)
NO_FIELD = ""                    # the second field's "none"
FORM_SLOTS = ("base", "epochs", "field1", "grid1", "field2", "grid2", "seeds", "n_val", "vary")
DEFAULT_GRIDS = {"weight_decay": "0,1e-4..1x9log", "dropout": "0,0.1,0.2,0.3", "lr": "1e-3..1e-1x5log",
                 "n_train": "100,200,300,600", "hidden_width": "10,50,100", "hidden_depth": "1,2,4,6"}


def base_presets() -> tuple[str, ...]:
    """Presets with one config: a sweep starts from one (``overfit`` first: the book's 300-image setup)."""
    names = [name for name, preset in PRESETS.items() if len(preset.configs) == 1]
    return tuple(sorted(names, key=lambda n: (n != "overfit", n)))


# ---- URL state -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SweepQuery:
    sweep: Optional[str]
    at: str = AT[0]
    band: str = BANDS[0]
    point: int = NO_POINT


def parse_query(raw: Mapping[str, Any], *, sweep_ids: Sequence[str],
                n_points_of: Any) -> tuple[SweepQuery, list[Notice]]:
    """The page's view from the raw query (name -> list of strings); every dropped parameter gives a ``Notice``.

    ``sweep_ids`` are the stored sweeps, newest first (the first is the default); ``n_points_of(sweep_id)`` gives a
    sweep's number of points, the range ``point`` must be in.
    """
    notices = [Notice(display_name(name), "unknown_param") for name in raw if name not in (*PARAMS, *GLOBAL_PARAMS)]
    sweep, found = parse_token("sweep", raw.get("sweep"), sweep_ids)
    notices += found
    sweep = sweep or (sweep_ids[0] if sweep_ids else None)
    at, found = parse_choice("at", raw.get("at"), AT)
    notices += found
    band, found = parse_choice("band", raw.get("band"), BANDS)
    notices += found
    point = None
    if sweep is not None:
        point, found = parse_int("point", raw.get("point"), 0, max(int(n_points_of(sweep)) - 1, 0))
        notices += found
    elif raw.get("point"):
        notices.append(Notice("point", "no_sweep"))
    return SweepQuery(sweep, at or AT[0], band or BANDS[0], NO_POINT if point is None else point), notices


def to_query(view: SweepQuery) -> dict[str, Any]:
    """The URL parameters of a view (defaults left out, so a plain URL stays short)."""
    query: dict[str, Any] = {}
    if view.sweep:
        query["sweep"] = view.sweep
    if view.at != AT[0]:
        query["at"] = view.at
    if view.band != BANDS[0]:
        query["band"] = view.band
    if view.sweep and view.point != NO_POINT:
        query["point"] = str(view.point)
    return query


def notice_text(notice: Notice) -> str:
    return t("url.ignored", param=notice.param, reason=t(f"url.reason.{notice.reason}", **notice.fmt))


# ---- the launch form -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FormResult:
    """The launch form read: ``spec`` when it is valid, else ``errors`` by form slot (``FORM_SLOTS``)."""

    spec: Optional[SweepSpec]
    errors: Mapping[str, str]


def _slot(error_field: str, fields: Sequence[str]) -> str:
    """The form slot beside which a SweepError / ConfigError about ``error_field`` is shown."""
    if error_field in fields:
        return f"grid{fields.index(error_field) + 1}"
    if error_field in ("seeds", "first_seed"):
        return "seeds"
    if error_field == "n_val":
        return "n_val"
    if error_field == "n_epochs":
        return "epochs"
    return "vary"


def build_form_spec(*, base: str, n_epochs: Any, field1: str, grid1: Any, field2: str = NO_FIELD, grid2: Any = "",
                    seeds: Any = 3, n_val: Any = 100) -> FormResult:
    """Check the form's values and build the sweep, collecting one message per slot (each grid checked alone).

    Nothing is trained or written here; the spec is what ``services.launch_sweep`` would launch.
    """
    errors: dict[str, str] = {}
    preset = PRESETS.get(base)
    if preset is None or len(preset.configs) != 1:
        return FormResult(None, {"base": t("form.error.base", options=", ".join(base_presets()))})
    config: Optional[RunConfig] = preset.configs[0]
    overrides = {"n_epochs": n_epochs, "n_val": n_val}
    for name, value in overrides.items():
        try:
            config = config_with(config, {name: value})
        except ConfigError as exc:
            errors[_slot(name, ())] = str(exc)
    fields = [f for f in (field1, field2) if f]
    grids = {}
    for index, (name, text) in enumerate(((field1, grid1), (field2, grid2)), start=1):
        if not name:
            continue
        if name not in SWEEP_FIELDS:
            errors[f"field{index}"] = t("form.error.field", options=", ".join(SWEEP_FIELDS))
            continue
        try:
            grids[name] = (parse_grid(name, text), str(text).strip())
        except SweepError as exc:
            errors[f"grid{index}"] = str(exc)
    if len(fields) == 2 and fields[0] == fields[1]:
        errors["field2"] = t("form.error.same_field")
    if not fields:
        errors["field1"] = t("form.error.field", options=", ".join(SWEEP_FIELDS))
    if errors:
        return FormResult(None, errors)
    try:
        spec = SweepSpec(config, tuple(Axis(name, values) for name, (values, _) in grids.items()), seeds=seeds,
                         grids=tuple(text for _, text in grids.values()))
    except (SweepError, ConfigError) as exc:
        return FormResult(None, {_slot(getattr(exc, "field", ""), fields): str(exc)})
    return FormResult(spec, {})


def launch_message(launch: Any) -> tuple[str, str]:
    """(kind, text) of what a launch did: a new job, the running job followed, or everything already computed."""
    if launch.job_id is None:
        key = "launch.cached_new" if launch.new else "launch.cached"
        return "success", t(key, sweep_id=launch.sweep_id, n_runs=launch.n_runs)
    key = "launch.started" if launch.new else "launch.reopened"
    return "success", t(key, sweep_id=launch.sweep_id, job_id=launch.job_id, n_todo=launch.n_todo,
                        n_cached=launch.n_cached)


# ---- labels and captions ---------------------------------------------------------------------------------------------
def field_label(field: str) -> str:
    return t(f"field.{field}")


SYMBOLS = {"weight_decay": "λ", "dropout": "p", "lr": "lr", "n_train": "n_train", "hidden_width": "hidden_width",
           "hidden_depth": "hidden_depth"}   # notation, the same in every language


def symbol(field: str) -> str:
    return SYMBOLS[field]


def point_label(values: Mapping[str, Any]) -> str:
    """``λ = 0.01 · p = 0.2``: a point by its swept values."""
    return " · ".join(f"{symbol(f)} = {format_value(f, v)}" for f, v in values.items())


def sweep_title(fields: Sequence[str], n_points: int, seeds: int) -> str:
    """``weight decay λ × dropout ratio · 16 points × 2 seeds``: a sweep in the page's language."""
    return t("sweep_title", fields=" × ".join(field_label(f) for f in fields), n_points=int(n_points),
             seeds=int(seeds))


def point_options(points: pd.DataFrame, fields: Sequence[str]) -> dict[int, str]:
    """The point picker's options: point index -> label (and ``NO_POINT`` -> "none")."""
    options = {NO_POINT: t("point.none")}
    for row in points.itertuples():
        options[int(row.point)] = point_label({f: getattr(row, f) for f in fields})
    return options


def active_sweep_job(jobs: Sequence[JobState], sweep_id: str) -> Optional[JobState]:
    """The running job training ``sweep_id``'s runs, if any."""
    return next((j for j in jobs if j.kind == JOB_KIND and j.sweep_id == sweep_id and j.active), None)


def _acc(value: float) -> str:
    return "–" if value is None or not math.isfinite(float(value)) else f"{float(value):.3f}"


def band_text(band: str) -> str:
    return t(f"band.{band}")


def chosen_caption(summary: SweepSummary, fields: Sequence[str]) -> str:
    """The point chosen on validation and its test accuracy and gap (the only place the test score is stated)."""
    chosen = summary.chosen
    if chosen is None:
        return t("caption.no_chosen")
    values = {f: chosen[f] for f in fields}
    return t("caption.chosen", point=point_label(values), val=_acc(chosen["val_acc_mean"]),
             test=_acc(chosen["test_acc_mean"]), test_std=_acc(chosen["test_acc_std"]),
             gap=_acc(chosen["gap_mean"]), n=int(chosen["n"]), at=t(f"at.{summary.at}"))


def curve_caption(summary: SweepSummary, fields: Sequence[str], band: str) -> str:
    """The 1-D figure's caption: the range measured, the band used, and the chosen point's numbers."""
    points = summary.points
    counted = points[points["n"] > 0]
    if counted.empty:
        return t("caption.no_runs")
    first, last = counted.iloc[0], counted.iloc[-1]
    span = t("caption.span", field=field_label(fields[0]), low=point_label({fields[0]: first[fields[0]]}),
             high=point_label({fields[0]: last[fields[0]]}), val_low=_acc(first["val_acc_mean"]),
             val_high=_acc(last["val_acc_mean"]), gap_low=_acc(first["gap_mean"]), gap_high=_acc(last["gap_mean"]))
    return " ".join([span, t("caption.band", band=band_text(band)), chosen_caption(summary, fields)])


def paired_caption(summary: SweepSummary, fields: Sequence[str]) -> str:
    """The paired figure's caption: the baseline, and the chosen point's difference to it with its interval."""
    baseline = point_label(summary.baseline)
    chosen = summary.chosen
    paired = summary.paired
    if paired.empty:
        return t("caption.paired_empty", baseline=baseline)
    text = t("caption.paired", baseline=baseline)
    if chosen is not None and int(chosen["point"]) in set(paired["point"]):
        row = paired[paired["point"] == int(chosen["point"])].iloc[0]
        text += " " + t("caption.paired_chosen", point=point_label({f: chosen[f] for f in fields}),
                        diff=f"{row['diff_mean']:+.3f}", low=f"{row['ci_low']:+.3f}", high=f"{row['ci_high']:+.3f}",
                        n=int(row["n_pairs"]))
    return text


def progress_caption(n_stored: int, n_runs: int) -> str:
    return t("status.stored", n=n_stored, total=n_runs)
