"""The email channel: Django's email backend, a stable Message-ID, refusals told from hiccups."""

import email
import email.policy
import smtplib
from types import SimpleNamespace

import pytest

from cases import workflow
from cases.models import Case
from notifications.channels import PermanentFailure, TemporaryFailure
from notifications.channels import email as email_channel
from notifications.channels.email import EmailTransport
from notifications.delivery import notification_deliver
from notifications.models import Notification


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


@pytest.mark.django_db
def test_a_case_title_with_a_line_break_is_still_emailed_with_one_subject_line_and_no_bcc(
    county, mailoutbox
):
    county.dan.email = "dan@example.gov.cn"
    county.dan.save()
    case = county.submitted()
    # Straight into the database, as a row stored before titles were checked would be.
    Case.objects.filter(pk=case.pk).update(title="x\r\nBcc: evil@example.com")
    case.refresh_from_db()
    workflow.case_assign(actor=county.office, case=case, lead_department=county.gxj)

    (notice,) = Notification.objects.filter(user=county.dan, channel="email")
    assert notification_deliver(notification_id=notice.pk).status == "sent"
    (sent,) = mailoutbox
    message = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    # (Django folds the long encoded subject; unfolded it is one line.)
    assert message["Subject"].strip() == f"【新交办】{case.number} x Bcc: evil@example.com"
    assert message["Bcc"] is None and sent.bcc == []
    assert sent.recipients() == ["dan@example.gov.cn"]


def test_an_address_with_a_line_break_is_a_permanent_failure(mailoutbox):
    with pytest.raises(PermanentFailure):
        EmailTransport().send(notification(address="dan@example.gov.cn\r\nBcc: evil@example.com"))
    assert mailoutbox == []
