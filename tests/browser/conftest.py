"""Fixtures of the real-browser tests: a results folder populated by the core, ``streamlit run app.py`` on a free
loopback port (one server per test module), and Debian's Chromium driven by Playwright.

Where Chromium or Playwright is missing, the tests skip with the reason on a developer's machine, and fail when the
environment variable ``CI`` is set (CI must never skip them silently).
"""
from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SERVER_START_TIMEOUT = 90.0  # seconds: a cold `streamlit run` on 2 busy cores imports pandas, plotly, sklearn

# The populated folder: tiny real runs, so every page has something true to draw in seconds.
TINY = dict(n_train=100, n_test=200, hidden_sizes=(16,), n_epochs=5, batch_size=50, lr=0.1)
WEIGHT_DECAYS = (0.0, 0.01, 0.1)
SEEDS = (0, 1)
SEARCH_TRIALS = 10


# ---- Chromium and Playwright: skip on a developer's machine, fail in CI ---------------------------------------------
def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        return f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"the Python package playwright is not importable ({exc}); pip install -r requirements-test.txt"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"CI is set, so the browser tests must run, but {reason}.", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture
def search_page() -> None:
    """The Search page (issue 4) must exist: skip without it on a developer's machine, fail under CI."""
    if not (REPO / "pages" / "search.py").is_file():
        skip_or_fail("pages/search.py does not exist")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's, never a downloaded one) for the whole session."""
    reason = missing_browser()
    if reason:
        skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


TIMEOUT_MS = 30_000  # for every wait and expect(): first renders of plotly charts are slow on 2 busy cores


@pytest.fixture
def new_context(browser):
    """A factory of fresh browser contexts (no cookies, no storage, no Streamlit session), closed after the test:
    a second one is "someone else opening the copied link"."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    made = []

    def make():
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
        ctx.set_default_timeout(TIMEOUT_MS)
        made.append(ctx)
        return ctx

    try:
        yield make
    finally:
        for ctx in made:
            ctx.close()


@pytest.fixture
def context(new_context):
    """The test's own browser context."""
    return new_context()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# ---- the results folder -----------------------------------------------------------------------------------------
def populate(root: Path) -> dict:
    """Train tiny configs (3 weight decays x 2 seeds), the book's headline configs with a tiny run's curves (as the
    page tests do, so Home draws its figure without 200-epoch runs), and a tiny random search with a validation split.

    Returns what the tests need to know: the tiny groups (in weight-decay order) and the search id.
    """
    from core.config import RunConfig
    from core.presets import HEADLINE, get_preset
    from core.search import SearchSpec, run_search
    from core.store import ResultStore
    from core.train import train

    tiny = RunConfig(**TINY)
    records = [train(dataclasses.replace(tiny, weight_decay=wd, seed=seed)) for wd in WEIGHT_DECAYS for seed in SEEDS]
    headline = [c for name in HEADLINE for c in get_preset(name).configs_for_seeds(3)]
    records += [dataclasses.replace(records[0], config=c) for c in headline]
    ResultStore(root).write(records)
    groups = list(dict.fromkeys(r.config.group_id for r in records[:len(WEIGHT_DECAYS) * len(SEEDS)]))
    view = run_search(SearchSpec(strategy="random", n_trials=SEARCH_TRIALS, base=dataclasses.replace(tiny, n_val=50)),
                      root=root)
    return {"root": root, "groups": groups, "search_id": view.spec.search_id, "n_trials": SEARCH_TRIALS}


# ---- the server ---------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(proc: subprocess.Popen, url: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode} before it was healthy:\n"
                               f"{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit was not healthy after {timeout:.0f} s:\n{log.read_text(errors='replace')[-4000:]}")


def stop(proc: subprocess.Popen) -> None:
    """Stop the server and the job manager's worker processes: they share the server's own process group."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers of the group (spawned workers), if any are left
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


@contextmanager
def streamlit_server(root: Path, log: Path, name: str, extra_env: dict | None = None) -> Iterator[dict]:
    """``streamlit run app.py`` on a free loopback port over ``root`` (with ``extra_env``); stopped on exit, its
    output kept as ``test-artifacts/streamlit-<name>.log``. Yields ``url``, ``log`` and ``proc``."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERFIT_LAB_")}
    env.update(OVERFIT_LAB_RESULTS=str(root), PYTHONUNBUFFERED="1", **(extra_env or {}))
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, url, log, SERVER_START_TIMEOUT)
        yield {"url": url, "log": log, "proc": proc}
    finally:
        stop(proc)
        if log.is_file():  # the server's output, for a failure seen only in CI
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / f"streamlit-{name}.log").write_bytes(log.read_bytes())


@pytest.fixture
def serve():
    """``streamlit_server``, for a test that starts a server over a folder of its own (skips, or fails under CI,
    without a browser). A fixture, not an import: ``tests/pages`` has a ``conftest`` module too, and whichever
    was imported last answers ``from conftest import``."""
    reason = missing_browser()
    if reason:
        skip_or_fail(reason)
    return streamlit_server


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """``streamlit run app.py`` on 127.0.0.1 over a freshly populated results folder; stopped even on failure.

    Yields a dict: ``url`` (http://127.0.0.1:<port>), ``root``, ``groups``, ``search_id``, ``log``.
    """
    reason = missing_browser()  # no point in training and starting a server for tests that cannot run
    if reason:
        skip_or_fail(reason)
    folder = tmp_path_factory.mktemp("browser")
    root = folder / "results"
    root.mkdir()
    data = populate(root)
    with streamlit_server(root, folder / "streamlit.log", request.module.__name__.rsplit(".", 1)[-1]) as served:
        yield {**data, **served}
