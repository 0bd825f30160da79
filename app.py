"""Overfit Lab: the router and the shared sidebar. ``streamlit run app.py [-- --read-only]``."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    import streamlit as st

    from ui import services
    from ui.text.common import t
    from ui.widgets import plain, routed, sidebar

    st.set_page_config(page_title=t("app.title"), page_icon=":material/science:", layout="wide")
    try:
        services.settings()  # resolves (and creates) the results folder: nothing works without it
    except OSError as exc:
        st.error(t("error.results_folder", error=plain(f"{exc.strerror or exc}: {exc.filename or ''}")))
        st.stop()
    pages = [
        st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", url_path="home", default=True),
        st.Page("pages/run.py", title=t("nav.run"), icon=":material/play_arrow:", url_path="run"),
        st.Page("pages/compare.py", title=t("nav.compare"), icon=":material/monitoring:", url_path="compare"),
        st.Page("pages/results.py", title=t("nav.results"), icon=":material/table:", url_path="results"),
    ]
    if (HERE / "pages" / "search.py").is_file():  # the search page is added by its own issue
        pages.append(st.Page("pages/search.py", title=t("nav.search"), icon=":material/travel_explore:",
                             url_path="search"))
    page = st.navigation(pages)
    sidebar()
    with routed():
        page.run()


# Streamlit runs this file as __main__. The job manager's spawned training workers import it again as __mp_main__:
# there it must neither draw the app nor run a page, and the imports stay inside main() so workers skip streamlit.
if __name__ == "__main__":
    main()
