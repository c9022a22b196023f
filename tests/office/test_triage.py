"""交办 inbox: the office finds the submitted cases, sees a suggested lead and possible duplicates,
merges duplicates and puts cases on a meeting's agenda."""

import re

import pytest
from django.urls import reverse

from cases import intake, workflow
from cases.models import Case, Meeting
from enterprises.models import Department, Enterprise
from tests.factories import make_enterprise
from tests.office.helpers import messages_of

pytestmark = pytest.mark.django_db


def numbers_on(response) -> list[str]:
    return [case.number for case, _suggestion, _duplicates in response.context["rows"]]


def raise_case(
    county, *, enterprise=None, title="电压不稳", category=None, source=Case.Source.VISIT
):
    return intake.case_create(
        actor=county.office,
        enterprise=enterprise or county.steel,
        title=title,
        description="",
        category=category or county.power_category,
        source=source,
    )


def test_the_inbox_lists_submitted_cases_newest_first_and_nothing_else(office_client, county):
    older = county.submitted(title="融资贷款难")
    newer = county.submitted(enterprise=county.poultry, title="电费太高")
    county.assigned()
    response = office_client.get(reverse("office:triage"))
    assert numbers_on(response) == [newer.number, older.number]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"q": "焊工"}, "welders"),
        ({"q": "桂柳"}, "poultry"),
        ({"category": "labour"}, "welders"),
        ({"industry": Enterprise.Industry.FOOD}, "poultry"),
        ({"source": Case.Source.SELF_REPORT}, "poultry"),
        ({"batch": "第二批"}, "welders"),
        ({"task_force": "steel"}, "welders"),
        ({"township": "town"}, "poultry"),
    ],
)
def test_the_inbox_filters_by_every_criterion(office_client, county, query, expected):
    town = Department.objects.create(name="温圳镇", kind=Department.Kind.TOWNSHIP)
    Enterprise.objects.filter(pk=county.poultry.pk).update(
        industry=Enterprise.Industry.FOOD, township=town
    )
    welders = raise_case(county, title="电焊工紧缺", category=county.labour_category)
    Case.objects.filter(pk=welders.pk).update(batch="第二批")
    poultry = raise_case(
        county, enterprise=county.poultry, title="电费太高", source=Case.Source.SELF_REPORT
    )
    values = {
        "labour": county.labour_category.pk,
        "steel": county.task_force.pk,
        "town": town.pk,
    }
    params = {key: values.get(value, value) for key, value in query.items()}
    response = office_client.get(reverse("office:triage"), params)
    assert numbers_on(response) == [{"welders": welders, "poultry": poultry}[expected].number]


def test_each_case_shows_a_suggested_lead_department_with_its_reason(office_client, county):
    county.submitted()
    body = office_client.get(reverse("office:triage")).content.decode()
    assert "建议牵头：<strong>国网进贤县供电公司</strong>" in body
    assert "该类别的默认牵头部门" in body


def test_a_returned_case_shows_who_returned_it_and_why(office_client, county):
    case = county.assigned()
    workflow.case_return(actor=county.dan, case=case, reason="应由供电公司办理")
    body = office_client.get(reverse("office:triage")).content.decode()
    assert "县工信局退回" in body
    assert "应由供电公司办理" in body


