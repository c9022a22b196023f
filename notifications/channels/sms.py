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
from notifications.integrations import county_of_notification, sms_config


class SmsBackend(Protocol):
    def send_text(self, *, phone: str, text: str, message_id: str) -> None: ...

    def send_code(self, *, phone: str, code: str) -> None: ...


class ConsoleSmsBackend:
    _lock = threading.Lock()

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send_text(self, *, phone: str, text: str, message_id: str) -> None:
        with self._lock:
            self.stream.write(f"[SMS {message_id}] to {phone}: {text}\n")
            self.stream.flush()

    def send_code(self, *, phone: str, code: str) -> None:
        with self._lock:
            self.stream.write(f"[SMS sign-in] to {phone}: {code}\n")
            self.stream.flush()


# The backend of each provider the office may choose on its settings page.
PROVIDER_BACKENDS = {"aliyun": "notifications.channels.sms_providers.AliyunSmsBackend"}
CONSOLE_BACKEND = "notifications.channels.sms.ConsoleSmsBackend"


def sms_backend(county_id: int | None) -> SmsBackend:
    """The backend settings.SMS_BACKEND names; without one, the backend of the provider the
    county's office configured, with its account (notifications.integrations.sms_config), else
    the console."""
    if settings.SMS_BACKEND:
        return import_string(settings.SMS_BACKEND)()
    config = sms_config(county_id)
    path = PROVIDER_BACKENDS.get(config.provider if config else "")
    return import_string(path)(config) if path else import_string(CONSOLE_BACKEND)()


def send_sign_in_code(*, phone: str, code: str, county_id: int | None) -> None:
    """One sign-in code (短信验证码) to one phone, through the backend of the county the person
    belongs to. Raises TemporaryFailure or PermanentFailure when the provider does not take it."""
    sms_backend(county_id).send_code(phone=phone, code=code)


def phone_of(user_id: int) -> str:
    for model in (DepartmentStaff, EnterpriseContact):
        phone = model.objects.filter(user_id=user_id).values_list("phone", flat=True).first()
        if phone:
            return phone.strip()
    return ""


class SmsTransport:
    def __init__(self, backend: SmsBackend | None = None):
        self.backend = backend  # None: the backend of each message's county

    def send(self, notification) -> None:
        phone = phone_of(notification.user_id) if notification.user_id else ""
        if not phone:
            raise PermanentFailure("the recipient has no phone number")
        backend = self.backend or sms_backend(county_of_notification(notification))
        backend.send_text(
            phone=phone, text=printable(notification.title), message_id=notification.dedup_key
        )
