"""A case's forms offer its own county's departments only (web.case_forms), and the workflow
refuses another county's (cases.workflow): found at a million cases in ten counties, where the
case page's 责任清单 form listed the 411 departments of every county."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import workflow
from cases.models import BreakdownItem

pytestmark = pytest.mark.django_db


def options(html: str, name: str) -> set[int]:
    select = re.search(rf'<select[^>]*name="(?:\w+-)?{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select.group(1))}


def test_the_assign_form_offers_the_case_county_departments_only(client, county, second_county):
    case = county.submitted()
    client.force_login(county.office)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    mine = {county.gxj.pk, county.rsj.pk, county.power.pk}
    assert options(html, "lead_department") == mine
    assert options(html, "co_departments") == mine


def test_the_breakdown_form_offers_the_case_county_departments_only(client, county, second_county):
    case = county.in_progress()
    client.force_login(county.dan)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert options(html, "department") == {county.gxj.pk, county.rsj.pk, county.power.pk}


def cannot_take(county, second_county, unit: str, *, inactive):
    """A department no case of `county` may be given: another county's, the office, or
    `inactive` once deactivated."""
    if unit == "inactive":
        inactive.active = False
        inactive.save()
        return inactive
    return {"elsewhere": second_county.rsj, "office": county.office_dept}[unit]


@pytest.mark.parametrize("unit", ["elsewhere", "office", "inactive"])
def test_a_breakdown_item_for_a_department_the_case_cannot_have_is_refused(
    county, second_county, unit
):
    case = county.in_progress()
    department = cannot_take(county, second_county, unit, inactive=county.power)
    with pytest.raises(ValidationError) as refused:
        workflow.case_add_breakdown_item(
            actor=county.dan,
            case=case,
            department=department,
            measure="联系职业学校安排实习",
            due_on=timezone.localdate(case.resolve_due_at),
        )
    assert department.name in refused.value.message_dict["department"][0]
    assert not BreakdownItem.objects.filter(case=case).exists()


@pytest.mark.parametrize("unit", ["elsewhere", "office", "inactive"])
def test_a_co_department_the_case_cannot_have_is_refused(county, second_county, unit):
    """Lead, co-departments and 责任清单 ask one rule (cases.workflow.rules.may_take): a
    co-department had only its county checked, an inactive one or the office went through."""
    case = county.submitted()
    department = cannot_take(county, second_county, unit, inactive=county.rsj)
    with pytest.raises(ValidationError) as refused:
        workflow.case_assign(
            actor=county.office, case=case, lead_department=county.gxj, co_departments=[department]
        )
    assert "co_departments" in refused.value.message_dict
    case.refresh_from_db()
    assert case.status == case.Status.SUBMITTED
