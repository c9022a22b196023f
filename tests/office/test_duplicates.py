"""Possible duplicates shown beside a case at triage."""

import pytest

from cases import workflow
from cases.models import Case
from cases.titles import title_bigrams, titles_similar
from office.duplicates import SHOWN_PER_CASE, duplicates_for
from tests.factories import make_enterprise

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


TITLES = ["园区道路未修通", "园区道路没有修通，货车进不来", "电压不稳", "电压不稳定", "融资贷款难"]


def test_a_pages_duplicates_are_those_found_among_all_open_cases(
    county, django_assert_max_num_queries
):
    enterprises = [county.steel, county.poultry, make_enterprise(), make_enterprise()]
    categories = [county.power_category, county.labour_category]
    made = []
    for n in range(30):
        case = county.submitted(enterprise=enterprises[n % 4], title=TITLES[(n * 3) % 5])
        Case.objects.filter(pk=case.pk).update(category=categories[(n // 4) % 2])
        made.append(case.pk)
    Case.objects.filter(pk__in=made[::7]).update(status=Case.Status.CLOSED)
    page = list(Case.objects.filter(pk__in=made[-12:], status=Case.Status.SUBMITTED))
    with django_assert_max_num_queries(2):
        found = duplicates_for(page)
    # The reference: every open case, newest first, compared with each case of the page.
    candidates = list(
        Case.objects.filter(status__in=Case.OPEN_STATUSES).order_by("-created_at", "-pk")
    )
    expected = {}
    for case in page:
        grams = title_bigrams(case.title)
        similar = [
            (other.pk, other.enterprise_id == case.enterprise_id)
            for other in candidates
            if other.pk != case.pk
            and (other.enterprise_id == case.enterprise_id or other.category_id == case.category_id)
            and titles_similar(grams, title_bigrams(other.title))
        ]
        similar.sort(key=lambda pair: not pair[1])
        if similar:
            expected[case.pk] = similar[:SHOWN_PER_CASE]
    got = {pk: [(d.case.pk, d.same_enterprise) for d in ds] for pk, ds in found.items()}
    assert got == expected
    assert any(len(ds) == SHOWN_PER_CASE for ds in got.values())
    assert any(not same for ds in got.values() for _pk, same in ds)
    for ds in found.values():  # what the page shows of each
        for d in ds:
            assert d.case.number and d.case.title and d.case.enterprise.name
