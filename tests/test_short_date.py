"""Short dates show their year when it is not this year (issue 16): "9月25日" this year,
"2025年9月25日" another year, in Beijing time; "Sep 25" / "Sep 25, 2025" on the English pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Notification
from web.dates import short_date

UTC = dt.UTC
THIS_YEAR = dt.date(2026, 5, 1)


@pytest.fixture(autouse=True)
def site_language():
    """The site's language (a request with the English cookie leaves English active after it)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def test_a_day_of_this_year_has_no_year():
    assert short_date(dt.date(2026, 9, 25), today=THIS_YEAR) == "9月25日"


def test_a_day_of_another_year_shows_its_year():
    assert short_date(dt.date(2025, 9, 25), today=THIS_YEAR) == "2025年9月25日"
    assert short_date(dt.date(2027, 1, 3), today=THIS_YEAR) == "2027年1月3日"


def test_a_datetime_is_read_in_beijing_time_across_midnight():
    # 17:00 on 31 December in UTC is 01:00 on 1 January in Beijing.
    moment = dt.datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    assert short_date(moment, today=dt.date(2026, 3, 1)) == "1月1日"
    assert short_date(moment, today=dt.date(2025, 12, 31)) == "2026年1月1日"
    assert short_date(moment, with_time=True, today=dt.date(2026, 3, 1)) == "1月1日 01:00"
    assert short_date(moment, with_time=True, today=THIS_YEAR.replace(year=2024)) == (
        "2026年1月1日 01:00"
    )


def test_this_year_is_beijings_year(monkeypatch):
    # At 17:00 UTC on 31 December 2025 it is already 2026 in Beijing.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2025, 12, 31, 17, 0, tzinfo=UTC))
    assert short_date(dt.date(2026, 1, 1)) == "1月1日"
    assert short_date(dt.date(2025, 12, 31)) == "2025年12月31日"


def test_english_says_the_month_first():
    with translation.override("en"):
        assert short_date(dt.date(2026, 9, 25), today=THIS_YEAR) == "Sep 25"
        assert short_date(dt.date(2025, 9, 25), today=THIS_YEAR) == "Sep 25, 2025"
        moment = dt.datetime(2025, 9, 25, 6, 30, tzinfo=UTC)
        assert short_date(moment, with_time=True, today=THIS_YEAR) == "Sep 25, 2025 14:30"


def test_anything_but_a_date_is_refused_by_name():
    with pytest.raises(TypeError, match="not str"):
        short_date("2025-09-25")
    with pytest.raises(TypeError, match="no time"):
        short_date(dt.date(2025, 9, 25), with_time=True)


def render(source: str, **context) -> str:
    return Template("{% load web_dates %}" + source).render(Context(context))


def test_the_filter_shows_nothing_for_no_date_and_refuses_an_unknown_argument():
    assert render("[{{ d|short_date }}]", d=None) == "[]"
    assert render("[{{ d|short_date }}]", d="") == "[]"
    with pytest.raises(TemplateSyntaxError, match="short_date"):
        render("{{ d|short_date:'year' }}", d=dt.date(2025, 9, 25))


def test_the_filter_gives_the_functions_answer():
    today = timezone.localdate()
    last_year = dt.datetime(today.year - 1, 9, 25, 6, 30, tzinfo=UTC)
    assert render("{{ d|short_date }}", d=last_year) == f"{today.year - 1}年9月25日"
    assert render('{{ d|short_date:"time" }}', d=last_year) == f"{today.year - 1}年9月25日 14:30"
    assert render('{{ d|short_date:"time" }}', d=last_year.date()) == f"{today.year - 1}年9月25日"


@pytest.fixture
def old_and_new_notifications(county):
    today = timezone.localdate()
    made = []
    for key, year in (("old", today.year - 1), ("new", today.year)):
        notification = Notification.objects.create(
            user=county.dan,
            channel=Notification.Channel.IN_APP,
            kind=Notification.Kind.REMINDER,
            title=f"提醒{key}",
            dedup_key=f"test:short-date:{key}",
        )
        when = dt.datetime(year, 1, 2, 9, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
        Notification.objects.filter(pk=notification.pk).update(created_at=when)
        made.append(notification)
    return made


def _stamp(body: str, notification) -> str:
    item = re.search(rf'id="notification-{notification.pk}".*?</small>', body, re.S).group(0)
    return re.search(r"<small[^>]*>(.*?)</small>", item, re.S).group(1).strip()


@pytest.mark.django_db
def test_the_messages_page_shows_the_year_of_last_years_message_only(
    client, county, old_and_new_notifications
):
    old, new = old_and_new_notifications
    client.force_login(county.dan)
    body = client.get(reverse("notifications")).content.decode()
    assert _stamp(body, old) == f"{timezone.localdate().year - 1}年1月2日 09:05"
    assert _stamp(body, new) == "1月2日 09:05"


@pytest.mark.django_db
def test_the_english_messages_page_shows_english_dates(client, county, old_and_new_notifications):
    old, new = old_and_new_notifications
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(county.dan)
    body = client.get(reverse("notifications")).content.decode()
    assert _stamp(body, old) == f"Jan 2, {timezone.localdate().year - 1} 09:05"
    assert _stamp(body, new) == "Jan 2 09:05"
