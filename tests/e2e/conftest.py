"""The local stack as `make run` starts it, in a subprocess, for tests over real HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def call(method: str, url: str, token: str | None = None, json: Any = None, **kw: Any) -> requests.Response:
    """One HTTP request to the stack; `Connection: close` (chalice local stalls on keep-alive)."""
    headers = {"Connection": "close", **kw.pop("headers", {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    timeout = kw.pop("timeout", 15)
    return requests.request(method, url, json=json, headers=headers, timeout=timeout, **kw)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def devstack(admin: tuple[str, str], demo: bool) -> Iterator[str]:
    """Start `scripts/devstack.py` on a free port; stop it with SIGINT (what Ctrl-C does)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIVRILI_", "AWS_", "POWERTOOLS_"))}
    env.update({"PORT": str(port), "LIVRILI_ADMIN_USERNAME": admin[0], "LIVRILI_ADMIN_PASSWORD": admin[1]})
    args = [sys.executable, str(ROOT / "scripts" / "devstack.py")] + ([] if demo else ["--no-demo"])
    # the stack's log goes to a file: a pipe nobody reads fills up and blocks the server
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"devstack exited: {log.read()[-4000:]}")
            try:
                if requests.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        else:
            proc.kill()
            pytest.fail("devstack did not start within 120 s")
        try:
            yield url
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                pytest.fail("devstack did not stop on Ctrl-C")


DEMO_ADMIN = ("e2e-admin", "e2e-admin-pass-1")


@pytest.fixture(scope="session")
def demo_url() -> Iterator[str]:
    """One demo stack (`make run` with its demo data) shared by the e2e modules that need it."""
    with devstack(DEMO_ADMIN, demo=True) as url:
        yield url


def login(base: str, username: str, password: str) -> str:
    reply = call("POST", f"{base}/v1/auth/login", json={"username": username, "password": password})
    assert reply.status_code == 200, reply.text
    token: str = reply.json()["data"]["access_token"]
    return token
