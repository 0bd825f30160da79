"""Pure text for the pages: escaped values, job progress lines, run labels, picked points, the Results columns.

Config labels are drawn in the reader's language: ``core`` writes ``RunConfig.label()`` in English (the store's
``label`` column, the CLI), and ``config_label`` / ``localized_runs`` say the same in the session's language.

No streamlit and no plotly here: everything is unit-tested on plain dicts and DataFrames.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from core import config as cfg
from ui import text as ui_text
from core.compare import differing_fields, regularizer_effect, unique_labels
from core.job_state import ACTIVE_STATES, FINISHED_STATES, SUBJECT_KINDS, JobState, RunProgress
from core.search.spec import STRATEGIES
from ui.state import ID_PATTERN
from ui.text import page_text, t

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~$])")

RESULT_COLUMNS = ("label", "final_val_acc", "best_val_acc", "final_test_acc", "final_gap", "final_train_acc",
                  "member", "seed", "status", "dataset", "n_train", "n_val", "architecture", "weight_decay", "dropout",
                  "optimizer", "lr", "n_epochs", "stopped_epoch", "best_test_acc", "created_at", "duration_s", "run_id",
                  "group_id",
                  *(f for f in cfg.FIELD_TYPES if f not in ("seed", "dataset", "n_train", "n_val", "weight_decay",
                                                            "dropout", "optimizer", "lr", "n_epochs")))
SORTABLE = ("created_at", "final_val_acc", "best_val_acc", "final_test_acc", "final_train_acc", "final_gap",
            "duration_s", "label",
            "weight_decay", "dropout", "lr", "n_train", "status")


def plain(text: object) -> str:
    """``text`` with markdown's special characters escaped: for values shown through st.markdown/info/error."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


# ---- jobs -----------------------------------------------------------------------------------------------------------
def jobs_signature(jobs: Iterable[JobState]) -> tuple:
    """What, when it changes, needs the whole page redrawn: a job started or ended, a run finished."""
    return tuple((j.id, j.state, j.n_done) for j in jobs if j.active)


def format_acc(value: Any) -> str:
    """An accuracy with three decimals, or a dash when there is none yet."""
    return f"{value:.3f}" if isinstance(value, (int, float)) else "—"


def count(value: Any) -> int:
    """A count from a job file (written by our code, but read defensively: a bad value counts as 0)."""
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def job_title(job: JobState) -> str:
    """What the job is, in the reader's language, from its ``subject`` (``core.job_state.SUBJECT_KINDS``); a job
    file without one (written before it existed) or with one this version cannot word keeps its stored name."""
    subject = job.subject
    kind = subject.get("kind", "")
    wanted = SUBJECT_KINDS.get(kind)
    if wanted is None or not all(subject.get(p) for p in wanted):
        return job.name
    values = {p: subject[p] for p in wanted}
    if kind == "preset":
        if f"preset.{values['preset']}.title" not in ui_text.EN["common"]:
            return job.name
        values["preset"] = preset_title(values["preset"])
    elif kind == "lesson":
        if f"lesson_{values['lesson']}" not in ui_text.EN:
            return job.name
        values["lesson"] = page_text(f"lesson_{values['lesson']}")("title")
    elif kind == "config":
        values["label"] = localized_label(values["label"])
    return t(f"jobs.name.{kind}", **values)


def job_state_text(state: str) -> str:
    """A job's state (``core.job_state``: running, done …) in the reader's language; an unknown one as it is."""
    return t(f"jobs.state.{state}") if state in (*ACTIVE_STATES, *FINISHED_STATES) else state


