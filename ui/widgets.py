"""Page pieces shared by every page: error guards, the URL view state, "link to this view", the jobs panel.

The pure side of each (parsing the URL, progress text) is in ``ui/state.py`` and ``ui/labels.py``.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Collection, Iterator, Mapping, NoReturn, Sequence

import streamlit as st

from ui import services
from ui.labels import job_progress, jobs_signature, plain, run_progress
from ui.state import Param, parse_view, to_query, view_link
from ui.text import LANG_PARAM, t

LANG_KEY = "_lang"  # the session's language, kept by the router (ui/router.py)


@contextmanager
def guarded() -> Iterator[None]:
    """Show an error instead of a traceback when a part of a page fails (st.stop/st.rerun pass through)."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - a page must never die on one bad part; the message says what failed
        st.error(t("error.page", error=plain(f"{type(exc).__name__}: {exc}")))


# ---- view state in the URL ------------------------------------------------------------------------------------------
def read_view(page: str, params: Sequence[Param], known: Mapping[str, Collection[str]] | None = None,
              widget_keys: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse the URL for ``page``, show a notice per dropped parameter, and seed widget state from the URL.

    ``widget_keys`` maps a parameter name to the session-state key of the widget that shows it. A widget is seeded
    when the URL changed since the page last wrote it (a shared link, a link from another page, the first visit) or
    when the widget has no state yet; otherwise the widget's own state wins, so the user's last change is kept.
    """
    restore_view(page)
    raw = {name: st.query_params.get_all(name) for name in st.query_params.keys()}
    values, notices = parse_view(raw, params, known)
    for notice in notices:
        reason = t(f"url.reason.{notice.reason}", **notice.fmt)
        st.info(t("url.ignored", param=notice.param, reason=reason), icon=":material/info:")
    from_outside = url_is_new(page)
    for name, key in (widget_keys or {}).items():
        if from_outside or key not in st.session_state:
            st.session_state[key] = values[name]
    return values


def restore_view(page: str) -> None:
    """Back on ``page`` through the sidebar (a URL with no view in it) in a session that has shown it: put the view
    it left in the URL, so the page comes back as it was instead of at its defaults. A link with a view wins."""
    last = st.session_state.get(f"_url.{page}")
    if last and not [name for name in st.query_params.keys() if name != LANG_PARAM]:
        language = st.query_params.get(LANG_PARAM)
        st.query_params.from_dict({**last, **({LANG_PARAM: language} if language else {})})


def url_is_new(page: str) -> bool:
    """Whether the URL differs from what ``page`` last wrote: a shared link, a page link, a first visit."""
    return st.session_state.get(f"_url.{page}") != st.query_params.to_dict()


def write_view(page: str, values: Mapping[str, Any]) -> dict[str, str]:
    """Put the page's view state, and the session's chosen language, in the URL (only when it changed)."""
    query = to_query(values)
    if st.session_state.get(LANG_KEY):
        query[LANG_PARAM] = st.session_state[LANG_KEY]
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    st.session_state[f"_url.{page}"] = query
    return query


def link_to_view(url_path: str, query: Mapping[str, str]) -> str:
    """Show the address that reproduces this view (absolute when the browser told us its URL).

    The expander keeps its state and draws its code block only while open: ``st.code`` loads the browser's syntax
    highlighter (about 0.3 s of a new tab's time), which no page needs up front.
    """
    link = view_link(url_path, query, st.context.url)
    expander = st.expander(t("link.title"), icon=":material/link:", key=f"link.{url_path or 'home'}",
                           on_change="rerun")
    if expander.open:
        with expander:
            st.caption(t("link.help"))
            st.code(link, language=None, wrap_lines=True)
    return link


# ---- the jobs panel -------------------------------------------------------------------------------------------------
def show_flash(key: str) -> None:
    """Show, once, the (kind, message) an action's callback left at ``key`` in the session ("success", "info" or
    "error"). It is kept aside for this run, so that a rerun the page asks for before the run ends
    (``rerun_keeping_flash``) shows it again instead of losing it."""
    state = st.session_state
    state.pop(f"{key}.shown", None)
    if key in state:
        kind, message = state[f"{key}.shown"] = state.pop(key)
        {"success": st.success, "info": st.info}.get(kind, st.error)(message)


def rerun_keeping_flash(key: str, *, inline: bool) -> NoReturn:
    """``st.rerun()`` for a live watcher. ``inline``: the watcher runs within the page's own run (its first call, not
    a later tick of its fragment), so the message that run showed (``show_flash``) is shown again by the next one:
    a short job that ends while the page draws would otherwise take the "Started ..." message away with it."""
    if inline and f"{key}.shown" in st.session_state:
        st.session_state[key] = st.session_state.pop(f"{key}.shown")
    st.rerun()


def draw_job(job: Mapping[str, Any], *, read_only: bool, key: str) -> None:
    """One job: its progress bar, its running runs (at most six), its error, and a cancel button unless read-only."""
    fraction, text = job_progress(job)
    with st.container(border=True):
        st.progress(min(fraction, 1.0), text=text)
        running = job.running_runs
        for run in running[:6]:
            st.progress(*run_progress(run))
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
    signature = jobs_signature(services.jobs())
    interval = 1.0 if signature else 5.0

    @st.fragment(run_every=interval)
    def panel() -> None:
        jobs = services.jobs()
        if rerun_on_change and jobs_signature(jobs) != signature:
            st.rerun()  # a job started, ended or finished a run: redraw the page (figures, counts, cache status)
        active = [j for j in jobs if j.active]
        if not active:
            st.caption(t("jobs.running_none"))
        for job in active:
            draw_job(job, read_only=read_only, key=key)
        finished = [j for j in jobs if not j.active]
        if show_finished and finished:
            with st.expander(t("jobs.finished")):
                for job in finished[:10]:
                    draw_job(job, read_only=True, key=key)

    panel()
