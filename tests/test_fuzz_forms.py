"""A fuzz pass over every HTML form, as each role (the API has its own: tests/api/test_fuzz.py).

As the office, a county leader, a department clerk, a paired cadre and an enterprise contact, the
test walks the pages reachable from the landing page (same-site links, a bounded number, no
logout and no downloads), collects every form on them (GET and POST, with the CSRF token, and the
htmx requests a page makes), and sends each one hostile values: a NUL, a CR/LF, 10,000
characters, dates out of range or impossible, ids that are no ids, nothing at all. Every page is
asked again with the same values in its query string.

Two things must hold for every answer: it is never a 500; and a refused POST — a 4xx, a form
shown again with its errors, or a redirect carrying an error message — changed no row of the main
tables.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.contrib.messages import constants as message_levels
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases import intake, workflow
from cases.models import Meeting
from cases.workdays import local_date

HOSTILE_TEXT = ["\x00", "第一行\r\nBcc: evil@example.org", "x" * 10_000, "", "a\u2028b\x1b"]
HOSTILE_DATES = ["0001-01-01", "9999-12-31", "2026-02-30"]
HOSTILE_IDS = ["abc", "-1", "99999999999999999999999", "0"]
HOSTILE = HOSTILE_TEXT + HOSTILE_DATES + HOSTILE_IDS

MAX_PAGES = 45  # per role
PAGES_PER_SHAPE = 2  # /portal/?show=open and ?show=done have the same forms
CASE_PAGES = 8  # but a case's forms depend on its state
MAX_FORMS_PER_PAGE = 12
VALUES_PER_FORM = 6
VALUES_PER_PAGE = 3

# Links not followed: they end the session, change the language, or answer a file.
SKIP = re.compile(
    r"logout|/i18n/|/admin/|/api/|/bench/|export|download|/photos/|/attachments/|template"
    r"|format=xlsx|/errors/|/static/|/media/|deactivate|/healthz"
)
# Query parameters the pages read; each page is asked with all of them set to a hostile value.
PARAMETERS = [
    "q",
    "page",
    "date_from",
    "date_to",
    "period",
    "assigned_on",
    "department",
    "level",
    "days",
    "kind",
    "show",
    "tab",
    "case",
    "enterprise",
    "unread",
    "next",
    "problems-TOTAL_FORMS",
]
ERROR_MARKERS = ("is-invalid", "invalid-feedback", 'class="errorlist')

# The main tables, counted in one query before and after each refused POST; the cases and
# meetings also by content, so an edit (not only an insert) is noticed.
TABLES = [
    "cases_case",
    "cases_caseevent",
    "cases_visit",
    "cases_meeting",
    "cases_meeting_cases",
    "cases_breakdownitem",
    "cases_commitment",
    "cases_request",
    "cases_rating",
    "notifications_notification",
    "portal_caseattachment",
    "auth_user",
    "enterprises_enterprisecontact",
    "enterprises_departmentstaff",
    "taskforces_taskforce",
    "taskforces_taskforcemember",
    "taskforces_accountchange",
    "taskforces_casereview",
    "fieldwork_visitphoto",
    "analysis_importjob",
    "analysis_exportjob",
    "enterprises_department",
    "enterprises_enterprise",
    "cases_category",
]
FINGERPRINTS = [
    "SELECT md5(coalesce(string_agg(concat_ws('|', id, status, title, batch, lead_department_id,"
    " assigned_at, resolve_due_at, rating), ',' ORDER BY id), '')) FROM cases_case",
    "SELECT md5(coalesce(string_agg(concat_ws('|', id, title, held_on, attendees, minutes),"
    " ',' ORDER BY id), '')) FROM cases_meeting",
    "SELECT md5(coalesce(string_agg(concat_ws('|', id, is_active, first_name), ',' ORDER BY id),"
    " '')) FROM auth_user",
]


def table_state() -> tuple:
    counts = ", ".join(f"(SELECT count(*) FROM {table})" for table in TABLES)
    prints = ", ".join(f"({query})" for query in FINGERPRINTS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}, {prints}")
        return cursor.fetchone()


def changed(before: tuple, after: tuple) -> list[str]:
    names = TABLES + ["cases (content)", "meetings (content)", "users (content)"]
    return [name for name, b, a in zip(names, before, after, strict=True) if b != a]


# --- reading pages ------------------------------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, value)
    options: dict[str, list[str]] = field(default_factory=dict)

    def shape(self) -> tuple:
        return (self.method, _shape(self.action), tuple(sorted({n for n, _k, _v in self.fields})))


class Page(HTMLParser):
    """The links, forms and htmx requests of one page."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._by_id: dict[str, Form] = {}
        self._select: str | None = None
        self._extra: list[tuple[str, Form, str, str]] = []  # (formaction, form, name, value)

    def _abs(self, href: str) -> str:
        return urljoin(self.url, href)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href") and not a["href"].startswith(("#", "mailto:")):
            self.links.append(self._abs(a["href"]))
        for verb in ("hx-get", "hx-post"):
            if a.get(verb):
                form = Form("post" if verb == "hx-post" else "get", self._abs(a[verb]))
                if a.get("name"):
                    form.fields.append((a["name"], a.get("type", "text"), a.get("value", "")))
                self.forms.append(form)
        if tag == "form":
            method = a.get("method", "get").lower()
            self._form = Form(method, self._abs(a.get("action") or self.url))
            self.forms.append(self._form)
            if a.get("id"):
                self._by_id[a["id"]] = self._form
            return
        owner = self._by_id.get(a.get("form", "")) or self._form
        if owner is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("radio", "checkbox"):
                owner.options.setdefault(name, []).append(a.get("value", "on"))
                if any(n == name for n, _k, _v in owner.fields):
                    return
            owner.fields.append((name, kind, a.get("value", "")))
        elif tag == "textarea" and name:
            owner.fields.append((name, "textarea", ""))
        elif tag == "select" and name:
            owner.fields.append((name, "select", ""))
            self._select = name
        elif tag == "option" and self._select:
            owner.options.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "button" and a.get("formaction"):
            self._extra.append((self._abs(a["formaction"]), owner, name or "", a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def close(self):
        super().close()
        for action, owner, name, value in self._extra:
            variant = Form(owner.method, action, list(owner.fields), dict(owner.options))
            if name:
                variant.fields.append((name, "hidden", value))
            self.forms.append(variant)


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def same_site(url: str) -> bool:
    parts = urlsplit(url)
    return parts.netloc in ("", "testserver") and parts.scheme in ("", "http")


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- the fuzzing --------------------------------------------------------------------------------


@dataclass
class Run:
    client: Client
    role: str
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    values: itertools.cycle = field(default_factory=lambda: itertools.cycle(HOSTILE))

    def check(self, response, what: str) -> None:
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append(f"{self.role}: {response.status_code} on {what}")

    def get(self, url: str, params=None):
        response = self.client.get(url, params or {})
        self.check(response, f"GET {url} {_short(params)}")
        return response

    def post(self, url: str, data: dict):
        before = table_state()
        response = self.client.post(url, data)
        self.check(response, f"POST {url} {_short(data)}")
        if refused(response):
            moved = changed(before, table_state())
            if moved:
                self.failures.append(
                    f"{self.role}: refused POST {url} {_short(data)} changed {moved}"
                )
        return response


def _short(data) -> str:
    return repr({k: v[:20] if isinstance(v, str) else v for k, v in (data or {}).items()})


def refused(response) -> bool:
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200 and getattr(response, "streaming", False):
        return False  # a file to download (an .xlsx or a .docx): the form was taken
    if response.status_code == 200:
        body = response.content.decode(errors="replace")
        return any(marker in body for marker in ERROR_MARKERS)
    if 300 <= response.status_code < 400:
        queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
        return any(m.level >= message_levels.ERROR for m in queued)
    return False


def crawl(run: Run) -> list[tuple[str, Page]]:
    """The pages reachable from the landing page, breadth first, a bounded number of each shape."""
    start = run.client.get("/", follow=True)
    run.check(start, "GET /")
    queue = [start.request["PATH_INFO"]]
    seen_urls, shapes, pages = set(queue), {}, []
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        response = run.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = Page(url)
        page.feed(response.content.decode(errors="replace"))
        page.close()
        pages.append((url, page))
        for link in page.links:
            if not same_site(link) or SKIP.search(link):
                continue
            target = local(link)
            shape = _shape(target)
            limit = CASE_PAGES if shape == "/cases/N/" else PAGES_PER_SHAPE
            if target in seen_urls or shapes.get(shape, 0) >= limit:
                continue
            seen_urls.add(target)
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append(target)
    return pages


def hostile_query(run: Run, url: str) -> None:
    parts = urlsplit(url)
    for _ in range(VALUES_PER_PAGE):
        value = next(run.values)
        params = dict(parse_qsl(parts.query))
        params.update({name: value for name in [*params, *PARAMETERS]})
        run.get(parts.path, params)


def fill(form: Form, value: str, csrf: str, *, keep_choices: bool) -> dict:
    """Every field the hostile value, but the CSRF token. With keep_choices, a hidden field keeps
    its value and a select, radio or checkbox a real option, so that what lies behind a valid
    choice (the next step of a form, the case a form is about) is reached too."""
    data = {}
    for name, kind, original in form.fields:
        real = [option for option in form.options.get(name, []) if option]
        if name == "csrfmiddlewaretoken":
            data[name] = csrf
        elif keep_choices and kind == "hidden":
            data[name] = original
        elif keep_choices and kind in ("select", "radio", "checkbox") and real:
            data[name] = real[0]
        else:
            data[name] = value
    return data


def submit_forms(run: Run, pages: list[tuple[str, Page]]) -> None:
    csrf = run.client.cookies.get("csrftoken")
    token = csrf.value if csrf else "x"
    done = set()
    for _url, page in pages:
        for form in page.forms[:MAX_FORMS_PER_PAGE]:
            if not same_site(form.action) or SKIP.search(form.action):
                continue
            if form.shape() in done:
                continue
            done.add(form.shape())
            for round_ in range(VALUES_PER_FORM):
                data = fill(form, next(run.values), token, keep_choices=round_ % 2 == 0)
                target = local(form.action)
                if form.method == "post":
                    run.post(target, data)
                else:
                    run.get(
                        urlsplit(target).path, {**dict(parse_qsl(urlsplit(target).query)), **data}
                    )


# --- a county with something in every state -----------------------------------------------------


@pytest.fixture
def lively(county):
    c = county
    today = timezone.localdate()
    c.submitted()
    c.submitted(enterprise=c.poultry, title="用电成本高")
    c.assigned()
    working = c.in_progress()
    workflow.case_add_breakdown_item(
        actor=c.dan,
        case=working,
        department=c.gxj,
        measure="协调供电公司增容",
        due_on=local_date(working.resolve_due_at),
    )
    workflow.case_add_commitment(
        actor=c.dan, case=working, text="一周内上门", due_on=today + dt.timedelta(days=7)
    )
    workflow.case_instruct(actor=c.li, case=working, text="抓紧办理")
    asking = c.in_progress()
    workflow.case_request_extension(
        actor=c.dan,
        case=asking,
        resolve_due_at=asking.resolve_due_at + dt.timedelta(days=30),
        reason="等待设备到货",
    )
    c.replied()
    c.closed()
    intake.visit_create(actor=c.carl, enterprise=c.steel, visited_on=today, kind="resolve")
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.DISPATCH, title="五月调度会", held_on=today, created_by=c.office
    )
    meeting.cases.add(working)
    return c


ROLES = ["eva", "carl", "dan", "li", "office"]  # the office last: its pages change accounts


def test_no_form_or_query_string_of_any_role_gives_a_500_or_half_saves(lively):
    failures, requests = [], 0
    for role in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(getattr(lively, role))
        run = Run(client, role)
        pages = crawl(run)
        assert len(pages) >= 2, f"{role} reached only {[u for u, _ in pages]} {run.failures}"
        for url, _page in pages:
            hostile_query(run, url)
        submit_forms(run, pages)
        failures += run.failures
        requests += run.requests
    assert not failures, "\n".join(failures[:40])
    assert requests > 200  # the pass really went through the pages
