"""`make run`'s supervisor: the web server, the delivery worker and the beat with its own worker,
stopped together.

The two workers mirror production (docker-compose.yml): deliveries on one queue, the beat's jobs
(the deadline sweep above all) on another, so a backlog of messages never delays an escalation.
Each child runs in its own process group, so stopping it also stops what it started (runserver's
autoreloader child, Celery's pool and embedded beat). A worker that exits is started again (a
few times); if the web server exits, everything is stopped: a half-running demo (pages up,
reminders silently not sent) is worse than a clear stop.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST, PORT = "127.0.0.1", 8000
URL = f"http://{HOST}:{PORT}"
DEMO_PASSWORD = "siji-siwen-demo"
DEMO_LOGINS = [
    ("office", "县委办（四进四问领导小组办公室）/ county office"),
    ("leader", "专班县领导 / county leader of a task force"),
    ("dept", "县工信局办事员 / clerk of the industry bureau"),
    ("cadre", "结对干部 / paired cadre"),
    ("enterprise", "钢结构企业联系人 / contact of the steel-structure plant"),
]
STOP_TIMEOUT = 10
# The defaults of config.settings; this script runs before (and without) Django.
NOTIFICATIONS_QUEUE = os.environ.get("NOTIFICATIONS_QUEUE", "celery")
BEAT_QUEUE = os.environ.get("BEAT_QUEUE", "beat")
# Run as root (a container, a fresh VM), Celery warns at length that workers should not be; a
# local demo has no other user to switch to (var/ is root's), and the workers accept JSON only, so
# that warning is nothing to act on here. --quiet drops the startup banners; the log stays.
ROOT_WARNING = ["-W", "ignore:You're running the worker with superuser privileges"]
CELERY_WORKER = [
    PYTHON,
    *(ROOT_WARNING if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
    "-m",
    "celery",
    "-A",
    "config",
    "--quiet",
    "worker",
    "--loglevel=info",
]


# The e-mails the demo sends (reminders, escalations: dozens on a first start) go to files, not
# into this terminal, unless a mail server or backend is configured.
MAIL_TO_FILES = not (os.environ.get("EMAIL_HOST") or os.environ.get("EMAIL_BACKEND"))
MAIL_DIR = os.environ.get("EMAIL_FILE_PATH") or str(
    Path(os.environ.get("VAR_DIR") or ROOT / "var") / "mail"
)


def commands() -> dict[str, list[str]]:
    """The children: beat runs exactly once, embedded in the worker of its own queue."""
    return {
        "web": [PYTHON, "manage.py", "runserver", f"{HOST}:{PORT}"],
        "worker": [*CELERY_WORKER, "-Q", NOTIFICATIONS_QUEUE, "-n", "deliveries@%h"],
        "beat": [*CELERY_WORKER, "-Q", BEAT_QUEUE, "-n", "beat@%h", "--concurrency=2", "-B"],
    }


def child_env() -> dict[str, str]:
    # runserver's "development server" warning: this is one, and the README says so.
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "DJANGO_RUNSERVER_HIDE_WARNING": "true"}
    if MAIL_TO_FILES:
        env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    return env


def start(name: str, args: list[str]) -> subprocess.Popen:
    env = child_env()
    print(f"[run] starting {name}: {' '.join(args)}", flush=True)
    return subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)


def stop(children: dict[str, subprocess.Popen]) -> None:
    for name, proc in children.items():
        if proc.poll() is None:
            if name == "web":
                # runserver's autoreloader serves from a child process: stop the whole group.
                os.killpg(proc.pid, signal.SIGTERM)
            else:
                # Celery's main process shuts its pool and beat down itself (warm shutdown).
                proc.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT
    for name, proc in children.items():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"[run] {name} did not stop in {STOP_TIMEOUT}s; killing it", flush=True)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_until_serving(web: subprocess.Popen, stopping, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and web.poll() is None and not stopping():
        try:
            urllib.request.urlopen(f"{URL}/healthz", timeout=2)
            return True
        except urllib.error.HTTPError as error:
            # 503: ours, answering, with the database or broker down (the body says which).
            # Anything else is another program on the port; runserver will exit and say so.
            return error.code == 503
        except OSError:
            time.sleep(0.5)
    return False


def banner() -> str:
    lines = [
        "",
        "=" * 72,
        f"  四进四问 is running at  {URL}",
        "",
        f"  Demo logins (password for all: {DEMO_PASSWORD}):",
    ]
    lines += [f"    {user:<11} {role}" for user, role in DEMO_LOGINS]
    lines += [
        "",
        "  Admin (office): " + URL + "/admin/",
        *([f"  E-mails the app sends are written to {MAIL_DIR}/"] if MAIL_TO_FILES else []),
        "  Press Ctrl-C to stop the web server, the workers and beat.",
        "=" * 72,
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    children = {name: start(name, args) for name, args in commands().items()}
    restarts = 0
    try:
        if wait_until_serving(children["web"], lambda: stopping):
            print(banner(), flush=True)
        while not stopping:
            for name, proc in list(children.items()):
                if proc.poll() is None:
                    continue
                # A worker can die on a dropped broker connection; the outbox keeps its messages,
                # so starting it again loses nothing. The web server dying is a real failure.
                if name != "web" and restarts < 5:
                    restarts += 1
                    print(
                        f"[run] {name} exited with code {proc.returncode}; restarting", flush=True
                    )
                    children[name] = start(name, commands()[name])
                    continue
                print(f"[run] {name} exited with code {proc.returncode}; stopping", flush=True)
                return proc.returncode or 1
            time.sleep(0.5)
        print("\n[run] stopping…", flush=True)
        return 0
    finally:
        stop(children)


if __name__ == "__main__":
    sys.exit(main())
