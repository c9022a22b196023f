"""Email through Django's email backends (console in the embedded mode, SMTP in production).

Headers are built from stored data (the title is the subject, often a case's title): they go
through `printable`, so a control character in a row can neither add a header nor make Django
refuse every message about that case.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from notifications.channels import PermanentFailure, TemporaryFailure, printable


def message_id(notification) -> str:
    """Stable across retries, so a mail client can fold a message sent twice after a crash."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<notification.{notification.pk}@{domain.strip('>')}>"


def _refused_for_good(error: smtplib.SMTPException) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


class EmailTransport:
    def send(self, notification) -> None:
        address = (notification.user.email if notification.user else "").strip()
        if not address:
            raise PermanentFailure("the recipient has no email address")
        if printable(address) != address:
            raise PermanentFailure("the recipient's email address holds control characters")
        email = EmailMessage(
            subject=printable(notification.title),
            body=notification.body,
            to=[address],
            headers={"Message-ID": message_id(notification)},
            connection=get_connection(fail_silently=False),
        )
        try:
            sent = email.send()
        except smtplib.SMTPException as error:
            if _refused_for_good(error):
                raise PermanentFailure(f"refused: {error}") from error
            raise TemporaryFailure(f"SMTP: {error}") from error
        except OSError as error:
            raise TemporaryFailure(f"mail server unreachable: {error}") from error
        if sent != 1:
            raise TemporaryFailure("the email backend sent nothing")
