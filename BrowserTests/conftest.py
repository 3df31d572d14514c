"""Starts a real Trestle (the debug build, SQLite in a temporary folder) for the browser tests."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_health(base: str, process: subprocess.Popen, seconds: float = 60) -> dict:
    """Waits until the server answers /healthz and returns the answer."""
    import json

    deadline = time.time() + seconds
    while True:
        try:
            return json.load(urllib.request.urlopen(base + "/healthz", timeout=1))
        except Exception:
            if process.poll() is not None or time.time() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"trestle did not start:\n{output}")
            time.sleep(0.1)


@pytest.fixture(scope="session")
def trestle_binary() -> Path:
    binary = Path(os.environ.get("TRESTLE_BINARY", ROOT / ".build" / "debug" / "trestle"))
    if not binary.exists():
        subprocess.run(["swift", "build", "--product", "trestle"], cwd=ROOT, check=True)
    return binary


@contextmanager
def running_trestle(binary: Path, **settings: str):
    """A Trestle of its own (debug build, SQLite in a temporary folder), with `settings` added to
    its environment; each has its own sign-up allowance (10 an hour per address)."""
    data = tempfile.mkdtemp(prefix="trestle-browser-")
    port = free_port()
    # The fake networks listen on loopback, which Trestle calls only when the operator allows it.
    env = dict(os.environ, TRESTLE_DATA_DIR=data, LOG_LEVEL="warning", TRESTLE_FETCH_ALLOW="127.0.0.1", **settings)
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [str(binary), "serve", "--hostname", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for_health(base, process)
    try:
        yield {"base": base, "data": data, "env": env, "binary": binary}
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def server(trestle_binary):
    with running_trestle(trestle_binary) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is needed: apt-get install chromium")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield instance
        instance.close()


def sign_up(page, base: str, email: str, password: str, workspace: str) -> None:
    """Signs up through the form and waits for the new workspace's dashboard."""
    from playwright.sync_api import expect

    page.goto(base + "/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Workspace name").fill(workspace)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("h1")).to_have_text(workspace)


def wait_until_published(page) -> None:
    """The running server's own worker publishes within a few seconds; the post's page shows it
    on reload."""
    from playwright.sync_api import expect

    for _ in range(30):
        if page.locator("#post-status").inner_text() == "published":
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(page.locator("#post-status")).to_have_text("published")