def job_progress(job: JobState) -> tuple[float, str]:
    """The job's progress bar: (fraction, text). A search counts trials; a job yet to queue its runs is starting."""
    name, state = plain(job_title(job)), job_state_text(job.state)
    finished = ".done" if job.state == "done" else ""  # "4 of 4 runs done" says it: no "— done" after it
    if job.kind == "search" and job.n_trials:
        total, done = count(job.n_trials), count(job.n_trials_done)
        return (done / total if total else 0.0), t(f"jobs.progress.search{finished}", name=name, done=done,
                                                   total=total, state=state)
    total, done = count(job.n_total), count(job.n_done)
    if total == 0 and job.state == "running":  # the driver has not queued its runs yet (about a second)
        return 0.0, t("jobs.starting", name=name)
    return (done / total if total else 0.0), t(f"jobs.progress{finished}", name=name, done=done, total=total,
                                               cached=job.n_cached, failed=job.n_failed, state=state)


def run_progress(run: RunProgress) -> tuple[float, str]:
    """One running run of a job: (fraction of its epochs, text; the run's label in the reader's language)."""
    n_epochs = run.n_epochs or 1
    epoch = run.epoch
    return min(epoch / n_epochs, 1.0), t("jobs.run_line", label=plain(localized_label(run.label)), epoch=epoch,
                                         n_epochs=n_epochs,
                                         train_acc=format_acc(run.metric("train_acc")),
                                         test_acc=format_acc(run.metric("test_acc")),
                                         state=job_state_text("running"))


# ---- runs -----------------------------------------------------------------------------------------------------------
_DEFAULT = cfg.RunConfig()
_label_memo: dict[tuple[str, str], str] = {}  # (language, group_id) -> label: a group's label is a function of its id


def config_label(config: cfg.RunConfig | Mapping[str, Any], *, with_seed: bool = False) -> str:
    """``RunConfig.label()`` in the session's language, from a config or its fields (``to_dict()``, a runs row).

    English is word for word ``config.label()`` (legends and tests rely on it); the words come from the catalogue's
    ``label.*`` keys, while names and values (``6×100``, ``sgd lr=0.01``, ``tanh``, ``digits``) stay as they are.
    """
    fields = config.to_dict() if isinstance(config, cfg.RunConfig) else config

    def get(name: str) -> Any:
        value = fields.get(name)
        return getattr(_DEFAULT, name) if value is None else value

    parts: list[str] = []
    if get("weight_decay"):
        part = t("label.wd", value=f"{get('weight_decay'):g}")
        parts.append(t("label.decoupled", text=part) if get("weight_decay_mode") == "decoupled" else part)
    if get("dropout"):
        part = t("label.dropout", value=f"{get('dropout'):g}")
        parts.append(t("label.inverted", text=part) if get("dropout_mode") == "inverted" else part)
    if not parts:
        parts.append(t("label.no_reg"))
    if bool(get("batch_norm")):
        parts.append(t("label.batch_norm"))
    arch = fields.get("architecture") or _architecture(get("hidden_sizes"))
    if get("activation") != "relu":
        arch += f" {get('activation')}"
    if get("init") != _DEFAULT.init:
        arch += f" {get('init')}" + (f"={get('init_std'):g}" if get("init") == "std" else "")
    parts.append(arch)
    parts.append(f"{get('optimizer')} lr={get('lr'):g}")
    if get("dataset") != _DEFAULT.dataset:
        parts.append(str(get("dataset")))
    if int(get("n_train")) != _DEFAULT.n_train:
        parts.append(t("label.n", n=int(get("n_train"))))
    if with_seed:
        parts.append(t("label.seed", seed=int(get("seed"))))
    return " · ".join(parts)


_REGULARIZER_PART = re.compile(r"(wd|dropout)=(\S+)(?: \((decoupled|inverted)\))?")
_COUNT_PART = re.compile(r"(n|seed)=(\d+)")


