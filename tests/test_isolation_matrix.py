"""The security matrix (issue 7): whatever page, download or API endpoint shows a case, an event,
a visit, a photo or an enterprise, an enterprise contact

- gets 404 for every object of another enterprise (or exactly the answer a made-up id gets, when
  the whole page is closed to their role — then nothing about the object can leak either), and
- never sees an internal note of their own enterprise's cases, nor anything of the other one.

The pages are not listed by hand: they are read from the URL resolver, so a page another engineer
adds tomorrow is in the matrix the day it appears. EXPLICIT below names the ones that must be there
(a guard against the walk silently finding nothing).

The story: 荣信钢构 (Eva's enterprise, enterprise A) has cases in every state, with internal notes,
refused extensions, a returned assignment, an appealed rating, a leader's instruction, a visit with
a photo, a meeting, attachments. Then a second enterprise (B, whose contact is Bo) gets the same.
Every text of B carries B_MARK; every internal text of A carries INTERNAL.

Ids: every table's id sequence first moves to one common start, and A's rows are created; then
every table's sequence jumps to a common far-away start, and B is created. So an id of B's is never
the id of anything of A's in any table, whatever model a page reads its <pk> as — an answer of 200
can only mean B's object was shown. And each enterprise's ids are shared between tables (the first
case, the first visit, the first event... of B all have the same id): one URL tries an object of
every table at once, and the matrix tries every object on every page in a few thousand requests
(with a range of ids per table, the same objects took four times as many).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from cases import intake, workflow
from cases.models import Case, Meeting
from enterprises.models import Enterprise, EnterpriseContact
from taskforces.models import TaskForce, TaskForceEnterprise
from tests.conftest import make_county, make_user, valid_credit_code
from tests.portal.conftest import pdf, png

pytestmark = pytest.mark.django_db

INTERNAL = "INTERNAL-7f3a"
B_MARK = "BSECRET-91c2"
MADE_UP_ID = 2_000_000_000
ID_RANGE = 100_000  # each enterprise's ids start at a multiple of this

# Pages that must be found by the walk (and so are in the matrix). Add yours here too.
EXPLICIT = [
    "case_detail",
    "case_act",
    "case_item_done",
    "case_commitment_kept",
    "case_event_file",
    "portal:attachment",
    "portal:enterprise_contacts",
    "portal:contact_reset_password",
    "fieldwork:enterprise",
    "fieldwork:visit",
    "fieldwork:return_visit",
    "fieldwork:return_visit_rate",
    "fieldwork:photo",
    "fieldwork:photo_thumbnail",
    "fieldwork:visit_photo_add",
    "office:merge",
    "office:join",
    "office:leave_joint",
    "office:decide",
    "office:reopen",
    "analysis:city_escalation_assign",
    "analysis:city_department_act",
    "office:meeting",
    "office:letter",
    "api:case-detail",
    "api:case-events",
    "api:enterprise-detail",
    "api:visit-detail",
]
# Values for URL parts that are not ids. A new one makes the matrix fail until it is taught here.
SAMPLES = {
    # What an enterprise contact may do on a case (rate), what only staff may, and what no page
    # knows; views are expected to look the object up (and 404) before they look at the action.
    "action": ["rate", "progress", "assign", "reset", "deactivate", "no-such-action"],
    "queue": ["extension", "suspension", "return", "appeal"],
    "vendor": ["wecom", "dingtalk", "no-such-vendor"],  # signin's 企业微信 / 钉钉 entries
    "field": ["wecom_secret", "no-such-field"],  # the office's integration secret to clear
}
# The table a second id in a URL names (the first is tried against every table).
SLOT_TABLES = {
    "case_pk": "cases.Case",
    "item_id": "cases.BreakdownItem",
    "commitment_id": "cases.Commitment",
    "file_id": "cases.EventAttachment",
    "department_pk": "enterprises.Department",
}
SHARED_IDS: dict[str, list[int]] = {}  # departments: shared by both enterprises, set by `world`
# Pages of objects that belong to no enterprise and that every signed-in role may read.
PUBLIC_ROUTES = {"api:department-detail"}
SKIPPED_NAMESPACES = {"admin"}  # staff only: Django's own permission check, not our scoping


# --- the URL resolver, walked ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    ids: tuple[str, ...]
    others: tuple[str, ...] = ()

    def url(self, values: dict) -> str:
        if self.name:
            return reverse(self.name, kwargs=values)
        text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), self.route)
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), text)
        return "/" + text.replace("^", "").replace("$", "").replace("\\", "")


def _kwargs_of(pattern) -> dict[str, bool]:
    """Each URL keyword and whether it is an id (an int converter, or a regex group named so)."""
    if isinstance(pattern, RoutePattern):
        return {name: isinstance(conv, IntConverter) for name, conv in pattern.converters.items()}
    return {
        name: name == "pk" or name.endswith(("_pk", "_id", "id"))
        for name in pattern.regex.groupindex
    }


def _walk(patterns, prefix: str = "", namespace: str | None = None, kwargs=None):
    for entry in patterns:
        found = dict(kwargs or {}) | _kwargs_of(entry.pattern)
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, route, ns, found)
        elif isinstance(entry, URLPattern):
            if "format" in found:
                continue  # the .json twin of an API route: the same view
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Route(
                name=name,
                route=route,
                ids=tuple(k for k, is_id in found.items() if is_id),
                others=tuple(k for k, is_id in found.items() if not is_id),
            )


def all_routes() -> list[Route]:
    unique = {}
    for route in _walk(get_resolver().url_patterns):
        unique.setdefault(route.route, route)
    return list(unique.values())


def object_routes() -> list[Route]:
    return [r for r in all_routes() if r.ids or r.others]


def plain_routes() -> list[Route]:
    return [r for r in all_routes() if not r.ids and not r.others]


# --- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    a_ids: dict[str, list[int]] = field(default_factory=dict)  # model label → A's ids
    b_ids: dict[str, list[int]] = field(default_factory=dict)  # model label → B's ids
    b_contact: object = None
    b_enterprise: Enterprise | None = None


def _id_models() -> list[type[models.Model]]:
    return sorted(
        (m for m in apps.get_models() if isinstance(m._meta.pk, models.AutoField)),
        key=lambda m: m._meta.label,
    )


def _jump_id_sequences() -> dict[str, int]:
    """Start every table's next id at one common value, above every id there is; answer each
    model's first new id. (PostgreSQL sequences are not rolled back: earlier tests may have
    moved them, so the ranges start above whatever exists now.)"""
    highest = max(
        (m._default_manager.aggregate(top=Max("pk"))["top"] or 0 for m in _id_models()), default=0
    )
    base = (highest // ID_RANGE + 1) * ID_RANGE
    starts = {}
    with connection.cursor() as cursor:
        for model in _id_models():
            table, column = model._meta.db_table, model._meta.pk.column
            start = base
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [table, column, start]
                )
            elif connection.vendor == "sqlite":
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start, table]
                )
                if cursor.rowcount == 0:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start]
                    )
            else:
                pytest.skip(f"no id-sequence jump written for {connection.vendor}")
            starts[model._meta.label] = start + 1
    return starts


def _ids(starts: dict[str, int], *, new: bool) -> dict[str, list[int]]:
    found = {}
    for model in _id_models():
        start = starts[model._meta.label]
        rows = model._default_manager.filter(**{"pk__gte" if new else "pk__lt": start})
        ids = sorted(rows.values_list("pk", flat=True))
        if ids:
            found[model._meta.label] = ids
    return found


def _marked_png(name: str, text: str):
    """A real picture whose bytes hold `text` (a PNG text chunk): a download that leaks it shows."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", text or "public")
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG", pnginfo=info)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _enterprise_story(county, enterprise, contact, mark: str, internal: str) -> None:
    """Cases in every state, with every kind of internal record, for one enterprise."""
    today = timezone.localdate()

    def submitted(title):
        return intake.case_create(
            actor=county.office, enterprise=enterprise, title=f"{mark}{title}",
            description=f"{mark}描述", category=county.power_category, source=Case.Source.VISIT,
        )  # fmt: skip

    def assigned(title, **kw):
        return workflow.case_assign(
            actor=county.office, case=submitted(title), lead_department=county.gxj, **kw
        )

    def in_progress(title, **kw):
        case = assigned(title, **kw)
        return workflow.case_accept(actor=county.dan, case=case, contact_note=f"{mark}电话对接")

    main = in_progress("电压不稳", co_departments=[county.rsj])
    workflow.case_add_progress(actor=county.dan, case=main, note=f"{internal} 内部协调纪要")
    workflow.case_add_progress(actor=county.dan, case=main, note=f"{mark}变压器已到货", public=True)
    # Files on notes (cases.attachments): an internal one whose bytes carry the internal mark,
    # and a public one.
    workflow.case_add_progress(
        actor=county.dan, case=main, note=f"{internal} 内部照片",
        attachments=[_marked_png(f"{mark}-minutes.png", internal)],
    )  # fmt: skip
    workflow.case_add_progress(
        actor=county.dan, case=main, note=f"{mark}现场照片", public=True,
        attachments=[_marked_png(f"{mark}-site.png", mark), pdf(f"{mark}-receipt.pdf")],
    )  # fmt: skip
    commitment = workflow.case_add_commitment(
        actor=county.dan, case=main, text=f"{mark}两周内增设变压器", due_on=today
    )
    workflow.case_add_commitment(
        actor=county.dan, case=main, text=f"{mark}三天内回访", due_on=today
    )
    workflow.commitment_keep(actor=county.dan, commitment=commitment)
    workflow.case_add_breakdown_item(
        actor=county.dan, case=main, department=county.rsj, measure=f"{internal} 分解措施",
        due_on=today,
    )  # fmt: skip
    workflow.case_request_extension(
        actor=county.dan, case=main, resolve_due_at=main.resolve_due_at + dt.timedelta(days=20),
        reason=f"{internal} 延期理由",
    )  # fmt: skip
    if enterprise == county.steel:
        workflow.case_instruct(actor=county.li, case=main, text=f"{internal} 县领导批示")

    refused = in_progress("用工短缺")
    workflow.case_request_extension(
        actor=county.dan, case=refused, resolve_due_at=refused.resolve_due_at + dt.timedelta(days=5),
        reason=f"{internal} 被驳回的延期理由",
    )  # fmt: skip
    workflow.case_decide_extension(
        actor=county.office, case=refused, approve=False, note=f"{internal} 驳回意见"
    )
    workflow.case_request_suspension(actor=county.dan, case=refused, reason=f"{internal} 挂起理由")

    returned = assigned("道路缺失")
    workflow.case_return(actor=county.dan, case=returned, reason=f"{internal} 退回理由")
    workflow.case_refuse_return(actor=county.office, case=returned, note=f"{internal} 指定办理意见")

    rated = in_progress("电价偏高")
    workflow.case_reply(actor=county.dan, case=rated, outcome="explained", reply=f"{mark}政策解释")
    workflow.case_rate(actor=contact, case=rated, rating="dissatisfied", comment=f"{mark}不认可")
    workflow.case_appeal_rating(actor=county.dan, case=rated, reason=f"{internal} 申诉理由")

    closed = in_progress("增容")
    workflow.case_reply(actor=county.dan, case=closed, outcome="resolved", reply=f"{mark}已增容")
    workflow.case_rate(actor=contact, case=closed, rating="satisfied")
    workflow.case_close(actor=county.office, case=closed, note=f"{mark}销号")  # public

    workflow.case_merge(actor=county.office, case=submitted("重复"), into=submitted("待交办"))

    from portal.services import problem_raise

    problem_raise(
        actor=contact, title=f"{mark}企业自报", category=county.labour_category,
        attachments=[png(f"{mark}-gate.png"), pdf(f"{mark}-letter.pdf")],
    )  # fmt: skip

    from fieldwork.photos import check_photo
    from fieldwork.services import visit_log

    visit_log(
        actor=county.office, enterprise=enterprise, visited_on=today, kind="inspect",
        notes=f"{internal} {mark}走访记录", photos=[check_photo(png(f"{mark}-site.png"))],
    )  # fmt: skip
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.DISPATCH, title=f"{mark}调度会", held_on=today, county=enterprise.county,
        minutes=f"{internal} 会议纪要", decisions=f"{internal} 议定事项", created_by=county.office,
    )  # fmt: skip
    meeting.cases.add(main, refused)