def test_possible_duplicates_are_shown_with_a_merge_button(office_client, county):
    # One enterprise's duplicate; another enterprise's is handled jointly (test_joint_handling).
    first = county.submitted(title="园区道路未修通")
    second = county.submitted(title="园区道路没有修通")
    response = office_client.get(reverse("office:triage"))
    rows = {case.pk: duplicates for case, _s, duplicates in response.context["rows"]}
    assert [d.case for d in rows[second.pk]] == [first]
    body = response.content.decode()
    # The button posts the page's one merge form (its CSRF token and the way back) to this case.
    button = re.search(r'<button type="submit" form="merge"[^>]*>\s*合并到 (\S+)', body)
    assert button.group(1) == first.number
    assert f'formaction="{reverse("office:merge", args=[second.pk])}"' in button.group(0)
    assert f'name="into" value="{first.pk}"' in button.group(0)
    merge_form = re.search(r'<form method="post" id="merge".*?</form>', body, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in merge_form and 'name="next"' in merge_form


def test_merging_a_duplicate_takes_it_out_of_the_inbox(office_client, county):
    first = county.submitted(title="园区道路未修通")
    second = county.submitted(title="园区道路没有修通")
    response = office_client.post(
        reverse("office:merge", args=[second.pk]),
        {"into": first.pk, "next": reverse("office:triage") + "?q=%E9%81%93%E8%B7%AF"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("office:triage") + "?q=%E9%81%93%E8%B7%AF"
    second.refresh_from_db()
    assert second.status == Case.Status.MERGED and second.merged_into == first
    assert f"问题 {second.number} 已合并。" in messages_of(response)


def test_merging_into_a_missing_case_is_a_message_not_an_error_page(office_client, county):
    case = county.submitted()
    response = office_client.post(reverse("office:merge", args=[case.pk]), {"into": "999999"})
    assert response.status_code == 302
    assert messages_of(response) == ["要合并到的问题不存在。"]
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED


def test_merging_into_a_number_that_is_no_id_is_refused_naming_the_parameter(office_client, county):
    case = county.submitted()
    response = office_client.post(reverse("office:merge", args=[case.pk]), {"into": "x"})
    assert response.status_code == 400
    assert "参数“into”有误" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED


def test_merging_a_case_already_assigned_is_refused_with_a_message(office_client, county):
    target = county.submitted()
    assigned = county.assigned()
    response = office_client.post(reverse("office:merge", args=[assigned.pk]), {"into": target.pk})
    assert response.status_code == 302
    assert "不能合并" in messages_of(response)[0]


def test_a_merge_redirect_never_leaves_the_site(office_client, county):
    first, second = county.submitted(), county.submitted(title="电压不稳定")
    response = office_client.post(
        reverse("office:merge", args=[second.pk]),
        {"into": first.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("office:triage")


def test_selected_cases_are_put_on_a_meetings_agenda(office_client, county):
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.ASSIGNMENT, title="第一批交办会", held_on="2026-11-20"
    )
    a, b, c = county.submitted(), county.submitted(title="融资难"), county.submitted(title="用工难")
    response = office_client.post(
        reverse("office:add_to_meeting"), {"meeting": meeting.pk, "case": [a.pk, b.pk]}
    )
    assert response["Location"] == reverse("office:meeting", args=[meeting.pk])
    assert set(meeting.cases.all()) == {a, b}
    assert c not in meeting.cases.all()


def test_putting_cases_on_no_meeting_or_no_cases_on_a_meeting_says_what_is_missing(
    office_client, county
):
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.ASSIGNMENT, title="交办会", held_on="2026-11-20"
    )
    case = county.submitted()
    response = office_client.post(reverse("office:add_to_meeting"), {"case": [case.pk]})
    assert messages_of(response) == ["请选择要加入的会议。"]
    response = office_client.post(reverse("office:add_to_meeting"), {"meeting": meeting.pk})
    assert messages_of(response) == ["请先勾选要加入会议的问题。"]
    assert not meeting.cases.exists()


def test_the_inbox_is_paginated_and_keeps_its_filters(office_client, county):
    for n in range(27):
        raise_case(county, enterprise=make_enterprise(), title=f"道路问题{n}")
    first = office_client.get(reverse("office:triage"), {"q": "道路"})
    assert len(first.context["rows"]) == 25
    body = first.content.decode()
    assert "?q=%E9%81%93%E8%B7%AF&amp;page=2" in body
    second = office_client.get(reverse("office:triage"), {"q": "道路", "page": 2})
    assert len(second.context["rows"]) == 2


def test_the_batch_filter_offers_every_batch_once_in_order(office_client, county):
    for batch, make in [
        ("第二批", county.assigned),
        ("第一批", county.closed),
        ("第二批", county.assigned),
        ("2021年第3批", county.submitted),
        ("", county.assigned),
    ]:
        Case.objects.filter(pk=make().pk).update(batch=batch)
    response = office_client.get(reverse("office:triage"), {"batch": "第一批"})
    field = response.context["filter"].form.fields["batch"]
    # As SELECT DISTINCT would list them, in the database's order; "" is "all batches".
    distinct = Case.objects.exclude(batch="").order_by("batch").values_list("batch", flat=True)
    choices = [value for value, _label in field.choices]
    assert choices == ["", *distinct.distinct()] and len(choices) == 4
    body = response.content.decode()
    assert '<option value="第一批" selected>第一批</option>' in body
    assert '<option value="第二批">第二批</option>' in body


def test_the_filters_keep_the_chosen_options_selected(office_client, county):
    response = office_client.get(
        reverse("office:triage"),
        {"category": county.labour_category.pk, "source": Case.Source.IMPORT},
    )
    body = response.content.decode()
    assert f'<option value="{county.labour_category.pk}" selected>' in body
    assert f'<option value="{Case.Source.IMPORT}" selected>' in body
    assert '<select name="category" class="form-select form-select-sm" id="id_category">' in body
