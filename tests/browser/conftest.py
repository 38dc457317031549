"""Fixtures for the browser tests: the widget build, Debian's Chromium, the web chat server.

The assistant itself comes from the session fixture `rasa_stack` (tests/conftest.py: a real
HubGuide Rasa server and action server). For work on the widget alone, set
HUBGUIDE_STOCK_BOT=/path/to/a/trained/stock/rasa/project to run against that bot instead;
HubGuide-specific expectations then give way to the stock bot's (see scenarios.py).
HUBGUIDE_BROWSER_RASA_URL=http://127.0.0.1:5005 uses an assistant that is already running
(HUBGUIDE_BROWSER_PROFILE: "hubguide", the default, or "stock").
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ops.stack import free_port

ROOT = Path(__file__).resolve().parents[2]
WEBCHAT = ROOT / "webchat"
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
CHROMIUM = Path(os.environ.get("HUBGUIDE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def http_status(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while http_status(url) != 200:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited:\n{log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} not ready after {timeout:.0f} s (log: {log})")
        time.sleep(0.25)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclass(frozen=True)
class ChatBackend:
    """The assistant the widget talks to, and which expectations apply to it."""

    rasa_url: str
    profile: str  # "hubguide" (the real bot) or "stock" (a stock bot for widget work)
    token: str = ""  # the Rasa HTTP API token (HubGuide's API answers only with it)
    web_port: int | None = None  # the web chat port the Rasa server allows as an origin


@dataclass(frozen=True)
class WebchatServer:
    url: str
    rasa_url: str
    token: str = ""


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """Debian's Chromium, installed by webchat/install_browser.sh when missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        result = subprocess.run(
            ["bash", str(WEBCHAT / "install_browser.sh")],
            capture_output=True,
            text=True,
            timeout=900,
        )
        if result.returncode != 0 or not CHROMIUM.exists():
            pytest.skip(
                f"Chromium missing at {CHROMIUM} and webchat/install_browser.sh could not "
                f"install it: {(result.stderr or result.stdout).strip()[-500:]}"
            )
    return CHROMIUM


@pytest.fixture(scope="session")
def widget_bundle() -> Path:
    """Builds the widget from source, as `make webchat` does on a fresh clone."""
    if shutil.which("npm") is None:
        pytest.fail("npm is needed to build the chat widget (webchat/build.sh)")
    subprocess.run(["bash", str(WEBCHAT / "build.sh")], check=True, timeout=600)
    bundle = WEBCHAT / "static" / "dist" / "widget.js"
    assert bundle.is_file(), "webchat/build.sh did not produce static/dist/widget.js"
    return bundle


def _start_stock_bot(project: Path, log_dir: Path) -> Iterator[ChatBackend]:
    port = free_port()
    log = log_dir / "stock-rasa.log"
    rasa = Path(sys.executable).with_name("rasa")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(rasa), "run", "--enable-api", "--cors", "*", "-i", "127.0.0.1", "-p", str(port)]
            + ["--credentials", "credentials.yml"],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/status", process, log, timeout=300)
        yield ChatBackend(rasa_url=f"http://127.0.0.1:{port}", profile="stock")
    finally:
        stop(process)


@pytest.fixture(scope="session")
def chat_backend(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[ChatBackend]:
    running = os.environ.get("HUBGUIDE_BROWSER_RASA_URL")
    if running:  # an assistant already running (e.g. `make run`), to iterate on the widget fast
        profile = os.environ.get("HUBGUIDE_BROWSER_PROFILE", "hubguide")
        yield ChatBackend(rasa_url=running.rstrip("/"), profile=profile)
        return
    stock = os.environ.get("HUBGUIDE_STOCK_BOT")
    if stock:
        yield from _start_stock_bot(Path(stock), tmp_path_factory.mktemp("stock-bot"))
        return
    try:
        stack = request.getfixturevalue("rasa_stack")
    except pytest.FixtureLookupError:
        pytest.skip("no `rasa_stack` fixture (tests/conftest.py) and no HUBGUIDE_STOCK_BOT set")
    yield ChatBackend(
        rasa_url=stack.rasa_url.rstrip("/"),
        profile="hubguide",
        token=stack.token,
        web_port=stack.ports["web"],
    )


@pytest.fixture(scope="session")
def webchat_server(
    widget_bundle: Path, chat_backend: ChatBackend, tmp_path_factory
) -> Iterator[WebchatServer]:
    """`python -m webchat.server` on the port the assistant allows as an origin (else a free
    one), ready when /healthz answers 200."""
    port = chat_backend.web_port or free_port()
    log = tmp_path_factory.mktemp("webchat") / "webchat.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "webchat.server", "--host", "127.0.0.1", "--port", str(port)]
            + ["--rasa-url", chat_backend.rasa_url],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/healthz", process, log, timeout=60)
        yield WebchatServer(url=url, rasa_url=chat_backend.rasa_url, token=chat_backend.token)
    finally:
        stop(process)


@pytest.fixture
def playwright_driver(chromium_executable: Path):
    """Per test, not per session: Playwright's sync API keeps an asyncio loop running in this
    thread while it is started, which would break every async test that runs after it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def new_browser(playwright_driver, chromium_executable: Path, tmp_path: Path):
    """Factory: a fresh Chromium with a new empty profile (user data dir) and the given locale."""
    contexts = []

    def launch(locale: str = "en-GB"):
        profile = tmp_path / f"profile-{len(contexts)}"
        profile.mkdir()
        context = playwright_driver.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(chromium_executable),
            headless=True,
            args=CHROMIUM_ARGS,
            locale=locale,
            viewport={"width": 1100, "height": 800},
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context

    yield launch
    for context in contexts:
        context.close()


@pytest.fixture
def screenshots(request: pytest.FixtureRequest):
    """shot(page, step): saves tests/artifacts/browser/<test>/<NN>-<step>.png."""
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    counter = iter(range(1, 100))

    def shot(page, step: str) -> Path:
        path = folder / f"{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return shot
