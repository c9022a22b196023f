"""A department's group robot (企业微信/钉钉 style): one JSON POST per message.

The payload is the robots' common text message plus `msgid` (also the X-Message-Id header), so a
receiver that sees a message twice after a crash can drop the copy. A 4xx other than 429 means the
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
from notifications.channels import PermanentFailure, TemporaryFailure, printable

# 企业微信: -1 system busy, 45009 API frequency limit; 钉钉: 130101 sending too fast.
RETRYABLE_ERRCODES = {-1, 45009, 130101}


def payload(notification) -> dict:
    title = printable(notification.title)
    body = printable(notification.body, keep_newlines=True)
    return {
        "msgtype": "text",
        "text": {"content": f"{title}\n{body}" if body else title},
        "msgid": notification.dedup_key,
    }


def _errcode(body: bytes) -> int:
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return 0  # a plain "ok" from a simple receiver
    return int(answer.get("errcode") or 0) if isinstance(answer, dict) else 0


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


class WebhookTransport:
    def send(self, notification) -> None:
        url = notification.department.webhook_url if notification.department else ""
        if not url:
            raise PermanentFailure("the department has no webhook configured")
        try:
            target = webhook_target(url)
        except RefusedAddress as refused:
            raise PermanentFailure(f"address refused: {refused}") from refused
        except OSError as error:  # the name does not resolve (now)
            raise TemporaryFailure(f"unresolvable: {error}") from error
        try:
            status, body = _post(
                target,
                json.dumps(payload(notification), ensure_ascii=False).encode(),
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
        errcode = _errcode(body)
        if errcode in RETRYABLE_ERRCODES:
            raise TemporaryFailure(f"errcode {errcode}")
        if errcode:
            raise PermanentFailure(f"errcode {errcode}")
