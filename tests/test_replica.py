"""Reading from a streaming replica (web.replica, DATABASE_REPLICA_URL), against a real one.

The module starts a second PostgreSQL on this machine, a hot standby fed by pg_basebackup and
streaming replication from the server the suite runs on (tests/replica_cluster.py), and points the
`replica` alias at the copy of the test database. Each test then watches which connection every
query went through, and asks that server `pg_is_in_recovery()`.

When the suite runs on SQLite there is no server to copy, and on a machine without the PostgreSQL
server binaries none can be started: those skip. Anything else that stops the replica from
starting is an error, with what failed.
"""

from __future__ import annotations

import contextlib
import time

import psycopg2
import pytest
from django.db import close_old_connections, connections
from django.urls import reverse
from rest_framework.test import APIClient

from analysis import exports
from analysis.models import ExportJob
from cases.models import Case
from tests.conftest import make_county
from tests.replica_cluster import (
    ReplicaCluster,
    ReplicaError,
    any_server_binaries,
    free_port,
    server_bin_dir,
)
from web import replica as routing

REPLICA = routing.REPLICA
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
NEW_CASE = {"title": "园区道路缺失", "description": "", "category": "power"}


@pytest.fixture(scope="module")
def replica_cluster(django_db_setup, django_db_blocker):
    primary = connections["default"]
    if primary.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite: a streaming replica needs PostgreSQL (DATABASE_URL)")
    with django_db_blocker.unblock():
        major = primary.pg_version // 10000
    bin_dir = server_bin_dir(major)
    if bin_dir is None:
        if any_server_binaries():
            pytest.fail(
                f"the PostgreSQL {major} server binaries (pg_basebackup, pg_ctl) are missing"
            )
        pytest.skip("no PostgreSQL server binaries on this machine")
    cluster = ReplicaCluster(primary=dict(primary.settings_dict), bin_dir=bin_dir)
    try:
        cluster.start()
    except ReplicaError as error:
        cluster.stop()
        pytest.fail(f"the replica could not be started: {error}", pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture
def replica_mirrors_default():
    """Here `replica` is the real one (tests/conftest.py's fixture of this name lends it default's
    connection when DATABASE_REPLICA_URL is set)."""


@pytest.fixture(scope="module")
def replica_alias(replica_cluster):
    """The `replica` alias, on the replica's copy of the test database (in place of the one
    DATABASE_REPLICA_URL names, if it is set). It mirrors `default` (its TEST settings), so the
    tests' flushes leave it alone."""
    name = connections["default"].settings_dict["NAME"]
    configured = connections.configure_settings(
        {"default": dict(connections["default"].settings_dict)}
        | {REPLICA: replica_cluster.settings_dict(name)}
    )
    before = connections.settings.get(REPLICA)
    connections.settings[REPLICA] = configured[REPLICA]
    with contextlib.suppress(AttributeError):
        del connections[REPLICA]  # a connection to the one it replaces
    yield replica_cluster
    connections[REPLICA].close()
    del connections[REPLICA]
    if before is None:
        del connections.settings[REPLICA]
    else:
        connections.settings[REPLICA] = before


@pytest.fixture
def replica_db(replica_alias):
    """For one test; the data it writes is committed (the module's mark), so it streams to the
    replica. Module-scoped, the alias exists before the test's databases are checked."""
    routing._down_until = 0.0
    yield replica_alias
    routing._down_until = 0.0
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("select pg_wal_replay_resume()")


def in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("select pg_is_in_recovery()")
        return cursor.fetchone()[0]


def caught_up(timeout: float = 60) -> None:
    """Wait until the replica has replayed everything the primary committed so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("select pg_current_wal_lsn()")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("select pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            assert time.monotonic() < deadline, "the replica did not catch up with the primary"
            time.sleep(0.05)


@contextlib.contextmanager
def replay_paused():
    """The replica stops applying what streams in: it lags the primary until the block ends."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("select pg_wal_replay_pause()")
    try:
        yield
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("select pg_wal_replay_resume()")


@contextlib.contextmanager
def served_by():
    """Every statement of the block, by the alias that ran it: {"default": [...], "replica": [...]}."""
    seen = {"default": [], REPLICA: []}

    def recorder(alias):
        def record(execute, sql, params, many, context):
            seen[alias].append(sql)
            return execute(sql, params, many, context)

        return record

    with (
        connections["default"].execute_wrapper(recorder("default")),
        connections[REPLICA].execute_wrapper(recorder(REPLICA)),
    ):
        yield seen


def reads_cases(statements: list[str]) -> bool:
    return any('FROM "cases_case"' in sql for sql in statements)


def signed_in(user) -> APIClient:
    """A client signed in as `user`, whose first page has been opened: the layout's own reads (the
    reader's roles, the county's calendar, the estimate banner's count) are remembered from the
    primary once (web.remembered) and are not the page's reads measured here."""
    client = APIClient()
    client.force_login(user)
    client.get(reverse("notifications"))
    return client


def case_ids(answer) -> set[int]:
    assert answer.status_code == 200, answer.content[:500]
    return {row["id"] for row in answer.json()["results"]}


def test_the_replica_is_a_hot_standby_streaming_from_the_primary(replica_db):
    assert in_recovery(REPLICA) and not in_recovery("default")
    county = make_county()
    case = county.submitted()
    caught_up()
    assert Case.objects.using(REPLICA).get(pk=case.pk).title == case.title


def test_analysis_pages_exports_and_api_lists_read_the_replica(replica_db):
    county = make_county()
    county.assigned()
    county.submitted(county.poultry)
    caught_up()
    office = signed_in(county.office)
    for url in [
        reverse("analysis:ledger"),
        reverse("analysis:ledger_export"),
        reverse("analysis:dashboard"),
        reverse("analysis:painpoints_export"),
        "/api/v1/cases/",
        "/api/v1/visits/",
    ]:
        with served_by() as seen:
            answer = office.get(url)
        assert answer.status_code == 200, (url, answer.status_code)
        assert reads_cases(seen[REPLICA]) or url == "/api/v1/visits/", url
        assert seen[REPLICA], url
        assert not reads_cases(seen["default"]), url
        assert routing.PIN_COOKIE not in answer.cookies, url
    assert in_recovery(REPLICA)


def test_the_replica_costs_no_query(replica_db):
    county = make_county()
    county.assigned()
    caught_up()
    office = signed_in(county.office)
    for url in [reverse("analysis:ledger"), "/api/v1/cases/"]:
        with served_by() as split:
            assert office.get(url).status_code == 200
        routing._down_until = time.monotonic() + 60  # the replica left alone: all on the primary
        with served_by() as alone:
            assert office.get(url).status_code == 200
        routing._down_until = 0.0
        assert alone[REPLICA] == [] and split[REPLICA]
        assert len(split["default"]) + len(split[REPLICA]) == len(alone["default"]), url


def test_other_pages_read_the_primary(replica_db):
    county = make_county()
    case = county.assigned()
    caught_up()
    office = signed_in(county.office)
    for url in [
        reverse("case_detail", args=[case.pk]),
        reverse("case_list"),
        f"/api/v1/cases/{case.pk}/",
        reverse("analysis:rules"),
    ]:
        with served_by() as seen:
            answer = office.get(url)
        assert answer.status_code == 200, (url, answer.status_code)
        assert seen[REPLICA] == [], url
        assert seen["default"], url


def test_a_write_goes_to_the_primary_and_its_writer_reads_it_from_there(replica_db):
    county = make_county()
    county.assigned()
    caught_up()
    office, leadership = signed_in(county.office), signed_in(county.mayor)
    with replay_paused():
        with served_by() as seen:
            answer = office.post(
                "/api/v1/cases/", {**NEW_CASE, "enterprise": county.steel.pk}, format="json"
            )
        assert answer.status_code == 201, answer.content
        new = answer.json()["id"]
        assert any('INSERT INTO "cases_case"' in sql for sql in seen["default"])
        assert seen[REPLICA] == []
        assert Case.objects.using("default").filter(pk=new).exists()
        assert not Case.objects.using(REPLICA).filter(pk=new).exists()  # the replica lags
        assert routing.PIN_COOKIE in answer.cookies

        # The writer's next read is the primary's: their own case is there at once.
        with served_by() as seen:
            assert new in case_ids(office.get("/api/v1/cases/"))
        assert reads_cases(seen["default"]) and seen[REPLICA] == []

        # Someone else reads the lagging replica, and gets a whole answer without the new case.
        with served_by() as seen:
            before = case_ids(leadership.get("/api/v1/cases/"))
        assert new not in before and before
        assert reads_cases(seen[REPLICA]) and not reads_cases(seen["default"])

        # Once the pin has run out, the writer reads the replica again.
        office.cookies[routing.PIN_COOKIE] = str(time.time() - routing.pin_seconds() - 1)
        with served_by() as seen:
            assert new not in case_ids(office.get("/api/v1/cases/"))
        assert reads_cases(seen[REPLICA])
    caught_up()
    assert new in case_ids(leadership.get("/api/v1/cases/"))


def test_an_export_job_reads_the_replica_and_writes_the_primary(replica_db):
    county = make_county()
    county.assigned()
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.CASES, params={}, created_by=county.office, filename="t.xlsx"
    )
    caught_up()
    with served_by() as seen:
        done = exports.export_job_run(job_id=job.pk)
    assert done.status == ExportJob.Status.DONE and done.total_rows == 1
    assert reads_cases(seen[REPLICA]) and not reads_cases(seen["default"])
    assert any('UPDATE "analysis_exportjob"' in sql for sql in seen["default"])
    assert not any("analysis_exportjob" in sql for sql in seen[REPLICA])


