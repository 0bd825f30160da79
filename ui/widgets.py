"""Widgets shared by the pages: the sidebar, the config form, the jobs panel, "link to this view", error guards."""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from typing import Any, Iterator, Mapping

import streamlit as st

from core import config as cfg
from core.config import ConfigError, RunConfig, parse_override
from core.job_state import JobState
from ui import services
from ui.state import view_link
from ui.text.common import t

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~$])")


def plain(text: object) -> str:
    """``text`` with markdown's special characters escaped: for values shown through st.markdown/info/error."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


@contextmanager
def guarded() -> Iterator[None]:
    """Show an error instead of a traceback when a part of a page fails (st.stop/st.rerun pass through)."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - a page must never die on one bad part; the message says what failed
        st.error(t("error.page", error=plain(f"{type(exc).__name__}: {exc}")))


# ---- routing --------------------------------------------------------------------------------------------------------
_routing = threading.local()  # each browser session runs its scripts in its own thread


@contextmanager
def routed() -> Iterator[None]:
    """Mark the page now running as started by app.py's router."""
    _routing.active = True
    try:
        yield
    finally:
        _routing.active = False


def ensure_routed() -> None:
    """Draw the whole app when Streamlit ran a page file by itself, then stop the bare page.

    Streamlit treats a folder named ``pages/`` as its older multipage layout until some session has called
    ``st.navigation``: on a fresh server, a shared link such as ``/compare?...`` would run ``pages/compare.py`` alone,
    without the router, the sidebar or the page list, and keep every session in that layout. Running app.py's router
    from here registers the real pages, then runs this page again inside it.
    """
    if getattr(_routing, "active", False):
        return
    import app

    app.main()
    st.stop()


# ---- sidebar --------------------------------------------------------------------------------------------------------
def sidebar() -> None:
    """Results folder, number of cached runs, running jobs, read-only badge."""
    s = services.settings()
    with st.sidebar:
        if s.read_only:
            st.badge(t("sidebar.read_only"), icon=":material/lock:", color="orange")
            st.caption(t("sidebar.read_only_help"))
        st.caption(t("sidebar.folder"))
        st.code(str(s.results.resolve()), language=None, wrap_lines=True)
        with guarded():
            n_runs = len(services.runs())
            n_running = len(services.running_jobs())
            left, right = st.columns(2)
            left.metric(t("sidebar.cached"), n_runs)
            right.metric(t("sidebar.running"), n_running)
            n_problems = len(services.problems())
            if n_problems:
                st.warning(t("sidebar.problems", n=n_problems), icon=":material/warning:")


# ---- link to this view ----------------------------------------------------------------------------------------------
def link_to_view(url_path: str, query: Mapping[str, str]) -> str:
    """Show the address that reproduces this view (absolute when the browser told us its URL)."""
    link = view_link(url_path, query, st.context.url)
    with st.expander(t("link.title"), icon=":material/link:"):
        st.caption(t("link.help"))
        st.code(link, language=None, wrap_lines=True)
    return link


# ---- the config form ------------------------------------------------------------------------------------------------
CHOICES = {"dataset": cfg.DATASETS, "activation": cfg.ACTIVATIONS, "init": cfg.INITS, "dropout_mode": cfg.DROPOUT_MODES,
           "optimizer": cfg.OPTIMIZERS, "weight_decay_mode": cfg.WEIGHT_DECAY_MODES, "sampling": cfg.SAMPLINGS,
           "dtype": cfg.DTYPES}
FLOATS = ("init_std", "dropout", "lr", "momentum", "beta1", "beta2", "rho", "weight_decay")
SECTIONS = {  # section -> (fields always shown, fields under "more settings")
    "form.data": (("dataset", "n_train", "n_test"), ("data_path", "n_val", "data_seed")),
    "form.model": (("hidden_sizes", "activation", "init"), ("init_std", "batch_norm", "dtype")),
    "form.regularization": (("weight_decay", "dropout"), ("weight_decay_mode", "dropout_mode")),
    "form.optimizer": (("optimizer", "lr"), ("momentum", "beta1", "beta2", "rho")),
    "form.training": (("n_epochs", "batch_size", "seed"), ("sampling",)),
}


