"""Fixtures shared by the core tests."""
from __future__ import annotations

import pytest

from core.store_index import CACHE_ENV


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """The user's cache folder (listing indexes, the dataset cache) beside the test's own folder, not the user's:
    the tests list the test's folder, so the cache must not be inside it."""
    cache = tmp_path.parent / f"{tmp_path.name}-cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    return cache
