"""gunicorn serving the app on 127.0.0.1 (production mode, WORKERS sync workers): started,
stopped, asked over HTTP, signed in to as a person would, and its workers' peak memory."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from benchmark.app import app_env
from benchmark.options import GUNICORN, HOST, PORT, ROOT, WORKERS

# --- HTTP -----------------------------------------------------------------------------------------


def request(
    method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection(HOST, PORT, timeout=300)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def cookies_of(headers: http.client.HTTPMessage) -> dict[str, str]:
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {key: morsel.value for key, morsel in jar.items()}


def login(username: str, password: str) -> str:
    """A session id, signed in through the login form as a person would."""
    status, headers, body = request("GET", "/accounts/login/")
    csrf = cookies_of(headers).get("csrftoken")
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not csrf:
        raise SystemExit(f"GET /accounts/login/ answered {status} without a csrftoken cookie")
    form = {"username": username, "password": password}
    form["csrfmiddlewaretoken"] = found.group(1).decode() if found else csrf
    status, headers, body = request(
        "POST",
        "/accounts/login/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"http://{HOST}:{PORT}/accounts/login/",
        },
        body=urlencode(form).encode(),
    )
    session = cookies_of(headers).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(
            f"signing in as {username} failed ({status}); is the password in the manifest right?"
        )
    return session


def api_token(username: str, password: str) -> str:
    status, _headers, body = request(
        "POST",
        "/api/v1/auth/token/",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        body=json.dumps({"username": username, "password": password}).encode(),
    )
    if status != 200:
        raise SystemExit(f"POST /api/v1/auth/token/ as {username} answered {status}: {body[:200]}")
    return json.loads(body)["token"]


# --- gunicorn -------------------------------------------------------------------------------------


def start_gunicorn(db_url: str, log_path: Path) -> subprocess.Popen:
    log_file = log_path.open("w")
    server = subprocess.Popen(
        [
            GUNICORN,
            "config.wsgi",
            "--bind", f"{HOST}:{PORT}",
            "--workers", str(WORKERS),
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=app_env(db_url),
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}):\n{log_path.read_text()}")
        try:
            if request("GET", "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop(server)
    raise SystemExit(f"gunicorn did not answer /healthz in 60 s:\n{log_path.read_text()}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def worker_peaks_mb(master: int) -> list[float]:
    """VmHWM (peak resident memory) of each child of the gunicorn master, in MB."""
    peaks = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != master:
                continue
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except (OSError, ValueError, IndexError):
            continue
    return sorted(peaks)