def localized_label(english: str) -> str:
    """A label written by ``RunConfig.label()`` (a job's progress file holds only that text and the run id, and the
    run is not in the store until it ends) in the reader's language: its worded parts through the same catalogue
    keys as ``config_label``, names and values (``6×100``, ``sgd lr=0.01``, ``digits``) as they are. English, or
    text that is not such a label, comes back unchanged."""
    if ui_text.language() == ui_text.DEFAULT_LANG:
        return english

    def part(text: str) -> str:
        if text == "no reg.":
            return t("label.no_reg")
        if text == "batchnorm":
            return t("label.batch_norm")
        if m := _REGULARIZER_PART.fullmatch(text):
            kind, value, mode = m.groups()
            worded = t(f"label.{'wd' if kind == 'wd' else 'dropout'}", value=value)
            return t(f"label.{mode}", text=worded) if mode else worded
        if m := _COUNT_PART.fullmatch(text):
            return t("label.n", n=int(m[2])) if m[1] == "n" else t("label.seed", seed=int(m[2]))
        return text

    return " · ".join(part(p) for p in english.split(" · "))


def preset_title(name: str) -> str:
    """A preset's title in the reader's language (English: ``core.presets`` word for word)."""
    return t(f"preset.{name}.title")


def preset_description(name: str) -> str:
    """A preset's one-line description in the reader's language."""
    return t(f"preset.{name}.description")


_TRIAL_STATUSES = ("complete", "pruned", "diverged", "failed")
_EARLY_STOP, _ON_ACCURACY = " + early stopping", " (rungs on accuracy)"  # core.search.strategy_label's words


def trial_status(status: Any) -> str:
    """A search trial's status in the reader's language (an unknown one as it is)."""
    return t(f"trial_status.{status}") if status in _TRIAL_STATUSES else str(status)


def status_counts_text(summary: Any) -> str:
    """``core.compare``'s status counts ("2 complete, 1 diverged") in the reader's language; English as it is."""
    summary = str(summary)
    if ui_text.language() == ui_text.DEFAULT_LANG:
        return summary
    parts = []
    for part in summary.split(", "):
        count, _, status = part.partition(" ")
        parts.append(t("trial_status.count", n=count, status=trial_status(status))
                     if count.isdigit() and status in _TRIAL_STATUSES else part)
    return ", ".join(parts)


def strategy_text(label: str) -> str:
    """``core.search.strategy_label`` ("random + early stopping (rungs on accuracy)") in the reader's language.

    Read back from core's label, as the searches listing stores it; English is returned as it is.
    """
    label = str(label)
    if ui_text.language() == ui_text.DEFAULT_LANG:
        return label
    on_accuracy = label.endswith(_ON_ACCURACY)
    label = label.removesuffix(_ON_ACCURACY)
    early = label.endswith(_EARLY_STOP)
    base = label.removesuffix(_EARLY_STOP)
    text = t(f"strategy.{base}") if base in STRATEGIES else base
    text = t("strategy.early_stop", strategy=text) if early else text
    return t("strategy.on_accuracy", strategy=text) if on_accuracy else text


def _architecture(hidden_sizes: Any) -> str:
    """``RunConfig.architecture`` from ``hidden_sizes`` as a sequence or as the runs table's ``"100,100"``."""
    sizes = [int(s) for s in str(hidden_sizes).split(",")] if isinstance(hidden_sizes, str) else list(hidden_sizes)
    return f"{len(sizes)}×{sizes[0]}" if len(set(sizes)) == 1 else "-".join(map(str, sizes))


def localized_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs table with its ``label`` column in the session's language (in English: ``runs`` itself, untouched)."""
    lang = ui_text.language()
    if lang == ui_text.DEFAULT_LANG or runs.empty or not {"label", "group_id"} <= set(runs.columns):
        return runs
    groups = runs["group_id"].astype(str)
    missing = ~groups.map(lambda g: (lang, g) in _label_memo).to_numpy(bool)
    for group_id, row in zip(groups[missing], runs[missing].to_dict("records")):
        _label_memo[(lang, group_id)] = config_label(row)
    return runs.assign(label=[_label_memo[(lang, g)] for g in groups])


