"""Fuzzing: schemathesis generates requests from /api/schema/ and sends them through the WSGI app,
as each persona of the county. No input may make the API fail (5xx), and every answer must match
the schema it documents, errors included.

Path ids and the ids inside bodies are often swapped for ids that exist, so that the requests reach
the workflow instead of stopping at 404 or "does not exist". The number of examples is bounded so
the whole file runs in well under two minutes; FUZZ_EXAMPLES raises it for a longer local run.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.generation.meta import TestPhase

from cases import workflow
from cases.models import Case, Commitment
from enterprises.models import Department, Enterprise
from taskforces.models import TaskForce
from tests.api.conftest import token_for

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
PERSONAS = ["office", "dan", "ren", "li", "carl", "eva", "bea", "sam"]


schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json",
    get_wsgi_application(),
    config=schemathesis.Config.from_dict(
        {
            "seed": 20210422,
            "generation": {"max-examples": EXAMPLES},
            "phases": {
                "stateful": {"enabled": False},
                "coverage": {"unexpected-methods": []},
            },
            "checks": {
                # A request the schema allows may still break a rule no schema can say: an id that
                # does not exist (or lies outside the sender's scope), a wrong password, a control
                # character in a note, a year outside 2000–2099. Those are a 400 naming the field.
                "positive_data_acceptance": {
                    "expected-statuses": ["2XX", "400", "401", "403", "404", "409", "429"]
                },
            },
        }
    ),
)

# Which model an `{id}` in a path names, by the path's first segment after /api/v1/.
PATH_MODELS = {
    "cases": Case,
    "departments": Department,
    "enterprises": Enterprise,
    "taskforces": TaskForce,
}
BODY_MODELS = {
    "enterprise": Enterprise,
    "lead_department": Department,
    "department": Department,
    "into": Case,
    "commitment": Commitment,
}


def _ids(model) -> list[int]:
    return list(model.objects.order_by("pk").values_list("pk", flat=True)[:50])


def flatmap_path_parameters(context, path_parameters):
    segment = context.operation.path.split("/")[3] if context.operation else ""
    model = PATH_MODELS.get(segment)
    if model is None or not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    if not isinstance(path_parameters.get("id"), int):
        return st.just(path_parameters)
    ids = _ids(model)
    if not ids:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters),
        st.sampled_from(ids).map(lambda pk: {**path_parameters, "id": pk}),
    )


def flatmap_body(context, body):
    if not isinstance(body, dict):
        return st.just(body)
    keys = [key for key in BODY_MODELS if isinstance(body.get(key), int)]
    if not keys:
        return st.just(body)
    real = {key: _ids(BODY_MODELS[key]) for key in keys}
    real = {key: ids for key, ids in real.items() if ids}
    if not real:
        return st.just(body)
    swapped = st.fixed_dictionaries({key: st.sampled_from(ids) for key, ids in real.items()})
    return st.one_of(st.just(body), swapped.map(lambda ids: {**body, **ids}))


@pytest.fixture
def keep_the_test_connection():
    """Requests go through the WSGI handler, which closes old connections at each request's start
    and end: that would end the test's transaction on PostgreSQL. Django's test client switches
    this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(county, keep_the_test_connection):
    """A county with cases in every state, and a token for each persona."""
    county.submitted()
    county.assigned(co_departments=[county.rsj])
    busy = county.in_progress()
    workflow.case_add_commitment(
        actor=county.dan, case=busy, text="两周内增设变压器",
        due_on=timezone.localdate() + dt.timedelta(days=14),
    )  # fmt: skip
    workflow.case_add_breakdown_item(
        actor=county.dan, case=busy, department=county.rsj, measure="组织招聘会",
        due_on=timezone.localtime(busy.resolve_due_at).date(),
    )  # fmt: skip
    county.replied()
    county.closed()
    county.assigned(enterprise=county.poultry, lead_department=county.power)
    county.in_progress(enterprise=county.poultry)
    return {name: token_for(getattr(county, name)) for name in PERSONAS}


schema.hook(flatmap_path_parameters)
schema.hook(flatmap_body)


def senders(case) -> list[str]:
    """Who sends this request. The coverage phase (boundary values, wrong types, missing and extra
    fields for every field: about 2,000 requests) is sent by the office, who reaches every case;
    each random request of the fuzzing phase is sent by every persona in turn, so what one
    persona's request changes, the next one meets."""
    meta = case.meta
    if meta is not None and meta.phase.name == TestPhase.COVERAGE:
        return ["office"]
    return PERSONAS


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_no_request_breaks_the_api_or_its_schema(case, tokens):
    for who in senders(case):
        try:
            # Every check schemathesis has (none named: all of them).
            case.call_and_validate(headers={"Authorization": f"Token {tokens[who]}"})
        except Exception as failure:
            failure.add_note(f"Sent as {who}.")
            raise
