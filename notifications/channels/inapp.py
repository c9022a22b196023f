"""The in-app inbox: the Notification row is the message, so nothing leaves the database."""

from __future__ import annotations


class InAppTransport:
    def send(self, notification) -> None:
        return None
