"""Every user-visible string of the dashboard, one module per page group, looked up with ``t(key, **fmt)``.

Each module holds an ``EN`` dict (and later a ``KO`` dict, same keys). ``lookup(module_tables)`` builds a module's
``t``; the language comes from ``OVERFIT_LAB_LANG`` (default ``en``) and falls back to English key by key.
No streamlit here, so the strings can be checked by plain unit tests.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Mapping

LANG_ENV = "OVERFIT_LAB_LANG"
DEFAULT_LANG = "en"


def language() -> str:
    """The UI language code (``en``, later ``ko``), from the environment."""
    return (os.environ.get(LANG_ENV) or DEFAULT_LANG).strip().lower()


def lookup(tables: Mapping[str, Mapping[str, str]]) -> Callable[..., str]:
    """A ``t(key, **fmt)`` over ``tables`` (language code -> strings); an unknown key raises KeyError."""

    def t(key: str, **fmt: Any) -> str:
        table = tables.get(language(), {})
        text = table.get(key)
        if text is None:
            text = tables["en"][key]  # KeyError names the missing key: a typo fails loudly in the tests
        return text.format(**fmt) if fmt else text

    return t
