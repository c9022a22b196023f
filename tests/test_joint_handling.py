"""并案办理 (cases.joint): the same problem raised by 荣信钢构 (Eva) and 桂柳家禽 (Bea) is handled by
县工信局 once, while each enterprise keeps its own case, its own reply and its own rating. Merging
is only for one enterprise's duplicates, wherever the office asks for it."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from cases import attachments as case_files
from cases import files as attachment_rule
from cases import workflow
from cases.errors import InvalidState
from cases.models import Case, CaseEvent, EventAttachment
from enterprises.models import Enterprise, EnterpriseContact
from tests.api.conftest import (
    Caller,
    case_url,
    fresh_throttle_counts,  # noqa: F401 (an autouse fixture)
    token_for,
)
from tests.conftest import make_user, valid_credit_code
from tests.crafted import word_97
from tests.office.helpers import messages_of
from tests.portal.conftest import pdf, png

pytestmark = pytest.mark.django_db
K = CaseEvent.Kind
S = Case.Status
STEEL, POULTRY = "江西进贤荣信钢构公司", "江西桂柳家禽有限公司"
ROAD = "园区道路未修通，货车进不来"


def as_user(user) -> Caller:
    """The API as this persona, with their token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return Caller(client)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def kinds(case: Case) -> list[str]:
    return list(case.events.order_by("created_at", "pk").values_list("kind", flat=True))


@pytest.fixture
def pair(county):
    """The road problem of both enterprises, the poultry farm's joined to the steel plant's."""
    main = county.submitted(title=ROAD)
    member = county.submitted(enterprise=county.poultry, title="园区道路没有修通")
    workflow.case_join(actor=county.office, case=member, into=main)
    return fresh(main), fresh(member)


def carried_to_reply(county, main):
    workflow.case_assign(
        actor=county.office, case=main, lead_department=county.gxj, co_departments=[county.rsj]
    )
    workflow.case_accept(
        actor=county.dan,
        case=main,
        contact_note="召开座谈会，约定两周内修通",
        contact_method="meeting",
    )
    workflow.case_add_progress(actor=county.dan, case=main, note="路基已完工", public=True)
    workflow.case_add_progress(actor=county.dan, case=main, note="内部：资金缺口待协调")
    workflow.case_reply(actor=county.dan, case=main, outcome="resolved", reply="道路已修通")


# --- merging: one enterprise's duplicates only ---------------------------------------------------


def test_merge_refuses_a_case_of_another_enterprise_naming_the_field(county):
    target = county.submitted(title=ROAD)
    other = county.submitted(enterprise=county.poultry, title=ROAD)
    with pytest.raises(ValidationError) as refused:
        workflow.case_merge(actor=county.office, case=other, into=target)
    message = refused.value.message_dict["into"][0]
    assert target.number in message and "并案办理" in message
    assert fresh(other).status == S.SUBMITTED and fresh(other).merged_into is None
    # One enterprise's duplicate is still merged.
    duplicate = county.submitted(title=ROAD)
    assert workflow.case_merge(actor=county.office, case=duplicate, into=target).status == S.MERGED


def test_the_office_pages_and_the_api_refuse_a_merge_across_enterprises(client, county):
    target = county.submitted(title=ROAD)
    other = county.submitted(enterprise=county.poultry, title=ROAD)
    client.force_login(county.office)
    response = client.post(reverse("office:merge", args=[other.pk]), {"into": target.pk})
    assert "不能合并" in messages_of(response)[0]
    response = client.post(
        reverse("case_act", args=[other.pk, "merge"]), {"merge-into": target.number}
    )
    assert response.status_code == 400 and "并案办理" in response.content.decode()
    answer = as_user(county.office).post(case_url(other, "merge"), {"into": target.pk})
    assert answer.status_code == 400 and "并案办理" in answer.json()["into"][0]
    assert fresh(other).status == S.SUBMITTED


