"""The story the figures are checked against holds as told (so a wrong figure is the figures' fault)."""

import datetime as dt

from cases.models import Case, Rating
from tests.analysis.conftest import CHINA


def test_the_story_sets_the_deadlines_the_calendar_of_2021_gives(spring):
    assert spring.A.contact_due_at == dt.datetime(2021, 4, 26, 23, 59, 59, tzinfo=CHINA)
    assert spring.A.resolve_due_at == dt.datetime(2021, 5, 8, 23, 59, 59, tzinfo=CHINA)
    assert spring.C.contact_due_at == dt.datetime(2021, 5, 10, 23, 59, 59, tzinfo=CHINA)
    assert spring.C.resolve_due_at == dt.datetime(2021, 5, 27, 23, 59, 59, tzinfo=CHINA)
    assert spring.B.resolve_due_at == dt.datetime(2021, 5, 21, 23, 59, 59, tzinfo=CHINA)
    assert spring.D.contact_due_at == dt.datetime(2021, 6, 4, 23, 59, 59, tzinfo=CHINA)
    assert spring.E.resolve_due_at == dt.datetime(2021, 6, 30, 23, 59, 59, tzinfo=CHINA)


def test_the_story_leaves_each_case_where_it_says(spring):
    statuses = {k: getattr(spring, k).status for k in "ABCDEFGH"}
    assert statuses == {
        "A": Case.Status.CLOSED,
        "B": Case.Status.REPLIED,
        "C": Case.Status.IN_PROGRESS,
        "D": Case.Status.ASSIGNED,
        "E": Case.Status.IN_PROGRESS,
        "F": Case.Status.SUBMITTED,
        "G": Case.Status.IN_PROGRESS,
        "H": Case.Status.MERGED,
    }
    assert Rating.objects.get(case=spring.B, reply_round=1).appeal == Rating.Appeal.UPHELD
    assert spring.E.lead_department == spring.county.gxj and spring.E.return_count == 1
