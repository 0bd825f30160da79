"""The Search page's pure logic: its URL state, the launch form's spec, scatter selections, comparison tables.

DataFrames and dataclasses in, out; no streamlit here, so everything is unit-tested without a browser. The widgets
that use it, and the page's session state, are in ``ui/search_page.py``.

URL parameters of the page (``pages/search.py``)::

    search=<search id>                          the search shown (default: the newest)
    lr_lo=..&lr_hi=..&wd_lo=..&wd_hi=..         a selected box on the scatter (positive numbers, lo < hi)
    sel=<run id>,<run id>                       trials picked one by one (lasso or click)
    n=5|10|20                                   Best-N
    cmp=<search id>,<search id>                 the searches of the best-so-far comparison
    x=trials|epochs                             ... drawn against trials or against compute (trial-epochs)
"""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Collection, Iterable, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from core.config import RunConfig
from core.search import BOOK_BASE, Param, SearchSpace, SearchSpec, trial_epochs
from core.search.summary import X_AXES, strategy_label
from ui.labels import strategy_text, trial_status
from ui.state import (GLOBAL_PARAMS, ID_PATTERN, TOKEN_PATTERN, Notice, display_name, parse_choice, parse_ids,
                      parse_token, split_values)
from core.job_state import JobState
from ui.text import page_text

t = page_text("search")

PAGE = "search"
BOX_PARAMS = ("lr_lo", "lr_hi", "wd_lo", "wd_hi")
PARAMS = ("search", *BOX_PARAMS, "sel", "n", "cmp", "x")
BEST_N = ("5", "10", "20")
LR_EXPONENTS = tuple(range(-8, 1))      # the slider's ends, 1e-8 .. 1
WD_EXPONENTS = tuple(range(-10, 0))     # 1e-10 .. 0.1
BOOK_LR, BOOK_WD = (-6, -2), (-8, -4)   # the book's ranges (section 6.5)
MAX_TRIALS = 1000
MAX_ROUNDS = 10
MAX_COMPARE = 12                        # searches in one best-so-far chart
MAX_SELECTED_CURVES = 20                # small multiples under the scatter: the best of a larger selection
# A positive decimal number, as a person or the page writes it: no sign, no "inf"/"nan", no hex, no words.
_NUMBER = re.compile(r"(?:[0-9]{1,20}(?:\.[0-9]{0,20})?|\.[0-9]{1,20})(?:[eE][-+]?[0-9]{1,3})?")
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
TABLE_COLUMNS = ("trial", "round", "status", "lr", "weight_decay", "value", "final_train_acc", "stopped_epoch",
                 "final_test_acc", "seed", "cached", "run_id")
FORMATS = {"lr": "%.2e", "weight_decay": "%.2e", "value": "%.3f", "final_train_acc": "%.3f", "final_test_acc": "%.3f",
           "best": "%.3f"}


# ---- selections ------------------------------------------------------------------------------------------------------
def _short(value: float) -> float:
    """``value`` to 4 significant digits: what the URL carries, so a fresh page selects exactly the same trials."""
    return float(f"{value:.4g}")


@dataclass(frozen=True)
class LrWdBox:
    """A rectangle on the scatter: (low, high) of lr and of weight decay, in parameter values."""

    lr: tuple[float, float]
    weight_decay: tuple[float, float]

    @classmethod
    def from_corners(cls, xs: Sequence[float], ys: Sequence[float]) -> "LrWdBox":
        """A box from two corners in any order (a drag may go any way), rounded as the URL keeps it."""
        return cls((_short(min(xs)), _short(max(xs))), (_short(min(ys)), _short(max(ys))))

    def contains(self, trials: pd.DataFrame) -> np.ndarray:
        """Which rows of ``trials`` lie inside (edges included, to a relative 1e-9), (n,) bool."""
        inside = np.ones(len(trials), dtype=bool)
        for column, (low, high) in (("lr", self.lr), ("weight_decay", self.weight_decay)):
            values = trials[column].to_numpy(float)
            inside &= (values >= low * (1 - 1e-9)) & (values <= high * (1 + 1e-9))
        return inside

    def to_query(self) -> dict[str, str]:
        return dict(zip(BOX_PARAMS, (f"{v:.4g}" for v in (*self.lr, *self.weight_decay))))


@dataclass(frozen=True)
class Selection:
    """What is selected on the scatter: a box (its trials), and/or trials picked one by one (by run id)."""

    box: Optional[LrWdBox] = None
    run_ids: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.box is not None or bool(self.run_ids)


