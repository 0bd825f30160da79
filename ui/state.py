"""View state in the URL: pure parsers of query parameters (the streamlit side that syncs widgets is ``ui/widgets.py``).

A page declares its parameters as ``Param`` objects; ``parse_view`` turns the raw query (name -> list of strings) into
typed values and a list of ``Notice`` objects for everything it dropped: an unknown parameter, an unknown or malformed
id, a non-number, a value outside its choices, text with markup. Nothing read from the URL is ever used as a path or
rendered as HTML: ids must be known to the store, choices must be in a fixed list, text is matched as plain text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Collection, Mapping, Sequence
from urllib.parse import quote, urlencode

from core.validation import SEARCH_ID_RE

ID_PATTERN = re.compile(r"[0-9a-f]{12}")            # run_id and group_id: 12 hex digits of a sha256
TOKEN_PATTERN = SEARCH_ID_RE                        # other ids (search ids): a plain name, never a path (core's rule)
SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,40}")
MAX_IDS = 200
GLOBAL_PARAMS = ("lang",)  # parameters of every page (read by the router, never reported by a page)
MAX_TEXT = 80
_UNSAFE_TEXT = re.compile(r"[<>`\[\]\\\x00-\x1f\x7f]")  # markup and control characters have no place in a filter


@dataclass(frozen=True)
class Notice:
    """A query parameter that was ignored (in whole or in part), and why: ``reason`` is a key of ``url.reason.*``."""

    param: str
    reason: str
    fmt: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Param:
    """One query parameter of a page.

    ``kind`` is one of ``ids`` (comma-separated 12-hex ids, checked against a known set), ``token`` (one plain name,
    checked against a known set), ``choice`` (one of ``options``), ``choices`` (a comma-separated subset of
    ``options``), ``int`` (an int in ``[low, high]``), ``text`` (plain text of at most ``MAX_TEXT`` characters),
    ``field`` (a RunConfig field, read as ``python -m core run --set name=value`` reads it; never ``data_path``).
    """

    name: str
    kind: str
    default: Any = None
    options: tuple[str, ...] = ()
    low: int = 0
    high: int = 0


def display_name(name: str) -> str:
    """A parameter name safe to show in a notice (it comes from the URL): plain characters only, else ``?``."""
    return name if SAFE_NAME.fullmatch(name) else "?"


def split_values(raw: str | Sequence[str] | None) -> list[str]:
    """Values of one parameter given as ``a,b``, as repeated ``x=a&x=b``, or both; blanks dropped, order kept."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    values = [v.strip() for item in items for v in str(item).split(",")]
    return list(dict.fromkeys(v for v in values if v))


def _last(raw: str | Sequence[str] | None) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw.strip()
    return str(raw[-1]).strip() if len(raw) else None


def parse_ids(name: str, raw: str | Sequence[str] | None, known: Collection[str]) -> tuple[list[str], list[Notice]]:
    """Known ids among ``raw``, in order; malformed and unknown ids are dropped with a notice."""
    values = split_values(raw)
    notices = []
    malformed = [v for v in values if not ID_PATTERN.fullmatch(v)]
    if malformed:
        notices.append(Notice(name, "bad_id"))
    wellformed = [v for v in values if ID_PATTERN.fullmatch(v)]
    unknown = [v for v in wellformed if v not in known]
    if unknown:
        notices.append(Notice(name, "unknown_id", {"n": len(unknown)}))
    ids = [v for v in wellformed if v in known]
    if len(ids) > MAX_IDS:
        notices.append(Notice(name, "too_many", {"n": MAX_IDS}))
        ids = ids[:MAX_IDS]
    return ids, notices


def parse_token(name: str, raw: str | Sequence[str] | None, known: Collection[str]) -> tuple[str | None, list[Notice]]:
    """One known plain id (e.g. a search id), or None with a notice."""
    value = _last(raw)
    if not value:
        return None, []
    if not TOKEN_PATTERN.fullmatch(value):
        return None, [Notice(name, "bad_id")]
    if value not in known:
        return None, [Notice(name, "unknown_id", {"n": 1})]
    return value, []


def parse_choice(name: str, raw: str | Sequence[str] | None, options: Sequence[str]) -> tuple[str | None, list[Notice]]:
    """One of ``options``, or None (with a notice when a value was given)."""
    value = _last(raw)
    if value is None or value == "":
        return None, []
    if value in options:
        return value, []
    return None, [Notice(name, "not_choice", {"options": ", ".join(options)})]


def parse_choices(name: str, raw: str | Sequence[str] | None,
                  options: Sequence[str]) -> tuple[list[str] | None, list[Notice]]:
    """A subset of ``options`` in the order of ``options``; None when nothing valid was given."""
    values = split_values(raw)
    if not values:
        return None, []
    notices = [] if set(values) <= set(options) else [Notice(name, "not_choice", {"options": ", ".join(options)})]
    chosen = [o for o in options if o in values]
    return (chosen or None), notices


