"""回访: on a 解难问成效 visit the cadre records the enterprise's rating of each replied case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Case, CaseEvent, Rating, Visit
from fieldwork.services import visit_log
from taskforces.models import TaskForceMember
from tests.conftest import make_user
from tests.fieldwork.conftest import today


def visit_by(user, county, kind=Visit.Kind.RESOLVE, enterprise=None) -> Visit:
    visit, _ = visit_log(
        actor=user, enterprise=enterprise or county.steel, visited_on=today(), kind=kind
    )
    return visit


def rate_url(visit, case) -> str:
    return reverse("fieldwork:return_visit_rate", args=[visit.pk, case.pk])


def rating_post(case, rating="satisfied", comment="电压稳了，谢谢供电公司") -> dict:
    return {f"case-{case.pk}-rating": rating, f"case-{case.pk}-comment": comment}


def test_the_return_visit_page_lists_each_replied_case_with_its_reply(carl_client, county):
    replied = county.replied()
    still_open = county.in_progress()
    visit = visit_by(county.carl, county)
    response = carl_client.get(reverse("fieldwork:return_visit", args=[visit.pk]))
    html = response.content.decode()
    assert replied.number in html
    assert "已增设一台变压器" in html
    assert still_open.number not in html
    for level in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert level in html
    assert rate_url(visit, replied) in html


def test_a_rating_is_recorded_on_the_enterprises_behalf_marked_as_by_the_cadre(carl_client, county):
    case = county.replied()
    visit = visit_by(county.carl, county)
    response = carl_client.post(rate_url(visit, case), rating_post(case), follow=True)
    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.rated_by, rating.recorded_by_cadre) == (
        "satisfied",
        county.carl,
        True,
    )
    assert rating.comment == "电压稳了，谢谢供电公司"
    case.refresh_from_db()
    assert case.status == Case.Status.REPLIED
    event = case.events.get(kind=CaseEvent.Kind.RATED)
    assert event.data["recorded_by_cadre"] is True
    html = response.content.decode()
    assert f"已代录问题 {case.number} 的评价“满意”。" in html
    assert "干部回访代录" in html  # the case now shows as rated, without a form


def test_a_dissatisfied_rating_reopens_the_case_and_says_so(carl_client, county):
    case = county.replied()
    visit = visit_by(county.carl, county)
    response = carl_client.post(
        rate_url(visit, case), rating_post(case, "very_dissatisfied", "还是跳闸"), follow=True
    )
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS
    assert case.reopen_count == 1
    assert f"企业不满意，问题 {case.number} 已退回重新办理。" in response.content.decode()


def test_a_rating_without_a_level_is_refused_next_to_the_field(carl_client, county):
    case = county.replied()
    visit = visit_by(county.carl, county)
    response = carl_client.post(rate_url(visit, case), rating_post(case, rating="", comment="嗯"))
    assert response.status_code == 400
    assert "请选择企业的评价等级。" in response.content.decode()
    assert Rating.objects.count() == 0


def test_an_unknown_level_is_refused(carl_client, county):
    case = county.replied()
    visit = visit_by(county.carl, county)
    response = carl_client.post(rate_url(visit, case), rating_post(case, rating="ecstatic"))
    assert response.status_code == 400
    assert Rating.objects.count() == 0


def test_a_case_is_rated_once_per_reply(carl_client, county):
    case = county.replied()
    visit = visit_by(county.carl, county)
    carl_client.post(rate_url(visit, case), rating_post(case))
    response = carl_client.post(
        rate_url(visit, case), rating_post(case, "dissatisfied"), follow=True
    )
    assert "本次反馈已评价过" in response.content.decode()
    assert Rating.objects.count() == 1


@pytest.mark.parametrize("kind", [Visit.Kind.PUBLICIZE, Visit.Kind.INSPECT, Visit.Kind.ADVISE])
def test_only_a_resolve_visit_may_carry_ratings(carl_client, county, kind):
    case = county.replied()
    visit = visit_by(county.carl, county, kind=kind)
    page = carl_client.get(reverse("fieldwork:return_visit", args=[visit.pk])).content.decode()
    assert "只有“解难问成效”类型的走访可以代录企业评价" in page
    assert rate_url(visit, case) not in page
    response = carl_client.post(rate_url(visit, case), rating_post(case), follow=True)
    assert "只有“解难问成效”类型的走访可以代录企业评价。" in response.content.decode()
    assert Rating.objects.count() == 0


def test_only_the_visiting_cadre_records_ratings_on_a_visit(client, county):
    colleague = make_user("cora")
    TaskForceMember.objects.create(
        task_force=county.task_force, user=colleague, role=TaskForceMember.Role.CADRE
    )
    case = county.replied()
    visit = visit_by(county.carl, county)
    client.force_login(colleague)
    page = client.get(reverse("fieldwork:return_visit", args=[visit.pk])).content.decode()
    assert "只有这次走访的干部本人可以在走访中代录评价" in page
    assert client.post(rate_url(visit, case), rating_post(case)).status_code == 403
    assert Rating.objects.count() == 0


def test_a_case_of_another_enterprise_cannot_be_rated_through_the_visit(carl_client, county):
    other = county.replied(enterprise=county.poultry)
    visit = visit_by(county.carl, county)
    assert carl_client.post(rate_url(visit, other), rating_post(other)).status_code == 404
    assert Rating.objects.count() == 0


def test_a_visit_outside_my_scope_answers_404(client, county):
    visit = visit_by(county.carl, county)
    client.force_login(county.ren)
    assert client.get(reverse("fieldwork:return_visit", args=[visit.pk])).status_code == 404
    assert client.get(reverse("fieldwork:visit", args=[visit.pk])).status_code == 404


def test_the_return_visit_page_costs_the_same_for_one_case_or_many(
    carl_client, county, django_assert_num_queries
):
    county.replied()
    visit = visit_by(county.carl, county)
    url = reverse("fieldwork:return_visit", args=[visit.pk])
    carl_client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        carl_client.get(url)
    county.replied()
    county.replied()
    with django_assert_num_queries(len(one.captured_queries)):
        carl_client.get(url)