def run_ids_of_points(points: Iterable[Mapping[str, Any]]) -> list[str]:
    """Run ids of selected scatter points (their ``customdata``), in order, without repeats or anything else."""
    found = []
    for point in points:
        custom = point.get("customdata")
        for value in custom if isinstance(custom, (list, tuple)) else [custom]:
            if isinstance(value, str) and ID_PATTERN.fullmatch(value):
                found.append(value)
    return list(dict.fromkeys(found))


def box_from_event(entry: Mapping[str, Any]) -> Optional[LrWdBox]:
    """The box of one ``selection["box"]`` entry of ``st.plotly_chart``: ``{"x": [x0, x1], "y": [y0, y1]}``.

    Streamlit reports a box drawn on log axes in data values (checked in Chromium); values <= 0 cannot be that, so
    they are read as plotly's log10 axis coordinates instead. Anything else gives None.
    """
    corners = []
    for values in (entry.get("x"), entry.get("y")):
        if not (isinstance(values, (list, tuple)) and len(values) == 2 and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values)):
            return None
        if min(values) <= 0:
            if max(abs(v) for v in values) > 300:
                return None
            values = [10.0 ** v for v in values]
        corners.append(values)
    box = LrWdBox.from_corners(*corners)
    return box if box.lr[0] < box.lr[1] and box.weight_decay[0] < box.weight_decay[1] else None


def selection_from_event(selection: Mapping[str, Any]) -> Selection:
    """The page's selection from a plotly selection event: the last box drawn, else the points picked."""
    for entry in reversed(list(selection.get("box") or [])):
        box = box_from_event(entry)
        if box is not None:
            return Selection(box=box)
    return Selection(run_ids=tuple(run_ids_of_points(selection.get("points") or [])))


def selected_trials(selection: Selection, trials: pd.DataFrame) -> pd.DataFrame:
    """The trial rows (one per run) inside the box or picked by id, best value first."""
    if trials.empty or not selection:
        return trials.iloc[:0]
    mask = selection.box.contains(trials) if selection.box else np.zeros(len(trials), dtype=bool)
    mask |= trials["run_id"].isin(selection.run_ids).to_numpy()
    return trials[mask].sort_values("value", ascending=False, kind="stable", na_position="last")


def finer_round_box(box: LrWdBox, space: SearchSpace) -> Optional[dict[str, tuple[float, float]]]:
    """The box clipped to the search's lr and weight-decay ranges, for a finer round; None if nothing is left."""
    clipped = {}
    for name, (low, high) in (("lr", box.lr), ("weight_decay", box.weight_decay)):
        param = next((p for p in space.params if p.name == name and p.scale != "choice"), None)
        if param is None or not max(low, param.low) < min(high, param.high):
            return None
        clipped[name] = (max(low, param.low), min(high, param.high))
    return clipped


def finer_round_spec(parent: SearchSpec, box: LrWdBox, parent_round: int, n_trials: int) -> SearchSpec:
    """A coarse-to-fine search of one round inside ``box``, with the parent's space, base config and seeds."""
    clipped = finer_round_box(box, parent.space)
    if clipped is None:
        raise ValueError(t("finer.outside"))
    return SearchSpec(strategy="coarse-to-fine", space=parent.space, base=parent.base, n_trials=int(n_trials),
                      rounds=1, seeds=parent.seeds, seed=parent.seed, repeat=parent.repeat,
                      early_stop=parent.early_stop, min_epochs=parent.min_epochs, eta=parent.eta,
                      rung_metric=parent.rung_metric, box=clipped,
                      parent=f"{parent.search_id}/{parent_round}")


def parent_round(chosen: pd.DataFrame, trials: pd.DataFrame) -> int:
    """The round a finer round refines: the latest round among the selected trials (else the search's last)."""
    rounds = chosen["round"] if len(chosen) else trials["round"] if len(trials) else pd.Series([0])
    return int(rounds.max())


# ---- URL state -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchQuery:
    """The page's view state, as parsed from the URL."""

    search: Optional[str]
    selection: Selection = Selection()
    n: str = BEST_N[0]
    compare: tuple[str, ...] = ()
    x: str = X_AXES[0]


