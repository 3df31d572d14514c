"""The API as its OpenAPI document describes it: schemathesis sends schema-valid and
schema-invalid requests to every operation (and follows the document's links from what a POST
creates to the operations on it) and checks every answer against the document."""
import os
import socket
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def trestle(server, *arguments: str) -> str:
    result = subprocess.run([str(server["binary"]), *arguments], env=server["env"],
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.strip()


def test_every_api_operation_answers_as_the_openapi_document_says(server):
    created = trestle(server, "user", "create", "--email", "fuzz@api.example",
                      "--password", "schema and fuzz", "--workspace", "Fuzzing")
    workspace = created.rsplit("(", 1)[1].rstrip(")")
    token = trestle(server, "token", "create", "--email", "fuzz@api.example")

    # Bound, never listening: a connection to it is refused at once.
    with socket.socket() as dead:
        dead.bind(("127.0.0.1", 0))
        env = dict(
            os.environ,
            TRESTLE_API_TOKEN=token,
            TRESTLE_API_WORKSPACE=workspace,
            TRESTLE_DEAD_SERVER="http://127.0.0.1:%d" % dead.getsockname()[1],
        )
        run = subprocess.run(
            # The pinned version .ci/run installs, with this Python; schemathesis.toml says the rest.
            [sys.executable, "-m", "schemathesis.cli", "--config-file", str(HERE / "schemathesis.toml"), "run",
             "--checks", "all", server["base"] + "/api/v1/openapi.json"],
            cwd=HERE, env=env, capture_output=True, text=True, timeout=240,
        )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
