"""Browser tier: Playwright driving Debian's Chromium against the app served on 127.0.0.1.

Nothing is downloaded at test time: Chromium comes from the system (apt, or CHROMIUM_PATH),
axe-core is vendored under assets/. See ../../../shared/ENGINEERING.md, "Browser tests".
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser

from app.settings import Settings
from app.web.main import create_app
from tests.browser.helpers import (
    BrowserDraft,
    complete_questionnaire,
    core_cluster,
    persona,
)

HERE = Path(__file__).resolve().parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
LAUNCH_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects anything
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test (``pytest -m browser``), and runs last:
    Playwright's sync API keeps an event loop running in the main thread until the session
    ends, which the async (anyio) tests of the other tiers cannot run beside."""
    browser_items = []
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            browser_items.append(item)
    if browser_items:
        chosen = set(browser_items)
        items[:] = [item for item in items if item not in chosen] + browser_items


def _chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", DEFAULT_CHROMIUM)


def _install_chromium() -> None:
    """As root on Debian, install the distribution's Chromium (the documented ~25 s step)."""
    if os.name != "posix" or os.geteuid() != 0 or not Path("/etc/debian_version").exists():
        return
    apt = shutil.which("apt-get")
    if apt is None:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run([apt, "update"], check=True, timeout=300, env=env, capture_output=True)
        subprocess.run(
            [apt, "install", "-y", "chromium"],
            check=True,
            timeout=600,
            env=env,
            capture_output=True,
        )
    except (subprocess.SubprocessError, OSError) as exc:  # reported below as "missing"
        print(f"apt-get install chromium failed: {exc}")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = _chromium_path()
    if not Path(path).exists() and path == DEFAULT_CHROMIUM:  # apt installs it there
        _install_chromium()
    if not Path(path).exists():
        message = f"Chromium not found at {path} (set CHROMIUM_PATH or apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], chromium_executable: str
) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": chromium_executable,
        "args": LAUNCH_FLAGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """French by default, like the product; a test asks for English with
    ``@pytest.mark.browser_context_args(locale="en-GB")``."""
    return {**browser_context_args, "locale": "fr-FR"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_database_url() -> Iterator[str]:
    """The live server's SQLite file (tests reach it directly, e.g. to create a partner key)."""
    with tempfile.TemporaryDirectory(prefix="browser-tier-") as tmp:
        yield f"sqlite:///{tmp}/app.db"


@pytest.fixture(scope="session")
def live_server(live_database_url: str) -> Iterator[str]:
    """The real app served by uvicorn in a thread; yields its base URL."""
    app = create_app(Settings(database_url=live_database_url))
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start for the browser tests")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """Relative URLs in ``page.goto("/assessment")`` go to the live server."""
    return live_server


@pytest.fixture(scope="session")
def completed_draft(
    browser: Browser, browser_context_args: dict[str, Any], base_url: str
) -> BrowserDraft:
    """One questionnaire completed once through the real pages; its cookies let a fresh
    context open the result page (charts, accessibility, page weight, screenshots)."""
    answers = persona("classiques", 2)
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        complete_questionnaire(page, answers)
        result_path = "/" + page.url.split("/", 3)[3].split("?")[0]
        state = context.storage_state()
    finally:
        context.close()
    return BrowserDraft(
        answers=answers,
        cluster=core_cluster(answers),
        storage_state=state,
        result_path=result_path,
    )