def parse_number(name: str, raw: str | Sequence[str] | None) -> tuple[Optional[float], list[Notice]]:
    """A positive finite number written in plain decimal or scientific notation, or None with a notice."""
    values = [raw] if isinstance(raw, str) else list(raw or [])
    value = str(values[-1]).strip() if values else ""
    if not value:
        return None, []
    number = float(value) if len(value) <= 48 and _NUMBER.fullmatch(value) else float("nan")
    if not (math.isfinite(number) and number > 0):
        return None, [Notice(name, "not_number")]
    return number, []


def parse_box(raw: Mapping[str, Any]) -> tuple[Optional[LrWdBox], list[Notice]]:
    """The box of ``lr_lo, lr_hi, wd_lo, wd_hi``: all four valid with lo < hi, or None with notices."""
    given = [name for name in BOX_PARAMS if split_values(raw.get(name))]
    if not given:
        return None, []
    numbers, notices = {}, []
    for name in given:
        numbers[name], found = parse_number(name, raw.get(name))
        notices += found
    if notices:
        return None, notices
    if len(given) < 4 or not (numbers["lr_lo"] < numbers["lr_hi"] and numbers["wd_lo"] < numbers["wd_hi"]):
        return None, [Notice(",".join(BOX_PARAMS), "bad_box")]
    return LrWdBox.from_corners((numbers["lr_lo"], numbers["lr_hi"]), (numbers["wd_lo"], numbers["wd_hi"])), []


def parse_search_ids(name: str, raw: str | Sequence[str] | None,
                     known: Collection[str]) -> tuple[list[str], list[Notice]]:
    """Known search ids among ``raw`` (at most ``MAX_COMPARE``), in order; the rest dropped with a notice."""
    values = split_values(raw)
    notices = []
    if any(not TOKEN_PATTERN.fullmatch(v) for v in values):
        notices.append(Notice(name, "bad_id"))
    unknown = [v for v in values if TOKEN_PATTERN.fullmatch(v) and v not in known]
    if unknown:
        notices.append(Notice(name, "unknown_id", {"n": len(unknown)}))
    ids = [v for v in values if TOKEN_PATTERN.fullmatch(v) and v in known]
    if len(ids) > MAX_COMPARE:
        notices.append(Notice(name, "too_many", {"n": MAX_COMPARE}))
    return ids[:MAX_COMPARE], notices


def parse_query(raw: Mapping[str, str | Sequence[str]], *, search_ids: Sequence[str],
                run_ids_of: Callable[[str], Collection[str]]) -> tuple[SearchQuery, list[Notice]]:
    """The page's view from the raw query; every dropped parameter gives a ``Notice``.

    ``search_ids`` are the searches that exist, newest first (the first is the default); ``run_ids_of(search_id)``
    gives the runs of a search, the only ids ``sel`` may name.
    """
    notices = [Notice(display_name(name), "unknown_param") for name in raw if name not in (*PARAMS, *GLOBAL_PARAMS)]
    search, found = parse_token("search", raw.get("search"), search_ids)
    notices += found
    search = search or (search_ids[0] if search_ids else None)
    box, found = parse_box(raw)
    notices += found
    run_ids, found = parse_ids("sel", raw.get("sel"), run_ids_of(search) if search else ())
    notices += found
    n, found = parse_choice("n", raw.get("n"), BEST_N)
    notices += found
    compare, found = parse_search_ids("cmp", raw.get("cmp"), search_ids)
    notices += found
    x, found = parse_choice("x", raw.get("x"), X_AXES)
    notices += found
    return SearchQuery(search, Selection(box, tuple(run_ids)), n or BEST_N[0], tuple(compare), x or X_AXES[0]), notices


def to_query(search: Optional[str], selection: Selection, n: str, compare: Sequence[str],
             x: str = X_AXES[0]) -> dict[str, Any]:
    """The values ``ui.state.write_view`` puts in the URL (it leaves out empty ones, and ``x`` at its default)."""
    box = selection.box.to_query() if selection.box else {}
    return {"search": search, **box, "sel": list(selection.run_ids), "n": n, "cmp": list(compare),
            "x": None if x == X_AXES[0] else x}


def notice_text(notice: Notice) -> str:
    """A notice in words: this page's own reasons, else the shared ones."""
    return t("url.ignored", param=notice.param, reason=t(f"url.reason.{notice.reason}", **notice.fmt))


# ---- the launch form -------------------------------------------------------------------------------------------------
def exponent_label(exponent: int) -> str:
    """``-6`` -> ``10⁻⁶``: a slider stop over powers of ten."""
    return "10" + str(int(exponent)).translate(_SUPERSCRIPT)


