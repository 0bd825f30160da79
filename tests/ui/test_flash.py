"""An action's message survives the rerun a live watcher asks for within the same page run (real AppTest)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def flash_page(inline: bool) -> None:
    import streamlit as st

    from ui.widgets import rerun_keeping_flash, show_flash

    st.button("launch", key="launch", on_click=lambda: st.session_state.update({"t.flash": ("success", "Started it")}))
    show_flash("t.flash")
    if "t.flash.shown" in st.session_state and not st.session_state.get("t.rerun_done"):
        st.session_state["t.rerun_done"] = True  # the watcher saw its job end while the page drew: rerun once
        rerun_keeping_flash("t.flash", inline=inline)


@pytest.mark.parametrize("inline", [True, False])
def test_the_message_outlives_a_rerun_asked_for_within_the_run(inline):
    at = AppTest.from_function(flash_page, args=(inline,)).run()
    assert not at.success
    at.button(key="launch").click().run()
    assert at.session_state["t.rerun_done"]
    # in the page's own run the message comes back; a later tick of the watcher must not bring back an old one
    assert [s.value for s in at.success] == (["Started it"] if inline else [])
    at.run()  # the next run (any widget) shows it no more
    assert not at.success