def test_the_admin_cannot_merge_or_join_a_case(client, county):
    from tests.test_admin import page_as_submitted, url

    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    target = county.submitted(title=ROAD)
    other = county.submitted(enterprise=county.poultry, title=ROAD)
    data = page_as_submitted(client.get(url(Case, "change", other.pk)))
    data.update(merged_into=target.pk, joint_group=target.pk, status="merged")
    assert client.post(url(Case, "change", other.pk), data).status_code == 302
    other = fresh(other)
    assert (other.status, other.merged_into_id, other.joint_group_id) == (S.SUBMITTED, None, None)


# --- joining ---------------------------------------------------------------------------------------


def test_two_enterprises_cases_are_joined_each_keeping_its_own(county, pair):
    main, member = pair
    assert main.joint_group_id == main.pk and member.joint_group_id == main.pk
    assert main.is_joint_main and member.is_joint_member
    assert (main.status, member.status) == (S.SUBMITTED, S.SUBMITTED)
    assert kinds(member)[-1] == K.JOINED and kinds(main)[-1] == K.JOINED
    joined = member.events.get(kind=K.JOINED)
    assert joined.public and STEEL not in joined.note and main.number not in joined.note


def test_joining_is_refused_with_a_reason_naming_the_field(county, pair):
    main, member = pair
    twin = county.submitted(enterprise=county.poultry, title="园区道路")
    with pytest.raises(ValidationError) as refused:  # the farm is in the group already
        workflow.case_join(actor=county.office, case=twin, into=main)
    assert "同一家企业" in refused.value.message_dict["into"][0]
    with pytest.raises(ValidationError) as refused:
        workflow.case_join(actor=county.office, case=twin, into=twin)
    assert "into" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        workflow.case_join(actor=county.office, case=twin, into=999_999)
    assert "into" in refused.value.message_dict
    with pytest.raises(InvalidState):  # already in a group: leave it first
        workflow.case_join(actor=county.office, case=member, into=twin)
    accepted = county.in_progress(enterprise=county.poultry)
    third = county.submitted(title="道路")
    with pytest.raises(ValidationError) as refused:
        workflow.case_join(actor=county.office, case=third, into=accepted)
    assert "签收之前" in refused.value.message_dict["into"][0]
    with pytest.raises(InvalidState):  # a joined case is not merged away
        workflow.case_merge(actor=county.office, case=member, into=twin)


def test_joining_an_assigned_group_assigns_the_case_with_it(county):
    main = county.assigned(lead_department=county.gxj, co_departments=[county.rsj])
    member = county.submitted(enterprise=county.poultry)
    member = workflow.case_join(actor=county.office, case=member, into=main)
    member, main = fresh(member), fresh(main)
    assert member.status == S.ASSIGNED and member.lead_department == county.gxj
    assert list(member.co_departments.all()) == [county.rsj]
    assert (member.contact_due_at, member.resolve_due_at) == (
        main.contact_due_at,
        main.resolve_due_at,
    )
    assert member.next_reminder_at is not None  # the reminders run for it too
    assigned = member.events.get(kind=K.ASSIGNED)
    assert assigned.public and assigned.department == county.gxj


# --- one piece of work ---------------------------------------------------------------------------


def test_assigned_accepted_and_replied_once_on_the_main_case_for_both(county, pair):
    main, member = pair
    carried_to_reply(county, main)
    main, member = fresh(main), fresh(member)
    assert member.status == S.REPLIED and member.lead_department == county.gxj
    assert list(member.co_departments.all()) == [county.rsj]
    for field in ("assigned_at", "contact_due_at", "resolve_due_at", "contacted_at", "replied_at"):
        assert getattr(member, field) == getattr(main, field), field
    assert (member.reply, member.outcome, member.reply_round) == ("道路已修通", "resolved", 1)
    assert kinds(member)[-4:] == [K.ASSIGNED, K.ACCEPTED, K.PROGRESS, K.REPLIED]
    public = member.events.filter(public=True)
    assert "召开座谈会，约定两周内修通" in public.get(kind=K.ACCEPTED).note
    assert public.get(kind=K.PROGRESS).note == "路基已完工"  # the internal note stays on the main
    assert not member.events.filter(note__contains="资金缺口").exists()
    assert member.events.get(kind=K.REPLIED).data["round"] == 1


