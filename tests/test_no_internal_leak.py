"""Internal notes never reach the enterprise.

One case goes through a whole journey — a visit, assignment, a return and a reassignment, progress,
a breakdown, an extension, a suspension, 批示, 催办, a meeting, a reply, a rating and its appeal,
close-out, a reopening and a second close-out — with a unique marker in every internal note field
(the notes of close-out, reopening and resumption are the enterprise's to read, as is the reply).
Every surface 荣信钢构's contact can reach is then read: the portal's list (every tab), the case
page, the inbox, the API (list, case, timeline, notifications) and every message addressed to the
enterprise's people. No marker may appear on any of them; the office's case page shows them all
(the markers were really written).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases import intake, workflow
from cases.meetings import meeting_save
from cases.models import Case, Meeting, Visit
from enterprises.models import EnterpriseContact
from notifications.models import Notification
from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db

# Each internal note field gets its own marker: which one leaked is named by the failure.
MARKERS = {
    "visit notes": "MK-VISIT-NOTES-7Q",
    "assignment note (交办意见)": "MK-ASSIGN-NOTE-3F",
    "return reason": "MK-RETURN-REASON-9K",
    "reassignment note": "MK-REASSIGN-NOTE-2W",
    "internal progress (department)": "MK-PROGRESS-DEPT-5T",
    "internal progress (office)": "MK-PROGRESS-OFFICE-8Z",
    "breakdown measure": "MK-BREAKDOWN-1H",
    "extension reason": "MK-EXT-REASON-4J",
    "extension decision": "MK-EXT-DECISION-6B",
    "suspension reason": "MK-SUSP-REASON-0N",
    "suspension decision": "MK-SUSP-DECISION-3X",
    "internal instruction (批示)": "MK-INSTRUCTION-7V",
    "office's urge": "MK-URGE-OFFICE-1M",
    "leader's urge": "MK-URGE-LEADER-2P",
    "meeting title": "MK-MEETING-TITLE-8R",
    "meeting attendees": "MK-MEETING-ATTENDEES-4L",
    "meeting minutes": "MK-MEETING-MINUTES-6S",
    "meeting decisions": "MK-MEETING-DECISIONS-9D",
    "appeal reason": "MK-APPEAL-REASON-2G",
    "appeal decision": "MK-APPEAL-DECISION-5Y",
}
M = MARKERS


def journey(county) -> Case:
    """The whole life of one case, every internal field written with its marker."""
    office, dan, ren, li = county.office, county.dan, county.ren, county.li
    _visit, (case,) = intake.visit_create(
        actor=county.carl,
        enterprise=county.steel,
        visited_on=timezone.localdate(),
        kind=Visit.Kind.INSPECT,
        notes=f"走访记录 {M['visit notes']}",
        problems=[intake.Problem("电压不稳", "高峰时段掉到340伏", county.power_category)],
    )
    long_ago = timezone.now() - dt.timedelta(days=30)
    workflow.case_assign(
        actor=office,
        case=case,
        lead_department=county.gxj,
        assigned_at=long_ago,
        note=M["assignment note (交办意见)"],
    )
    workflow.case_return(actor=dan, case=case, reason=M["return reason"])
    workflow.case_assign(
        actor=office,
        case=case,
        lead_department=county.rsj,
        co_departments=[county.gxj],
        assigned_at=long_ago,
        resolve_due_at=timezone.now() + dt.timedelta(days=30),
        note=M["reassignment note"],
    )
    workflow.case_urge(actor=office, case=case, note=M["office's urge"])
    workflow.case_urge(actor=li, case=case, note=M["leader's urge"])
    workflow.case_urge(actor=county.eva, case=case, note="企业自己的催办")
    workflow.case_accept(actor=ren, case=case, contact_note="电话联系付董")
    workflow.case_add_progress(actor=ren, case=case, note=M["internal progress (department)"])
    workflow.case_add_progress(actor=office, case=case, note=M["internal progress (office)"])
    workflow.case_add_progress(actor=ren, case=case, note="公开的进展", public=True)
    workflow.case_add_breakdown_item(
        actor=ren,
        case=case,
        department=county.gxj,
        measure=M["breakdown measure"],
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    workflow.case_instruct(actor=li, case=case, text=M["internal instruction (批示)"])
    case.refresh_from_db()
    workflow.case_request_extension(
        actor=ren,
        case=case,
        resolve_due_at=timezone.now() + dt.timedelta(days=60),
        reason=M["extension reason"],
    )
    workflow.case_decide_extension(
        actor=office, case=case, approve=True, note=M["extension decision"]
    )
    workflow.case_request_suspension(actor=ren, case=case, reason=M["suspension reason"])
    workflow.case_decide_suspension(
        actor=office, case=case, approve=True, note=M["suspension decision"]
    )
    workflow.case_resume(actor=ren, case=case, note="企业材料已补齐")
    meeting = Meeting(
        kind=Meeting.Kind.DISPATCH,
        title=M["meeting title"],
        held_on=timezone.localdate(),
        attendees=M["meeting attendees"],
        minutes=M["meeting minutes"],
        decisions=M["meeting decisions"],
        created_by=office,
    )
    meeting_save(meeting=meeting, cases=[case])
    workflow.case_reply(actor=ren, case=case, outcome="resolved", reply="已招聘焊工18名")
    workflow.case_rate(actor=county.eva, case=case, rating="basically_satisfied", comment="还行")
    workflow.case_appeal_rating(actor=ren, case=case, reason=M["appeal reason"])
    workflow.case_decide_appeal(
        actor=county.office_head, case=case, uphold=False, note=M["appeal decision"]
    )
    workflow.case_close(actor=office, case=case, note="企业基本满意，销号")
    workflow.case_reopen(actor=office, case=case, reason="企业反映问题复发")
    workflow.case_reply(actor=ren, case=case, outcome="resolved", reply="复查后已解决")
    workflow.case_rate(actor=county.eva, case=case, rating="satisfied")
    workflow.case_close(actor=office, case=case)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.reopen_count == 1
    return case


def leaked(text: str) -> list[str]:
    return [name for name, marker in MARKERS.items() if marker in text]


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def api_pages(client: APIClient, url: str) -> str:
    """Every page of a paginated API answer, as text."""
    texts = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
        url = response.json().get("next")
    return "\n".join(texts)


@pytest.fixture
def case(county):
    county.eva.email = "eva@example.com"
    county.eva.save()
    return journey(county)


def test_the_markers_were_written_and_the_office_reads_them(client, county, case):
    client.force_login(county.office)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    unseen = [name for name, marker in MARKERS.items() if marker not in html]
    # The visit's notes are on the visit page; the meeting's attendees and minutes on its page.
    assert unseen == ["visit notes", "meeting attendees", "meeting minutes"]


def test_the_portal_list_shows_no_internal_note(client, county, case):
    client.force_login(county.eva)
    for show in ("", "open", "rate", "done"):
        html = client.get(reverse("portal:cases"), {"show": show}).content.decode()
        assert leaked(html) == [], show
    assert case.number in client.get(reverse("portal:cases")).content.decode()


def test_the_case_page_shows_no_internal_note_to_the_enterprise(client, county, case):
    client.force_login(county.eva)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert leaked(html) == []
    # What is the enterprise's to read is there.
    for public in (
        "电话联系付董",
        "公开的进展",
        "复查后已解决",
        "企业自己的催办",
        "改由县人社局办理",
    ):
        assert public in html


def test_the_inbox_and_every_message_to_the_enterprise_show_no_internal_note(client, county, case):
    messages = Notification.objects.filter(
        user__in=EnterpriseContact.objects.filter(enterprise=county.steel).values("user")
    )
    assert messages.filter(channel=Notification.Channel.EMAIL).exists()
    assert leaked("\n".join(f"{m.title}\n{m.body}" for m in messages)) == []
    client.force_login(county.eva)
    assert leaked(client.get(reverse("notifications")).content.decode()) == []


def test_the_api_shows_no_internal_note_to_the_enterprise(county, case):
    eva = api(county.eva)
    for url in (
        "/api/v1/cases/",
        f"/api/v1/cases/{case.pk}/",
        f"/api/v1/cases/{case.pk}/events/",
        "/api/v1/notifications/",
    ):
        text = api_pages(eva, url) if url.endswith("s/") else eva.get(url).content.decode()
        assert leaked(text) == [], url
    # The department reads the internal notes of the same timeline.
    staff = api_pages(api(county.ren), f"/api/v1/cases/{case.pk}/events/")
    assert M["assignment note (交办意见)"] in staff and M["extension decision"] in staff
