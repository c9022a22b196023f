"""The real parts: a Celery worker process (started, killed and restarted by the tests), the real
Redis of REDIS_URL (or a private redis-server the test stops and starts), and the test database
shared with the worker — so every test here is transactional.

Without REDIS_URL these tests are skipped; CI sets it (and DATABASE_URL for PostgreSQL). On SQLite
the test database is put in a file instead of memory, so the worker process can open it.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection, connections

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
HERE = Path(__file__).resolve().parent

if REDIS_URL and connections["default"].vendor == "sqlite":
    _test_db = connections["default"].settings_dict.setdefault("TEST", {})
    if not _test_db.get("NAME"):
        _test_db["NAME"] = str(
            Path(tempfile.gettempdir()) / f"sijisiwen-test-{os.getpid()}.sqlite3"
        )


def pytest_collection_modifyitems(config, items):
    if REDIS_URL:
        return
    skip = pytest.mark.skip(reason="integration tests need a real Redis: set REDIS_URL (CI does)")
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(skip)


# A wait returns the moment its condition holds, so a generous limit costs nothing when all is
# well; it only keeps a machine that is busy with other work (two cores shared with browsers and
# other test processes) from failing a drill that would have passed a little later.
PATIENCE = float(os.environ.get("INTEGRATION_PATIENCE", "3"))


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    """Poll until predicate() is true; fail after timeout × PATIENCE seconds, naming `what`."""
    timeout *= PATIENCE
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def database_url() -> str:
    """The URL of the test database this process uses, for the worker process to use too."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Worker:
    """`celery -A config worker` (with beat when asked) in its own process group.

    Deliveries go to `queue`, the beat's jobs to `beat_queue`; a worker listens on both unless told
    which (`queues`), like production's two workers in one. `sibling` starts another worker process
    on the same queues, writing to the same mailbox."""

    def __init__(self, tmp: Path, broker_url: str, queue: str, name: str = "worker"):
        self.tmp, self.broker_url, self.queue, self.name = tmp, broker_url, queue, name
        self.beat_queue = f"{queue}-beat"
        self.mail_dir = tmp / "mail"
        self.mail_dir.mkdir(exist_ok=True)
        self.proc: subprocess.Popen | None = None
        self.runs = 0
        self.siblings: list[Worker] = []

    def sibling(self, name: str) -> Worker:
        other = Worker(self.tmp, self.broker_url, self.queue, name)
        self.siblings.append(other)
        return other

    def env(self, extra: dict) -> dict:
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "NOTIFICATIONS_QUEUE": self.queue,
            "BEAT_QUEUE": self.beat_queue,
            "VAR_DIR": str(self.tmp / "var"),
            "EMAIL_BACKEND": "tests.integration.mailbox.HangingFileBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "DEFAULT_FROM_EMAIL": "siji-siwen@jinxian.gov.cn",
            "REMINDER_SWEEP_SECONDS": "1",
            "NOTIFICATIONS_RESEND_SECONDS": "1",
            "NOTIFICATIONS_RESEND_AFTER_SECONDS": "1",
            "NOTIFICATIONS_SENDING_LEASE_SECONDS": "3",
            "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
        }
        env.pop("IT_EMAIL_HANG_AFTER", None)
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def start(self, *, beat: bool = False, queues: list[str] | None = None, **extra_env) -> Worker:
        self.runs += 1
        self.options = {"beat": beat, "queues": queues, **extra_env}
        self.log = self.tmp / f"{self.name}-{self.runs}.log"
        args = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--loglevel=INFO", "--pool=prefork", "--concurrency=4",
            "-Q", ",".join(queues or [self.queue, self.beat_queue]),
            "-n", f"{self.queue}-{self.name}-{self.runs}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        if beat:
            args += ["-B", "-s", str(self.tmp / f"{self.name}-beat-schedule-{self.runs}")]
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                args,
                cwd=ROOT,
                env=self.env(extra_env),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._ready_or_gone, 60, "the worker to be ready")
        assert self.proc.poll() is None, self.log.read_text()
        return self

    def _ready_or_gone(self) -> bool:
        return b" ready." in self.log.read_bytes() or self.proc.poll() is not None

    def supervise(self) -> bool:
        """Start the worker again if it exited, as a process supervisor (compose's restart policy)
        would: Celery's worker may exit with "Unrecoverable error" when the broker vanishes in the
        middle of an acknowledgement. Returns whether it had to."""
        if self.proc.poll() is None:
            return False
        self.start(**self.options)
        return True

    def kill(self) -> None:
        """SIGKILL, the worker and its pool processes: no warm shutdown, no acks."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def pool(self) -> list[int]:
        """The pids of the worker's pool processes (its children, the embedded beat among them)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:
                continue  # exited meanwhile
            if int(fields[1]) == self.proc.pid:
                children.append(int(stat.parent.name))
        return children

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()

    def message_ids(self) -> Counter:
        """How many times each Message-ID was written by the email backend."""
        ids = Counter()
        for path in self.mail_dir.iterdir():
            for chunk in re.split(r"\n-{79}\n", path.read_text(errors="replace")):
                if chunk.strip():
                    ids[email.message_from_string(chunk)["Message-ID"]] += 1
        return ids


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    """A worker on the real Redis, listening on a queue of its own (nothing stale reaches it)."""
    from config.celery_app import app

    queue = f"it-{uuid.uuid4().hex[:12]}"
    settings.NOTIFICATIONS_QUEUE = queue
    w = Worker(tmp_path, app.conf.broker_url, queue)
    yield w
    for each in (w, *w.siblings):
        each.stop()
    _forget_queues(w.broker_url, queue)


def _forget_queues(broker_url: str, prefix: str) -> None:
    """Drop what a test left queued (a backlog of thousands, say) from the shared Redis."""
    import redis

    try:
        client = redis.Redis.from_url(broker_url, socket_timeout=2)
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass  # a private Redis the test already stopped


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    return sock.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_for(answers, 10, f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture
def private_redis():
    """A redis-server of the test's own, on a free port, that the test may stop and start."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(free_port())
    server.start()
    yield server
    server.stop()