def run_labels(runs: pd.DataFrame) -> dict[str, str]:
    """run_id -> a unique readable label ``<config label> · seed=N`` (newest runs first)."""
    if runs.empty:
        return {}
    newest = runs.iloc[::-1].drop_duplicates("run_id")
    labels = [f"{label} · {t('label.seed', seed=int(seed))}" for label, seed in zip(newest["label"], newest["seed"])]
    return unique_labels(pd.Series(labels, index=newest["run_id"], dtype=str)).to_dict()


# ---- labels that name only what differs -----------------------------------------------------------------------------
REGULARIZERS = ("weight_decay", "dropout")
# What the caption says once about the fields the shown groups share (the rest of the config stays in Results).
CAPTION_FIELDS = ("weight_decay", "dropout", "batch_norm", "hidden_sizes", "activation", "optimizer", "lr", "n_epochs",
                  "n_train", "n_val", "dataset")
_CAPTION_SKIPS = {"batch_norm": False, "activation": "relu", "dataset": "mnist5k"}  # defaults not worth a word
_COUNTED = {"n_epochs": "label.epochs", "n_train": "label.n_train", "n_val": "label.n_val",
            "batch_size": "label.batch_size"}
_WORDS = ("activation", "optimizer", "dataset", "dtype")


def _number(value: Any) -> str:
    """Three significant digits (a search's λ = 1.84225e-07 reads 1.84e-07); labels stay unique through their ids."""
    return f"{float(value):.3g}"


def field_text(field: str, row: Mapping[str, Any]) -> str:
    """One config field of a runs-table ``row`` as a short label part, e.g. ``wd=0.1``, ``6×100``, ``200 epochs``."""
    value = row[field]
    if field == "weight_decay":
        return t("label.wd", value=_number(value))
    if field == "dropout":
        return t("label.dropout", value=_number(value))
    if field == "batch_norm":
        return t("label.batch_norm") if bool(value) else t("label.no_batch_norm")
    if field == "hidden_sizes":
        return str(row.get("architecture") or value)
    if field in _COUNTED:
        return t(_COUNTED[field], n=int(value))
    if field in _WORDS:
        return str(value)
    if field == "data_path":
        return "data=" + str(value).rstrip("/").rsplit("/", 1)[-1]
    if isinstance(value, float):
        return f"{field}={_number(value)}"
    return f"{field}={value}"


def describe(row: Mapping[str, Any], fields: Sequence[str]) -> str:
    """The ``fields`` of ``row`` as one label, ``" · "``-joined; both regularizers at 0 read "no reg."."""
    parts = []
    regularizers = [f for f in REGULARIZERS if f in fields]
    active = [f for f in regularizers if float(row[f])]
    if len(regularizers) == 2 and not active:
        parts.append(t("label.no_reg"))
    else:
        parts += [field_text(f, row) for f in (active or regularizers)]
    parts += [field_text(f, row) for f in fields if f not in REGULARIZERS]
    return " · ".join(parts)


