"""The router: the page list, ``st.navigation``, the shared sidebar and the session's language.

``app.py`` calls ``main()``. Pages are named by path string, so nothing here imports a page (and no page imports
``app``): a page calls ``ensure_routed()`` from this module, which draws the app through ``main()`` when Streamlit ran
the page file alone.
"""
from __future__ import annotations

import difflib
import os
import threading
from contextlib import contextmanager
from typing import Iterator, Optional

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import services
from ui.lesson_plan import PAGES as LESSON_PATHS
from ui.labels import plain
from ui.text import (LANG_ENV, LANG_PARAM, LANGUAGE_NAMES, available_languages, page_text, resolve_language, t,
                     use_language_source)
from ui.widgets import LANG_KEY, guarded

PAGES = (  # (file, url path, title key, icon)
    ("pages/home.py", "home", "nav.home", ":material/home:"),
    ("pages/run.py", "run", "nav.run", ":material/play_arrow:"),
    ("pages/compare.py", "compare", "nav.compare", ":material/monitoring:"),
    ("pages/results.py", "results", "nav.results", ":material/table:"),
    ("pages/search.py", "search", "nav.search", ":material/travel_explore:"),
    ("pages/sweep.py", "sweep", "nav.sweep", ":material/stacked_line_chart:"),
)
HOME = PAGES[0][0]  # the default page, at the root
LESSON_ICONS = {"overfitting": ":material/trending_up:", "weight_decay": ":material/compress:",
                "validation": ":material/fact_check:", "dropout": ":material/grain:", "search": ":material/tune:",
                "optimizers": ":material/route:", "activations": ":material/bar_chart:",
                "batchnorm": ":material/equalizer:"}
LESSON_PAGES = tuple((path, f"lesson-{lesson.replace('_', '-')}", f"nav.{lesson}", LESSON_ICONS[lesson])
                     for lesson, path in LESSON_PATHS.items())  # a "Lessons" section of the navigation
_routing = threading.local()  # each browser session runs its scripts in its own thread
MISSING_KEY = "_router.missing"  # the unknown address this session was opened at, if any (see ``missing_page``)
ADDRESS_SHOWN = 80  # characters of an unknown address repeated on its page


