"""我的诉求: Eva (荣信钢构) follows every case of her enterprise — where it stands in plain words,
who leads it, whether the deadlines were kept, the latest public news, and what she should do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cases import workflow
from cases.models import Case

pytestmark = pytest.mark.django_db
CASES = reverse("portal:cases")


def my_cases(client, user, **params):
    client.force_login(user)
    return client.get(CASES, params)


def card(body: str, case: Case) -> str:
    """The HTML of one case's card on the page."""
    start = body.index(f'id="case-{case.pk}"')
    end = body.find("<article", start)
    return body[start : end if end != -1 else len(body)]


def long_ago(days: int = 40) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def test_the_contact_sees_every_case_of_her_enterprise_and_no_other(client, county):
    own = [county.submitted(title="园区道路缺失"), county.in_progress(), county.closed()]
    other = county.assigned(enterprise=county.poultry, lead_department=county.power)
    body = my_cases(client, county.eva).content.decode()
    assert all(case.number in body for case in own)
    assert other.number not in body and "桂柳" not in body
    assert "江西进贤荣信钢构公司" in body


@pytest.mark.parametrize(
    "make, label, plain",
    [
        (lambda c: c.submitted(), "待交办", "已收到，等待县委办交由相关部门办理。"),
        (lambda c: c.assigned(), "已交办", "已交办县工信局，3个工作日内（"),
        (lambda c: c.in_progress(), "办理中", "办理中：县工信局正在办理，"),
        (lambda c: c.replied(), "已反馈", "办理结果已反馈，请您评价。"),
        (lambda c: c.closed(), "已销号", "已办结销号，此问题办理完毕。"),
    ],
)
def test_each_status_is_said_in_plain_chinese(client, county, make, label, plain):
    case = make(county)
    html = card(my_cases(client, county.eva).content.decode(), case)
    assert label in html and plain in html


def test_a_merged_case_names_the_case_it_joined(client, county):
    survivor, duplicate = county.submitted(), county.submitted(title="电压不稳（重复）")
    workflow.case_merge(actor=county.office, case=duplicate, into=survivor)
    html = card(my_cases(client, county.eva).content.decode(), duplicate)
    assert "已合并" in html and f"与相同的问题 {survivor.number} 合并办理。" in html


def test_the_lead_department_is_named(client, county):
    case = county.assigned(lead_department=county.rsj)
    assert "县人社局" in card(my_cases(client, county.eva).content.decode(), case)


def test_a_contact_made_in_time_shows_as_kept(client, county):
    case = county.in_progress()
    html = card(my_cases(client, county.eva).content.decode(), case)
    assert "clock-kept" in html.split("case-resolve-clock")[0]


def test_a_late_first_contact_shows_as_late(client, county):
    case = county.assigned(assigned_at=long_ago())
    workflow.case_accept(actor=county.dan, case=case, contact_note="电话联系付董")
    html = card(my_cases(client, county.eva).content.decode(), case)
    assert "超期完成" in html.split("case-resolve-clock")[0]


def test_a_missed_contact_deadline_shows_as_overdue(client, county):
    case = county.assigned(assigned_at=long_ago())
    html = card(my_cases(client, county.eva).content.decode(), case)
    assert "已逾期" in html.split("case-resolve-clock")[0]


def test_a_running_deadline_shows_the_working_days_left(client, county):
    case = county.assigned()
    contact = card(my_cases(client, county.eva).content.decode(), case).split("case-resolve-clock")
    assert "还剩" in contact[0] or "今天到期" in contact[0]
    assert "还剩" in contact[1]


def test_a_reply_by_the_resolve_deadline_shows_as_kept(client, county):
    case = county.replied()
    resolve = card(my_cases(client, county.eva).content.decode(), case).split("case-resolve-clock")
    assert "按期完成" in resolve[1]


def test_the_latest_public_news_is_shown_and_internal_notes_never(client, county):
    case = county.in_progress()
    workflow.case_add_progress(
        actor=county.dan, case=case, note="变压器已到货，周五安装", public=True
    )
    workflow.case_add_progress(actor=county.dan, case=case, note="内部：供电公司推诿，需县领导协调")
    workflow.case_request_extension(
        actor=county.dan,
        case=case,
        resolve_due_at=case.resolve_due_at + dt.timedelta(days=10),
        reason="内部：设备采购审批未完成",
    )
    body = my_cases(client, county.eva).content.decode()
    assert "变压器已到货，周五安装" in card(body, case)
    assert "内部" not in body


def test_commitments_are_counted_kept_and_missed(client, county):
    case = county.in_progress()
    today = timezone.localdate()
    kept = workflow.case_add_commitment(
        actor=county.dan, case=case, text="一周内增设变压器", due_on=today
    )
    workflow.commitment_keep(actor=county.dan, commitment=kept)
    late = workflow.case_add_commitment(
        actor=county.dan, case=case, text="三天内现场查看", due_on=today
    )
    type(late).objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=3))
    html = card(my_cases(client, county.eva).content.decode(), case)
    assert "共 2 项，已践诺 1 项" in html and "1 项逾期未践诺" in html


