"""Colours and dash styles shared by every figure: a config group keeps one colour on every page and in every selection.

Pure (no streamlit, no plotly): figure modules and page pieces ask here, so Home, Compare, Sweep and Search agree.

The rule
--------
- ``PALETTE`` is the Okabe–Ito colour-blind-safe set (without its yellow, too pale on white), then four hues of
  Paul Tol's "muted" set for crowded views: 11 colours.
- The book's headline groups (``core.presets.HEADLINE``: no regularization, weight decay λ = 0.1, dropout 0.2 and
  0.15) own the first four colours (``HEADLINE_COLORS``); no other key is ever given one of them.
- Every other key (a group_id, a run_id, a sweep or series id) has a *home slot* among the remaining colours:
  - with ``order`` (every known key, oldest first: ``store_order(runs)``), its place in that order (headline groups
    skipped), modulo the number of colours: keys made together (a sweep's groups, a preset's) get different
    colours, and a key keeps its slot as long as no older key is deleted;
  - without it, its sha256 (``home_color``): the key alone decides.
  Either way the colour does not depend on what else is shown, on selection order, on the page or on the process.
  Pages pass ``store_order(services.runs())`` so every page agrees.
- Two shown keys never share a colour while there are colours left: ``assign_colors`` gives each key its home colour
  unless a key of higher precedence already holds it, in which case it takes the next free colour after its home
  (round the palette). Precedence: headline groups, then keys in sorted order — the set of shown keys decides,
  never their order. So a key's colour changes only when its home colour is taken by another shown key.
- With more keys than colours, the free colours run out and colours repeat (home colours again).

Splits keep one dash style everywhere (``SPLIT_DASH``): train dashed, validation dotted, test solid; the gap, which is
not a split, is solid too. A figure of one config, whose lines differ only by split (the Sweep page, the Search page's
Best-N), also gives each split its colour (``SPLIT_COLOR``, the gap ``GAP_COLOR``): hues of another set (Tableau 10)
than the configs' palette, so a split is never read as a config group.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Mapping, Sequence

import pandas as pd

from core.presets import HEADLINE, get_preset

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
TOL_MUTED = ("#882255", "#44AA99", "#999933", "#332288")
# Black last: beside the grey bands and reference lines it reads as "a reference", so it is the last one handed out.
PALETTE: tuple[str, ...] = OKABE_ITO[:-1] + TOL_MUTED + OKABE_ITO[-1:]
SPLIT_DASH: Mapping[str, str] = {"train": "dash", "val": "dot", "test": "solid", "gap": "solid"}
SPLIT_COLOR: Mapping[str, str] = {"train": "#4e79a7", "val": "#f28e2b", "test": "#59a14f"}  # Tableau 10: blue, orange, green
GAP_COLOR = "#b07aa1"
ZERO_COLOR = "#555555"      # reference lines (zero, λ = 0 break): neutral, so they never read as one more config
BAND_OPACITY = 0.18


def _headline_colors() -> dict[str, str]:
    group_ids = list(dict.fromkeys(c.group_id for name in HEADLINE for c in get_preset(name).configs))
    return {g: PALETTE[i] for i, g in enumerate(group_ids)}


HEADLINE_COLORS: Mapping[str, str] = _headline_colors()
FREE_COLORS: tuple[str, ...] = tuple(c for c in PALETTE if c not in set(HEADLINE_COLORS.values()))


def _slot(key: str) -> int:
    """The key's home slot among ``FREE_COLORS`` from its sha256 (stable across processes, unlike ``hash``)."""
    return int.from_bytes(hashlib.sha256(str(key).encode()).digest()[:8], "big") % len(FREE_COLORS)


def home_color(key: str, order: Sequence[str] | None = None) -> str:
    """The colour ``key`` has whenever no other shown key takes it first (a headline group: its fixed colour)."""
    return HEADLINE_COLORS.get(key) or FREE_COLORS[_slots(order).get(key, _slot(key))]


def _slots(order: Sequence[str] | None) -> dict[str, int]:
    """key -> slot from its place in ``order`` (headline groups skipped); empty without an order."""
    others = [k for k in dict.fromkeys(order or ()) if k not in HEADLINE_COLORS]
    return {k: i % len(FREE_COLORS) for i, k in enumerate(others)}


def store_order(runs: pd.DataFrame, key: str = "group_id") -> list[str]:
    """Every ``key`` (group_id or run_id) of the store's runs table, oldest first (by its first ``created_at``)."""
    if runs.empty or key not in runs.columns:
        return []
    columns = [key, "created_at"] if "created_at" in runs.columns else [key]
    ordered = runs[columns].sort_values(columns[1:] + [key], kind="stable") if len(columns) > 1 else runs[columns]
    return list(ordered[key].drop_duplicates())


def assign_colors(keys: Iterable[str], order: Sequence[str] | None = None) -> dict[str, str]:
    """Colours of the shown ``keys`` (in their order): home colours, moved only to keep two shown keys apart.

    Parameters
    ----------
    keys : iterable of str
        group_ids, run_ids or other stable ids; duplicates are ignored.
    order : sequence of str, optional
        Every known key, oldest first (``store_order``); a key not in it falls back on its hash.

    Returns
    -------
    dict
        key -> ``#rrggbb``. Distinct while the shown keys fit in the palette; the result depends on the set of keys,
        not on their order.
    """
    shown = list(dict.fromkeys(str(k) for k in keys))
    slots = _slots(order)
    colors = {k: HEADLINE_COLORS[k] for k in shown if k in HEADLINE_COLORS}
    taken = set(colors.values())
    for key in sorted(k for k in shown if k not in colors):
        start = slots.get(key, _slot(key))
        free = [FREE_COLORS[(start + step) % len(FREE_COLORS)] for step in range(len(FREE_COLORS))]
        colors[key] = next((c for c in free if c not in taken), free[0])
        taken.add(colors[key])
    return {k: colors[k] for k in shown}


def indexed_color(index: int) -> str:
    """The ``index``-th palette colour, for things that are not configs (search rounds, strategies)."""
    return PALETTE[index % len(PALETTE)]


def rgba(hex_color: str, alpha: float) -> str:
    """``#rrggbb`` with an opacity, as plotly's ``rgba(r,g,b,a)``."""
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