def session_language() -> Optional[str]:
    """The language kept in this session (None outside a Streamlit script run: tests, workers, the command line)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return st.session_state.get(LANG_KEY) or st.session_state.get("_lang.default")


def choose_language() -> None:
    """The language of this rerun: the URL's ``lang=``, else the session's, else ``OVERFIT_LAB_LANG``, else English.

    An unknown ``lang=`` is dropped from the URL with the usual notice.
    """
    use_language_source(session_language)
    raw = st.query_params.get_all(LANG_PARAM) if LANG_PARAM in st.query_params else None
    lang, refused = resolve_language(raw, kept=st.session_state.get(LANG_KEY),
                                     env_value=os.environ.get(LANG_ENV))
    if raw and not refused:
        st.session_state[LANG_KEY] = lang  # chosen in the URL: kept for the session and written back by every page
    st.session_state["_lang.default"] = lang
    if refused:
        del st.query_params[LANG_PARAM]
        reason = t("url.reason.not_choice", options=", ".join(available_languages()))
        st.info(t("url.ignored", param=LANG_PARAM, reason=reason), icon=":material/info:")


def language_picker() -> None:
    """A selectbox of the languages that have a catalogue; the choice goes into the URL, so a shared link keeps it."""
    languages = available_languages()
    if len(languages) < 2:
        return

    def chosen() -> None:
        lang = st.session_state["sidebar.lang"]
        st.session_state[LANG_KEY] = lang
        st.query_params[LANG_PARAM] = lang

    st.session_state["sidebar.lang"] = st.session_state["_lang.default"]
    st.selectbox(t("sidebar.language"), languages, key="sidebar.lang", format_func=LANGUAGE_NAMES.get,
                 on_change=chosen)


def sidebar() -> None:
    """Language, results folder, number of cached runs, running jobs, read-only badge."""
    s = services.settings()
    with st.sidebar:
        language_picker()
        if s.read_only:
            st.badge(t("sidebar.read_only"), icon=":material/lock:", color="orange")
            st.caption(t("sidebar.read_only_help"))
        folder = str(s.results.resolve())
        ticks = "``" if "`" in folder else "`"
        # a code span, not st.code: that would load the syntax highlighter into every new tab for one line
        st.caption(f"{t('sidebar.folder')}  \n{ticks} {folder} {ticks}")
        if s.dask:
            st.caption(t("sidebar.cluster", address=s.dask))
        with guarded():
            left, right = st.columns(2)
            left.metric(t("sidebar.cached"), len(services.runs()))
            right.metric(t("sidebar.running"), len(services.running_jobs()))
            n_problems = len(services.problems())
            if n_problems:
                st.warning(t("sidebar.problems", n=n_problems), icon=":material/warning:")


@contextmanager
def routed() -> Iterator[None]:
    """Mark the page now running as started by the router."""
    _routing.active = True
    try:
        yield
    finally:
        _routing.active = False


def ensure_routed() -> None:
    """Draw the whole app when Streamlit ran a page file by itself, then stop the bare page.

    Streamlit treats a folder named ``pages/`` as its older multipage layout until some session has called
    ``st.navigation``: on a fresh server, a shared link such as ``/compare?...`` would run ``pages/compare.py`` alone,
    without the router, the sidebar or the page list, and keep every session in that layout. Running the router from
    here registers the real pages, then runs this page again inside it. In that layout a page's address is its file's
    name, so every page's file is named as its ``url_path`` (``pages/lesson-weight-decay.py``): a link naming no
    file would get Streamlit's "Page not found" dialog before the router draws it.
    """
    if getattr(_routing, "active", False):
        return
    main()
    st.stop()


# The browser tab's icon, drawn here so the dashboard fetches nothing from elsewhere (a ":material/..." page icon makes
# every new tab ask fonts.gstatic.com for it): a training curve that keeps rising above a test curve that levels off.
APP_ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f4e79"/>'
            '<path d="M5 27C11 12 17 7 27 5" stroke="#8fd3ff" stroke-width="3.2" fill="none" stroke-linecap="round"/>'
            '<path d="M5 28C11 18 17 16 27 18" stroke="#ffb454" stroke-width="3.2" fill="none" stroke-linecap="round"/></svg>')


def requested_page_name() -> Optional[str]:
    """The page address the browser asked for in this rerun (``compare`` for ``/compare``), if it named one.

    Read from Streamlit's page manager, which has no public way to say it; None when this Streamlit keeps it elsewhere
    (then an unknown address gets Streamlit's own dialog, as before).
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    name = getattr(getattr(ctx, "pages_manager", None), "intended_page_name", None)
    return name if isinstance(name, str) and name else None


def missing_page(known: dict[str, tuple[str, str, str]]) -> Optional[st.Page]:
    """A hidden page for an address Streamlit serves no page at (``known``: url path -> file, title, icon).

    Without it Streamlit opens its default page under an English "Page not found" dialog. The home page's own name
    (``/home``; it is served at the root) leads home; any other address gets ``page_not_found``. The address is kept
    for the session, so that a rerun on that page (a change of language) finds it again. None for a served address,
    or one that cannot be a page's (a nested path).
    """
    served = {url_path for url_path, (path, _, _) in known.items() if path != HOME}
    requested = requested_page_name()
    if requested is not None and requested not in served:
        st.session_state[MISSING_KEY] = requested
    missing = st.session_state.get(MISSING_KEY)
    if not missing or "/" in missing or missing in served:
        return None
    shown = (lambda: st.switch_page(HOME)) if missing in known else \
        (lambda: page_not_found(missing, {url_path: known[url_path] for url_path in served}))
    try:
        return st.Page(shown, title=t("not_found.title"), url_path=missing, visibility="hidden")
    except Exception:  # noqa: BLE001 - an address Streamlit refuses as a page's keeps Streamlit's own dialog
        return None


def page_not_found(address: str, pages: dict[str, tuple[str, str, str]]) -> None:
    """The page shown at an unknown address: what was asked for, which of ``pages`` (url path -> file, title, icon)
    it may have meant, and the way home."""
    st.title(t("not_found.title"))
    shown = address if len(address) <= ADDRESS_SHOWN else address[:ADDRESS_SHOWN] + "…"
    st.warning(t("not_found.text", address=plain(shown)), icon=":material/link_off:")
    near = difflib.get_close_matches(address.lower().replace("_", "-"), list(pages), n=3, cutoff=0.6)
    if near:
        st.markdown(t("not_found.near"))
        for url_path in near:
            path, title, icon = pages[url_path]
            st.page_link(path, label=title, icon=icon)
    st.page_link(HOME, label=t("not_found.home"), icon=":material/home:")


def main() -> None:
    """Set up the page, resolve the results folder and the language, draw the sidebar and run the chosen page."""
    st.set_page_config(page_title=t("app.title"), page_icon=APP_ICON, layout="wide")
    choose_language()
    try:
        services.settings()  # resolves (and creates) the results folder: nothing works without it
    except OSError as exc:
        st.error(t("error.results_folder", error=plain(f"{exc.strerror or exc}: {exc.filename or ''}")))
        st.stop()
    # The home page answers at the root; "" (not "home") leaves its name free for missing_page to send there.
    pages = [st.Page(path, title=t(title), icon=icon, url_path="" if path == HOME else url_path, default=path == HOME)
             for path, url_path, title, icon in PAGES]
    lessons = page_text("lessons")
    lesson_pages = [st.Page(path, title=lessons(title), icon=icon, url_path=url_path)
                    for path, url_path, title, icon in LESSON_PAGES]
    # expanded=True: with 14 pages Streamlit would fold the list after ten behind its own "View 4 more" button,
    # hiding lessons and speaking English on a Korean page; every page stays listed instead.
    missing = missing_page({url_path: (path, page.title, icon)  # the home page's name too: it leads home
                            for page, (path, url_path, _, icon) in zip(pages + lesson_pages, PAGES + LESSON_PAGES)})
    page = st.navigation({"": pages + ([missing] if missing else []), lessons("nav.section"): lesson_pages},
                         expanded=True)
    services.first_listing()  # a long first listing says what it is doing, before the sidebar waits on it
    sidebar()
    with routed():
        page.run()
