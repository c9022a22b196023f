"""The in-app channel: the row is the message, born sent, never queued."""

import pytest

from notifications.channels import transport_for
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_in_app_rows_are_born_sent_and_never_queued(
    county, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr("notifications.outbox._send_task", lambda pk, countdown: queued.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        county.assigned()  # nobody has an email address: in-app rows only
    rows = Notification.objects.filter(channel=Notification.Channel.IN_APP)
    # The office head, of the new problem (the office clerk entered it); then, of the assignment,
    # the two 工信局 staff, the enterprise contact and its paired cadre (issue 17).
    assert rows.count() == 5
    assert set(rows.values_list("status", flat=True)) == {Notification.Status.SENT}
    assert queued == []


def test_delivering_an_in_app_row_sends_nothing_anywhere():
    assert transport_for("in_app").send(object()) is None
