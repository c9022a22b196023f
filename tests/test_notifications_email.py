"""The email channel: Django's email backend, a stable Message-ID, refusals told from hiccups."""

import smtplib
from types import SimpleNamespace

import pytest

from notifications.channels import PermanentFailure, TemporaryFailure
from notifications.channels import email as email_channel
from notifications.channels.email import EmailTransport


def notification(address="dan@example.gov.cn", pk=42):
    return SimpleNamespace(
        pk=pk,
        user=SimpleNamespace(email=address),
        title="【逾期】2021-00001 已超过对接期限",
        body="问题 2021-00001「电压不稳」",
    )


def test_it_sends_the_title_and_body_to_the_users_address(mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "siji-siwen@jinxian.gov.cn"
    EmailTransport().send(notification())
    (sent,) = mailoutbox
    assert sent.to == ["dan@example.gov.cn"]
    assert sent.subject == "【逾期】2021-00001 已超过对接期限"
    assert "电压不稳" in sent.body
    assert sent.extra_headers["Message-ID"] == "<notification.42@jinxian.gov.cn>"


def test_a_retried_message_keeps_its_message_id(mailoutbox):
    EmailTransport().send(notification())
    EmailTransport().send(notification())
    assert mailoutbox[0].extra_headers["Message-ID"] == mailoutbox[1].extra_headers["Message-ID"]


def test_a_user_without_an_address_is_a_permanent_failure(mailoutbox):
    with pytest.raises(PermanentFailure):
        EmailTransport().send(notification(address=""))
    assert mailoutbox == []


class Connection:
    def __init__(self, error):
        self.error = error

    def send_messages(self, messages):
        raise self.error


@pytest.mark.parametrize(
    "error, expected",
    [
        (
            smtplib.SMTPRecipientsRefused({"dan@example.gov.cn": (550, b"no such user")}),
            PermanentFailure,
        ),
        (
            smtplib.SMTPRecipientsRefused({"dan@example.gov.cn": (450, b"mailbox busy")}),
            TemporaryFailure,
        ),
        (smtplib.SMTPDataError(554, b"rejected as spam"), PermanentFailure),
        (smtplib.SMTPServerDisconnected("lost"), TemporaryFailure),
        (ConnectionRefusedError(111, "refused"), TemporaryFailure),
        (TimeoutError("timed out"), TemporaryFailure),
    ],
)
def test_a_refusal_is_permanent_and_a_hiccup_is_temporary(monkeypatch, error, expected):
    monkeypatch.setattr(email_channel, "get_connection", lambda **kw: Connection(error))
    with pytest.raises(expected):
        EmailTransport().send(notification())