def build_spec(*, strategy: str, lr_exponents: Sequence[int], wd_exponents: Sequence[int], n_trials: int,
               n_epochs: int, seeds: int = 1, rounds: int = 1, early_stop: bool = False,
               rung_metric: str = "val_loss", min_epochs: Optional[int] = None, repeat: int = 0,
               base: RunConfig = BOOK_BASE) -> SearchSpec:
    """The spec of the launch form: lr and weight decay log-uniform between powers of ten, around ``base``.

    ``rounds`` counts only for coarse-to-fine. The first rung of early stopping is ``min_epochs``, by default
    (None) 5 epochs, or a third of shorter trials. Raises ValueError (ConfigError) with the field's message when a
    value is out of range.
    """
    for name, (low, high) in (("lr", lr_exponents), ("weight decay", wd_exponents)):
        if not low < high:
            raise ValueError(t("launch.same_range", name=name))
    space = SearchSpace((Param("lr", 10.0 ** lr_exponents[0], 10.0 ** lr_exponents[1], "log"),
                         Param("weight_decay", 10.0 ** wd_exponents[0], 10.0 ** wd_exponents[1], "log")))
    return SearchSpec(strategy=strategy, space=space, base=dataclasses.replace(base, n_epochs=int(n_epochs)),
                      n_trials=int(n_trials), rounds=int(rounds) if strategy == "coarse-to-fine" else 1,
                      seeds=int(seeds), repeat=int(repeat), early_stop=bool(early_stop),
                      rung_metric=rung_metric,
                      min_epochs=auto_min_epochs(int(n_epochs)) if min_epochs is None else int(min_epochs))


def auto_min_epochs(n_epochs: int) -> int:
    """The form's first rung when none is given: 5 epochs, or a third of trials shorter than 15 epochs."""
    return min(5, max(1, n_epochs // 3))


def active_search_job(jobs: Sequence[JobState], search_id: str) -> Optional[JobState]:
    """The running (or cancelling) job of ``search_id``, if any."""
    return next((j for j in jobs if j.kind == "search" and j.search_id == search_id and j.active), None)


# ---- comparison and tables -------------------------------------------------------------------------------------------
def comparison_frame(views: Sequence[Any]) -> pd.DataFrame:
    """The trials of several searches (``core.search.SearchView``) in one frame, labelled by strategy."""
    frames = [v.trials.assign(strategy=strategy_text(strategy_label(v.spec))) for v in views if len(v.trials)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def budget_table(views: Sequence[Any]) -> pd.DataFrame:
    """One row per search: strategy, trials done, epochs per trial, trial-epochs used, best value."""
    rows = []
    for v in views:
        values = v.trials.groupby("trial")["value"].mean() if len(v.trials) else pd.Series(dtype=float)
        rows.append({"search_id": v.spec.search_id, "strategy": strategy_text(strategy_label(v.spec)),
                     "n_done": int(v.trials["trial"].nunique()) if len(v.trials) else 0,
                     "n_epochs": v.spec.n_epochs, "trial_epochs": trial_epochs(v.trials),
                     "best": float(values.max()) if values.notna().any() else float("nan")})
    return pd.DataFrame(rows, columns=["search_id", "strategy", "n_done", "n_epochs", "trial_epochs", "best"])


def trials_table(trials: pd.DataFrame) -> pd.DataFrame:
    """The trials table: one row per run, best value first, the columns a reader needs."""
    columns = [c for c in TABLE_COLUMNS if c in trials.columns]
    table = trials.sort_values("value", ascending=False, kind="stable", na_position="last")[columns] \
        .reset_index(drop=True)
    return table.assign(status=table["status"].map(trial_status)) if "status" in table.columns else table


def option_label(frame: pd.DataFrame, search_id: str) -> str:
    """A search in a selectbox: its id and strategy (no progress: a browser keeps an option's first label)."""
    column = next((c for c in ("strategy_label", "strategy") if c in frame.columns), None)
    return t("option", search_id=search_id,
             strategy="?" if column is None else strategy_text(frame[column].get(search_id, "?")))


def status_line(frame: pd.DataFrame, search_id: str) -> str:
    """A search's progress and best value (``list_searches`` indexed by id), for the line under the selectbox."""
    row = frame.loc[search_id] if search_id in frame.index else {}
    best = row.get("best_val_acc", float("nan"))
    return t("status", n_done=row.get("n_done", "?"), n_trials=row.get("n_trials", "?"),
             n_epochs=row.get("epochs", "?"), best=f"{best:.3f}" if isinstance(best, float) and best == best else "—")
