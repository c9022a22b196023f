"""Two clerks press "accept" on the same case at the same moment: one wins, the other gets 409.

The workflow locks the case row (SELECT … FOR UPDATE on PostgreSQL), so the second sees the case
already in progress. The test database of SQLite is an in-memory one with a shared cache, whose
table locks fail at once instead of waiting (a file database in IMMEDIATE mode, as deployed,
waits): there the two requests still race from two threads, but one after the other.
"""

from __future__ import annotations

import threading
from contextlib import nullcontext

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections
from rest_framework.test import APIClient

from cases.models import Case, CaseEvent
from enterprises.models import DepartmentStaff
from tests.api.conftest import API, token_for


def _post_together(paths_and_tokens: list[tuple[str, str, dict]]) -> list:
    barrier = threading.Barrier(len(paths_and_tokens))
    one_at_a_time = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    answers: list = [None] * len(paths_and_tokens)

    def call(index: int, path: str, token: str, body: dict) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            barrier.wait(timeout=10)
            with one_at_a_time:
                answers[index] = client.post(f"{API}/{path}", body, format="json")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=call, args=(i, *args)) for i, args in enumerate(paths_and_tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_simultaneous_accepts_give_one_200_and_one_409(county, attempt):
    case = county.assigned()
    # Two clerks of the lead department, each with their own token.
    second = User.objects.create_user("dan2", password="pw-for-tests-only")
    DepartmentStaff.objects.create(user=second, department=county.gxj)
    body = {"contact_note": "电话联系付董"}
    answers = _post_together(
        [
            (f"cases/{case.pk}/accept/", token_for(county.dan), body),
            (f"cases/{case.pk}/accept/", token_for(second), body),
        ]
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 409], [a.content for a in answers]
    loser = next(a for a in answers if a.status_code == 409)
    assert loser.json()["status"] == "in_progress"
    assert Case.objects.get(pk=case.pk).status == Case.Status.IN_PROGRESS
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ACCEPTED).count() == 1