def widget_value(name: str, value: Any) -> Any:
    """What the form's widget for field ``name`` holds for ``value`` (text for floats and layer sizes)."""
    if name == "hidden_sizes":
        value = tuple(value)
        return f"{value[0]}x{len(value)}" if len(set(value)) == 1 else ",".join(map(str, value))
    return f"{value:g}" if name in FLOATS else value


def form_value(config: RunConfig, name: str) -> Any:
    """The widget value of field ``name`` of ``config``."""
    return widget_value(name, getattr(config, name))


def seed_form(base: RunConfig, key: str, overrides: Mapping[str, Any] | None = None) -> None:
    """Put ``base``'s values, then ``overrides`` (even invalid ones: the form reports them), into the form's widgets."""
    for name in cfg.FIELD_TYPES:
        st.session_state[f"{key}.{name}"] = form_value(base, name)
    for name, value in (overrides or {}).items():
        st.session_state[f"{key}.{name}"] = widget_value(name, value)


def _field_widget(name: str, key: str) -> None:
    widget_key = f"{key}.{name}"
    label = t(f"field.{name}")
    if name in CHOICES:
        st.selectbox(label, CHOICES[name], key=widget_key)
    elif name == "batch_norm":
        st.checkbox(label, key=widget_key)
    elif name in (*FLOATS, "hidden_sizes", "data_path"):
        st.text_input(label, key=widget_key)
    else:  # ints: no bounds in the widget, so an out-of-range value reaches the config and its message
        st.number_input(label, step=1, format="%d", key=widget_key)


def config_form(base: RunConfig, *, key: str, max_epochs: int) -> RunConfig | None:
    """Widgets for every RunConfig field; each invalid field gets its message beside it. Returns None when invalid."""
    if f"{key}.lr" not in st.session_state:
        seed_form(base, key)
    slots = {}
    columns = st.columns(len(SECTIONS))
    for column, (section, (shown, more)) in zip(columns, SECTIONS.items()):
        with column:
            st.markdown(f"**{t(section)}**")
            for name in shown:
                _field_widget(name, key)
                slots[name] = st.empty()
            with st.expander(t("form.advanced")):
                for name in more:
                    _field_widget(name, key)
                    slots[name] = st.empty()
    raw = {name: st.session_state[f"{key}.{name}"] for name in cfg.FIELD_TYPES}
    config, errors = build_config(raw)
    epochs = raw["n_epochs"]
    if "n_epochs" not in errors and isinstance(epochs, (int, float)) and epochs > max_epochs:  # this server's limit
        errors["n_epochs"] = t("service.too_many_epochs", limit=max_epochs, value=int(epochs))
        config = None
    for name, message in errors.items():
        slots.get(name, st).error(plain(message), icon=":material/error:")
    return config


