"""The department's bad input on the shared case page: nothing is half-done, and it says why.

(The case page is the lead's; these are the department's stories on it.)
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import workflow
from cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


def act(client, user, case, action, **data):
    client.force_login(user)
    return client.post(
        reverse("case_act", args=[case.pk, action]), {f"{action}-{k}": v for k, v in data.items()}
    )


def test_replying_without_an_outcome_comes_back_next_to_the_field_and_nothing_is_sent(
    client, county
):
    case = county.in_progress()
    response = act(client, county.dan, case, "reply", reply="已增设一台变压器")
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.reply) == (Case.Status.IN_PROGRESS, "")
    assert not case.events.filter(kind=CaseEvent.Kind.REPLIED).exists()


def test_returning_without_a_reason_is_refused_and_the_case_stays(client, county):
    case = county.assigned()
    assert act(client, county.dan, case, "return", reason="  ").status_code == 400
    case.refresh_from_db()
    assert (case.status, case.return_count) == (Case.Status.ASSIGNED, 0)


def test_the_return_form_says_how_often_the_case_already_bounced(client, county):
    case = county.assigned()
    workflow.case_return(actor=county.dan, case=case, reason="不属于本局职责")
    workflow.case_assign(actor=county.office, case=case, lead_department=county.gxj)
    client.force_login(county.dan)
    body = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "此问题已被退回 1 次" in body


def test_a_co_department_replying_is_refused_with_a_clear_message(client, county):
    case = county.in_progress(co_departments=[county.rsj])
    response = act(client, county.ren, case, "reply", outcome="explained", reply="政策不允许")
    assert response.status_code == 403
    assert "不能对此问题执行“反馈办理结果”" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS


def test_acting_on_another_departments_case_answers_404(client, county):
    case = county.in_progress(enterprise=county.poultry)
    response = act(client, county.ren, case, "progress", note="顺便看看", public="on")
    assert response.status_code == 404
    assert not case.events.filter(kind=CaseEvent.Kind.PROGRESS).exists()
