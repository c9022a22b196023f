"""get_FOO_display() through enterprises.labels.QuickDisplay: same answers as Django's, cheaper."""

from django.utils import translation

from cases.models import Case, CaseEvent
from enterprises.models import Enterprise


def test_labels_follow_the_active_language():
    case = Case(status=Case.Status.IN_PROGRESS)
    with translation.override("zh-hans"):
        assert case.get_status_display() == "办理中"
    with translation.override("en"):
        assert case.get_status_display() == str(Case.Status.IN_PROGRESS.label)
        assert case.get_status_display() != "办理中"


def test_unknown_and_empty_values_show_as_they_are():
    assert CaseEvent(kind="no-such-kind").get_kind_display() == "no-such-kind"
    assert Case(rating="").get_rating_display() == ""
    assert Enterprise(industry=None).get_industry_display() is None


def test_does_not_translate_every_label_of_the_field(monkeypatch):
    """Django's own implementation hashes (so translates) all 25 kinds on every call."""
    from django.db import models

    event = CaseEvent(kind=CaseEvent.Kind.PROGRESS)
    field = CaseEvent._meta.get_field("kind")
    expected = event.get_kind_display()  # the map is built once
    calls = []
    real = translation._trans.gettext
    monkeypatch.setattr(translation._trans, "gettext", lambda m: calls.append(m) or real(m))
    for _ in range(10):
        assert event.get_kind_display() == expected
    ours = len(calls)
    for _ in range(10):
        models.Model._get_FIELD_display(event, field)
    assert ours <= 10 < len(calls) - ours
