"""The dashboard with OVERFIT_LAB_DASK: the sidebar names the cluster, and an unreachable one refuses a launch in
one catalogue sentence (nothing is queued, nothing crashes)."""
from __future__ import annotations

import pytest

from pagetools import TINY, open_page


def test_the_sidebar_names_the_cluster(empty_results, monkeypatch):
    monkeypatch.setenv("OVERFIT_LAB_DASK", "tcp://10.1.2.3:8786")
    at = open_page("pages/home.py")
    assert any("Cluster: `tcp://10.1.2.3:8786`" in c.value for c in at.sidebar.caption)


def test_no_cluster_no_cluster_line(empty_results, monkeypatch):
    monkeypatch.delenv("OVERFIT_LAB_DASK", raising=False)
    at = open_page("pages/home.py")
    assert not any("Cluster:" in c.value for c in at.sidebar.caption)


def test_an_unreachable_cluster_refuses_a_launch_in_one_sentence(empty_results, monkeypatch):
    from ui import services

    monkeypatch.setenv("OVERFIT_LAB_DASK", "tcp://127.0.0.1:9")
    monkeypatch.setattr("core.executors.CONNECT_TIMEOUT_S", 1.0)
    with pytest.raises(services.ActionRefused) as refused:
        services.launch([TINY], "tiny")
    message = str(refused.value)
    assert message.startswith("The Dask cluster cannot be used: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "OVERFIT_LAB_DASK" in message and "\n" not in message
    assert not (empty_results / ".jobs").exists()
