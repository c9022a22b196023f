"""The group-robot channel against a stand-in robot on 127.0.0.1: what is posted, and which answers
mean "try again" and which mean "never"."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from notifications.channels import PermanentFailure, TemporaryFailure
from notifications.channels.webhook import WebhookTransport


class Robot:
    """Answers each POST with the next (status, body, delay) it was given; records what it got."""

    def __init__(self):
        self.received: list[tuple[dict, dict]] = []
        self.answers: list[tuple[int, bytes, float]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                robot.received.append((dict(self.headers), json.loads(self.rfile.read(length))))
                status, body, delay = robot.answers.pop(0) if robot.answers else (200, b"{}", 0)
                time.sleep(delay)
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that timed out hung up before the answer: expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=abc"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def answer(self, status: int, body: bytes = b"{}", delay: float = 0) -> None:
        self.answers.append((status, body, delay))


@pytest.fixture(autouse=True)
def robots_on_this_machine_are_allowed(settings):
    """The stand-in robot listens on 127.0.0.1, which the worker otherwise refuses to post to."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture
def robot():
    robot = Robot()
    yield robot
    robot.server.shutdown()
    robot.server.server_close()


def notification(url):
    return SimpleNamespace(
        department=SimpleNamespace(webhook_url=url),
        department_id=None,  # no robot settings, no clerks to @: the generic robot
        case=None,
        case_id=None,
        title="【新交办】2021-00001 电压不稳",
        body="请于 2021-04-26 23:59 前联系企业",
        dedup_key="event:17:webhook:d3",
    )


def test_it_posts_a_robot_text_message_with_a_message_id(robot):
    robot.answer(200, b'{"errcode": 0, "errmsg": "ok"}')
    WebhookTransport().send(notification(robot.url))
    ((headers, payload),) = robot.received
    assert payload == {
        "msgtype": "text",
        "text": {"content": "【新交办】2021-00001 电压不稳\n请于 2021-04-26 23:59 前联系企业"},
        "msgid": "event:17:webhook:d3",
    }
    assert headers["X-Message-Id"] == "event:17:webhook:d3"
    assert headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_rate_limits_and_server_errors_are_retried(robot, status):
    robot.answer(status)
    with pytest.raises(TemporaryFailure):
        WebhookTransport().send(notification(robot.url))


@pytest.mark.parametrize("status", [400, 403, 404, 410, 302])
def test_other_refusals_and_redirects_are_permanent(robot, status):
    robot.answer(status)
    with pytest.raises(PermanentFailure):
        WebhookTransport().send(notification(robot.url))
    assert len(robot.received) == 1  # a redirect is not followed


def test_a_robot_that_is_too_slow_is_retried(robot, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    robot.answer(200, delay=1)
    with pytest.raises(TemporaryFailure):
        WebhookTransport().send(notification(robot.url))


def test_a_robot_that_is_not_there_is_retried(robot, settings):
    url = robot.url
    robot.server.shutdown()
    robot.server.server_close()
    with pytest.raises(TemporaryFailure):
        WebhookTransport().send(notification(url))


@pytest.mark.parametrize(
    "errcode, expected",
    [(45009, TemporaryFailure), (-1, TemporaryFailure), (93000, PermanentFailure)],
)
def test_the_robots_own_error_codes_are_told_apart(robot, errcode, expected):
    robot.answer(200, json.dumps({"errcode": errcode, "errmsg": "x"}).encode())
    with pytest.raises(expected):
        WebhookTransport().send(notification(robot.url))


def test_a_department_without_a_robot_is_a_permanent_failure():
    with pytest.raises(PermanentFailure):
        WebhookTransport().send(notification(""))


def test_control_characters_stored_in_a_title_do_not_reach_the_robot(robot):
    sent = notification(robot.url)
    sent.title = "【新交办】2021-00001 x\r\nBcc: evil@example.com\x00"
    sent.body = "第一行\r\n第二行\x1b[31m"
    WebhookTransport().send(sent)
    ((_headers, payload),) = robot.received
    assert payload["text"]["content"] == (
        "【新交办】2021-00001 x Bcc: evil@example.com \n第一行\n第二行 [31m"
    )
