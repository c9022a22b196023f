"""One lead suggestion (issue 16): the triage page, the office's assign form and the case page's
assign form propose the same lead department, for the same reason — the learned one, not the
category's default, when past assignments say otherwise."""

import html
import re

import pytest
from django.urls import reverse

from cases import suggestions, workflow
from cases.suggestions import suggestion_for, suggestions_for

pytestmark = pytest.mark.django_db

LEARNED_REASON = "1 件同类问题中有 1 件由其牵头"


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def suggestion_text(body: str) -> str:
    [found] = re.findall(r'<div class="small lead-suggestion[^"]*">(.*?)</div>', body, re.S)
    return text(found)


def selected_option(body: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
    [chosen] = re.findall(r'<option value="(\d+)"[^>]*\bselected\b', select)
    return chosen


@pytest.fixture
def learned_case(county):
    """A power case like one the office gave to 县工信局 before, though the category's default
    lead is the power company."""
    county.assigned(lead_department=county.gxj)
    case = county.submitted(enterprise=county.poultry, title="电压不稳定，设备无法运转")
    assert case.category.default_department == county.power
    return case


def test_triage_the_assign_form_and_the_case_page_propose_the_same_lead(
    client, county, learned_case
):
    client.force_login(county.office)
    expected = f"建议牵头：{county.gxj.name} （{LEARNED_REASON}）"

    triage = client.get(reverse("office:triage")).content.decode()
    assert suggestion_text(triage) == expected

    assign = client.get(reverse("office:assign"), {"case": learned_case.pk}).content.decode()
    assert suggestion_text(assign) == expected
    assert selected_option(assign, f"c{learned_case.pk}-lead_department") == str(county.gxj.pk)

    page = client.get(reverse("case_detail", args=[learned_case.pk])).content.decode()
    assert suggestion_text(page) == expected
    assert selected_option(page, "assign-lead_department") == str(county.gxj.pk)


def test_the_case_page_never_proposes_the_department_that_returned_the_case(client, county):
    county.power_category.default_department = county.gxj
    county.power_category.save(update_fields=["default_department"])
    county.assigned(lead_department=county.power)
    case = county.submitted(enterprise=county.poultry)
    workflow.case_assign(actor=county.office, case=case, lead_department=county.gxj)
    workflow.case_return(actor=county.dan, case=case, reason="不属于本单位")
    client.force_login(county.office)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert suggestion_text(page).startswith(f"建议牵头：{county.power.name}")
    assert selected_option(page, "assign-lead_department") == str(county.power.pk)


def test_a_case_gets_the_same_suggestion_on_a_page_as_alone(county, monkeypatch):
    """The history read is limited per category, so a busier category on the same page cannot
    push a case's own category out of it."""
    monkeypatch.setattr(suggestions, "HISTORY_LIMIT", 2)
    county.assigned(lead_department=county.gxj)  # power, similar title: learned 县工信局
    for _ in range(2):  # newer labour cases
        labour = county.submitted(title="招不到电焊工")
        labour.category = county.labour_category
        labour.save(update_fields=["category"])
        workflow.case_assign(actor=county.office, case=labour, lead_department=county.rsj)
    power = county.submitted(enterprise=county.poultry, title="电压不稳定，设备无法运转")
    other = county.submitted(enterprise=county.poultry, title="招不到技术工人")
    other.category = county.labour_category
    other.save(update_fields=["category"])

    alone = suggestion_for(power)
    on_a_page = suggestions_for([power, other])[power.pk]
    assert (alone.department_id, alone.reason) == (county.gxj.pk, LEARNED_REASON)
    assert (on_a_page.department_id, on_a_page.reason) == (alone.department_id, alone.reason)
