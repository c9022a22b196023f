"""Issue 17: the queues in the order work is done.

逐个研究 (taskforce_pages.views.review): the open problems of the task force's enterprises not yet
reviewed, newest first — not the closed ones of years ago — with 标记已研究 for the ticked ones in
one POST, all or none, and a message that says which.

销号 (office.views.closeout): the cases rated most recently first (they can be closed now), then those
still waiting for a rating, longest waiting first; a search and filters by department and rating."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.models import Case, Rating
from cases.roles import actor_for
from cases.taskforces import case_review_mark
from taskforces.models import CaseReview
from tests.office.helpers import messages_of

pytestmark = pytest.mark.django_db

REVIEW = reverse("taskforces:review")
MARK = reverse("taskforces:review_mark_many")
CLOSEOUT = reverse("office:closeout")


def created_days_ago(case: Case, days: int) -> Case:
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    case.refresh_from_db()
    return case


# --- 逐个研究 -------------------------------------------------------------------------------------


@pytest.fixture
def queue(county):
    return {
        "old_open": created_days_ago(county.assigned(), 400),
        "old_closed": created_days_ago(county.closed(), 300),
        "middle": created_days_ago(county.submitted(title="招工难"), 20),
        "new": county.submitted(title="厂房漏雨"),
        "elsewhere": county.submitted(enterprise=county.poultry),  # no task force of Li's
    }


def test_the_review_list_shows_open_problems_newest_first(client, county, queue):
    client.force_login(county.li)

    response = client.get(REVIEW)

    order = [case.pk for case in response.context["page"].object_list]
    assert order == [queue["new"].pk, queue["middle"].pk, queue["old_open"].pk]
    html = response.content.decode()
    assert queue["old_closed"].number not in html  # closed before anyone looked: nothing to review
    assert "标记已研究" in html and ">已研究<" not in html
    assert 'class="badge state-badge state-submitted">待交办' in html


def test_a_merged_problem_needs_no_review(client, county, queue):
    workflow.case_merge(actor=county.office, case=queue["middle"], into=queue["new"].pk)
    client.force_login(county.li)
    assert queue["middle"] not in client.get(REVIEW).context["page"].object_list


def test_the_leader_marks_several_problems_reviewed_in_one_go(client, county, queue):
    client.force_login(county.li)
    picked = [queue["new"], queue["middle"]]

    response = client.post(
        MARK,
        {"case": [c.pk for c in picked], f"note-{queue['new'].pk}": "请工信局牵头", "next": REVIEW},
    )

    assert response.status_code == 302 and response["Location"] == REVIEW
    assert messages_of(response) == ["已将 2 件问题标记为已研究。"]
    reviews = {r.case_id: r for r in CaseReview.objects.all()}
    assert set(reviews) == {c.pk for c in picked}
    assert (
        reviews[queue["new"].pk].note == "请工信局牵头" and reviews[queue["middle"].pk].note == ""
    )
    assert all(r.reviewed_by == county.li for r in reviews.values())
    left = client.get(REVIEW).context["page"].object_list
    assert [c.pk for c in left] == [queue["old_open"].pk]


def test_nothing_is_marked_when_one_of_them_was_reviewed_meanwhile(client, county, queue):
    case_review_mark(actor=actor_for(county.hu), case=queue["middle"])  # the other head, just now
    client.force_login(county.li)

    response = client.post(MARK, {"case": [queue["new"].pk, queue["middle"].pk]})

    (message,) = messages_of(response)
    assert queue["middle"].number in message and "专班已研究过此问题" in message
    assert "所选问题均未标记" in message
    assert not CaseReview.objects.filter(case=queue["new"]).exists()


def test_a_bad_note_marks_nothing_and_names_the_case(client, county, queue):
    client.force_login(county.li)

    response = client.post(
        MARK, {"case": [queue["new"].pk, queue["middle"].pk], f"note-{queue['middle'].pk}": "\x00"}
    )

    (message,) = messages_of(response)
    assert queue["middle"].number in message and "所选问题均未标记" in message
    assert not CaseReview.objects.exists()


def test_marking_nothing_says_so(client, county, queue):
    client.force_login(county.li)
    response = client.post(MARK, {})
    assert messages_of(response) == ["请先勾选要标记为已研究的问题。"]


def test_a_case_outside_the_task_force_marks_nothing(client, county, queue):
    client.force_login(county.li)

    response = client.post(MARK, {"case": [queue["new"].pk, queue["elsewhere"].pk]})

    (message,) = messages_of(response)
    assert "不在您的专班范围内" in message and "未作标记" in message
    assert not CaseReview.objects.exists()


def test_a_cadre_cannot_mark_problems_reviewed(client, county, queue):
    client.force_login(county.carl)
    assert client.post(MARK, {"case": [queue["new"].pk]}).status_code == 403
    assert not CaseReview.objects.exists()


# --- 销号 ----------------------------------------------------------------------------------------


def rate(county, case: Case, level: str, minutes_ago: int) -> Case:
    contact = county.eva if case.enterprise == county.steel else county.bea
    case = workflow.case_rate(actor=contact, case=case, rating=level)
    Rating.objects.filter(case=case).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return case


def replied_days_ago(county, days: int, **kwargs) -> Case:
    case = county.replied(**kwargs)
    Case.objects.filter(pk=case.pk).update(replied_at=timezone.now() - dt.timedelta(days=days))
    case.refresh_from_db()
    return case


@pytest.fixture
def waiting(county):
    old_reply_rated_now = rate(county, replied_days_ago(county, 90), "satisfied", minutes_ago=1)
    rated_in_june = rate(county, replied_days_ago(county, 5), "basically_satisfied", 60 * 24 * 150)
    unrated_long = replied_days_ago(county, 30, enterprise=county.poultry)
    unrated_short = replied_days_ago(county, 2)
    return [old_reply_rated_now, rated_in_june, unrated_long, unrated_short]


def rows(response) -> list[int]:
    return [case.pk for case, _rating, _state in response.context["rows"]]


def test_the_closeout_queue_puts_the_newly_rated_first(office_client, waiting):
    response = office_client.get(CLOSEOUT)

    assert rows(response) == [c.pk for c in waiting]
    assert "评价）" in response.content.decode()  # when it was rated, beside the rating


def test_the_closeout_queue_searches_by_number_title_and_enterprise(office_client, waiting):
    assert rows(office_client.get(CLOSEOUT, {"q": waiting[1].number})) == [waiting[1].pk]
    assert rows(office_client.get(CLOSEOUT, {"q": "桂柳"})) == [waiting[2].pk]
    assert rows(office_client.get(CLOSEOUT, {"q": "电压不稳"})) == [c.pk for c in waiting]
    nothing = office_client.get(CLOSEOUT, {"q": "没有这个问题"})
    assert rows(nothing) == [] and "没有符合条件的待销号问题" in nothing.content.decode()


def test_the_closeout_queue_filters_by_rating_and_department(office_client, county, waiting):
    assert rows(office_client.get(CLOSEOUT, {"rating": "satisfied"})) == [waiting[0].pk]
    assert rows(office_client.get(CLOSEOUT, {"rating": "unrated"})) == [
        waiting[2].pk,
        waiting[3].pk,
    ]
    other = county.replied()
    Case.objects.filter(pk=other.pk).update(lead_department=county.power)  # led by the utility
    assert rows(office_client.get(CLOSEOUT, {"department": county.power.pk})) == [other.pk]


def test_a_filter_it_cannot_read_is_named(office_client, waiting):
    response = office_client.get(CLOSEOUT, {"rating": "splendid"})
    assert response.status_code == 400
    assert rows(response) == [] and "选择一个有效的选项" in response.content.decode()


def test_closing_from_a_filtered_queue_comes_back_to_it(office_client, waiting):
    back = f"{CLOSEOUT}?rating=satisfied"
    response = office_client.post(reverse("office:close"), {"case": [waiting[0].pk], "next": back})
    assert response["Location"] == back
    waiting[0].refresh_from_db()
    assert waiting[0].status == Case.Status.CLOSED