def test_the_department_acts_on_the_main_case_only(county, pair):
    main, member = pair
    workflow.case_assign(actor=county.office, case=main, lead_department=county.gxj)
    member = fresh(member)
    assert "accept" not in workflow.allowed_actions(county.dan, member)
    assert "accept" in workflow.allowed_actions(county.dan, fresh(main))
    with pytest.raises(InvalidState) as refused:
        workflow.case_accept(actor=county.dan, case=member, contact_note="电话")
    assert main.number in refused.value.message
    assert fresh(member).status == S.ASSIGNED


def test_a_carried_text_naming_an_enterprise_of_the_group_is_refused(county, pair):
    main, member = pair
    workflow.case_assign(actor=county.office, case=main, lead_department=county.gxj)
    with pytest.raises(ValidationError) as refused:
        workflow.case_accept(actor=county.dan, case=main, contact_note=f"已电话联系{POULTRY}")
    assert POULTRY in refused.value.message_dict["contact_note"][0]
    assert fresh(main).status == S.ASSIGNED and fresh(member).status == S.ASSIGNED
    workflow.case_accept(actor=county.dan, case=main, contact_note="已联系各企业")
    with pytest.raises(ValidationError) as refused:
        workflow.case_add_progress(actor=county.dan, case=main, note=f"{STEEL}已复工", public=True)
    assert "note" in refused.value.message_dict
    # Internal, it reaches no enterprise: allowed.
    workflow.case_add_progress(actor=county.dan, case=main, note=f"{STEEL}已复工")


# --- each its own after the reply ----------------------------------------------------------------


def test_each_enterprise_rates_its_own_case_and_a_dissatisfied_one_is_reopened_alone(county, pair):
    main, member = pair
    carried_to_reply(county, main)
    workflow.case_rate(actor=county.eva, case=main, rating="satisfied")
    workflow.case_rate(actor=county.bea, case=member, rating="dissatisfied", comment="路面太窄")
    main, member = fresh(main), fresh(member)
    assert (main.status, main.rating) == (S.REPLIED, "satisfied")
    assert (member.status, member.rating, member.reopen_count) == (
        S.IN_PROGRESS,
        "dissatisfied",
        1,
    )
    assert list(main.ratings.values_list("level", flat=True)) == ["satisfied"]
    assert list(member.ratings.values_list("level", flat=True)) == ["dissatisfied"]
    # The reopened case left the group, which had no one else: both are on their own now.
    assert member.joint_group_id is None and main.joint_group_id is None
    assert kinds(member)[-1] == K.JOINT_LEFT and kinds(main)[-1] == K.JOINT_LEFT
    # The department handles the farm's case on its own; the plant's is closed out on its own.
    assert "reply" in workflow.allowed_actions(county.dan, member)
    workflow.case_close(actor=county.office, case=main)
    assert fresh(member).status == S.IN_PROGRESS and fresh(main).status == S.CLOSED