def comparison_labels(runs: pd.DataFrame, by: str = "group", exclude: Sequence[str] = (),
                      unique: bool = True) -> tuple[dict[str, str], str]:
    """Labels of the shown keys naming exactly the config fields that differ among them, and the shared part.

    Parameters
    ----------
    runs : DataFrame
        The runs table restricted to what is shown.
    by : {"group", "run"}
        Keys are group_ids or run_ids (a run's label ends in ``· seed=N``).
    exclude : sequence of str
        Fields not to name (the variable a summary plots on its x axis).
    unique : bool, default True
        Make the labels unique; False keeps keys equal in every named field on one text, and a key with nothing
        to name on an empty one (the series of a summary).

    Returns
    -------
    labels : dict
        key -> label; unique (two keys that agree on every named field get part of their id).
    shared : str
        The fields of ``CAPTION_FIELDS`` the keys share, said once for the caption (empty when nothing is shown).
    """
    if runs.empty:
        return {}, ""
    key = "group_id" if by == "group" else "run_id"
    groups = runs.drop_duplicates("group_id")
    fields = [f for f in differing_fields(groups) if f not in exclude]
    firsts = runs.drop_duplicates(key).set_index(key, drop=False)
    texts = {}
    for k, row in firsts.iterrows():
        text = describe(row, fields) or ("" if not unique else str(row["label"]))
        texts[k] = f"{text} · {t('label.seed', seed=int(row['seed']))}" if by == "run" else text
    labels = unique_labels(pd.Series(texts, dtype=str)).to_dict() if unique else texts
    row = groups.iloc[0]
    shared = [f for f in CAPTION_FIELDS if f in groups.columns and f not in fields and f not in exclude
              and not (f in _CAPTION_SKIPS and row[f] == _CAPTION_SKIPS[f])
              and not (f == "n_val" and int(row[f]) == 0)]
    lone_zero = [f for f in REGULARIZERS if f in shared and not float(row[f])]
    if len(lone_zero) == 1 and len([f for f in REGULARIZERS if f in shared]) == 1:
        shared.remove(lone_zero[0])  # "dropout=0" beside groups that differ in λ says nothing; "no reg." does
    return labels, describe(row, shared)


# ---- the Home caption: measured numbers and what they show ---------------------------------------------------------
def measured_lines(means: pd.DataFrame, labels: Mapping[str, str]) -> list[str]:
    """One line per group of ``core.compare.final_means``: its label, final train and test accuracy and the gap."""
    home = page_text("home")
    return [home("headline.row", name=plain(labels.get(g, g)), train=f"{row.train:.3f}", test=f"{row.test:.3f}",
                 gap=f"{row.gap:.3f}", n=int(row.n)) for g, row in means.iterrows()]


def effect_sentence(name: str, base: Mapping[str, float], other: Mapping[str, float]) -> str:
    """What a regularizer did to the gap compared with the plain network, written from the numbers.

    Which sentence is chosen (narrows mainly through train or through test, widens, about the same) and every word
    of movement come from ``core.compare.regularizer_effect``; nothing is concluded in advance.
    """
    home = page_text("home")
    effect = regularizer_effect(base, other)
    numbers = {f"{k}{suffix}": f"{row[k]:.3f}" for k in ("train", "test", "gap")
               for suffix, row in (("_base", base), ("", other))}
    moves = {side: home(f"headline.move.{effect[side]}") for side in ("train", "test")}
    if effect["main"] == "train" and effect["test"] == "down":
        moves["test"] = home("headline.move.also_down")
    if effect["main"] == "test" and effect["train"] == "up":
        moves["train"] = home("headline.move.also_up")
    key = f"headline.effect.narrows.{effect['main']}" if effect["gap"] == "narrows" else f"headline.effect.{effect['gap']}"
    return home(key, name=plain(name), train_move=moves["train"], test_move=moves["test"], **numbers)


def points_to_run_ids(points: list, trials: pd.DataFrame) -> list[str]:
    """Run ids of the selected scatter points: from a point's customdata, else by its (lr, weight decay)."""
    found: list[str] = []
    for point in points:
        custom = point.get("customdata")
        custom = custom if isinstance(custom, (list, tuple)) else [custom]
        ids = [c for c in custom if isinstance(c, str) and ID_PATTERN.fullmatch(c)]
        if not ids and {"x", "y"} <= set(point) and {"lr", "weight_decay", "run_id"} <= set(trials.columns):
            near = trials[((trials["lr"] - point["x"]).abs() <= 1e-12 * abs(point["x"]) + 1e-15)
                          & ((trials["weight_decay"] - point["y"]).abs() <= 1e-12 * abs(point["y"]) + 1e-15)]
            ids = [str(i) for i in near["run_id"]]
        found += ids
    return list(dict.fromkeys(found))
