"""企业微信 (WeCom) server API: the app's access token, 应用消息 as a text card, and the user
lookups of sign-in (OAuth code → userid, userid → mobile).

Documented shapes (developer.work.weixin.qq.com): GET /cgi-bin/gettoken?corpid&corpsecret →
{errcode, access_token, expires_in}; POST /cgi-bin/message/send?access_token → {errcode,
invaliduser, msgid}; GET /cgi-bin/auth/getuserinfo?access_token&code → {errcode, userid};
GET /cgi-bin/user/get?access_token&userid → {errcode, mobile, …}.
"""

from __future__ import annotations

from django.core.cache import cache

from notifications.integrations import WeComConfig
from notifications.vendors import (
    Card,
    TokenExpired,
    VendorError,
    cached_token,
    http_call,
    token_cache_key,
    token_from,
)

VENDOR = "企业微信"

# The token is invalid or expired: fetch a fresh one and try once more.
TOKEN_CODES = {40014, 42001, 41001}
# Busy or too frequent: -1 system busy, 45009 API frequency, 45033 concurrency, 45011 per minute.
RETRYABLE_CODES = {-1, 45009, 45011, 45033}


class WeComClient:
    def __init__(self, config: WeComConfig):
        self.config = config
        self.base = config.api_base.rstrip("/")

    # ── token ────────────────────────────────────────────────────────────────────────────────
    def _token_key(self) -> str:
        account = f"{self.config.corp_id}:{self.config.agent_id}"
        return token_cache_key("wecom", account, self.config.secret)

    def _fetch_token(self) -> tuple[str, int]:
        answer = self._checked(
            http_call(
                VENDOR,
                "GET",
                f"{self.base}/cgi-bin/gettoken",
                params={"corpid": self.config.corp_id, "corpsecret": self.config.secret},
            ),
            getting_token=True,
        )
        return token_from(VENDOR, answer)

    def access_token(self) -> str:
        """The app's token, cached (Django's cache, Redis in production) until shortly before it
        expires; refreshed when the service says it expired."""
        return cached_token(self._token_key(), self._fetch_token)

    def _call(self, method: str, path: str, *, params: dict | None = None, **kwargs) -> dict:
        """An authenticated call; a token the service calls expired is dropped, refetched, and the
        call made once more."""
        for attempt in (1, 2):
            query = {**(params or {}), "access_token": self.access_token()}
            try:
                return self._checked(
                    http_call(VENDOR, method, f"{self.base}{path}", params=query, **kwargs)
                )
            except TokenExpired:
                cache.delete(self._token_key())
                if attempt == 2:
                    raise VendorError(
                        VENDOR, "a fresh access token was refused as well", temporary=True
                    ) from None
        raise AssertionError("unreachable")

    @staticmethod
    def _checked(answer: dict, *, getting_token: bool = False) -> dict:
        code = int(answer.get("errcode") or 0)
        if code == 0:
            return answer
        message = str(answer.get("errmsg") or "")
        if code in TOKEN_CODES and not getting_token:
            raise TokenExpired(message)
        raise VendorError(VENDOR, message, code=code, temporary=code in RETRYABLE_CODES)

    # ── messages ─────────────────────────────────────────────────────────────────────────────
    def send_app_message(self, userids: list[str], card: Card) -> str:
        """应用消息 (textcard) to the named users; returns the service's msgid. A user the service
        does not know (invaliduser) is a refusal: nobody else is in a message to one person."""
        answer = self._call(
            "POST",
            "/cgi-bin/message/send",
            json={
                "touser": "|".join(userids),
                "msgtype": "textcard",
                "agentid": int(self.config.agent_id),
                "textcard": {
                    "title": card.title[:128],
                    "description": card.description[:512],
                    "url": card.url,
                    "btntxt": card.button[:4],
                },
                "enable_duplicate_check": 1,
                "duplicate_check_interval": 1800,
            },
        )
        invalid = str(answer.get("invaliduser") or "")
        if invalid:
            raise VendorError(VENDOR, f"unknown userid: {invalid}", code=81013, temporary=False)
        return str(answer.get("msgid") or "")

    # ── sign-in lookups ──────────────────────────────────────────────────────────────────────
    def user_id_from_code(self, code: str) -> str:
        """The member's userid for an OAuth code (in-app silent login or scan login)."""
        answer = self._call("GET", "/cgi-bin/auth/getuserinfo", params={"code": code})
        userid = answer.get("userid") or answer.get("UserId")
        if not userid:
            raise VendorError(VENDOR, "the code belongs to no member of the corp", temporary=False)
        return str(userid)

    def user_mobile(self, userid: str) -> str:
        """The member's mobile from the address book ('' when the app may not read it)."""
        answer = self._call("GET", "/cgi-bin/user/get", params={"userid": userid})
        return str(answer.get("mobile") or "").strip()
