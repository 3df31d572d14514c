"""The server as an operator starts it: a fresh data folder, SQLite in WAL mode, a private key."""
import json
import os
import sqlite3
import stat
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import free_port, wait_for_health


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
    port = free_port()
    env = dict(os.environ, TRESTLE_DATA_DIR=str(tmp_path), LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    web = subprocess.Popen([str(trestle_binary), "serve", "--no-worker", "--port", str(port)], env=env)
    worker = None
    try:
        base = f"http://127.0.0.1:{port}"
        health = wait_for_health(base, web)
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


def test_the_same_binary_runs_on_postgresql_after_trestle_migrate(trestle_binary, tmp_path):
    """Needs TRESTLE_TEST_POSTGRES_URL (.ci/run sets it); skipped without a PostgreSQL server."""
    import uuid

    import pytest

    admin = os.environ.get("TRESTLE_TEST_POSTGRES_URL")
    if not admin:
        pytest.skip("TRESTLE_TEST_POSTGRES_URL is not set")
    name = "trestle_e2e_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    url = admin.rsplit("/", 1)[0] + "/" + name
    env = dict(os.environ, TRESTLE_DATA_DIR=str(tmp_path), LOG_LEVEL="warning", DATABASE_URL=url)
    port = free_port()
    try:
        # Without migrations the server refuses to start, and says what to do.
        refused = subprocess.run([str(trestle_binary), "serve", "--port", str(port)], env=env,
                                 capture_output=True, text=True, timeout=60)
        assert refused.returncode != 0
        assert "trestle migrate" in refused.stdout + refused.stderr

        subprocess.run([str(trestle_binary), "migrate"], env=env, check=True, capture_output=True)
        web = subprocess.Popen([str(trestle_binary), "serve", "--port", str(port)], env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            assert wait_for_health(base, web)["database"] == "ok"
            run = lambda *args: subprocess.run([str(trestle_binary), *args], env=env, capture_output=True, text=True, check=True)
            run("user", "create", "--email", "pg@example.com", "--password", "long enough", "--workspace", "On Postgres")
            token = run("token", "create", "--email", "pg@example.com").stdout.strip()
            request = urllib.request.Request(base + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            assert json.load(urllib.request.urlopen(request))["workspaces"][0]["name"] == "On Postgres"
        finally:
            web.terminate()
            web.wait(timeout=20)
        assert not (tmp_path / "trestle.sqlite").exists(), "nothing was written to SQLite"
    finally:
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)


def test_a_fresh_install_can_start_with_user_create_and_the_token_is_alone_on_stdout(trestle_binary, tmp_path):
    env = dict(os.environ, TRESTLE_DATA_DIR=str(tmp_path), LOG_LEVEL="info")
    env.pop("DATABASE_URL", None)
    run = lambda *args: subprocess.run([str(trestle_binary), *args], env=env, capture_output=True, text=True, check=True)
    created = run("user", "create", "--email", "first@example.com", "--password", "long enough", "--workspace", "First")
    assert "Created user first@example.com" in created.stdout
    assert "Migrator" not in created.stdout, "logs go to standard error"
    token = run("token", "create", "--email", "first@example.com")
    assert token.stdout.count("\n") == 1 and token.stdout.startswith("trs_")