def parse_int(name: str, raw: str | Sequence[str] | None, low: int, high: int) -> tuple[int | None, list[Notice]]:
    """An int in ``[low, high]`` written in plain decimal digits, or None with a notice."""
    value = _last(raw)
    if value is None or value == "":
        return None, []
    if re.fullmatch(r"[0-9]{1,9}", value) and low <= int(value) <= high:
        return int(value), []
    return None, [Notice(name, "not_int", {"low": low, "high": high})]


def parse_text(name: str, raw: str | Sequence[str] | None) -> tuple[str | None, list[Notice]]:
    """Plain text of at most ``MAX_TEXT`` characters without markup, or None with a notice."""
    value = _last(raw)
    if value is None or value == "":
        return None, []
    if len(value) > MAX_TEXT or _UNSAFE_TEXT.search(value):
        return None, [Notice(name, "bad_text", {"n": MAX_TEXT})]
    return value, []


def parse_field(name: str, raw: str | Sequence[str] | None) -> tuple[Any, list[Notice]]:
    """A RunConfig field's value, typed as the command line's ``--set`` types it; None with a notice if unreadable.

    The value is checked for its type only: ranges and cross-field rules are the config form's to report, beside the
    widget. ``data_path`` is refused: a URL never names a file.
    """
    from core.config import ConfigError, parse_override

    value = _last(raw)
    if value is None or value == "":
        return None, []
    if name == "data_path" or len(value) > MAX_TEXT or _UNSAFE_TEXT.search(value):
        return None, [Notice(name, "bad_value")]
    try:
        return parse_override(f"{name}={value}")[1], []
    except ConfigError:
        return None, [Notice(name, "bad_value")]


def parse_view(raw: Mapping[str, str | Sequence[str]], params: Sequence[Param],
               known: Mapping[str, Collection[str]] | None = None) -> tuple[dict[str, Any], list[Notice]]:
    """Typed values of ``params`` from the raw query; a missing or dropped parameter takes its default.

    Parameters
    ----------
    raw : mapping
        Query parameter name -> value or list of values, as the browser sent them.
    params : sequence of Param
        What the page understands; any other name is dropped with a notice.
    known : mapping, optional
        For ``ids`` and ``token`` parameters: name -> the ids that exist (anything else is dropped).

    Returns
    -------
    values : dict
        name -> parsed value (or the parameter's default).
    notices : list of Notice
        One or more per dropped parameter or value, in the order of ``raw``.
    """
    known = known or {}
    by_name = {p.name: p for p in params}
    values: dict[str, Any] = {p.name: p.default for p in params}
    notices: list[Notice] = []
    for name, value in raw.items():
        param = by_name.get(name)
        if param is None and name in GLOBAL_PARAMS:
            continue
        if param is None:
            notices.append(Notice(display_name(name), "unknown_param"))
            continue
        if param.kind == "ids":
            parsed, found = parse_ids(name, value, known.get(name, ()))
            parsed = parsed or None
        elif param.kind == "token":
            parsed, found = parse_token(name, value, known.get(name, ()))
        elif param.kind == "choice":
            parsed, found = parse_choice(name, value, param.options)
        elif param.kind == "choices":
            parsed, found = parse_choices(name, value, param.options)
        elif param.kind == "int":
            parsed, found = parse_int(name, value, param.low, param.high)
        elif param.kind == "text":
            parsed, found = parse_text(name, value)
        elif param.kind == "field":
            parsed, found = parse_field(name, value)
        else:
            raise ValueError(f"Unknown Param kind {param.kind!r} for {name!r}.")
        notices += found
        if parsed is not None:
            values[name] = parsed
    return values, notices


def to_query(values: Mapping[str, Any]) -> dict[str, str]:
    """Values as query strings: lists joined by commas, booleans as 0/1; None, "" and [] left out."""
    query = {}
    for name, value in values.items():
        if value is None or value == "" or (isinstance(value, (list, tuple)) and not value):
            continue
        if isinstance(value, bool):
            query[name] = "1" if value else "0"
        elif isinstance(value, (list, tuple)):
            query[name] = ",".join(map(str, value))
        else:
            query[name] = str(value)
    return query


def view_link(url_path: str, query: Mapping[str, str], base_url: str | None = None) -> str:
    """The address of a view: ``<base_url or /url_path>?<query>``, commas kept readable."""
    base = base_url.rstrip("/") if base_url else "/" + url_path.strip("/")
    encoded = urlencode(dict(query), safe=",", quote_via=quote)
    return f"{base}?{encoded}" if encoded else base