def build_config(raw: Mapping[str, Any]) -> tuple[RunConfig | None, dict[str, str]]:
    """A RunConfig from widget values (text for floats and layer sizes), or every field's error message."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name in (*FLOATS, "hidden_sizes"):
            try:
                values[name] = parse_override(f"{name}={value}")[1]
            except ConfigError as exc:
                errors[name] = str(exc)
        elif isinstance(value, float) and value.is_integer() and name not in FLOATS:
            values[name] = int(value)
        else:
            values[name] = value
    default = RunConfig()
    for name in errors:  # try the rest with defaults in place of unparsable fields, to report everything at once
        values[name] = getattr(default, name)
    for _ in range(len(cfg.FIELD_TYPES)):
        try:
            config = RunConfig(**values)
        except ConfigError as exc:
            if exc.field in errors or exc.field not in values:
                errors.setdefault(exc.field, str(exc))
                return None, errors
            errors[exc.field] = str(exc)
            values[exc.field] = getattr(default, exc.field)
            continue
        return (None, errors) if errors else (config, errors)
    return None, errors


# ---- the jobs panel -------------------------------------------------------------------------------------------------
def _signature(jobs: list[JobState]) -> tuple:
    """What, when it changes, needs the whole page redrawn: a job started or ended, a run finished."""
    return tuple((j.id, j.state, j.n_done) for j in jobs if j.active)


def _fmt_acc(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, (int, float)) else "—"


def _job_progress(job: JobState) -> tuple[float, str]:
    """The job's progress bar: (fraction, text). A search counts trials; a job yet to queue its runs is starting."""
    name, state = plain(job.name), job.state
    if job.kind == "search" and job.n_trials:
        total, done = _count(job.n_trials), _count(job.n_trials_done)
        return (done / total if total else 0.0), t("jobs.progress.search", name=name, done=done, total=total,
                                                   state=state)
    total, done = _count(job.n_total), _count(job.n_done)
    if total == 0 and state == "running":  # the driver has not queued its runs yet (about a second)
        return 0.0, t("jobs.starting", name=name)
    return (done / total if total else 0.0), t("jobs.progress", name=name, done=done, total=total,
                                               cached=job.n_cached, failed=job.n_failed,
                                               state=state)


def _count(value: Any) -> int:
    """A count from a job file (written by our code, but read defensively: a bad value counts as 0)."""
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def _draw_job(job: JobState, *, read_only: bool, key: str) -> None:
    fraction, text = _job_progress(job)
    with st.container(border=True):
        st.progress(min(fraction, 1.0), text=text)
        running = job.running_runs
        for run in running[:6]:
            n_epochs = run.n_epochs or 1
            epoch = run.epoch
            st.progress(min(epoch / n_epochs, 1.0), text=t(
                "jobs.run_line", label=plain(run.label), epoch=epoch, n_epochs=n_epochs,
                train_acc=_fmt_acc(run.metric("train_acc")), test_acc=_fmt_acc(run.metric("test_acc")),
                state="running"))
        if len(running) > 6:
            st.caption(t("jobs.more_runs", n=len(running) - 6))
        if job.error:
            st.error(t("jobs.error", error=plain(job.error)))
        if not read_only and job.state == "running":
            if st.button(t("jobs.cancel"), key=f"{key}.cancel.{job.id}", icon=":material/cancel:"):
                try:
                    services.cancel(job.id)
                    st.toast(t("jobs.cancel_done", job_id=job.id))
                except (services.ActionRefused, ValueError) as exc:
                    st.error(plain(exc))


def jobs_panel(*, key: str, read_only: bool, show_finished: bool = True, rerun_on_change: bool = True) -> None:
    """Live progress of every job (any viewer's), refreshed by a fragment; cancel buttons unless read-only."""
    signature = _signature(services.jobs())
    interval = 1.0 if signature else 5.0

    @st.fragment(run_every=interval)
    def panel() -> None:
        jobs = services.jobs()
        if rerun_on_change and _signature(jobs) != signature:
            st.rerun()  # a job started, ended or finished a run: redraw the page (figures, counts, cache status)
        active = [j for j in jobs if j.active]
        if not active:
            st.caption(t("jobs.running_none"))
        for job in active:
            _draw_job(job, read_only=read_only, key=key)
        finished = [j for j in jobs if not j.active]
        if show_finished and finished:
            with st.expander(t("jobs.finished")):
                for job in finished[:10]:
                    _draw_job(job, read_only=True, key=key)

    panel()


# ---- labels and the search panel of the Compare page ---------------------------------------------------------------
def run_labels(runs) -> dict[str, str]:
    """run_id -> a unique readable label ``<config label> · seed=N`` (newest runs first)."""
    from core.compare import unique_labels

    if runs.empty:
        return {}
    newest = runs.iloc[::-1].drop_duplicates("run_id")
    labels = newest["label"].astype(str) + " · seed=" + newest["seed"].astype("int64").astype(str)
    return unique_labels(labels.set_axis(newest["run_id"])).to_dict()