@dataclass
class Built:
    county: object
    world: World


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The county and its two enterprises, built once for the module inside a transaction that is
    rolled back when the module is done; each test reads them inside its own savepoint (its `db`),
    so what a test's requests change goes with it. The tests only read the world: building it
    again for each of them added nothing but time."""
    from django.db import transaction
    from django.test.utils import override_settings

    files = tmp_path_factory.mktemp("isolation")
    settings = override_settings(
        MEDIA_ROOT=files / "media", PORTAL_ATTACHMENTS_ROOT=files / "attachments"
    )
    with pytest.MonkeyPatch.context() as monkeypatch, settings:
        monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
        # Thousands of expected 404s and 405s: not worth a log line each.
        monkeypatch.setattr(logging.getLogger("django.request"), "level", logging.ERROR)
        with django_db_blocker.unblock():
            module = transaction.atomic()
            module.__enter__()
            try:
                _jump_id_sequences()  # A's ids: shared between tables too
                county = make_county()
                built = Built(county=county, world=_build_world(county))
            except BaseException:
                transaction.set_rollback(True)
                module.__exit__(None, None, None)
                raise
        yield built
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module.__exit__(None, None, None)


@pytest.fixture
def county(built, db):
    return built.county


@pytest.fixture
def world(built, db) -> World:
    return built.world


def _build_world(county) -> World:
    SHARED_IDS["enterprises.Department"] = [county.gxj.pk, county.rsj.pk]
    _enterprise_story(county, county.steel, county.eva, mark="", internal=INTERNAL)
    starts = _jump_id_sequences()
    world = World(a_ids=_ids(starts, new=False))

    b = Enterprise.objects.create(name=f"{B_MARK}化工有限公司", credit_code=valid_credit_code(77))
    bo = make_user("bo", first_name=f"{B_MARK}联系人")
    EnterpriseContact.objects.create(user=bo, enterprise=b, phone="13900000077")
    task_force = TaskForce.objects.create(name=f"{B_MARK}专班", kind=TaskForce.Kind.INDUSTRY)
    TaskForceEnterprise.objects.create(task_force=task_force, enterprise=b)
    _enterprise_story(county, b, bo, mark=B_MARK, internal=f"{B_MARK} internal")
    world.b_ids = _ids(starts, new=True)
    world.b_contact, world.b_enterprise = bo, b
    # The same problem of both, handled jointly (并案, cases.joint): A's page tells of it, and
    # must still show nothing of B.
    a_main = Case.objects.get(enterprise=county.steel, title="待交办")
    b_member = Case.objects.get(enterprise=b, title=f"{B_MARK}待交办")
    workflow.case_join(actor=county.office, case=b_member, into=a_main)
    workflow.case_assign(actor=county.office, case=a_main, lead_department=county.gxj)
    return world


# --- the matrix --------------------------------------------------------------------------------


def _fetch(client: Client, url: str, *, post_when_refused: bool = True, method: str = "get"):
    """GET the page; a page that takes only POST gets a POST (with nothing in it)."""
    response = getattr(client, method)(url)
    if method == "get" and response.status_code == 405 and post_when_refused:
        response = client.post(url, {})
    return response


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _representatives(ids: dict[str, list[int]]) -> list[int]:
    """Every case (they differ by state) and one row of every other table."""
    return sorted({values[0] for values in ids.values()} | set(ids.get("cases.Case", [])))


def _slot_values(route: Route, slot: str, ids: dict[str, list[int]]) -> list[int]:
    table = SLOT_TABLES.get(slot)
    if table is not None and slot != route.ids[0]:
        return ids.get(table) or SHARED_IDS.get(table) or [MADE_UP_ID]
    return _representatives(ids)


def _urls(route: Route, ids: dict[str, list[int]]):
    """The route over the given objects: each id part takes every case and one row of every
    table (or, for a second id part whose name says its table, the rows of that table), and
    every sample value of the other parts."""
    for name in route.others:
        if name not in SAMPLES:
            pytest.fail(
                f"The matrix has no sample value for <{name}> in {route.route}: add it to SAMPLES."
            )
    slots = [_slot_values(route, slot, ids) for slot in route.ids]
    for id_combo in itertools.product(*slots):
        for other_combo in itertools.product(*(SAMPLES[n] for n in route.others)):
            values = dict(zip(route.ids, id_combo, strict=True))
            values |= dict(zip(route.others, other_combo, strict=True))
            yield values, route.url(values)


def _made_up(route: Route) -> str:
    values = dict.fromkeys(route.ids, MADE_UP_ID)
    values |= {name: SAMPLES[name][0] for name in route.others if name in SAMPLES}
    return route.url(values)


def test_the_walk_finds_every_page_on_the_explicit_list():
    found = {route.name for route in object_routes()}
    missing = [name for name in EXPLICIT if name not in found]
    assert not missing, f"not found by the resolver walk (renamed? gone?): {missing}"


def test_the_walk_reads_django_and_rest_framework_routes_alike():
    by_name = {route.name: route for route in object_routes()}
    assert by_name["case_detail"].ids == ("pk",)
    assert by_name["api:case-events"].ids == ("pk",)
    assert by_name["case_act"].others == ("action",)


def _leaks_to(viewer, other_ids: dict[str, list[int]], marks: list[str], routes=None) -> list[str]:
    client = Client()
    client.force_login(viewer)
    problems = []
    for route in object_routes() if routes is None else routes:
        # What a made-up id gets: 404, or the page's answer to the viewer's role whatever the id.
        baseline = client.get(_made_up(route)).status_code
        method = "get"
        if baseline == 405:
            method, baseline = "post", client.post(_made_up(route), {}).status_code
        for _values, url in _urls(route, other_ids):
            response = _fetch(client, url, method=method)
            status, body = response.status_code, _body(response)
            public = route.name in PUBLIC_ROUTES
            if not public and status != 404 and status != baseline:
                problems.append(f"{status} (a made-up id: {baseline}) {url} [{route.name}]")
            elif not public and 200 <= status < 300:
                problems.append(
                    f"{status} for an object of another enterprise: {url} [{route.name}]"
                )
            for mark in marks:
                if mark in body:
                    problems.append(f"{mark!r} in {url} [{route.name}]")
    return problems


def test_a_contact_gets_404_for_every_object_of_another_enterprise(county, world):
    problems = _leaks_to(county.eva, world.b_ids, [B_MARK])
    assert not problems, "\n".join(problems)


def test_the_other_enterprises_contact_gets_404_for_every_object_of_the_first(county, world):
    # A's ids are small and shared between tables, so one of each table suffices here.
    a_ids = {label: ids[:1] for label, ids in world.a_ids.items()}
    problems = _leaks_to(world.b_contact, a_ids, [INTERNAL, "荣信钢构"])
    assert not problems, "\n".join(problems)


def _internal_seen_by(viewer, a_ids: dict[str, list[int]], routes=None) -> tuple[list[str], int]:
    client = Client()
    client.force_login(viewer)
    seen, problems = 0, []
    urls = [route.url({}) for route in plain_routes()] if routes is None else []
    for route in object_routes() if routes is None else routes:
        if route.others and any(n not in SAMPLES for n in route.others):
            continue  # reported by the other tests
        urls += [url for _values, url in _urls(route, a_ids)]
    for url in urls:
        # Reading only: a POST could change Eva's own cases (rate them, raise a problem).
        response = _fetch(client, url, post_when_refused=False)
        body = _body(response)
        seen += response.status_code == 200
        for mark in (INTERNAL, B_MARK):
            if mark in body:
                problems.append(f"{mark!r} in {url} ({response.status_code})")
    return problems, seen


def test_a_contact_never_sees_an_internal_note_of_her_own_cases_anywhere(county, world):
    problems, seen = _internal_seen_by(county.eva, world.a_ids)
    assert not problems, "\n".join(problems)
    own = county.steel.cases.count()
    assert seen > own  # she did see her own pages: the search was not over empty answers


def test_her_own_pages_show_the_public_timeline_and_not_the_internal_one(county, world):
    client = Client()
    client.force_login(county.eva)
    main = county.steel.cases.get(title="电压不稳")
    body = client.get(reverse("case_detail", args=[main.pk])).content.decode()
    assert "变压器已到货" in body and "两周内增设变压器" in body and INTERNAL not in body
    events = client.get(f"/api/v1/cases/{main.pk}/events/").json()
    notes = " ".join(e.get("note", "") for e in events.get("results", events))
    assert "变压器已到货" in notes and INTERNAL not in notes


def test_searching_for_an_internal_note_finds_nothing_for_the_contact(county, world):
    client = Client()
    client.force_login(county.eva)
    answer = client.get("/api/v1/cases/", {"search": INTERNAL}).json()
    assert answer["count"] == 0
    client.force_login(county.office)
    assert (
        client.get(reverse("case_detail", args=[county.steel.cases.first().pk])).status_code == 200
    )


# --- the matrix catches what it is for ---------------------------------------------------------


def _careless_case_page(request, pk: int):
    """What the matrix exists to catch: a page that forgot cases_visible_to and the public filter."""
    case = get_object_or_404(Case, pk=pk)
    notes = " ".join(case.events.values_list("note", flat=True))
    return HttpResponse(f"{case.title} {notes}")


urlpatterns = [
    path("careless/<int:pk>/", _careless_case_page, name="careless"),
    path("", include("config.urls")),
]


def test_the_matrix_catches_a_page_that_forgot_the_scoping(county, world, settings):
    settings.ROOT_URLCONF = __name__
    careless = [route for route in object_routes() if route.name == "careless"]
    assert careless, "a new page is found by the walk without being listed anywhere"
    problems = _leaks_to(county.eva, world.b_ids, [B_MARK], routes=careless)
    assert any("BSECRET" in p for p in problems) and any(
        p.startswith("500") or "200" in p for p in problems
    )
    problems, _seen = _internal_seen_by(county.eva, world.a_ids, routes=careless)
    assert any(INTERNAL in p for p in problems)


def test_the_admin_left_out_of_the_walk_is_closed_to_a_contact(county, world):
    client = Client()
    client.force_login(county.eva)
    case = world.b_ids["cases.Case"][0]
    for url in ("/admin/", f"/admin/cases/case/{case}/change/", "/admin/cases/caseattachment/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
