"""The public timeline in the enterprise's words, read on the portal and on the case page when an
enterprise contact opens it: who recorded a rating, a reassignment as "改由 X 办理", a date as
"3月5日"."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from cases.models import Case, CaseEvent, Rating
from cases.workdays import local_date


def recorded_by(rating: Rating) -> str:
    """Who recorded a rating, as the enterprise and the office read it."""
    name = rating.rated_by.get_full_name() or rating.rated_by.get_username()
    return _recorder(name, rating.recorded_by_cadre)


def _recorder(name: str, by_cadre: bool) -> str:
    if by_cadre:
        return _("干部回访代录：%(name)s") % {"name": name}
    return _("企业评价：%(name)s") % {"name": name}


def day_label(moment: dt.datetime) -> str:
    day = local_date(moment)
    return _("%(month)d月%(day)d日") % {"month": day.month, "day": day.day}


def plain_timeline(events: list[CaseEvent]) -> list[CaseEvent]:
    """The public timeline in the enterprise's words: each event gets `plain_title` (what
    happened, where the kind's label alone would not say it; "" otherwise) and `plain_text` (a
    line more, or ""). A reassignment reads "改由 X 办理" with its reason, not as a second bare
    交办; a rating names its level and who recorded it. Events need `department` and `actor`
    loaded."""
    K = CaseEvent.Kind
    previous = ""
    for event in events:
        title, text = "", ""
        data = event.data or {}
        if event.kind == K.ASSIGNED:
            name = event.department.name if event.department_id else ""
            if not previous:
                pass  # the first: 交办 → the department, as every role reads it
            elif previous == name:
                title = _("仍由%(department)s办理") % {"department": name}
                text = _("县委办重新研究后，仍交原单位办理。")
            else:
                title = _("改由%(department)s办理") % {"department": name}
                text = _("原办理单位%(previous)s退回县委办，县委办重新安排了办理单位。") % {
                    "previous": previous
                }
            previous = name
        elif event.kind == K.EXTENSION_DECIDED and data.get("resolve_due_at"):
            due = dt.datetime.fromisoformat(data["resolve_due_at"])
            title = _("办结期限延至%(due)s") % {"due": day_label(due)}
        elif event.kind == K.SUSPENSION_DECIDED:
            title = _("暂停办理，等待企业提供材料或条件")
        elif event.kind == K.RATED and data.get("rating") in Case.Rating.values:
            name = data.get("recorded_by") or (
                (event.actor.get_full_name() or event.actor.get_username()) if event.actor else ""
            )
            who = _recorder(name, bool(data.get("recorded_by_cadre")))
            text = f"{Case.Rating(data['rating']).label} · {who}"
        elif event.kind == K.URGED:
            title = _("您已催办")
        event.plain_title, event.plain_text = title, text
    return events
