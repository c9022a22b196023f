"""How a message leaves: one small transport per channel behind one interface.

A transport sends one Notification or raises DeliveryError; `permanent` says whether trying again
could help (a refused address will be refused again; a timeout may pass). The outbox decides what
to do with that — retry with backoff, or give up — so transports stay ignorant of retries.
"""

from __future__ import annotations

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


class Transport(Protocol):
    def send(self, notification: Notification) -> None: ...


def transport_for(channel: str) -> Transport:
    from notifications.channels import email, inapp, sms, webhook

    transports = {
        "in_app": inapp.InAppTransport,
        "email": email.EmailTransport,
        "webhook": webhook.WebhookTransport,
        "sms": sms.SmsTransport,
    }
    return transports[channel]()
