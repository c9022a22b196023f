"""Possible duplicates shown beside a case at triage."""

import pytest

from cases import workflow
from office.duplicates import duplicates_for

pytestmark = pytest.mark.django_db


def test_the_same_enterprise_raising_a_similar_problem_again_is_a_possible_duplicate(county):
    first = county.assigned()
    again = county.submitted(title="电压不稳定，生产受影响")
    found = duplicates_for([again])[again.pk]
    assert [(d.case, d.same_enterprise) for d in found] == [(first, True)]


def test_the_same_problem_raised_by_another_enterprise_in_the_same_category_is_shown(county):
    steel = county.submitted(title="园区道路未修通，货车进不来")
    poultry = county.submitted(enterprise=county.poultry, title="园区道路没有修通")
    found = duplicates_for([poultry])[poultry.pk]
    assert [(d.case, d.same_enterprise) for d in found] == [(steel, False)]


def test_another_enterprises_similar_title_in_another_category_is_not_a_duplicate(county):
    county.submitted(title="电焊工紧缺")
    other = workflow_case(county, title="招不到电焊工", category=county.labour_category)
    assert other.pk not in duplicates_for([other])


def test_closed_and_merged_cases_are_not_offered_as_duplicates(county):
    county.closed()
    survivor = county.submitted(title="电压不稳")
    merged = county.submitted(title="电压不稳，无法满负荷")
    workflow.case_merge(actor=county.office, case=merged, into=survivor)
    again = county.submitted(title="电压不稳定")
    assert [d.case for d in duplicates_for([again])[again.pk]] == [survivor]


def test_an_unrelated_problem_has_no_duplicates(county):
    county.submitted()
    other = county.submitted(title="融资贷款难")
    assert duplicates_for([other]) == {}


def workflow_case(county, *, title, category):
    from cases import intake
    from cases.models import Case

    return intake.case_create(
        actor=county.office,
        enterprise=county.poultry,
        title=title,
        description="",
        category=category,
        source=Case.Source.VISIT,
    )