def test_a_replied_case_asks_for_a_rating_and_links_to_the_rating_form(client, county):
    case = county.replied()
    body = my_cases(client, county.eva).content.decode()
    assert "有 1 件问题已反馈办理结果，等待您的评价。" in body
    assert f"{reverse('case_detail', args=[case.pk])}#action-rate" in card(body, case)


def test_once_rated_the_case_no_longer_asks(client, county):
    case = county.replied()
    workflow.case_rate(actor=county.eva, case=case, rating="satisfied")
    body = my_cases(client, county.eva).content.decode()
    assert "等待您的评价" not in body
    assert "已评价，等待县委办销号。" in card(body, case)


def test_a_dissatisfied_rating_shows_the_case_reopened(client, county):
    case = county.replied()
    workflow.case_rate(
        actor=county.eva, case=case, rating="very_dissatisfied", comment="电压仍不稳"
    )
    html = card(my_cases(client, county.eva).content.decode(), case)
    assert "办理中" in html
    assert "您评价“非常不满意”，问题已重新办理，部门将再次与您联系。" in html


def test_the_tabs_sort_cases_into_open_awaiting_rating_and_done(client, county):
    submitted, replied, closed = county.submitted(), county.replied(), county.closed()
    rated = county.replied()
    workflow.case_rate(actor=county.eva, case=rated, rating="satisfied")

    def numbers(show):
        body = my_cases(client, county.eva, show=show).content.decode()
        return {c.number for c in (submitted, replied, closed, rated) if c.number in body}

    assert numbers("open") == {submitted.number}
    assert numbers("rate") == {replied.number}
    assert numbers("done") == {closed.number, rated.number}
    assert (
        numbers("all")
        == numbers("nonsense")
        == {c.number for c in (submitted, replied, closed, rated)}
    )
    counts = my_cases(client, county.eva).context["counts"]
    assert counts == {"all": 4, "open": 1, "rate": 1, "done": 2}


def test_an_enterprise_without_cases_is_invited_to_raise_one(client, county):
    body = my_cases(client, county.eva).content.decode()
    assert "您的企业还没有登记的问题。" in body and reverse("portal:raise") in body


def test_many_cases_are_paginated(client, county):
    for n in range(23):
        county.submitted(title=f"问题{n}")
    response = my_cases(client, county.eva)
    assert len(response.context["rows"]) == 20
    assert len(my_cases(client, county.eva, page=2).context["rows"]) == 3


def test_the_list_costs_the_same_queries_for_few_and_many_cases(client, county):
    def busy_case():
        case = county.in_progress()
        workflow.case_add_commitment(
            actor=county.dan, case=case, text="一周内答复", due_on=timezone.localdate()
        )
        workflow.case_add_progress(actor=county.dan, case=case, note="已到现场", public=True)
        county.replied()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CASES).status_code == 200
        return len(captured)

    busy_case()
    client.force_login(county.eva)
    queries()  # the reader's roles, remembered from here (web.remembered)
    few = queries()
    for _ in range(6):
        busy_case()
    assert queries() == few


@pytest.mark.parametrize("who", ["office", "dan", "li", "carl", "sam"])
def test_the_page_is_for_enterprise_contacts_only(client, county, who):
    assert my_cases(client, getattr(county, who)).status_code == 403


def test_the_inbox_link_shows_the_unread_count(client, county):
    from notifications.inbox import notification_mark_read, notifications_for

    county.replied()  # the assignment, the first contact and the reply are announced to Eva
    unread = list(notifications_for(county.eva, unread_only=True))
    assert unread
    body = my_cases(client, county.eva).content.decode()
    assert f'href="{reverse("notifications")}"' in body
    assert f'id="inbox-unread">{len(unread)}<' in body
    for notification in unread:
        notification_mark_read(user=county.eva, notification_id=notification.pk)
    assert 'id="inbox-unread"' not in my_cases(client, county.eva).content.decode()


def test_without_an_inbox_page_the_list_still_works(client, county, monkeypatch):
    def no_inbox(name, *args, **kwargs):
        if name == "notifications":
            raise NoReverseMatch(name)
        return reverse(name, *args, **kwargs)

    monkeypatch.setattr("portal.views.reverse", no_inbox)
    response = my_cases(client, county.eva)
    assert response.status_code == 200 and 'id="inbox-link"' not in response.content.decode()


def test_the_tab_counts_agree_with_the_tabs_in_one_query(client, county, django_assert_num_queries):
    """Counted over the plain rows (rated or not is asked of replied cases only), they match
    what each tab lists — after a dissatisfied rating reopened a case, and a second reply."""
    from cases.roles import actor_for
    from portal import selectors

    county.submitted(), county.closed()
    awaiting, rated, reopened = county.replied(), county.replied(), county.replied()
    workflow.case_rate(actor=county.eva, case=rated, rating="satisfied")
    workflow.case_rate(actor=county.eva, case=reopened, rating="dissatisfied")
    actor = actor_for(county.eva)
    with django_assert_num_queries(1):
        counts = selectors.tab_counts(actor)
    listed = selectors.my_cases(actor)
    assert counts == {
        "all": listed.count(),
        **{name: listed.filter(selectors.filter_q(name)).count() for name in selectors.FILTERS},
    }
    assert counts["rate"] == 1 and awaiting.pk
