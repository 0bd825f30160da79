"""ui.palette: a key's colour depends on the key (and on collisions among the shown keys), never on order or page."""
from __future__ import annotations

import itertools

from core.presets import HEADLINE, get_preset
import pandas as pd

from ui.palette import (FREE_COLORS, HEADLINE_COLORS, PALETTE, SPLIT_DASH, assign_colors, home_color, indexed_color,
                        rgba, store_order)

KEYS = [f"{i:012x}" for i in range(0, 4000, 97)]


def test_headline_groups_own_fixed_distinct_colours():
    groups = list(dict.fromkeys(c.group_id for name in HEADLINE for c in get_preset(name).configs))
    assert [HEADLINE_COLORS[g] for g in groups] == list(PALETTE[:4])
    assert not set(FREE_COLORS) & set(HEADLINE_COLORS.values())
    assert all(home_color(k) in FREE_COLORS for k in KEYS)  # nobody else gets a headline colour


def test_colours_do_not_depend_on_order_or_on_the_other_keys_without_a_collision():
    headline = list(HEADLINE_COLORS)
    for a, b in itertools.combinations(KEYS[:12], 2):
        shown = [a, b, *headline]
        colors = assign_colors(shown)
        assert colors == assign_colors(shown[::-1])
        assert len(set(colors.values())) == len(shown)  # never two shown keys with one colour
        if home_color(a) != home_color(b):
            assert colors[a] == home_color(a) and colors[b] == home_color(b)
        for g in headline:
            assert colors[g] == HEADLINE_COLORS[g]


def test_a_collision_moves_the_later_key_in_sorted_order_to_the_next_free_colour():
    a, b = next((a, b) for a, b in itertools.combinations(sorted(KEYS), 2) if home_color(a) == home_color(b))
    colors = assign_colors([b, a])
    assert colors[a] == home_color(a)
    start = FREE_COLORS.index(home_color(b))
    assert colors[b] == FREE_COLORS[(start + 1) % len(FREE_COLORS)]
    crowd = assign_colors(KEYS[:30])  # more keys than colours: every colour used, then repeats
    assert set(crowd.values()) == set(FREE_COLORS)


def test_split_dashes_and_helpers():
    assert SPLIT_DASH == {"train": "dash", "val": "dot", "test": "solid", "gap": "solid"}
    assert indexed_color(len(PALETTE)) == PALETTE[0]
    assert rgba("#0072B2", 0.5) == "rgba(0,114,178,0.5)"


def test_with_the_store_order_keys_made_together_get_different_colours_in_any_selection():
    runs = pd.DataFrame({"group_id": ["b", "a", "b", "c", *HEADLINE_COLORS][:7],
                         "created_at": ["2026-01-02", "2026-01-01", "2026-01-05", "2026-01-03", "x", "y", "z"]})
    order = store_order(runs)
    assert order[:3] == ["a", "b", "c"]  # oldest first, by first created_at
    keys = [f"{i:012x}" for i in range(len(FREE_COLORS))]
    everything = assign_colors(keys, keys)
    assert sorted(everything.values()) == sorted(FREE_COLORS)  # one colour each, none moved
    for a, b in itertools.combinations(keys, 2):
        pair = assign_colors([b, a], keys)
        assert pair == {a: everything[a], b: everything[b]} and home_color(a, keys) == everything[a]
    assert assign_colors(["zz"], keys)["zz"] == home_color("zz")  # a key not in the order: its hash
    assert store_order(runs.iloc[0:0]) == []