def _points_to_run_ids(points: list, trials) -> list[str]:
    """Run ids of the selected scatter points: from a point's customdata, else by its (lr, weight decay)."""
    from ui.state import ID_PATTERN

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


def search_panel(searches: services.Searches, *, key: str, select_key: str) -> None:
    """A selectbox of searches and the lr × weight-decay scatter of the chosen one; selected trials can be compared."""
    from ui.text.compare import t as tc

    if not searches.available:
        st.info(tc("search.unavailable"))
        return
    if searches.error:
        st.warning(tc("search.failed", error=plain(searches.error)))
    if not searches.ids:
        st.caption(tc("search.none"))
        return
    frame = searches.frame

    def option(search_id: str) -> str:
        row = frame.loc[search_id] if search_id in frame.index else {}
        best = row.get("best_val_acc", float("nan"))
        strategy = row.get("strategy_label", row.get("strategy", "?"))
        return tc("search.option", search_id=search_id, strategy=strategy,
                  n_done=row.get("n_done", "?"), n_trials=row.get("n_trials", "?"),
                  best=f"{best:.3f}" if isinstance(best, (int, float)) and best == best else "—")

    search_id = st.selectbox(tc("search.choose"), searches.ids, key=f"{key}.search", format_func=option)
    try:
        from ui.figures import figure_config
        from ui.search_figures import lr_wd_scatter

        view = services.search_view(search_id)
        figure = lr_wd_scatter(view.trials, boxes=getattr(view, "rounds", None))
    except Exception as exc:  # noqa: BLE001 - one unreadable search must not break the page
        st.warning(tc("search.failed", error=plain(f"{type(exc).__name__}: {exc}")))
        return
    event = st.plotly_chart(figure, key=f"{key}.scatter", on_select="rerun", selection_mode=("points", "box", "lasso"),
                            config=figure_config(f"overfit-lab-search-{search_id}"))
    known = set(services.runs()["run_id"])
    ids = [i for i in _points_to_run_ids(list(event["selection"]["points"]), view.trials) if i in known]
    st.caption(tc("search.select_hint"))
    if ids:
        def compare_selected() -> None:
            st.session_state[f"{key}.by"] = "run"
            st.session_state[select_key] = ids

        st.button(tc("search.add", n=len(ids)), key=f"{key}.search_add", on_click=compare_selected,
                  icon=":material/add_chart:")


# ---- the Results table ----------------------------------------------------------------------------------------------
RESULT_COLUMNS = ("label", "seed", "status", "dataset", "n_train", "architecture", "weight_decay", "dropout",
                  "optimizer", "lr", "n_epochs", "stopped_epoch", "final_train_acc", "final_test_acc", "final_gap",
                  "best_val_acc", "best_test_acc", "created_at", "duration_s", "run_id", "group_id",
                  *(f for f in cfg.FIELD_TYPES if f not in ("seed", "dataset", "n_train", "weight_decay", "dropout",
                                                            "optimizer", "lr", "n_epochs")))
SORTABLE = ("created_at", "final_test_acc", "final_train_acc", "final_gap", "best_val_acc", "duration_s", "label",
            "weight_decay", "dropout", "lr", "n_train", "status")


def result_column_config() -> dict:
    """Readable headers and number formats for the Results table."""
    acc = {"format": "%.4f"}
    return {
        "final_train_acc": st.column_config.NumberColumn("final train acc", **acc),
        "final_test_acc": st.column_config.NumberColumn("final test acc", **acc),
        "final_gap": st.column_config.NumberColumn("final gap", **acc),
        "best_val_acc": st.column_config.NumberColumn("best val acc", **acc),
        "best_test_acc": st.column_config.NumberColumn("best test acc", **acc),
        "duration_s": st.column_config.NumberColumn("duration (s)", format="%.1f"),
        "created_at": st.column_config.TextColumn("created (UTC)"),
        "weight_decay": st.column_config.NumberColumn("weight decay λ", format="%g"),
    }
