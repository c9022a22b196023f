"""A stand-in 钉钉 on 127.0.0.1: gettoken, work notices (asyncsend_v2), 免登 getuserinfo, user/get,
getbyunionid, the new API's scan-login token and users/me, and the custom group robot with 加签
(the signature checked as documented) and keywords — answers and error codes as documented.

Knobs: `users` (userid → mobile), `codes` (免登 code → userid), `login_codes` (scan authCode →
userid), `expire_tokens()`, `fail_next(errcode)`, `robot_secret`, `robot_keywords`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import time
from collections import deque

from tests.standins import Request, StandIn


def robot_sign(timestamp: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class DingTalkStandIn(StandIn):
    def __init__(self, *, app_key="ding-key", app_secret="ding-secret", agent_id="2000001"):
        self.app_key, self.app_secret, self.agent_id = app_key, app_secret, agent_id
        self.users: dict[str, str] = {}
        self.codes: dict[str, str] = {}
        self.login_codes: dict[str, str] = {}
        self.tokens: set[str] = set()
        self.user_tokens: dict[str, str] = {}  # scan-login user token → userid
        self.token_requests = 0
        self.notices: list[dict] = []
        self.robot_messages: list[dict] = []
        self.robot_secret = ""
        self.robot_keywords: list[str] = []
        self.failures: deque[int] = deque()
        self._serial = itertools.count(1)
        super().__init__()

    hanging_paths = ("/topapi/message/corpconversation/asyncsend_v2",)

    def accepted(self) -> int:
        return len(self.notices)

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def fail_next(self, errcode: int, times: int = 1) -> None:
        with self.lock:
            self.failures.extend([errcode] * times)

    def unionid(self, userid: str) -> str:
        return f"union-{userid}"

    def route(self, request: Request) -> tuple[int, dict]:
        path = request.path
        if path == "/gettoken":
            return self._gettoken(request)
        if path == "/robot/send":
            return self._robot(request)
        if path == "/v1.0/oauth2/userAccessToken":
            return self._user_access_token(request)
        if path == "/v1.0/contact/users/me":
            return self._me(request)
        if request.query.get("access_token") not in self.tokens:
            return 200, {
                "errcode": 42001 if request.query.get("access_token") else 41001,
                "errmsg": "不合法的access_token",
            }
        handler = {
            "/topapi/message/corpconversation/asyncsend_v2": self._asyncsend,
            "/topapi/v2/user/getuserinfo": self._getuserinfo,
            "/topapi/v2/user/get": self._user,
            "/topapi/user/getbyunionid": self._getbyunionid,
        }.get(path)
        if handler is None or request.method != "POST":
            return 404, {"errcode": 404, "errmsg": f"no such api {request.method} {path}"}
        return handler(request)

    def _gettoken(self, request: Request) -> tuple[int, dict]:
        if request.query.get("appkey") != self.app_key:
            return 200, {"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"}
        if request.query.get("appsecret") != self.app_secret:
            return 200, {"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"}
        self.token_requests += 1
        token = f"ding-token-{next(self._serial)}"
        self.tokens.add(token)
        return 200, {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def _asyncsend(self, request: Request) -> tuple[int, dict]:
        body = request.json or {}
        if self.failures:
            code = self.failures.popleft()
            return 200, {"errcode": code, "errmsg": f"stand-in failure {code}"}
        if str(body.get("agent_id")) != self.agent_id:
            return 200, {"errcode": 60011, "errmsg": "没有调用该接口的权限"}
        msg = body.get("msg") or {}
        if msg.get("msgtype") not in ("action_card", "oa", "text", "markdown", "link"):
            return 200, {"errcode": 40035, "errmsg": "缺少参数 msgtype"}
        wanted = [u for u in str(body.get("userid_list") or "").split(",") if u]
        if not wanted or not all(u in self.users for u in wanted):
            return 200, {"errcode": 33012, "errmsg": "无效的userid"}
        self.notices.append(body)
        return 200, {
            "errcode": 0,
            "errmsg": "ok",
            "task_id": next(self._serial),
            "request_id": f"req-{next(self._serial)}",
        }

    def _getuserinfo(self, request: Request) -> tuple[int, dict]:
        userid = self.codes.pop((request.json or {}).get("code", ""), None)
        if userid is None:
            return 200, {"errcode": 40078, "errmsg": "不存在的临时授权码"}
        return 200, {
            "errcode": 0,
            "errmsg": "ok",
            "result": {"userid": userid, "unionid": self.unionid(userid)},
        }

    def _user(self, request: Request) -> tuple[int, dict]:
        userid = (request.json or {}).get("userid", "")
        if userid not in self.users:
            return 200, {"errcode": 60121, "errmsg": "找不到该用户"}
        return 200, {
            "errcode": 0,
            "errmsg": "ok",
            "result": {"userid": userid, "mobile": self.users[userid]},
        }

    def _getbyunionid(self, request: Request) -> tuple[int, dict]:
        unionid = (request.json or {}).get("unionid", "")
        for userid in self.users:
            if self.unionid(userid) == unionid:
                return 200, {
                    "errcode": 0,
                    "errmsg": "ok",
                    "result": {"contact_type": 0, "userid": userid},
                }
        return 200, {"errcode": 60121, "errmsg": "找不到该用户"}

    def _user_access_token(self, request: Request) -> tuple[int, dict]:
        body = request.json or {}
        if (body.get("clientId"), body.get("clientSecret")) != (self.app_key, self.app_secret):
            return 400, {"code": "invalidClientId", "message": "clientId或clientSecret错误"}
        userid = self.login_codes.pop(body.get("code", ""), None)
        if body.get("grantType") != "authorization_code" or userid is None:
            return 400, {"code": "invalidAuthCode", "message": "不合法的临时授权码"}
        token = f"user-token-{next(self._serial)}"
        self.user_tokens[token] = userid
        return 200, {"accessToken": token, "refreshToken": "r", "expireIn": 7200}

    def _me(self, request: Request) -> tuple[int, dict]:
        userid = self.user_tokens.get(request.headers.get("x-acs-dingtalk-access-token", ""))
        if userid is None:
            return 401, {"code": "InvalidAuthentication", "message": "不合法的access_token"}
        return 200, {
            "unionId": self.unionid(userid),
            "nick": userid,
            "mobile": self.users.get(userid, ""),
        }

    def robot_url(self, token: str = "robot-token") -> str:
        return f"{self.base}/robot/send?access_token={token}"

    def _robot(self, request: Request) -> tuple[int, dict]:
        body = request.json or {}
        if self.failures:
            code = self.failures.popleft()
            return 200, {"errcode": code, "errmsg": f"stand-in failure {code}"}
        if not request.query.get("access_token"):
            return 200, {"errcode": 300001, "errmsg": "token is not exist"}
        if self.robot_secret:
            timestamp = request.query.get("timestamp", "")
            if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3600_000:
                return 200, {"errcode": 310000, "errmsg": "timestamp is invalid"}
            if request.query.get("sign") != robot_sign(timestamp, self.robot_secret):
                return 200, {"errcode": 310000, "errmsg": "sign not match"}
        kind = body.get("msgtype")
        content = (body.get(kind) or {}) if isinstance(kind, str) else {}
        text = f"{content.get('title', '')}{content.get('text', '')}{content.get('content', '')}"
        if self.robot_keywords and not any(k in text for k in self.robot_keywords):
            return 200, {"errcode": 310000, "errmsg": "keywords not in content"}
        self.robot_messages.append(body)
        return 200, {"errcode": 0, "errmsg": "ok"}
