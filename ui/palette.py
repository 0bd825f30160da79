"""Colours and dash styles shared by every figure: a config group keeps one colour on every page and in every selection.

Pure (no streamlit, no plotly): figure modules and page pieces ask here, so Home, Compare, Sweep and Search agree.

The rule
--------
- ``PALETTE`` is the Okabe–Ito colour-blind-safe set (without its yellow, too pale on white), then four hues of
  Paul Tol's "muted" set for crowded views: 11 colours.
- The book's headline groups (``core.presets.HEADLINE``: no regularization, weight decay λ = 0.1, dropout 0.2 and
  0.15) own the first four colours (``HEADLINE_COLORS``); no other key is ever given one of them.
- Every other key (a group_id, a run_id, a sweep or series id) has a *home colour*: its sha256 picks one of the
  remaining colours (``home_color``). The hash is of the key alone, so the colour does not depend on what else is
  shown, on selection order, on the page or on the process.
- Two shown keys never share a colour while there are colours left: ``assign_colors`` gives each key its home colour
  unless a key of higher precedence already holds it, in which case it takes the next free colour after its home
  (round the palette). Precedence: headline groups, then keys in sorted order — the set of shown keys decides,
  never their order. So a key's colour changes only when its home colour is taken by another shown key.
- With more keys than colours, the free colours run out and colours repeat (home colours again).

Splits keep one dash style everywhere (``SPLIT_DASH``): train dashed, validation dotted, test solid; the gap, which is
not a split, is solid too.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Mapping

from core.presets import HEADLINE, get_preset

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
TOL_MUTED = ("#882255", "#44AA99", "#999933", "#332288")
PALETTE: tuple[str, ...] = OKABE_ITO + TOL_MUTED
SPLIT_DASH: Mapping[str, str] = {"train": "dash", "val": "dot", "test": "solid", "gap": "solid"}
ZERO_COLOR = "#555555"      # reference lines (zero, λ = 0 break): neutral, so they never read as one more config
BAND_OPACITY = 0.18


def _headline_colors() -> dict[str, str]:
    group_ids = list(dict.fromkeys(c.group_id for name in HEADLINE for c in get_preset(name).configs))
    return {g: PALETTE[i] for i, g in enumerate(group_ids)}


HEADLINE_COLORS: Mapping[str, str] = _headline_colors()
FREE_COLORS: tuple[str, ...] = tuple(c for c in PALETTE if c not in set(HEADLINE_COLORS.values()))


def _slot(key: str) -> int:
    """The key's home slot among ``FREE_COLORS``: sha256 (stable across processes, unlike ``hash``)."""
    return int.from_bytes(hashlib.sha256(str(key).encode()).digest()[:8], "big") % len(FREE_COLORS)


def home_color(key: str) -> str:
    """The colour ``key`` has whenever no other shown key takes it first (a headline group: its fixed colour)."""
    return HEADLINE_COLORS.get(key) or FREE_COLORS[_slot(key)]


def assign_colors(keys: Iterable[str]) -> dict[str, str]:
    """Colours of the shown ``keys`` (in their order): home colours, moved only to keep two shown keys apart.

    Parameters
    ----------
    keys : iterable of str
        group_ids, run_ids or other stable ids; duplicates are ignored.

    Returns
    -------
    dict
        key -> ``#rrggbb``. Distinct while the shown keys fit in the palette; the result depends on the set of keys,
        not on their order.
    """
    shown = list(dict.fromkeys(str(k) for k in keys))
    colors = {k: HEADLINE_COLORS[k] for k in shown if k in HEADLINE_COLORS}
    taken = set(colors.values())
    for key in sorted(k for k in shown if k not in colors):
        start = _slot(key)
        free = [FREE_COLORS[(start + step) % len(FREE_COLORS)] for step in range(len(FREE_COLORS))]
        colors[key] = next((c for c in free if c not in taken), home_color(key))
        taken.add(colors[key])
    return {k: colors[k] for k in shown}


def indexed_color(index: int) -> str:
    """The ``index``-th palette colour, for things that are not configs (search rounds, strategies)."""
    return PALETTE[index % len(PALETTE)]


def rgba(hex_color: str, alpha: float) -> str:
    """``#rrggbb`` with an opacity, as plotly's ``rgba(r,g,b,a)``."""
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
