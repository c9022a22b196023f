"""The case page every role shares: what each persona sees and may do there."""

import datetime as dt

import pytest
from django.urls import reverse

from cases import workflow
from cases.models import Case, CaseEvent
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db


def page(client, user, case):
    client.force_login(user)
    return client.get(reverse("case_detail", args=[case.pk]))


def act(client, user, case, action, **data):
    client.force_login(user)
    return client.post(
        reverse("case_act", args=[case.pk, action]), {f"{action}-{k}": v for k, v in data.items()}
    )


def test_a_case_outside_the_users_scope_answers_404(client, county):
    case = county.assigned(enterprise=county.poultry, lead_department=county.power)
    for user in (county.eva, county.dan, county.carl, county.sam):
        assert page(client, user, case).status_code == 404
        assert (
            act(client, user, case, "accept", contact_note="x", contact_method="phone").status_code
            == 404
        )


def test_the_enterprise_sees_the_public_timeline_only(client, county):
    case = county.in_progress()
    workflow.case_add_progress(actor=county.dan, case=case, note="内部批示：优先保障", public=False)
    workflow.case_add_progress(actor=county.dan, case=case, note="变压器已到货", public=True)
    body = page(client, county.eva, case).content.decode()
    assert "变压器已到货" in body and "内部批示" not in body
    assert "内部批示" in page(client, county.dan, case).content.decode()


def test_the_page_offers_exactly_the_actions_the_workflow_allows(client, county):
    case = county.assigned()
    body = page(client, county.dan, case).content.decode()
    assert 'data-action="accept"' in body and 'data-action="return"' in body
    assert 'data-action="close"' not in body
    body = page(client, county.eva, case).content.decode()
    assert "data-action=" not in body


def test_the_department_accepts_from_the_page_and_the_clock_says_how_long_is_left(client, county):
    case = county.assigned()
    body = page(client, county.dan, case).content.decode()
    assert "还剩" in body or "今天到期" in body
    response = act(
        client,
        county.dan,
        case,
        "accept",
        contact_method="phone",
        contact="new",  # 付登印 is not among the enterprise's contacts yet: he joins them
        contact_person="付登印",
        contact_mobile="13807910001",
        contact_note="约定周三上门",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS
    assert case.events.get(kind=CaseEvent.Kind.ACCEPTED).data["person"] == "付登印"


def test_an_overdue_contact_deadline_shows_the_working_days_overdue(client, county):
    case = county.assigned(assigned_at=dt.datetime(2026, 11, 2, 9, 0, tzinfo=CHINA))
    body = page(client, county.dan, case).content.decode()
    assert "已逾期" in body


def test_a_missing_contact_note_comes_back_next_to_the_field_and_nothing_changes(client, county):
    case = county.assigned()
    response = act(client, county.dan, case, "accept", contact_method="phone", contact_note="")
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.ASSIGNED


def test_a_workflow_rule_comes_back_as_a_field_error(client, county):
    case = county.in_progress()
    response = act(
        client,
        county.dan,
        case,
        "breakdown",
        department=county.rsj.pk,
        measure="招聘",
        due_on="2099-01-01",
    )
    assert response.status_code == 400
    assert "不能晚于问题的办结期限" in response.content.decode()


def test_a_co_department_trying_to_reply_is_refused(client, county):
    case = county.in_progress(co_departments=[county.rsj])
    response = act(client, county.ren, case, "reply", outcome="resolved", reply="好了")
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS


def test_a_double_submitted_close_closes_once_and_says_so(client, county):
    case = county.replied()
    workflow.case_rate(actor=county.eva, case=case, rating="satisfied")
    assert act(client, county.office, case, "close", note="").status_code == 302
    response = act(client, county.office, case, "close", note="")
    assert response.status_code == 302
    assert case.events.filter(kind=CaseEvent.Kind.CLOSED).count() == 1


def test_closing_an_unrated_reply_from_the_page_says_how_long_it_must_wait(client, county):
    case = county.replied()
    response = act(client, county.office, case, "close", note="")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "企业尚未评价" in page and "还差 10 个工作日" in page
    assert Case.objects.get(pk=case.pk).status == Case.Status.REPLIED


def test_the_office_assigns_from_the_page_with_a_historical_date(client, county):
    case = county.submitted()
    response = act(
        client,
        county.office,
        case,
        "assign",
        lead_department=county.gxj.pk,
        co_departments=[county.rsj.pk],
        assigned_at="2021-04-22T10:00",
        batch="第一批",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.contact_due_at == dt.datetime(2021, 4, 26, 23, 59, 59, tzinfo=CHINA)


def test_the_enterprise_rates_from_the_page(client, county):
    case = county.replied()
    response = act(client, county.eva, case, "rate", rating="dissatisfied", comment="电压仍不稳")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS and case.reopen_count == 1


def test_a_commitment_is_kept_from_the_page(client, county):
    case = county.in_progress()
    commitment = workflow.case_add_commitment(
        actor=county.carl, case=case, text="一周内协调", due_on=dt.date(2099, 1, 1)
    )
    client.force_login(county.carl)
    client.post(reverse("case_commitment_kept", args=[case.pk, commitment.pk]))
    commitment.refresh_from_db()
    assert commitment.kept_at is not None


def test_the_case_page_costs_the_same_for_few_and_many_events(
    client, county, django_assert_max_num_queries
):
    case = county.in_progress()
    client.force_login(county.dan)
    client.get(reverse("case_detail", args=[case.pk]))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("case_detail", args=[case.pk]))
    for n in range(25):
        workflow.case_add_progress(actor=county.dan, case=case, note=f"进展{n}", public=n % 2 == 0)
        workflow.case_add_commitment(
            actor=county.dan, case=case, text=f"承诺{n}", due_on=dt.date(2099, 1, 1)
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("case_detail", args=[case.pk]))
    assert len(many) == len(few)
