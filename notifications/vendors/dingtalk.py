"""钉钉 (DingTalk) server API: the app's access token, 工作通知 as an action card, and the user
lookups of sign-in (in-app 免登 code → userid, scan-login code → userid, userid → mobile).

Documented shapes (open.dingtalk.com): GET /gettoken?appkey&appsecret → {errcode, access_token,
expires_in}; POST /topapi/message/corpconversation/asyncsend_v2 → {errcode, task_id};
POST /topapi/v2/user/getuserinfo {code} → {errcode, result: {userid}}; POST /topapi/v2/user/get
{userid} → {errcode, result: {mobile}}; scan login on the new API: POST
/v1.0/oauth2/userAccessToken → {accessToken}, GET /v1.0/contact/users/me → {unionId}, then
POST /topapi/user/getbyunionid {unionid} → {errcode, result: {userid}}.
"""

from __future__ import annotations

from django.core.cache import cache

from notifications.integrations import DingTalkConfig
from notifications.vendors import (
    Card,
    TokenExpired,
    VendorError,
    cached_token,
    http_call,
    token_cache_key,
    token_from,
)

VENDOR = "钉钉"

TOKEN_CODES = {40014, 42001, 41001}
# -1 busy; 90018/90002/90006/90019 the app's or the API's call limits; 88 carries a sub_code.
RETRYABLE_CODES = {-1, 90002, 90006, 90018, 90019}


def _code(answer: dict) -> int:
    code = int(answer.get("errcode") or 0)
    if code == 88:  # "系统错误" wrapping the real reason in sub_code
        try:
            return int(answer.get("sub_code") or 88)
        except (TypeError, ValueError):
            return 88
    return code


class DingTalkClient:
    def __init__(self, config: DingTalkConfig):
        self.config = config
        self.base = config.api_base.rstrip("/")
        self.new_base = config.new_api_base.rstrip("/")

    # ── token ────────────────────────────────────────────────────────────────────────────────
    def _token_key(self) -> str:
        return token_cache_key("dingtalk", self.config.app_key, self.config.app_secret)

    def _fetch_token(self) -> tuple[str, int]:
        answer = self._checked(
            http_call(
                VENDOR,
                "GET",
                f"{self.base}/gettoken",
                params={"appkey": self.config.app_key, "appsecret": self.config.app_secret},
            ),
            getting_token=True,
        )
        return token_from(VENDOR, answer)

    def access_token(self) -> str:
        """The app's token, cached until shortly before it expires; refreshed when the service
        says it expired."""
        return cached_token(self._token_key(), self._fetch_token)

    def _post(self, path: str, body: dict) -> dict:
        for attempt in (1, 2):
            query = {"access_token": self.access_token()}
            try:
                return self._checked(
                    http_call(VENDOR, "POST", f"{self.base}{path}", params=query, json=body)
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
        code = _code(answer)
        if code == 0:
            return answer
        message = str(answer.get("sub_msg") or answer.get("errmsg") or "")
        if code in TOKEN_CODES and not getting_token:
            raise TokenExpired(message)
        raise VendorError(VENDOR, message, code=code, temporary=code in RETRYABLE_CODES)

    # ── messages ─────────────────────────────────────────────────────────────────────────────
    def send_work_notice(self, userids: list[str], card: Card) -> str:
        """工作通知 (action_card) to the named users; returns the task id."""
        answer = self._post(
            "/topapi/message/corpconversation/asyncsend_v2",
            {
                "agent_id": int(self.config.agent_id),
                "userid_list": ",".join(userids),
                "msg": {
                    "msgtype": "action_card",
                    "action_card": {
                        "title": card.title[:64],
                        "markdown": f"### {card.title}\n\n{card.description}",
                        "single_title": card.button,
                        "single_url": card.url,
                    },
                },
            },
        )
        return str(answer.get("task_id") or "")

    # ── sign-in lookups ──────────────────────────────────────────────────────────────────────
    def user_id_from_code(self, code: str) -> str:
        """The member's userid for an in-app 免登 code (dd.runtime.permission.requestAuthCode)."""
        result = self._post("/topapi/v2/user/getuserinfo", {"code": code}).get("result") or {}
        userid = result.get("userid")
        if not userid:
            raise VendorError(VENDOR, "the code belongs to no member of the corp", temporary=False)
        return str(userid)

    def user_id_from_login_code(self, code: str) -> str:
        """The member's userid for a scan-login (OAuth 2) authCode: the user's token, their
        unionId, then the corp's userid for it."""
        token = http_call(
            VENDOR,
            "POST",
            f"{self.new_base}/v1.0/oauth2/userAccessToken",
            json={
                "clientId": self.config.app_key,
                "clientSecret": self.config.app_secret,
                "code": code,
                "grantType": "authorization_code",
            },
        ).get("accessToken")
        if not token:
            raise VendorError(VENDOR, "the login code was not accepted", temporary=False)
        me = http_call(
            VENDOR,
            "GET",
            f"{self.new_base}/v1.0/contact/users/me",
            headers={"x-acs-dingtalk-access-token": token},
        )
        unionid = me.get("unionId")
        if not unionid:
            raise VendorError(VENDOR, "the login answered without a unionId", temporary=False)
        result = self._post("/topapi/user/getbyunionid", {"unionid": unionid}).get("result") or {}
        if not result.get("userid"):
            raise VendorError(VENDOR, "the person is not a member of the corp", temporary=False)
        return str(result["userid"])

    def user_mobile(self, userid: str) -> str:
        """The member's mobile from the address book ('' when the app may not read it)."""
        result = self._post("/topapi/v2/user/get", {"userid": userid}).get("result") or {}
        return str(result.get("mobile") or "").strip()
