"""The SMS channel: an interface with a console backend until a provider is configured."""

import io

import pytest

from notifications.channels import PermanentFailure
from notifications.channels.sms import ConsoleSmsBackend, SmsTransport
from notifications.models import Notification

pytestmark = pytest.mark.django_db


class Recording:
    texts: list = []

    def send_text(self, *, phone, text, message_id):
        self.texts.append((phone, text, message_id))


def sms_for(user) -> Notification:
    return Notification.objects.create(
        user=user,
        channel=Notification.Channel.SMS,
        kind=Notification.Kind.REMINDER,
        title="【督办】2021-00001 逾期1个工作日未对接企业",
        dedup_key=f"test:sms:{user.pk}",
    )


def test_the_console_backend_prints_the_text_to_the_phone(county):
    county.hu.department_staff.phone = "13800000001"
    county.hu.department_staff.save()
    stream = io.StringIO()
    SmsTransport(ConsoleSmsBackend(stream)).send(sms_for(county.hu))
    assert "to 13800000001: 【督办】2021-00001" in stream.getvalue()


def test_the_backend_is_the_one_settings_name(county, settings):
    settings.SMS_BACKEND = "tests.test_notifications_sms.Recording"
    Recording.texts = []
    county.eva.enterprise_contact.phone = "13900000002"
    county.eva.enterprise_contact.save()
    SmsTransport().send(sms_for(county.eva))
    assert Recording.texts == [
        ("13900000002", "【督办】2021-00001 逾期1个工作日未对接企业", f"test:sms:{county.eva.pk}")
    ]


def test_a_recipient_without_a_phone_is_a_permanent_failure(county):
    with pytest.raises(PermanentFailure):
        SmsTransport(ConsoleSmsBackend(io.StringIO())).send(sms_for(county.li))


def test_a_line_break_stored_in_a_title_becomes_a_space_in_the_text(county):
    county.hu.department_staff.phone = "13800000001"
    county.hu.department_staff.save()
    notification = sms_for(county.hu)
    notification.title = "【新交办】2021-00001 x\r\nBcc: evil@example.com"
    stream = io.StringIO()
    SmsTransport(ConsoleSmsBackend(stream)).send(notification)
    assert stream.getvalue().endswith(
        "to 13800000001: 【新交办】2021-00001 x Bcc: evil@example.com\n"
    )
