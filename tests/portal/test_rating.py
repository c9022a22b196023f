"""好差评 from the enterprise's side: Eva rates a reply once, on the five levels, on the shared case
page; a dissatisfied rating sends the case back to the department and the pages say so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import workflow
from cases.models import Case, Rating

pytestmark = pytest.mark.django_db


def rate(client, user, case, **data):
    client.force_login(user)
    return client.post(
        reverse("case_act", args=[case.pk, "rate"]), {f"rate-{k}": v for k, v in data.items()}
    )


def test_the_case_page_offers_the_five_levels_for_a_replied_case(client, county):
    case = county.replied()
    client.force_login(county.eva)
    body = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'id="action-rate"' in body
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert label in body


def test_a_satisfied_rating_is_recorded_and_the_case_waits_for_close_out(client, county):
    case = county.replied()
    response = rate(client, county.eva, case, rating="satisfied", comment="变压器装好了，谢谢")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.REPLIED and case.rating == "satisfied"
    rating = Rating.objects.get(case=case)
    assert rating.comment == "变压器装好了，谢谢" and not rating.recorded_by_cadre


def test_a_dissatisfied_rating_reopens_the_case_and_the_page_says_so(client, county):
    case = county.replied()
    response = rate(client, county.eva, case, rating="dissatisfied", comment="电压还是不稳")
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS and case.reopen_count == 1
    body = client.get(response["Location"]).content.decode()
    assert "办理中" in body and "企业不满意，问题重新办理。" in body
    portal = client.get(reverse("portal:cases")).content.decode()
    assert "您评价“不满意”，问题已重新办理" in portal


def test_a_case_that_is_not_replied_cannot_be_rated(client, county):
    case = county.in_progress()
    response = rate(client, county.eva, case, rating="very_satisfied")
    assert not Rating.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "问题当前状态为“办理中”，不能评价。" in page


def test_a_reply_can_be_rated_once(client, county):
    case = county.replied()
    rate(client, county.eva, case, rating="satisfied")
    response = rate(client, county.eva, case, rating="very_dissatisfied")
    case.refresh_from_db()
    assert case.status == Case.Status.REPLIED and case.rating == "satisfied"
    assert Rating.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "本次反馈已评价过，每次反馈只能评价一次。" in page


def test_after_a_new_reply_the_enterprise_rates_again(client, county):
    case = county.replied()
    rate(client, county.eva, case, rating="dissatisfied")
    workflow.case_reply(actor=county.dan, case=case, outcome="resolved", reply="又加了稳压器")
    rate(client, county.eva, case, rating="satisfied")
    assert list(Rating.objects.order_by("reply_round").values_list("level", flat=True)) == [
        "dissatisfied",
        "satisfied",
    ]


@pytest.mark.parametrize("level", ["", "excellent"])
def test_a_missing_or_unknown_level_is_refused_next_to_the_field(client, county, level):
    case = county.replied()
    response = rate(client, county.eva, case, rating=level)
    assert response.status_code == 400
    assert response.context["action_forms"]
    assert not Rating.objects.exists()


def test_another_enterprises_contact_gets_404(client, county):
    case = county.replied()
    assert rate(client, county.bea, case, rating="very_dissatisfied").status_code == 404
    assert not Rating.objects.exists()
