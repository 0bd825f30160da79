"""Every user-visible string, one catalogue per language, looked up by key: ``t(key, **fmt)`` or ``page_text(section)``.

- The package ``en/`` holds ``EN``: section (``common``, ``home``, ``run`` … one module per section) -> key -> text.
  A translation (the package ``ko/`` with ``KO``) has the same sections and keys; a key it lacks is shown in English.
- A page's ``t = page_text("search")`` looks in its section first, then in ``common``; ``t`` alone looks in ``common``.
- A count's noun takes its plural in the text itself: ``"{n} {n|run|runs}"`` gives "1 run" and "3 runs"
  (``plural``); a language without plural forms (Korean) writes the noun once, without the markup.
- The language of a session: the URL's ``lang=`` (``resolve_language``), else ``OVERFIT_LAB_LANG``, else English.
  The router (``ui/router.py``) keeps it in the session and hands this module a getter for it
  (``use_language_source``), so this module imports no streamlit and is tested without it.
"""
from __future__ import annotations

import functools
import importlib
import os
import re
from typing import Any, Callable, Mapping, Optional, Sequence

from .en import EN

LANG_ENV = "OVERFIT_LAB_LANG"
LANG_PARAM = "lang"
DEFAULT_LANG = "en"
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}  # each language by its own name: never translated
COMMON = "common"

Catalogue = Mapping[str, Mapping[str, str]]
_source: list[Callable[[], Optional[str]]] = []


@functools.cache
def catalogues() -> dict[str, Catalogue]:
    """Language code -> catalogue: English, and every translation present (``ko/`` defining ``KO``)."""
    found: dict[str, Catalogue] = {"en": EN}
    for code in LANGUAGE_NAMES:
        if code == "en":
            continue
        try:
            module = importlib.import_module(f"{__name__}.{code}")
        except Exception:  # noqa: BLE001 - absent or broken: the app stays in English (its own tests import it directly)
            continue
        table = getattr(module, code.upper(), None)
        if isinstance(table, Mapping):
            found[code] = table
    return found


def available_languages() -> tuple[str, ...]:
    """The codes of the languages that have a catalogue, English first."""
    return tuple(catalogues())


def resolve_language(url_value: str | Sequence[str] | None, *, kept: str | None = None,
                     env_value: str | None = None) -> tuple[str, bool]:
    """The session's language and whether the URL's value was refused (unknown: drop it with a notice).

    Order: a known ``lang=`` in the URL, then the language ``kept`` in the session, then ``env_value``
    (``OVERFIT_LAB_LANG``), then English.
    """
    known = available_languages()
    values = [url_value] if isinstance(url_value, str) else list(url_value or [])
    given = str(values[-1]).strip().lower() if values else ""
    if given in known:
        return given, False
    for fallback in (kept, (env_value or "").strip().lower()):
        if fallback in known:
            return fallback, bool(given)
    return DEFAULT_LANG, bool(given)


def use_language_source(source: Callable[[], Optional[str]]) -> None:
    """Ask ``source()`` for the current session's language from now on (the router installs it once)."""
    _source[:] = [source]


def language() -> str:
    """The current language: the session's (through the installed source), else ``OVERFIT_LAB_LANG``, else English."""
    lang = _source[0]() if _source else None
    if lang in catalogues():
        return lang
    return resolve_language(None, env_value=os.environ.get(LANG_ENV))[0]


def lookup(section: str, key: str, lang: str | None = None) -> str:
    """The text of ``key``: the language's section, English's section, then the same in ``common``.

    An unknown key raises KeyError naming it, so a typo fails loudly in the tests.
    """
    tables = catalogues()
    chosen = tables.get(lang or language(), EN)
    for name in dict.fromkeys((section, COMMON)):
        for table in (chosen, EN):
            text = table.get(name, {}).get(key)
            if text is not None:
                return text
    raise KeyError(f"{section}: {key}")


PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")
"""``{name|one|other}``: the first word when the argument ``name`` is 1, the second for any other value."""


def plural(text: str, fmt: Mapping[str, Any]) -> str:
    """``text`` with each ``{name|one|other}`` replaced by the form ``fmt[name]`` asks for (English's rule: 1 takes
    the singular, 0 and every other count the plural). A name missing from ``fmt`` raises KeyError, as ``format``
    would."""
    return PLURAL.sub(lambda match: match[2] if fmt[match[1]] == 1 else match[3], text)


def page_text(section: str) -> Callable[..., str]:
    """The ``t(key, **fmt)`` of a page group's section (falling back on ``common``)."""
    if section not in EN:
        raise KeyError(f"No text section {section!r}; sections: {', '.join(EN)}.")

    def t(key: str, /, **fmt: Any) -> str:
        text = lookup(section, key)
        return plural(text, fmt).format(**fmt) if fmt else text

    return t


t = page_text(COMMON)