def test_when_the_main_case_is_reopened_the_next_case_leads_the_group(county, pair):
    main, member = pair
    third_enterprise = Enterprise.objects.create(
        name="江西进贤饲料厂", credit_code=valid_credit_code(3)
    )
    third = county.submitted(enterprise=third_enterprise, title="园区道路未通")
    workflow.case_join(actor=county.office, case=third, into=member)  # a member names its group
    assert fresh(third).joint_group_id == main.pk
    carried_to_reply(county, main)
    assert fresh(third).status == S.REPLIED
    workflow.case_rate(actor=county.eva, case=main, rating="very_dissatisfied")
    main, member, third = fresh(main), fresh(member), fresh(third)
    assert main.joint_group_id is None and main.status == S.IN_PROGRESS
    assert member.joint_group_id == member.pk and third.joint_group_id == member.pk
    assert (member.status, third.status) == (S.REPLIED, S.REPLIED)
    # The department's next reply on the plant's case reaches nobody else.
    workflow.case_reply(actor=county.dan, case=main, outcome="resolved", reply="已拓宽")
    assert fresh(member).reply == "道路已修通" and fresh(third).reply == "道路已修通"


def test_the_office_takes_a_case_out_of_its_group(county, pair):
    main, member = pair
    workflow.case_assign(actor=county.office, case=main, lead_department=county.gxj)
    assert "leave_joint" in workflow.allowed_actions(county.office, fresh(member))
    workflow.case_leave_joint(actor=county.office, case=member, note="问题不同")
    main, member = fresh(main), fresh(member)
    assert (main.joint_group_id, member.joint_group_id) == (None, None)
    assert member.status == S.ASSIGNED  # keeps its state, handled on its own from now on
    left = member.events.get(kind=K.JOINT_LEFT)
    assert left.public and left.internal_note == "问题不同" and "问题不同" not in left.note
    workflow.case_accept(actor=county.dan, case=member, contact_note="电话联系")
    assert fresh(main).status == S.ASSIGNED


# --- what each enterprise sees -------------------------------------------------------------------


def test_each_enterprise_sees_its_own_case_and_reply_and_never_the_others_name(
    client, county, pair
):
    main, member = pair
    carried_to_reply(county, main)
    for contact, own, other, other_case in (
        (county.eva, main, POULTRY, member),
        (county.bea, member, STEEL, main),
    ):
        client.force_login(contact)
        portal = client.get(reverse("portal:cases")).content.decode()
        assert f'id="case-{own.pk}"' in portal and f'id="case-{other_case.pk}"' not in portal
        assert "道路已修通" in portal and other not in portal
        page = client.get(reverse("case_detail", args=[own.pk])).content.decode()
        assert "并案办理" in page and "与 1 家企业的同类问题一并办理" in page
        assert "道路已修通" in page and "路基已完工" in page and "资金缺口" not in page
        assert other not in page and other_case.number not in page
        assert client.get(reverse("case_detail", args=[other_case.pk])).status_code == 404
        api = as_user(contact)
        answer = api.get(case_url(own)).json()
        assert (answer["joint_group"], answer["joint_cases"], answer["joint_enterprises"]) == (
            None,
            [],
            1,
        )
        events = json.dumps(api.get(case_url(own, "events")).json(), ensure_ascii=False)
        assert other not in events and "道路已修通" in events
        assert api.get(case_url(other_case)).status_code == 404
    # Each rates its own.
    client.force_login(county.bea)
    response = client.post(
        reverse("case_act", args=[member.pk, "rate"]), {"rate-rating": "satisfied"}
    )
    assert response.status_code == 302
    assert fresh(member).rating == "satisfied" and fresh(main).rating == ""


def test_staff_see_the_group_linked(client, county, pair):
    main, member = pair
    workflow.case_assign(actor=county.office, case=main, lead_department=county.gxj)
    client.force_login(county.dan)
    page = client.get(reverse("case_detail", args=[member.pk])).content.decode()
    assert reverse("case_detail", args=[main.pk]) in page and STEEL in page
    assert f"主办件 {main.number}" in page
    page = client.get(reverse("case_detail", args=[main.pk])).content.decode()
    assert reverse("case_detail", args=[member.pk]) in page and POULTRY in page
    assert "joint-carried" in page  # the hint beside the forms whose texts are carried
    answer = as_user(county.dan).get(case_url(member)).json()
    assert answer["joint_group"] == main.pk and answer["joint_cases"] == [main.pk]
    listed = {c["id"]: c for c in as_user(county.office).get("cases/").json()["results"]}
    assert listed[main.pk]["joint_cases"] == [member.pk]
    assert listed[main.pk]["joint_enterprises"] == 1