def test_a_replica_that_cannot_be_reached_leaves_the_pages_on_the_primary(replica_db):
    county = make_county()
    county.assigned()
    caught_up()
    office = signed_in(county.office)
    connections[REPLICA].close()
    settings = connections.settings[REPLICA]
    port, settings["PORT"] = settings["PORT"], str(free_port())  # nothing listens there
    try:
        with served_by() as seen:
            answer = office.get(reverse("analysis:ledger"))
    finally:
        connections[REPLICA].close()
        settings["PORT"] = port
    assert answer.status_code == 200
    assert reads_cases(seen["default"]) and seen[REPLICA] == []
    # It is back, but left alone a while: the next pages do not wait for it again.
    with served_by() as seen:
        assert office.get(reverse("analysis:ledger")).status_code == 200
    assert reads_cases(seen["default"]) and seen[REPLICA] == []
    routing._down_until = 0.0  # the while is over
    with served_by() as seen:
        assert office.get(reverse("analysis:ledger")).status_code == 200
    assert reads_cases(seen[REPLICA]) and not reads_cases(seen["default"])


def test_a_kept_connection_to_a_replica_that_went_away_is_noticed_in_time(replica_db):
    county = make_county()
    county.assigned()
    caught_up()
    office = signed_in(county.office)
    settings = connections.settings[REPLICA]  # as DB_CONN_MAX_AGE keeps it in production
    settings["CONN_MAX_AGE"], settings["CONN_HEALTH_CHECKS"] = None, True
    connections[REPLICA].close()
    port = settings["PORT"]
    try:
        assert office.get(reverse("analysis:ledger")).status_code == 200
        kept = connections[REPLICA].connection.get_backend_pid()
        # The replica drops the connection and cannot be reached again for now.
        terminate = psycopg2.connect(
            host="127.0.0.1", port=port, user="postgres", dbname="postgres"
        )
        terminate.autocommit = True
        with terminate.cursor() as cursor:
            cursor.execute("select pg_terminate_backend(%s)", [kept])
        terminate.close()
        settings["PORT"] = str(free_port())
        close_old_connections()  # what the WSGI handler does as each request starts
        with served_by() as seen:
            answer = office.get(reverse("analysis:ledger"))
        assert answer.status_code == 200
        assert reads_cases(seen["default"]) and seen[REPLICA] == []
        # Back again: a new connection.
        settings["PORT"] = port
        routing._down_until = 0.0
        close_old_connections()
        with served_by() as seen:
            assert office.get(reverse("analysis:ledger")).status_code == 200
        assert reads_cases(seen[REPLICA])
        assert connections[REPLICA].connection.get_backend_pid() != kept
    finally:
        settings["PORT"] = port
        settings["CONN_MAX_AGE"], settings["CONN_HEALTH_CHECKS"] = 0, False
        connections[REPLICA].close()
