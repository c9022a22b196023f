"""What a department's group robot is sent, in the dialect its head chose (WebhookSubscription):

- text: the generic robot JSON (text + msgid), as before;
- 企业微信: markdown (title in bold, the body, a link to the case); @ the responsible clerks by
  their 企业微信 userid inside the markdown (<@userid>) — the only mention markdown knows — and,
  when a clerk is known only by mobile, the text message instead, whose mentioned_mobile_list @s
  by mobile (one message either way);
- 钉钉: markdown with 加签 (timestamp + HMAC-SHA256 of "timestamp\\nsecret", base64, in the query
  string) and the custom keyword put in front when the text does not hold it; @ by mobile
  (at.atMobiles, and "@mobile" in the text, as 钉钉 requires).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from notifications.channels import printable
from notifications.models import WebhookSubscription

Robot = WebhookSubscription.Robot


@dataclass(frozen=True)
class Mention:
    mobile: str
    wecom_userid: str = ""


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """钉钉 加签: base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}"))."""
    message = f"{timestamp_ms}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def signed_url(url: str, secret: str, *, now: float | None = None) -> str:
    timestamp = int((now if now is not None else time.time()) * 1000)
    query = urlencode({"timestamp": timestamp, "sign": dingtalk_sign(timestamp, secret)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def case_link(notification) -> str:
    return f"{settings.SITE_URL}/cases/{notification.case_id}/" if notification.case_id else ""


def _text(notification) -> tuple[str, str]:
    return printable(notification.title), printable(notification.body, keep_newlines=True)


def _markdown(title: str, body: str, link: str) -> str:
    lines = [f"**{title}**"]
    if body:
        lines.append(body)
    if link:
        lines.append(f"[{link}]({link})")
    return "\n\n".join(lines)


def robot_message(
    notification, subscription: WebhookSubscription | None, url: str, mentions: list[Mention]
) -> tuple[str, dict]:
    """(the URL to post to, the JSON body) for this notification and this robot."""
    robot = subscription.robot if subscription else Robot.TEXT
    if subscription and not subscription.mention_clerks:
        mentions = []
    title, body = _text(notification)
    if robot == Robot.WECOM:
        return url, _wecom(notification, title, body, mentions)
    if robot == Robot.DINGTALK:
        return _dingtalk(notification, subscription, url, title, body, mentions)
    return url, {
        "msgtype": "text",
        "text": {"content": f"{title}\n{body}" if body else title},
        "msgid": notification.dedup_key,
    }


def _wecom(notification, title: str, body: str, mentions: list[Mention]) -> dict:
    link = case_link(notification)
    by_mobile = [m.mobile for m in mentions if not m.wecom_userid and m.mobile]
    if by_mobile:
        text = f"{title}\n{body}" if body else title
        return {
            "msgtype": "text",
            "text": {
                "content": f"{text}\n{link}" if link else text,
                "mentioned_list": [m.wecom_userid for m in mentions if m.wecom_userid],
                "mentioned_mobile_list": by_mobile,
            },
        }
    content = _markdown(title, body, link)
    at = " ".join(f"<@{m.wecom_userid}>" for m in mentions if m.wecom_userid)
    return {"msgtype": "markdown", "markdown": {"content": f"{content}\n{at}" if at else content}}


def _dingtalk(notification, subscription, url, title, body, mentions) -> tuple[str, dict]:
    mobiles = [m.mobile for m in mentions if m.mobile]
    keyword = (subscription.keyword or "").strip()
    if keyword and keyword not in title and keyword not in body:
        title = f"【{keyword}】{title}"
    text = _markdown(title, body, case_link(notification))
    if mobiles:
        text += "\n\n" + " ".join(f"@{mobile}" for mobile in mobiles)
    if subscription.sign_secret:
        url = signed_url(url, subscription.sign_secret)
    return url, {
        "msgtype": "markdown",
        "markdown": {"title": title[:64], "text": text},
        "at": {"atMobiles": mobiles, "isAtAll": False},
    }