def test_the_api_joins_and_leaves(county):
    main = county.submitted(title=ROAD)
    member = county.submitted(enterprise=county.poultry, title=ROAD)
    office = as_user(county.office)
    answer = office.post(case_url(member, "join"), {"into": main.pk})
    assert answer.status_code == 200 and answer.json()["joint_group"] == main.pk
    assert as_user(county.eva).post(case_url(main, "leave-joint"), {}).status_code == 403
    answer = office.post(case_url(member, "leave-joint"), {"note": "不是同一问题"})
    assert answer.status_code == 200 and answer.json()["joint_group"] is None
    paths = office.get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/cases/{id}/join/" in paths and "/api/v1/cases/{id}/leave-joint/" in paths


# --- triage ----------------------------------------------------------------------------------------


def test_triage_offers_joint_handling_for_another_enterprise_and_merging_for_the_same(
    client, county
):
    first = county.submitted(title=ROAD)
    other = county.submitted(enterprise=county.poultry, title="园区道路没有修通")
    again = county.submitted(title="园区道路没修通")
    client.force_login(county.office)
    body = client.get(reverse("office:triage")).content.decode()
    other_card = body[body.index(f'id="case-{other.pk}"') :].split('class="card shadow-sm')[0]
    assert f"与 {first.number} 并案办理" in other_card and "合并到" not in other_card
    again_card = body[body.index(f'id="case-{again.pk}"') :].split('class="card shadow-sm')[0]
    assert f"合并到 {first.number}" in again_card

    response = client.post(reverse("office:join", args=[other.pk]), {"into": first.pk})
    assert response.status_code == 302 and "已并案办理" in messages_of(response)[0]
    body = client.get(reverse("office:triage")).content.decode()
    assert f'id="case-{other.pk}"' not in body  # listed under its main case, assigned with it
    first_card = body[body.index(f'id="case-{first.pk}"') :].split('class="card shadow-sm')[0]
    assert other.number in first_card and POULTRY in first_card and "退出并案" in first_card

    response = client.post(reverse("office:leave_joint", args=[other.pk]))
    assert "已退出并案" in messages_of(response)[0]
    assert fresh(other).joint_group_id is None


def test_the_case_page_joins_by_number_and_names_a_refusal_beside_the_field(client, county):
    main = county.submitted(title=ROAD)
    member = county.submitted(enterprise=county.poultry, title=ROAD)
    duplicate = county.submitted(title=ROAD)
    client.force_login(county.office)
    act = reverse("case_act", args=[duplicate.pk, "join"])
    response = client.post(act, {"join-into": main.number})
    assert response.status_code == 400
    (join,) = [a["form"] for a in response.context["action_forms"] if a["name"] == "join"]
    assert "同一企业的重复问题请合并" in join.errors["into"][0]
    response = client.post(
        reverse("case_act", args=[member.pk, "join"]), {"join-into": main.number}
    )
    assert response.status_code == 302 and fresh(member).joint_group_id == main.pk


def test_the_assign_page_assigns_a_member_with_its_main_case(client, county, pair):
    main, member = pair
    client.force_login(county.office)
    response = client.get(reverse("office:assign"), {"case": [main.pk, member.pk]})
    assert [row.case for row in response.context["rows"]] == [main]
    assert "1 件并案办理的问题随主办件一并交办，不单独交办。" in [
        str(m) for m in response.wsgi_request._messages
    ]


# --- the data migration ----------------------------------------------------------------------------


def _migration():
    return importlib.import_module("cases.migrations.0011_merges_to_joint")


