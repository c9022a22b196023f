"""阿里云 短信 (dysmsapi SendSms): the one real SMS provider behind settings.SMS_BACKEND.

A Chinese SMS provider sends only templates it has approved, under a registered sign name
(签名), so the backend does not send free text: a notice goes out through the office's notice
template with the message's title as its `title` variable, a sign-in code through the login
template with `code`. The template codes, sign name and AccessKey come from
notifications.integrations.sms_config() (the office's settings page, or SMS_* in the
environment).

Written by hand (about a hundred lines of HTTP) rather than with Alibaba's SDK: the SDK pulls in
its Tea runtime and several packages for one signed GET, and the signature (RPC, version 1.0,
HMAC-SHA1, as the provider documents it) is what the stand-in in tests/standins/sms.py checks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

from django.conf import settings

from enterprises.validators import normalize_mobile
from notifications.channels import PermanentFailure, TemporaryFailure
from notifications.integrations import SmsConfig, sms_config

ALIYUN_ENDPOINT = "https://dysmsapi.aliyuncs.com"

# Answers that may pass if we try again later (flow control, the provider's own trouble).
ALIYUN_TEMPORARY_CODES = {
    "isv.BUSINESS_LIMIT_CONTROL",  # per-number flow control (1/min, 5/hour, 10/day by default)
    "Throttling",
    "Throttling.User",
    "ServiceUnavailable",
    "InternalError",
    "isp.RAM_PERMISSION_DENY",  # a permission being granted propagates within minutes
}


def percent_encode(value: str) -> str:
    """The provider's encoding: RFC 3986 with UTF-8, unreserved characters (A-Z a-z 0-9 - _ . ~)
    kept, a space as %20 (not +), an asterisk as %2A."""
    return quote(str(value), safe="-_.~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """Signature = Base64(HMAC-SHA1(secret + "&", method + "&" + encode("/") + "&" +
    encode(canonicalized query))), the query being every parameter but Signature, sorted by name,
    each name and value percent-encoded, joined by "&"."""
    canonical = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}"
        for k, v in sorted(params.items())
        if k != "Signature"
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsBackend:
    """SendSms through 阿里云. Raises TemporaryFailure (unreachable, flow control, 5xx) or
    PermanentFailure (no account configured, a refused number, template or sign name)."""

    def __init__(self, config: SmsConfig | None = None):
        self.config = config if config is not None else sms_config(None)

    def send_text(self, *, phone: str, text: str, message_id: str) -> None:
        config = self._configured()
        if not config.template_notice:
            raise PermanentFailure("no SMS notice template is configured")
        # A template variable holds at most 35 characters at this provider.
        self._send(phone, config.template_notice, {"title": text[:35]}, out_id=message_id)

    def send_code(self, *, phone: str, code: str) -> None:
        config = self._configured()
        if not config.template_login:
            raise PermanentFailure("no SMS sign-in template is configured")
        self._send(phone, config.template_login, {"code": code}, out_id="")

    def _configured(self) -> SmsConfig:
        if self.config is None or self.config.provider != "aliyun":
            raise PermanentFailure("阿里云 SMS is not configured")
        return self.config

    def _send(self, phone: str, template: str, variables: dict, *, out_id: str) -> str:
        config = self.config
        params = {
            "AccessKeyId": config.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": normalize_mobile(phone),  # "138 1234 5678" on file: 11 digits
            "RegionId": "cn-hangzhou",
            "SignName": config.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template,
            "TemplateParam": json.dumps(variables, ensure_ascii=False),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        if out_id:
            params["OutId"] = out_id[:64]
        params["Signature"] = aliyun_signature(params, config.access_key_secret)
        base = (config.api_base or ALIYUN_ENDPOINT).rstrip("/")
        url = f"{base}/?{urlencode(params, quote_via=quote, safe='~')}"
        try:
            with urlopen(Request(url), timeout=settings.VENDOR_TIMEOUT_SECONDS) as response:
                status, body, reason = response.status, response.read(), response.reason
        except HTTPError as error:  # a 4xx or 5xx still carries the provider's JSON answer
            status, body, reason = error.code, error.read(), error.reason
        except (URLError, OSError) as error:
            raise TemporaryFailure(f"阿里云 SMS unreachable: {error}") from error
        try:
            answer = json.loads(body)
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        code = str(answer.get("Code") or f"HTTP {status}")
        if code == "OK":
            return str(answer.get("BizId") or "")
        message = f"阿里云 SMS {code}: {answer.get('Message') or reason}"
        if code in ALIYUN_TEMPORARY_CODES or status >= 500:
            raise TemporaryFailure(message)
        raise PermanentFailure(message)
