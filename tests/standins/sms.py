"""A stand-in 阿里云 短信 (dysmsapi) on 127.0.0.1: SendSms over a signed GET, answering as the
provider documents — Code "OK" with a BizId, or an error Code and Message.

It recomputes the signature independently of the code under test (the documented RPC v1.0
HMAC-SHA1 steps, written out again here) and refuses a wrong one with SignatureDoesNotMatch, an
unknown AccessKeyId with InvalidAccessKeyId.NotFound, a reused SignatureNonce with
SignatureNonceUsed, an unknown sign name or template with isv.SMS_SIGNATURE_ILLEGAL /
isv.SMS_TEMPLATE_ILLEGAL, a malformed number with isv.MOBILE_NUMBER_ILLEGAL.

Knobs: `sent` (accepted requests' parameters), `fail_next(code, times)`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import re
from collections import deque
from urllib.parse import quote

from tests.standins import Request, StandIn


def _encode(value: str) -> str:
    return quote(value, safe="~").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


class AliyunSmsStandIn(StandIn):
    def __init__(
        self,
        *,
        access_key_id="LTAI-standin",
        access_key_secret="aliyun-secret",
        sign_name="进贤县四进四问",
        templates=("SMS_100000001", "SMS_100000002"),
    ):
        self.access_key_id, self.access_key_secret = access_key_id, access_key_secret
        self.sign_name, self.templates = sign_name, set(templates)
        self.sent: list[dict] = []
        self.nonces: set[str] = set()
        self.failures: deque[str] = deque()
        self._serial = itertools.count(1)
        super().__init__()

    def fail_next(self, code: str, times: int = 1) -> None:
        with self.lock:
            self.failures.extend([code] * times)

    def codes_sent_to(self, phone: str) -> list[str]:
        return [
            json.loads(p["TemplateParam"]).get("code", "")
            for p in self.sent
            if p["PhoneNumbers"] == phone
        ]

    def _expected_signature(self, params: dict) -> str:
        canonical = "&".join(
            f"{_encode(k)}={_encode(params[k])}" for k in sorted(params) if k != "Signature"
        )
        to_sign = "GET&%2F&" + _encode(canonical)
        key = (self.access_key_secret + "&").encode()
        return base64.b64encode(hmac.new(key, to_sign.encode(), hashlib.sha1).digest()).decode()

    def route(self, request: Request) -> tuple[int, dict]:
        params = request.query
        request_id = f"REQ-{next(self._serial)}"

        def error(status: int, code: str, message: str) -> tuple[int, dict]:
            return status, {"RequestId": request_id, "Code": code, "Message": message}

        if request.method != "GET" or request.path != "/":
            return error(404, "InvalidAction.NotFound", "Specified api is not found")
        if params.get("Action") != "SendSms" or params.get("Version") != "2017-05-25":
            return error(400, "InvalidAction.NotFound", "Specified api is not found")
        if params.get("AccessKeyId") != self.access_key_id:
            return error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if (params.get("SignatureMethod"), params.get("SignatureVersion")) != ("HMAC-SHA1", "1.0"):
            return error(400, "IncompleteSignature", "The request signature does not conform.")
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", params.get("Timestamp", "")):
            return error(400, "InvalidTimeStamp.Format", "Specified time stamp is not valid.")
        if params.get("Signature") != self._expected_signature(params):
            return error(400, "SignatureDoesNotMatch", "Specified signature is not matched.")
        nonce = params.get("SignatureNonce", "")
        if not nonce or nonce in self.nonces:
            return error(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        self.nonces.add(nonce)
        if self.failures:
            code = self.failures.popleft()
            return error(200, code, f"stand-in failure {code}")
        if params.get("SignName") != self.sign_name:
            return error(200, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        if params.get("TemplateCode") not in self.templates:
            return error(200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        if not re.fullmatch(r"1[3-9]\d{9}", params.get("PhoneNumbers", "")):
            return error(200, "isv.MOBILE_NUMBER_ILLEGAL", "手机号码格式错误")
        try:
            json.loads(params.get("TemplateParam") or "{}")
        except ValueError:
            return error(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法")
        self.sent.append(dict(params))
        return 200, {
            "RequestId": request_id,
            "Code": "OK",
            "Message": "OK",
            "BizId": f"BIZ{len(self.sent):06d}",
        }