def _old_merge(case: Case, into: Case) -> None:
    """A merge as the office could make one before joint handling (any enterprise)."""
    Case.objects.filter(pk=case.pk).update(status=S.MERGED, merged_into=into)
    CaseEvent.objects.create(case=case, kind=K.MERGED, public=True, data={"into": into.pk})


def test_the_migration_turns_a_cross_enterprise_merge_into_joint_handling(county):
    target = county.replied()
    workflow.case_rate(actor=county.eva, case=target, rating="satisfied")
    workflow.case_close(actor=county.office, case=target)
    stranded = county.submitted(enterprise=county.poultry, title="电压不稳")
    duplicate = county.submitted(title="电压不稳（重复）")
    _old_merge(stranded, target)
    _old_merge(duplicate, target)

    counts = _migration().merges_to_joint(apps)
    assert counts == {"joint": 1, "merged": 1, "skipped": 0}
    stranded, target = fresh(stranded), fresh(target)
    assert stranded.merged_into is None and stranded.joint_group_id == target.pk
    assert target.joint_group_id == target.pk and target.status == S.CLOSED
    # Its own status back, as a member: replied with the same reply, waiting for its rating.
    assert (stranded.status, stranded.reply, stranded.reply_round) == (
        S.REPLIED,
        "已增设一台变压器",
        1,
    )
    assert stranded.lead_department == county.gxj and stranded.contacted_at == target.contacted_at
    assert {K.ASSIGNED, K.ACCEPTED, K.REPLIED, K.JOINED} <= set(kinds(stranded))
    assert all("person" not in e.data for e in stranded.events.filter(kind=K.ACCEPTED))
    assert fresh(duplicate).status == S.MERGED  # one enterprise's duplicate stays merged
    workflow.case_rate(actor=county.bea, case=stranded, rating="satisfied")
    workflow.case_close(actor=county.office, case=stranded)
    assert _migration().merges_to_joint(apps) == {"joint": 0, "merged": 1, "skipped": 0}


def test_the_migration_puts_a_merge_into_an_open_case_in_step_with_it(county):
    target = county.assigned(co_departments=[county.rsj])
    stranded = county.submitted(enterprise=county.poultry)
    _old_merge(stranded, target)
    _migration().merges_to_joint(apps)
    stranded = fresh(stranded)
    assert stranded.status == S.ASSIGNED and stranded.joint_group_id == target.pk
    assert stranded.contact_due_at == target.contact_due_at
    assert list(stranded.co_departments.all()) == [county.rsj]
    # From now on the group is one piece of work.
    workflow.case_accept(actor=county.dan, case=target, contact_note="座谈会对接")
    assert fresh(stranded).status == S.IN_PROGRESS


def test_the_migration_merges_a_second_case_of_an_enterprise_already_in_the_group(county):
    target = county.submitted()
    first = county.submitted(enterprise=county.poultry)
    second = county.submitted(enterprise=county.poultry, title="电压不稳（重复）")
    _old_merge(first, target)
    _old_merge(second, target)
    assert _migration().merges_to_joint(apps) == {"joint": 1, "merged": 1, "skipped": 0}
    assert fresh(first).joint_group_id == target.pk
    assert fresh(second).merged_into_id == first.pk


def test_a_third_enterprise_contact_sees_nothing_of_the_group(client, county, pair):
    main, _member = pair
    outsider = Enterprise.objects.create(name="江西进贤米业", credit_code=valid_credit_code(9))
    user = make_user("mi")
    EnterpriseContact.objects.create(user=user, enterprise=outsider)
    client.force_login(user)
    assert client.get(reverse("case_detail", args=[main.pk])).status_code == 404


# --- the main case's files reach the members with its public notes and reply ---------------------


@pytest.fixture
def files_root(settings, tmp_path):
    settings.PORTAL_ATTACHMENTS_ROOT = tmp_path / "attachments"
    return settings.PORTAL_ATTACHMENTS_ROOT


