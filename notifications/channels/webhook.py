"""A department's group robot (企业微信/钉钉 style): one JSON POST per message.

The payload is the robots' common text message plus `msgid` (also the X-Message-Id header), so a
receiver that sees a message twice after a crash can drop the copy. A 4xx other than 429 means the
robot refuses this message for good (a wrong key, a removed robot); 429, 5xx, timeouts and broken
connections are retried. The robots also answer 200 with an `errcode`: 0 is success, their
"too frequent"/"busy" codes are retried, any other code is a refusal.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings

from notifications.channels import PermanentFailure, TemporaryFailure

# 企业微信: -1 system busy, 45009 API frequency limit; 钉钉: 130101 sending too fast.
RETRYABLE_ERRCODES = {-1, 45009, 130101}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected robot URL is a misconfiguration; following it would turn the POST into a GET."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def payload(notification) -> dict:
    text = (
        notification.title
        if not notification.body
        else f"{notification.title}\n{notification.body}"
    )
    return {
        "msgtype": "text",
        "text": {"content": text},
        "msgid": notification.dedup_key,
    }


def _errcode(body: bytes) -> int:
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return 0  # a plain "ok" from a simple receiver
    return int(answer.get("errcode") or 0) if isinstance(answer, dict) else 0


class WebhookTransport:
    def send(self, notification) -> None:
        url = notification.department.webhook_url if notification.department else ""
        if not url:
            raise PermanentFailure("the department has no webhook configured")
        request = urllib.request.Request(
            url,
            data=json.dumps(payload(notification), ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Message-Id": notification.dedup_key,
            },
            method="POST",
        )
        try:
            with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
                body = response.read(65536)
        except urllib.error.HTTPError as error:
            if error.code == 429 or error.code >= 500:
                raise TemporaryFailure(f"HTTP {error.code}") from error
            raise PermanentFailure(f"HTTP {error.code}") from error
        except (urllib.error.URLError, OSError) as error:  # refused, reset, timed out, DNS
            raise TemporaryFailure(f"unreachable: {error}") from error
        errcode = _errcode(body)
        if errcode in RETRYABLE_ERRCODES:
            raise TemporaryFailure(f"errcode {errcode}")
        if errcode:
            raise PermanentFailure(f"errcode {errcode}")
