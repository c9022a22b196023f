"""Issue 25: an integrator's view of the contract. openapi-python-client (a tool nobody here wrote)
generates a Python client from docs/openapi.yaml — offline, into a temporary directory — and that
client alone takes a case from visit to close-out against the live server, each role signing in
with its own password and acting, every answer parsed into the model the contract declares.
"""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from api.management.commands.openapi import CONTRACT

PACKAGE = "sijisiwen_client"
PASSWORD = "pw-for-tests-only"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory):
    """The generated package, imported (the same command as in the README)."""
    where = tmp_path_factory.mktemp("generated")
    config = where / "config.yaml"
    config.write_text("post_hooks: []\n", encoding="utf-8")  # no formatter needed to run it
    generator = Path(sys.executable).with_name("openapi-python-client")
    done = subprocess.run(
        [generator, "generate", "--path", CONTRACT, "--meta", "none", "--config", config,
         "--output-path", where / PACKAGE],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_every_generated_module_imports(sdk):
    import pkgutil

    api = importlib.import_module(f"{PACKAGE}.api.v1")
    modules = [m.name for m in pkgutil.iter_modules(api.__path__)]
    assert len(modules) > 40
    for name in modules:
        importlib.import_module(f"{PACKAGE}.api.v1.{name}")


def test_the_generated_client_alone_takes_a_case_from_visit_to_close_out(sdk, county, live_server):
    v1 = importlib.import_module(f"{PACKAGE}.api.v1")
    m = importlib.import_module(f"{PACKAGE}.models")
    ops = {name: importlib.import_module(f"{PACKAGE}.api.v1.{name}") for name in (
        "v1_auth_token_create", "v1_me_retrieve", "v1_enterprises_list", "v1_departments_list",
        "v1_visits_create", "v1_cases_retrieve", "v1_cases_assign_create", "v1_cases_accept_create",
        "v1_cases_progress_create", "v1_cases_reply_create", "v1_cases_rate_create",
        "v1_cases_close_create", "v1_cases_events_list", "v1_cases_list",
    )}  # fmt: skip
    assert v1

    def sign_in(username: str):
        anonymous = sdk.Client(base_url=live_server.url, raise_on_unexpected_status=True)
        body = m.CredentialsRequest(username=username, password=PASSWORD)
        token = ops["v1_auth_token_create"].sync(client=anonymous, body=body)
        assert isinstance(token, m.Token), token
        return sdk.AuthenticatedClient(
            base_url=live_server.url, token=token.token, prefix="Token",
            raise_on_unexpected_status=True,
        )  # fmt: skip

    carl, office, dan, eva = (sign_in(name) for name in ("carl", "office", "dan", "eva"))

    def act(client, operation: str, case_id: int, body):
        answer = ops[operation].sync(case_id, client=client, body=body)
        assert isinstance(answer, m.Case), (operation, answer)
        return answer

    # The cadre finds the enterprise he visits and logs the visit and its problem.
    me = ops["v1_me_retrieve"].sync(client=carl)
    assert isinstance(me, m.Me) and me.roles == [m.UserRoleEnum.CADRE]
    (steel,) = ops["v1_enterprises_list"].sync(client=carl, is_key=True).results
    visit = ops["v1_visits_create"].sync(
        client=carl,
        body=m.VisitCreateRequest(
            enterprise=steel.id,
            visited_on=dt.date.today(),
            kind=m.VisitKindEnum.INSPECT,
            problems=[m.ProblemRequest(title="电压不稳", category="power")],
        ),
    )
    assert isinstance(visit, m.Visit), visit
    (case_id,) = visit.cases

    # The office assigns it to the department it finds by name.
    departments = ops["v1_departments_list"].sync(client=office, page_size=200).results
    gxj = next(d for d in departments if d.name == "县工信局")
    case = act(office, "v1_cases_assign_create", case_id, m.AssignRequest(lead_department=gxj.id))
    assert case.status == m.CaseStatusEnum.ASSIGNED and isinstance(case.contact_due_at, dt.datetime)

    # The department accepts, reports progress and replies.
    act(dan, "v1_cases_accept_create", case_id, m.AcceptRequest(contact_note="电话联系付董"))
    act(dan, "v1_cases_progress_create", case_id, m.ProgressRequest(note="已勘察现场", public=True))
    case = act(
        dan, "v1_cases_reply_create", case_id,
        m.ReplyRequest(outcome=m.CaseOutcomeEnum.RESOLVED, reply="已增设一台变压器"),
    )  # fmt: skip
    assert case.status == m.CaseStatusEnum.REPLIED

    # The enterprise rates the reply; a close-out is not its to do (403, parsed as the error).
    rated = act(
        eva, "v1_cases_rate_create", case_id, m.RateRequest(rating=m.CaseRatingEnum.SATISFIED)
    )
    assert rated.rating == m.CaseRatingEnum.SATISFIED
    refused = ops["v1_cases_close_create"].sync_detailed(case_id, client=eva, body=m.NoteRequest())
    assert refused.status_code == 403 and isinstance(refused.parsed, m.ErrorDetail)

    # The office closes it out; the enterprise reads the public timeline.
    closed = act(office, "v1_cases_close_create", case_id, m.NoteRequest(note="销号"))
    assert closed.status == m.CaseStatusEnum.CLOSED and isinstance(closed.closed_at, dt.datetime)
    events = ops["v1_cases_events_list"].sync(case_id, client=eva)
    assert isinstance(events, m.PaginatedCaseEventList)
    assert [e.kind for e in events.results] == [
        m.CaseEventKindEnum(kind)
        for kind in ("created", "assigned", "accepted", "progress", "replied", "rated", "closed")
    ]
    assert all(e.attachments == [] and e.internal_note is None for e in events.results)

    # A typo in a filter is a 400 the client parses, naming the parameter.
    bad = ops["v1_cases_list"].sync_detailed(client=office, page_size=0)
    assert bad.status_code == 400 and "page_size" in bad.parsed.additional_properties