def test_a_member_enterprise_opens_the_files_of_the_replies_it_receives_and_nothing_else(
    client, county, pair, files_root
):
    main, member = pair
    [own_upload] = case_files.problem_attachments_store(
        case=main,
        files=attachment_rule.check_attachments([png("厂门.png")]),
        uploaded_by=county.eva,
    )
    workflow.case_assign(actor=county.office, case=main, lead_department=county.gxj)
    workflow.case_accept(
        actor=county.dan, case=main, contact_note="现场查看", contact_method="visit"
    )
    workflow.case_add_progress(
        actor=county.dan, case=main, note="路基已完工", public=True, attachments=[png("路基.png")]
    )
    workflow.case_add_progress(
        actor=county.dan, case=main, note="资金缺口待协调", attachments=[pdf("资金测算.pdf")]
    )
    letter = SimpleUploadedFile("答复函.doc", word_97(), content_type="application/msword")
    workflow.case_reply(
        actor=county.dan, case=main, outcome="resolved", reply="道路已修通", attachments=[letter]
    )

    received = {a.original_name: a for a in EventAttachment.objects.filter(case=member)}
    assert set(received) == {"路基.png", "答复函.doc"}  # the internal note's file stays on the main
    reply_file = received["答复函.doc"]
    assert reply_file.event.kind == K.REPLIED and reply_file.event.case_id == member.pk
    main_reply_file = EventAttachment.objects.get(case=main, original_name="答复函.doc")
    assert reply_file.file.name == main_reply_file.file.name  # one stored file, two rows
    internal = EventAttachment.objects.get(original_name="资金测算.pdf")
    assert internal.case_id == main.pk and not internal.event.public

    client.force_login(county.bea)
    page = client.get(reverse("case_detail", args=[member.pk])).content.decode()
    assert event_file_url(member, reply_file) in page and "路基.png" in page
    assert "资金测算.pdf" not in page and "厂门.png" not in page
    response = client.get(event_file_url(member, reply_file))
    assert response.status_code == 200 and response["Content-Type"] == "application/msword"
    assert b"".join(response.streaming_content) == word_97()
    for url in (
        event_file_url(main, internal),  # the main case's internal file
        event_file_url(member, internal),  # … asked for under her own case
        event_file_url(main, main_reply_file),  # the main case's own row: not her case
        reverse("portal:attachment", args=[own_upload.pk]),  # the steel plant's own upload
    ):
        assert client.get(url).status_code == 404, url

    client.force_login(county.eva)  # the main enterprise still has its own
    assert client.get(event_file_url(main, main_reply_file)).status_code == 200
    assert client.get(event_file_url(main, internal)).status_code == 404
    assert client.get(event_file_url(member, reply_file)).status_code == 404
    client.force_login(county.dan)  # the department reads both cases' files
    assert client.get(event_file_url(member, reply_file)).status_code == 200
    assert client.get(event_file_url(main, internal)).status_code == 200


def test_a_carried_reply_refused_for_naming_an_enterprise_leaves_no_file(county, pair, files_root):
    main, member = pair
    workflow.case_assign(actor=county.office, case=main, lead_department=county.gxj)
    workflow.case_accept(
        actor=county.dan, case=main, contact_note="现场查看", contact_method="visit"
    )
    letter = SimpleUploadedFile("答复函.doc", word_97(), content_type="application/msword")
    with pytest.raises(ValidationError):
        workflow.case_reply(
            actor=county.dan,
            case=main,
            outcome="resolved",
            reply=f"{POULTRY}的道路已修通",
            attachments=[letter],
        )
    assert not EventAttachment.objects.exists()
    assert not files_root.exists() or not [p for p in files_root.rglob("*") if p.is_file()]
    assert fresh(member).status == S.IN_PROGRESS


def event_file_url(case: Case, attachment: EventAttachment) -> str:
    return reverse("case_event_file", args=[case.pk, attachment.pk])
