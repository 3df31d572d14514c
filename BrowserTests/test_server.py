"""The server as an operator starts it: a fresh data folder, SQLite in WAL mode, a private key."""
import json
import os
import sqlite3
import stat
import subprocess
import time
import urllib.request
from pathlib import Path


def test_fresh_start_makes_a_wal_database_and_a_private_secret_key(server):
    data = Path(server["data"])
    key = data / "secret.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    database = sqlite3.connect(data / "trestle.sqlite")
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"users", "workspaces", "memberships", "invitations", "api_tokens"} <= tables


def test_serve_runs_the_worker_whose_heartbeat_healthz_shows(server):
    deadline = time.time() + 15
    while True:
        health = json.load(urllib.request.urlopen(server["base"] + "/healthz"))
        if health["status"] == "ok" or time.time() > deadline:
            break
        time.sleep(0.2)
    assert health["status"] == "ok"
    assert health["database"] == "ok"
    assert health["worker"]["lastHeartbeat"]


def test_serve_without_worker_reports_degraded_until_a_worker_runs(trestle_binary, tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, TRESTLE_DATA_DIR=str(tmp_path), LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    web = subprocess.Popen([str(trestle_binary), "serve", "--no-worker", "--port", str(port)], env=env)
    worker = None
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                health = json.load(urllib.request.urlopen(base + "/healthz"))
                break
            except Exception:
                time.sleep(0.1)
        assert health["status"] == "degraded"
        assert health["worker"]["lastHeartbeat"] is None

        worker = subprocess.Popen([str(trestle_binary), "worker"], env=env)
        for _ in range(150):
            health = json.load(urllib.request.urlopen(base + "/healthz"))
            if health["status"] == "ok":
                break
            time.sleep(0.1)
        assert health["status"] == "ok"
    finally:
        for process in (worker, web):
            if process:
                process.terminate()
                process.wait(timeout=20)
    assert worker.returncode == 0, "the worker stops cleanly on SIGTERM"
