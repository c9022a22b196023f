"""A real PostgreSQL streaming replica of the test server, on this machine, for tests/test_replica.py.

`pg_basebackup` copies the running cluster (the one DATABASE_URL names) into a temporary data
directory through a physical replication slot (so the primary keeps the WAL the copy still needs),
and a second `postgres` serves it as a hot standby on a free port, streaming from the primary.
`stop()` shuts it down, drops the slot and removes the directory.

It needs the server binaries of the primary's major version (Debian: /usr/lib/postgresql/<n>/bin),
a replication entry in the primary's pg_hba.conf (`.ci/run` adds
`host replication all 127.0.0.1/32 trust`) and, as root, the `postgres` account to run them.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

SLOT_PREFIX = "siji_test_replica_"


class ReplicaError(RuntimeError):
    """The replica could not be set up; the message says what failed and how to fix it."""


def server_bin_dir(major: int) -> Path | None:
    """The directory of the server binaries of this major version, or None when there are none."""
    needed = ("postgres", "pg_ctl", "pg_basebackup")
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin")]
    if found := shutil.which("pg_ctl"):
        candidates.append(Path(found).resolve().parent)
    for directory in candidates:
        if all((directory / name).is_file() for name in needed):
            return directory
    return None


def any_server_binaries() -> bool:
    return bool(list(Path("/usr/lib/postgresql").glob("*/bin/postgres"))) or bool(
        shutil.which("postgres")
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class ReplicaCluster:
    primary: dict  # a Django settings_dict of the primary (HOST, PORT, USER, PASSWORD)
    bin_dir: Path
    port: int = field(default_factory=free_port)
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="siji-replica-")))
    started: bool = False

    @property
    def slot(self) -> str:
        return f"{SLOT_PREFIX}{os.getpid()}_{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def _as_server_user(self, args: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return args
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise ReplicaError(
                "running as root, and there is no 'postgres' account to run the replica's "
                "server (PostgreSQL refuses to run as root)"
            ) from None
        return ["runuser", "-u", "postgres", "--", *args]

    def _run(self, args: list[str], what: str, timeout: int) -> None:
        env = {**os.environ}
        if self.primary.get("PASSWORD"):
            env["PGPASSWORD"] = self.primary["PASSWORD"]
        try:
            result = subprocess.run(
                self._as_server_user(args),
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
                cwd=self.root,
            )
        except subprocess.TimeoutExpired as error:
            raise ReplicaError(f"{what} took more than {timeout} s: {error}") from None
        if result.returncode != 0:
            log = self.log_file.read_text()[-3000:] if self.log_file.exists() else ""
            raise ReplicaError(
                f"{what} failed ({result.returncode}): {result.stderr.strip()}\n{log}".strip()
            )

    @contextlib.contextmanager
    def _primary_cursor(self):
        try:
            connection = psycopg2.connect(
                host=self.primary["HOST"] or "127.0.0.1",
                port=self.primary["PORT"] or 5432,
                user=self.primary["USER"] or "postgres",
                password=self.primary.get("PASSWORD") or None,
                dbname="postgres",
            )
        except psycopg2.Error as error:
            raise ReplicaError(f"cannot connect to the primary: {error}".strip()) from None
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                yield cursor
        finally:
            connection.close()

    def _drop_stale_slots(self) -> None:
        """Slots an earlier run left behind (killed before its teardown) hold WAL for ever."""
        with self._primary_cursor() as cursor:
            cursor.execute(
                "select slot_name from pg_replication_slots where slot_name like %s and not active",
                [SLOT_PREFIX + "%"],
            )
            for (name,) in cursor.fetchall():
                pid = name.removeprefix(SLOT_PREFIX).split("_")[0]
                if pid.isdigit() and not _pid_alive(int(pid)):
                    cursor.execute("select pg_drop_replication_slot(%s)", [name])

    def start(self) -> ReplicaCluster:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o700)
        self._drop_stale_slots()
        self._run(
            [
                str(self.bin_dir / "pg_basebackup"),
                f"--host={self.primary['HOST'] or '127.0.0.1'}",
                f"--port={self.primary['PORT'] or 5432}",
                f"--username={self.primary['USER'] or 'postgres'}",
                f"--pgdata={self.data_dir}",
                "--write-recovery-conf",
                "--wal-method=stream",
                "--checkpoint=fast",
                "--create-slot",
                f"--slot={self.slot}",
                "--no-sync",
            ],
            "pg_basebackup from the primary (does its pg_hba.conf allow "
            "'host replication all 127.0.0.1/32 trust'? .ci/run adds it)",
            timeout=600,
        )
        # Debian keeps the configuration outside the data directory: the copy gets its own.
        (self.data_dir / "postgresql.conf").write_text(
            f"port = {self.port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.root}'\n"
            "hot_standby = on\n"
            "shared_buffers = 32MB\n"
            "fsync = off\n"
        )
        (self.data_dir / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        (self.data_dir / "pg_ident.conf").write_text("")
        if os.geteuid() == 0:
            for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
                shutil.chown(self.data_dir / name, "postgres", "postgres")
        self.started = True
        self._run(
            [
                str(self.bin_dir / "pg_ctl"),
                "start",
                "--wait",
                "--timeout=300",
                f"--pgdata={self.data_dir}",
                f"--log={self.log_file}",
            ],
            "starting the replica's server",
            timeout=330,
        )
        return self

    def settings_dict(self, name: str) -> dict:
        """The Django settings of a connection to database `name` on the replica."""
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": self.primary["USER"] or "postgres",
            "PASSWORD": self.primary.get("PASSWORD", ""),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "OPTIONS": {"connect_timeout": 3},
            "TEST": {"MIRROR": "default"},
        }

    def stop(self) -> None:
        try:
            if self.started:
                self._run(
                    [str(self.bin_dir / "pg_ctl"), "stop", "--wait", "--mode=fast"]
                    + [f"--pgdata={self.data_dir}"],
                    "stopping the replica's server",
                    timeout=120,
                )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            try:
                self._drop_slot()
            except ReplicaError:
                if self.started:  # a slot left behind keeps the primary's WAL: say so
                    raise

    def _drop_slot(self) -> None:
        deadline = time.monotonic() + 30
        with self._primary_cursor() as cursor:
            while True:
                cursor.execute(
                    "select active from pg_replication_slots where slot_name = %s", [self.slot]
                )
                row = cursor.fetchone()
                if row is None:
                    return
                if not row[0] or time.monotonic() > deadline:
                    cursor.execute("select pg_drop_replication_slot(%s)", [self.slot])
                    return
                time.sleep(0.2)
