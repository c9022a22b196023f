"""督办: the open cases on the escalation ladder, by level and by department, most urgent first."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from cases.selectors import cases_visible_to, work_calendar
from enterprises.models import Department
from office import escalation
from office.access import office_required
from office.pages import paginate, parse_id
from web.middleware import request_actor


@office_required
def board(request):
    now = timezone.now()
    calendar = work_calendar()
    on_board = escalation.on_the_board(cases_visible_to(request_actor(request)), now, calendar)
    level = _int(request.GET.get("level"))
    department = _int(request.GET.get("department"))

    by_level = {
        row["level"]: row["n"]
        for row in on_board.order_by().values("level").annotate(n=Count("pk"))
    }
    by_department = _by_department(on_board)

    listed = on_board.select_related("enterprise", "lead_department", "category")
    if level in escalation.LEVELS:
        listed = listed.filter(level=level)
    if department:
        listed = listed.filter(lead_department_id=department)
    page = paginate(request, listed)
    rows = [(case, escalation.standing(case, now, calendar)) for case in page.object_list]
    return render(
        request,
        "office/board.html",
        {
            "page": page,
            "rows": rows,
            "levels": [
                (lvl, escalation.LABELS[lvl], by_level.get(lvl, 0))
                for lvl in reversed(escalation.LEVELS)
            ],
            "by_department": by_department,
            "level": level,
            "department": department,
            "departments": Department.objects.filter(active=True).exclude(
                kind=Department.Kind.OFFICE
            ),
        },
    )


def _by_department(on_board) -> list[dict]:
    """One row per lead department: its count at each level, worst departments first."""
    rows: dict[int, dict] = {}
    counts = (
        on_board.order_by()
        .values("lead_department_id", "lead_department__name", "level")
        .annotate(n=Count("pk"))
    )
    for count in counts:
        dept_id, name = count["lead_department_id"], count["lead_department__name"]
        level, n = count["level"], count["n"]
        row = rows.setdefault(dept_id, {"id": dept_id, "name": name, "levels": [0, 0, 0, 0]})
        row["levels"][level] = n
    for row in rows.values():
        row["total"] = sum(row["levels"])
        row["cells"] = list(reversed(row["levels"]))
    return sorted(rows.values(), key=lambda r: (r["cells"], r["total"]), reverse=True)


def _int(value) -> int | None:
    # Levels start at 0 (预警), so 0 is a value here, not "no id".
    return 0 if value == "0" else parse_id(value)
