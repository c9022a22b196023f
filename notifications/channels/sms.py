"""SMS as an interface: a backend class named by settings.SMS_BACKEND sends one text to one phone.

Until a provider is configured the console backend prints the message, like Django's console
email backend. A provider's backend raises TemporaryFailure or PermanentFailure like any transport.
"""

from __future__ import annotations

import sys
import threading
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from enterprises.models import DepartmentStaff, EnterpriseContact
from notifications.channels import PermanentFailure, printable


class SmsBackend(Protocol):
    def send_text(self, *, phone: str, text: str, message_id: str) -> None: ...


class ConsoleSmsBackend:
    _lock = threading.Lock()

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send_text(self, *, phone: str, text: str, message_id: str) -> None:
        with self._lock:
            self.stream.write(f"[SMS {message_id}] to {phone}: {text}\n")
            self.stream.flush()


def phone_of(user_id: int) -> str:
    for model in (DepartmentStaff, EnterpriseContact):
        phone = model.objects.filter(user_id=user_id).values_list("phone", flat=True).first()
        if phone:
            return phone.strip()
    return ""


class SmsTransport:
    def __init__(self, backend: SmsBackend | None = None):
        self.backend = backend or import_string(settings.SMS_BACKEND)()

    def send(self, notification) -> None:
        phone = phone_of(notification.user_id) if notification.user_id else ""
        if not phone:
            raise PermanentFailure("the recipient has no phone number")
        self.backend.send_text(
            phone=phone, text=printable(notification.title), message_id=notification.dedup_key
        )
