"""POST /api/v1/visits/ with a client_id (issue 20): a client that lost the answer sends the visit
again and gets the first one back (200, nothing created); the same id from another user is a 409;
two identical posts at the same moment still make one visit."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import User

from cases.models import Case, Visit
from taskforces.models import TaskForceMember
from tests.api.conftest import token_for
from tests.api.test_concurrency import _post_together
from tests.api.test_contract import visit_body


def test_the_same_client_id_sent_twice_answers_the_first_visit_and_creates_nothing(county, as_user):
    carl = as_user(county.carl)
    client_id = str(uuid.uuid4())
    first = carl.post("visits/", visit_body(county, client_id=client_id))
    assert first.status_code == 201, first.json()
    assert first.json()["client_id"] == client_id
    assert len(first.json()["cases"]) == 2
    again = carl.post("visits/", visit_body(county, client_id=client_id, notes="改过的记录"))
    assert again.status_code == 200, again.json()
    assert again.json() == first.json()  # the first visit, as it was: the same id, the same cases
    assert (Visit.objects.count(), Case.objects.count()) == (1, 2)


def test_the_same_client_id_from_another_user_is_a_409(county, as_user):
    client_id = str(uuid.uuid4())
    as_user(county.carl).post("visits/", visit_body(county, client_id=client_id))
    cora = User.objects.create_user("cora", password="pw-for-tests-only")
    TaskForceMember.objects.create(
        task_force=county.task_force, user=cora, role=TaskForceMember.Role.CADRE
    )
    taken = as_user(cora).post("visits/", visit_body(county, client_id=client_id))
    assert taken.status_code == 409
    assert taken.json()["code"] == "client_id_taken"
    assert "其他账号" in taken.json()["detail"]
    assert "id" not in taken.json()
    office = as_user(county.office).post("visits/", visit_body(county, client_id=client_id))
    assert office.status_code == 409
    assert (Visit.objects.count(), Case.objects.count()) == (1, 2)


def test_without_client_id_each_post_is_a_new_visit(county, as_user):
    carl = as_user(county.carl)
    assert carl.post("visits/", visit_body(county)).status_code == 201
    assert carl.post("visits/", visit_body(county)).status_code == 201
    assert Visit.objects.filter(client_id__isnull=True).count() == 2


@pytest.mark.parametrize("bad", ["not-a-uuid", 12, "", None])
def test_a_client_id_that_is_not_a_uuid_is_a_400(county, as_user, bad):
    refused = as_user(county.carl).post("visits/", visit_body(county, client_id=bad))
    assert refused.status_code == 400
    assert "client_id" in refused.json()
    assert Visit.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_identical_posts_at_the_same_moment_make_one_visit(county, attempt):
    token = token_for(county.carl)
    body = visit_body(county, client_id=str(uuid.uuid4()))
    answers = _post_together([("visits/", token, body)] * 3)
    assert sorted(a.status_code for a in answers) == [200, 200, 201], [a.json() for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert len({tuple(a.json()["cases"]) for a in answers}) == 1
    assert (Visit.objects.count(), Case.objects.count()) == (1, 2)
