"""Helpers of the page tests (a module of its own: ``conftest`` is not importable by name when several exist)."""
from __future__ import annotations

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.config import RunConfig
from core.store import ResultStore

APP = Path(__file__).resolve().parents[2] / "app.py"
TINY = RunConfig(n_train=100, n_test=200, hidden_sizes=(16,), n_epochs=3, batch_size=50)


def open_page(page: str, query: dict | None = None) -> AppTest:
    """Run ``app.py`` (the router), then ``page`` with ``query`` as the URL's query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    if page != "pages/home.py" or query:
        at.query_params = dict(query or {})
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def use_copy_of(source: Path, tmp_path: Path, monkeypatch) -> Path:
    """Point the app at a private copy of ``source`` (for tests that write), in normal (not read-only) mode."""
    root = tmp_path / "results"
    shutil.copytree(source, root)
    monkeypatch.setenv("OVERFIT_LAB_RESULTS", str(root))
    monkeypatch.delenv("OVERFIT_LAB_READ_ONLY", raising=False)
    return root


def n_runs(root: Path) -> int:
    return len(ResultStore(root).load_runs())


def texts(at: AppTest, kind: str) -> list[str]:
    """The values of every element of ``kind`` (info, error, markdown, caption, ...)."""
    return [str(e.value) for e in at.get(kind)]
