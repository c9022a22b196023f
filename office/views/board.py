"""督办: the open cases on the escalation ladder, by level and by department, most urgent first."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from cases import deadlines, escalation
from cases.models import Case
from cases.selectors import cases_visible_to, in_county
from enterprises.models import Department
from office.access import office_required
from office.board import BoardCases, board_groups, count_by_department, count_by_level
from office.pages import paginate
from web.middleware import request_actor, request_calendar
from web.query import id_param, int_param


@office_required
def board(request):
    now = timezone.now()
    calendar = request_calendar(request)
    visible = cases_visible_to(request_actor(request))
    on_board = escalation.on_the_board(visible, now, calendar)
    level = int_param(
        request.GET,
        "level",
        default=None,
        min_value=min(deadlines.LEVELS),
        max_value=max(deadlines.LEVELS),
    )
    department = id_param(request.GET, "department")
    # 已挂牌: the office's list of listed cases, on the ladder or off it.
    listed_only = request.GET.get("listed") == "1"

    departments = list(in_county(Department.objects.order_by("name"), request_actor(request)))
    groups = board_groups(on_board, departments)
    by_level = count_by_level(groups)
    listed = [
        group
        for group in groups
        if level in (None, group.level) and department in (None, group.department_id)
    ]
    if listed_only:
        on_list = escalation.listed_cases(visible).select_related("enterprise", "lead_department")
        if department:
            on_list = on_list.filter(lead_department_id=department)
        page = paginate(request, on_list)
        rows = [(case, deadlines.standing(case, now, calendar)) for case in page.object_list]
    else:
        page = paginate(request, BoardCases(on_board, listed))
        # A case accepted between the two queries has left the board: it is not shown.
        rows = [
            (case, standing)
            for case in page.object_list
            if (standing := deadlines.standing(case, now, calendar)).level is not None
        ]
    return render(
        request,
        "office/board.html",
        {
            "page": page,
            "rows": rows,
            "levels": [
                (lvl, Case.Escalation(lvl).label, by_level[lvl])
                for lvl in reversed(deadlines.LEVELS)
            ],
            # every overdue case, whatever its level: the figure the dashboard calls 逾期
            "overdue": sum(by_level[lvl] for lvl in deadlines.LEVELS if lvl >= deadlines.OVERDUE),
            "by_department": count_by_department(groups),
            "level": level,
            "department": department,
            "listed_only": listed_only,
            "listed_count": escalation.listed_cases(visible).count(),
            "proposed_count": escalation.proposed_count(visible, now, calendar),
            "departments": sorted(
                (d for d in departments if d.active and not d.is_office), key=lambda d: d.kind
            ),
        },
    )
