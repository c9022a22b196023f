"""How a message leaves: one small transport per channel behind one interface.

A transport sends one Notification or raises DeliveryError; `permanent` says whether trying again
could help (a refused address will be refused again; a timeout may pass). The outbox decides what
to do with that — retry with backoff, or give up — so transports stay ignorant of retries.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from notifications.models import Notification


class DeliveryError(Exception):
    permanent = False


class TemporaryFailure(DeliveryError):
    """Worth trying again later: a timeout, a 5xx, a rate limit, a broken connection."""


class PermanentFailure(DeliveryError):
    """Trying again cannot help: no address, the receiver refused the message."""

    permanent = True


# C0 and C1 control characters, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """Text from the database made safe for a message format: each run of control characters
    becomes one space. A title stored as "x\\r\\nBcc: …" stays a one-line subject (no header
    smuggled in, no BadHeaderError failing every message about the case). With keep_newlines, the
    line breaks of a body survive, as plain \\n."""
    if keep_newlines:
        return "\n".join(_CONTROL.sub(" ", line) for line in text.splitlines())
    return _CONTROL.sub(" ", text)


class Transport(Protocol):
    def send(self, notification: Notification) -> None: ...


def transport_for(channel: str) -> Transport:
    from notifications.channels import email, inapp, sms, vendor, webhook

    transports = {
        "in_app": inapp.InAppTransport,
        "email": email.EmailTransport,
        "webhook": webhook.WebhookTransport,
        "sms": sms.SmsTransport,
        "wecom": vendor.WeComTransport,
        "dingtalk": vendor.DingTalkTransport,
    }
    return transports[channel]()
