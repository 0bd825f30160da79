"""Every string key the pages and widgets look up exists in English (a typo would only fail at render time)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ui.text import common, compare, home, results, run

ROOT = Path(__file__).resolve().parents[2]
TABLES = {"common": common.EN, "home": home.EN, "run": run.EN, "compare": compare.EN, "results": results.EN}
SOURCES = {  # file -> the text module its bare t(...) calls use
    "app.py": "common", "pages/home.py": "home", "pages/run.py": "run", "pages/compare.py": "compare",
    "pages/results.py": "results", "ui/widgets.py": "common", "ui/services.py": "common", "ui/state.py": "common",
}
LITERAL_KEY = re.compile(r"""\bt(c?)\(\s*["']([a-z_.]+)["']""")


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_literal_keys_exist(source):
    text = (ROOT / source).read_text()
    for alias, key in LITERAL_KEY.findall(text):
        table = TABLES["compare" if alias == "c" else SOURCES[source]]
        assert key in table, f"{source}: t({key!r}) has no English string"


def test_lookup_formats_and_fails_loudly_on_a_typo():
    assert home.t("headline.launch", n=3) == "Run the book's three experiments (3 seeds)"
    with pytest.raises(KeyError):
        home.t("no.such.key")


def test_every_config_field_has_a_label():
    from core.config import FIELD_TYPES

    assert {f"field.{name}" for name in FIELD_TYPES} <= set(common.EN)
