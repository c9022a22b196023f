"""The replica rule of web.replica, without a replica: which reads may go there, what a write does,
and that nothing changes without DATABASE_REPLICA_URL (tests/test_replica.py has the real one)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connections
from django.urls import reverse

from cases.models import Case
from tests.test_settings import refusal, start_django
from web import replica as routing

REPLICA = routing.REPLICA
NEW_CASE = {"title": "园区道路缺失", "description": "", "category": "power"}


def test_a_write_ends_the_replica_reads_of_its_request():
    router = routing.ReplicaRouter()
    scope = routing._Scope(replica=True)
    token = routing._scope.set(scope)
    try:
        assert router.db_for_read(Case) == REPLICA
        assert router.db_for_read(Session) == "default"  # sign-in reads the primary, always
        router.db_for_write(Session)  # a session saved is not data the user reads back
        assert router.db_for_read(Case) == REPLICA and not scope.wrote
        assert router.db_for_write(Case) == "default"
        assert router.db_for_read(Case) == "default" and scope.wrote
    finally:
        routing._scope.reset(token)
    assert router.db_for_read(Case) == "default"  # no scope: a worker, a shell
    assert router.allow_migrate(REPLICA, "cases") is False


def test_every_replica_route_is_a_route():
    for name in routing.REPLICA_ROUTES:
        reverse(name)


def test_the_citys_read_pages_may_read_the_replica_and_its_forms_may_not():
    for name in ("analysis:city", "analysis:city_compare", "analysis:city_escalations"):
        assert name in routing.REPLICA_ROUTES
    for name in ("analysis:city_escalation_assign", "analysis:city_department_act"):
        assert name not in routing.REPLICA_ROUTES


@pytest.mark.django_db
@pytest.mark.skipif(
    REPLICA in connections.settings, reason="the suite runs with DATABASE_REPLICA_URL set"
)
def test_without_a_replica_nothing_is_routed_or_pinned(client, county):
    client.force_login(county.office)
    answer = client.post(
        "/api/v1/cases/",
        {**NEW_CASE, "enterprise": county.steel.pk},
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert routing.PIN_COOKIE not in answer.cookies
    assert client.get(reverse("analysis:ledger")).status_code == 200


def test_without_database_replica_url_there_is_one_database(tmp_path):
    result = start_django(
        tmp_path,
        "from django.conf import settings; print(sorted(settings.DATABASES))",
        DATABASE_URL="postgres://postgres@127.0.0.1/x",
        DATABASE_REPLICA_URL="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default']"


def test_a_replica_is_a_postgresql_replica_of_a_postgresql_primary(tmp_path):
    on_sqlite = start_django(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5434/x",
    )
    assert "DATABASE_URL is not PostgreSQL" in refusal(on_sqlite)
    not_postgres = start_django(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1/x",
        DATABASE_REPLICA_URL="sqlite:///elsewhere.sqlite3",
    )
    assert "DATABASE_REPLICA_URL='sqlite:///elsewhere.sqlite3' is not a postgres:// URL" in refusal(
        not_postgres
    )


def test_the_replica_mirrors_the_test_database_and_gives_up_quickly(tmp_path):
    result = start_django(
        tmp_path,
        "from django.conf import settings; r = settings.DATABASES['replica'];"
        " print(r['PORT'], r['TEST']['MIRROR'], r['OPTIONS']['connect_timeout'])",
        DATABASE_URL="postgres://postgres@127.0.0.1/x",
        DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5434/x",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["5434", "default", "3"]
