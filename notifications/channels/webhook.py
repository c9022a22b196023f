"""A department's group robot (企业微信/钉钉 style): one JSON POST per message.

The payload is in the robot's dialect (notifications.channels.robots: generic text with `msgid`,
企业微信 markdown, 钉钉 signed markdown with keywords and @mobile); the X-Message-Id header carries
the row's key, so a receiver that sees a message twice after a crash can drop the copy. A 4xx other than 429 means the
robot refuses this message for good (a wrong key, a removed robot); 429, 5xx, timeouts and broken
connections are retried. The robots also answer 200 with an `errcode`: 0 is success, their
"too frequent"/"busy" codes are retried, any other code is a refusal.

The address is vetted before each send (enterprises.addresses: no loopback, intranet or
metadata addresses) and the connection goes to the very addresses vetted, naming the robot's host
in the Host header and in TLS (server name and certificate check), so DNS cannot swap in another
address between the check and the connection. Redirects are not followed: a redirected robot URL is
a misconfiguration, and following it would skip the check.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl

from django.conf import settings

from enterprises.addresses import RefusedAddress, Target, webhook_target
from enterprises.models import DepartmentStaff
from notifications.channels import PermanentFailure, TemporaryFailure
from notifications.channels.robots import Mention, robot_message
from notifications.models import VendorIdentity, WebhookSubscription

# 企业微信: -1 system busy, 45009 API frequency limit; 钉钉: 130101 sending too fast (20 a
# minute per robot), 660026 the robot's daily limit.
RETRYABLE_ERRCODES = {-1, 45009, 130101, 660026}


def _errcode(body: bytes) -> tuple[int, str]:
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return 0, ""  # a plain "ok" from a simple receiver
    if not isinstance(answer, dict):
        return 0, ""
    return int(answer.get("errcode") or 0), str(answer.get("errmsg") or "")[:300]


def _connect(target: Target, timeout: float) -> socket.socket:
    """A TCP connection to the first vetted address that answers (never a fresh DNS lookup)."""
    error: OSError | None = None
    for address in target.addresses:
        try:
            return socket.create_connection((address, target.port), timeout)
        except OSError as failed:
            error = failed
    raise error or OSError(f"{target.host} has no address")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target

    def connect(self):
        self.sock = _connect(self.target, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.target = target

    def connect(self):
        self.sock = self.tls.wrap_socket(
            _connect(self.target, self.timeout), server_hostname=self.target.host
        )


def _post(target: Target, body: bytes, headers: dict) -> tuple[int, bytes]:
    pinned = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = pinned(target, settings.WEBHOOK_TIMEOUT_SECONDS)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(65536)
    finally:
        connection.close()


def _mentions(notification) -> list[Mention]:
    """The responsible clerks to @: those of the case's lead department, in its own group."""
    case = notification.case
    if case is None or not notification.department_id:
        return []
    if case.lead_department_id != notification.department_id:
        return []
    clerks = DepartmentStaff.objects.filter(
        department_id=notification.department_id, is_head=False, user__is_active=True
    ).values_list("user_id", "phone")
    wecom = dict(
        VendorIdentity.objects.filter(
            user_id__in=[user_id for user_id, _phone in clerks],
            county_id=notification.department.county_id,  # the group's corp is its county's
            vendor=VendorIdentity.Vendor.WECOM,
        ).values_list("user_id", "vendor_userid")
    )
    return [
        Mention(mobile=(phone or "").strip(), wecom_userid=wecom.get(user_id, ""))
        for user_id, phone in clerks.order_by("user_id")
        if (phone or "").strip() or user_id in wecom
    ]


class WebhookTransport:
    def send(self, notification) -> None:
        url = notification.department.webhook_url if notification.department else ""
        if not url:
            raise PermanentFailure("the department has no webhook configured")
        subscription = (
            WebhookSubscription.objects.filter(department_id=notification.department_id).first()
            if notification.department_id
            else None
        )
        url, message = robot_message(notification, subscription, url, _mentions(notification))
        try:
            target = webhook_target(url)
        except RefusedAddress as refused:
            raise PermanentFailure(f"address refused: {refused}") from refused
        except OSError as error:  # the name does not resolve (now)
            raise TemporaryFailure(f"unresolvable: {error}") from error
        try:
            status, body = _post(
                target,
                json.dumps(message, ensure_ascii=False).encode(),
                {
                    "Content-Type": "application/json; charset=utf-8",
                    "X-Message-Id": notification.dedup_key,
                },
            )
        except (OSError, http.client.HTTPException) as error:  # refused, reset, timed out, TLS
            raise TemporaryFailure(f"unreachable: {error}") from error
        if status == 429 or status >= 500:
            raise TemporaryFailure(f"HTTP {status}")
        if status >= 300:  # a refusal, or a redirect (not followed)
            raise PermanentFailure(f"HTTP {status}")
        errcode, errmsg = _errcode(body)
        if errcode in RETRYABLE_ERRCODES:
            raise TemporaryFailure(f"errcode {errcode}: {errmsg}")
        if errcode:
            raise PermanentFailure(f"errcode {errcode}: {errmsg}")
