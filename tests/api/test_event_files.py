"""Issue 17 over the API: a case event lists the files sent with it (cases.EventAttachment), each
with a URL the caller opens with their own token — only on an event the caller may see, so an
internal note's files never reach the enterprise."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import workflow
from cases.models import EventAttachment
from tests.api.conftest import case_url
from tests.portal.conftest import pdf, png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path):
    settings.PORTAL_ATTACHMENTS_ROOT = tmp_path / "attachments"


def events_by_kind_and_note(caller, case) -> dict:
    answer = caller.get(case_url(case, "events"))
    assert answer.status_code == 200
    return {(e["kind"], e["note"]): e for e in answer.json()["results"]}


def download(caller, url: str):
    return caller.client.get(url)


def test_events_list_their_files_and_each_url_downloads_it_with_a_token(county, as_user):
    case = county.in_progress()
    workflow.case_add_progress(
        actor=county.dan, case=case, note="现场照片", public=True, attachments=[png("现场.png")]
    )
    eva = as_user(county.eva)
    event = events_by_kind_and_note(eva, case)[("progress", "现场照片")]
    (photo,) = event["attachments"]
    assert photo["name"] == "现场.png" and photo["content_type"] == "image/png"
    assert photo["size"] > 0
    assert photo["url"].startswith("http://testserver/api/v1/cases/")
    answer = download(eva, photo["url"])
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    assert b"".join(answer.streaming_content).startswith(b"\x89PNG")
    # A file asked for with an Accept that is not JSON is still served; without a token, 401.
    assert eva.client.get(photo["url"], HTTP_ACCEPT="image/png").status_code == 200
    assert as_user(None).client.get(photo["url"]).status_code == 401


def test_an_internal_notes_files_are_neither_listed_nor_served_to_the_enterprise(county, as_user):
    case = county.in_progress()
    workflow.case_add_progress(
        actor=county.dan,
        case=case,
        note="内部协调纪要",
        public=False,
        attachments=[pdf("纪要.pdf")],
    )
    dan = as_user(county.dan)
    (minutes,) = events_by_kind_and_note(dan, case)[("progress", "内部协调纪要")]["attachments"]
    assert minutes["name"] == "纪要.pdf"
    assert download(dan, minutes["url"]).status_code == 200
    eva = as_user(county.eva)
    assert ("progress", "内部协调纪要") not in events_by_kind_and_note(eva, case)
    refused = download(eva, minutes["url"])
    assert refused.status_code == 404 and "detail" in refused.json()
    for outsider in (county.bea, county.ren):
        assert download(as_user(outsider), minutes["url"]).status_code == 404


def test_a_file_is_found_only_under_its_own_case(county, as_user):
    first, second = county.in_progress(), county.in_progress()
    workflow.case_add_progress(
        actor=county.dan, case=first, note="现场照片", public=True, attachments=[png()]
    )
    dan = as_user(county.dan)
    (photo,) = events_by_kind_and_note(dan, first)[("progress", "现场照片")]["attachments"]
    assert dan.get(case_url(second, f"files/{photo['id']}")).status_code == 404
    assert dan.get(case_url(first, f"files/{photo['id'] + 999}")).status_code == 404


def test_an_event_without_files_lists_none(county, as_user):
    case = county.assigned()
    events = as_user(county.office).get(case_url(case, "events")).json()["results"]
    assert events and all(e["attachments"] == [] for e in events)


def test_a_file_gone_from_storage_is_a_404_on_the_api_and_on_the_case_page(county, as_user, client):
    case = county.in_progress()
    workflow.case_add_progress(
        actor=county.dan, case=case, note="现场照片", public=True, attachments=[png("现场.png")]
    )
    eva = as_user(county.eva)
    (photo,) = events_by_kind_and_note(eva, case)[("progress", "现场照片")]["attachments"]
    stored = EventAttachment.objects.get(case=case)
    stored.file.storage.delete(stored.file.name)
    gone = download(eva, photo["url"])
    assert gone.status_code == 404 and "detail" in gone.json()
    client.force_login(county.eva)
    page = client.get(reverse("case_event_file", args=[case.pk, stored.pk]))
    assert page.status_code == 404
