"""A stand-in 企业微信 on 127.0.0.1: gettoken, message/send (textcard), auth/getuserinfo, user/get
and the group robot's webhook/send, with the documented answers and error codes.

Knobs for tests: `users` (userid → mobile), `codes` (OAuth code → userid, single use),
`expire_tokens()` (every issued token answers 42001), `fail_next(errcode, times)` (the next sends
answer that code: 45009 rate limit, 60011 no privilege, …), `secret` (a wrong one answers 40001).
"""

from __future__ import annotations

import itertools
from collections import deque

from tests.standins import Request, StandIn


class WeComStandIn(StandIn):
    def __init__(self, *, corp_id="ww-corp", secret="wecom-secret", agent_id="1000002"):
        self.corp_id, self.secret, self.agent_id = corp_id, secret, agent_id
        self.users: dict[str, str] = {}
        self.codes: dict[str, str] = {}
        self.tokens: set[str] = set()
        self.token_requests = 0
        self.messages: list[dict] = []  # accepted message/send bodies
        self.robot_messages: list[dict] = []  # accepted webhook/send bodies, with "key"
        self.failures: deque[int] = deque()
        self.robot_failures: deque[int] = deque()
        self._serial = itertools.count(1)
        super().__init__()

    hanging_paths = ("/cgi-bin/message/send",)

    def accepted(self) -> int:
        return len(self.messages)

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def fail_next(self, errcode: int, times: int = 1) -> None:
        with self.lock:
            self.failures.extend([errcode] * times)

    def route(self, request: Request) -> tuple[int, dict]:
        path = request.path
        if path == "/cgi-bin/gettoken":
            return self._gettoken(request)
        if path == "/cgi-bin/webhook/send":
            return self._robot(request)
        if request.query.get("access_token") not in self.tokens:
            expired = bool(request.query.get("access_token"))
            return 200, {
                "errcode": 42001 if expired else 41001,
                "errmsg": "access_token expired" if expired else "access_token missing",
            }
        handler = {
            "/cgi-bin/message/send": self._send,
            "/cgi-bin/auth/getuserinfo": self._getuserinfo,
            "/cgi-bin/user/get": self._user,
        }.get(path)
        if handler is None:
            return 404, {"errcode": 404, "errmsg": f"no such api {path}"}
        return handler(request)

    def _gettoken(self, request: Request) -> tuple[int, dict]:
        if request.query.get("corpid") != self.corp_id:
            return 200, {"errcode": 40013, "errmsg": "invalid corpid"}
        if request.query.get("corpsecret") != self.secret:
            return 200, {"errcode": 40001, "errmsg": "invalid credential"}
        self.token_requests += 1
        token = f"wecom-token-{next(self._serial)}"
        self.tokens.add(token)
        return 200, {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def _send(self, request: Request) -> tuple[int, dict]:
        body = request.json or {}
        if self.failures:
            code = self.failures.popleft()
            return 200, {"errcode": code, "errmsg": f"stand-in failure {code}"}
        if str(body.get("agentid")) != self.agent_id:
            return 200, {"errcode": 40056, "errmsg": "invalid agentid"}
        if body.get("msgtype") != "textcard" or not (body.get("textcard") or {}).get("url"):
            return 200, {"errcode": 40008, "errmsg": "invalid message type"}
        wanted = [u for u in str(body.get("touser") or "").split("|") if u]
        invalid = [u for u in wanted if u not in self.users]
        if wanted and len(invalid) == len(wanted):
            return 200, {"errcode": 81013, "errmsg": "user & party & tag all invalid"}
        self.messages.append(body)
        return 200, {
            "errcode": 0,
            "errmsg": "ok",
            "invaliduser": "|".join(invalid),
            "msgid": f"msg-{next(self._serial)}",
        }

    def _getuserinfo(self, request: Request) -> tuple[int, dict]:
        userid = self.codes.pop(request.query.get("code", ""), None)
        if userid is None:
            return 200, {"errcode": 40029, "errmsg": "invalid code"}
        return 200, {"errcode": 0, "errmsg": "ok", "userid": userid, "user_ticket": "t"}

    def _user(self, request: Request) -> tuple[int, dict]:
        userid = request.query.get("userid", "")
        if userid not in self.users:
            return 200, {"errcode": 60111, "errmsg": "userid not found"}
        return 200, {"errcode": 0, "errmsg": "ok", "userid": userid, "mobile": self.users[userid]}

    def robot_url(self, key: str = "robot-key") -> str:
        return f"{self.base}/cgi-bin/webhook/send?key={key}"

    def _robot(self, request: Request) -> tuple[int, dict]:
        body = request.json or {}
        if self.robot_failures:
            code = self.robot_failures.popleft()
            return 200, {"errcode": code, "errmsg": f"stand-in failure {code}"}
        if not request.query.get("key"):
            return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        if body.get("msgtype") not in ("text", "markdown"):
            return 200, {"errcode": 40008, "errmsg": "invalid message type"}
        self.robot_messages.append({**body, "key": request.query["key"]})
        return 200, {"errcode": 0, "errmsg": "ok"}
