"""Which department the console suggests to lead a case, and why."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case
from cases.suggestions import PastAssignment, suggest_lead_department, suggestions_for
from cases.titles import title_bigrams, titles_similar

POWER, LABOUR = 1, 2
GXJ, GRID, RSJ = 10, 20, 30


def suggest(title, category=POWER, default=None, history=(), exclude=()):
    return suggest_lead_department(
        title=title,
        category_id=category,
        default_department_id=default,
        history=list(history),
        exclude=exclude,
    )


def test_titles_about_the_same_thing_are_similar_despite_punctuation_and_extra_words():
    assert titles_similar(
        title_bigrams("电压不稳，无法满负荷生产"), title_bigrams("厂区电压不稳定")
    )
    assert titles_similar(title_bigrams("电焊工紧缺"), title_bigrams("招不到电焊工"))


def test_titles_sharing_one_word_or_only_filler_are_not_similar():
    assert not titles_similar(
        title_bigrams("电费高，生产费用高"), title_bigrams("电压不稳，无法满负荷生产")
    )
    assert not titles_similar(
        title_bigrams("希望企业问题得到解决"), title_bigrams("企业问题希望协调解决")
    )
    assert not titles_similar(title_bigrams(""), title_bigrams("电压不稳"))


def test_it_suggests_the_department_that_led_most_similar_past_cases():
    history = [
        PastAssignment(POWER, "厂区电压不稳定", GXJ),
        PastAssignment(POWER, "电压不稳影响生产", GXJ),
        PastAssignment(POWER, "车间电压不稳", GRID),
        PastAssignment(POWER, "电费太高", GRID),
    ]
    suggestion = suggest("电压不稳，无法满负荷生产", default=GRID, history=history)
    assert suggestion.department_id == GXJ
    assert "3 件同类问题中有 2 件" in suggestion.reason


def test_similar_cases_of_another_category_do_not_count():
    history = [PastAssignment(LABOUR, "电压不稳", RSJ)]
    assert suggest("电压不稳", default=GRID, history=history).department_id == GRID


def test_without_similar_past_cases_it_suggests_the_category_default():
    history = [PastAssignment(POWER, "电费太高", GXJ)]
    suggestion = suggest("电压不稳", default=GRID, history=history)
    assert suggestion.department_id == GRID
    assert suggestion.reason == "该类别的默认牵头部门"


def test_without_a_default_it_suggests_the_most_frequent_lead_of_the_category():
    history = [
        PastAssignment(POWER, "电费太高", GXJ),
        PastAssignment(POWER, "增容审批慢", GRID),
        PastAssignment(POWER, "峰谷电价", GRID),
    ]
    suggestion = suggest("变压器老化", history=history)
    assert suggestion.department_id == GRID
    assert "2 件" in suggestion.reason


def test_a_tie_goes_to_the_department_chosen_most_recently():
    history = [PastAssignment(POWER, "电压不稳", RSJ), PastAssignment(POWER, "电压不稳定", GXJ)]
    assert suggest("电压不稳", history=history).department_id == RSJ


def test_the_department_that_returned_the_case_is_not_suggested_again():
    history = [PastAssignment(POWER, "电压不稳", GXJ), PastAssignment(POWER, "电压不稳定", GXJ)]
    suggestion = suggest("电压不稳", default=GRID, history=history, exclude=[GXJ])
    assert suggestion.department_id == GRID
    assert suggest("电压不稳", default=GXJ, history=history, exclude=[GXJ]) is None


def test_nothing_to_go_on_means_no_suggestion():
    assert suggest("电压不稳") is None


@pytest.mark.django_db
def test_suggestions_for_a_page_learn_from_the_countys_past_assignments(county):
    county.assigned(lead_department=county.gxj)  # "电压不稳，无法满负荷生产" went to 工信局
    new = county.submitted(enterprise=county.poultry, title="电压不稳定，设备无法运转")
    unrelated = county.submitted(enterprise=county.poultry, title="电费太高")
    suggestions = suggestions_for([new, unrelated])
    assert suggestions[new.pk].department == county.gxj
    # the category (用电用能) defaults to the power company
    assert suggestions[unrelated.pk].department == county.power


TITLES = [
    "电压不稳，无法满负荷生产",
    "厂区电压不稳定",
    "电费太高",
    "峰谷电价调整",
    "招不到电焊工",
    "电焊工紧缺",
    "技术工人流失严重",
    "变压器增容审批慢",
]


def past_and_present(county):
    """A county's history (closed cases of two categories, led by three departments, assigned
    over a month) and an inbox page that includes a case one of them returned."""
    categories = [county.power_category, county.labour_category]
    leads = [county.gxj, county.rsj, county.power]
    start = timezone.now() - dt.timedelta(days=40)
    for n in range(36):
        case = county.submitted(title=TITLES[(n * 5) % len(TITLES)])
        Case.objects.filter(pk=case.pk).update(
            category=categories[n % 2],
            lead_department=leads[(n * 7) % 3],
            assigned_at=start + dt.timedelta(days=n % 17, hours=n),
            status=Case.Status.CLOSED,
        )
    page = []
    for n, title in enumerate(TITLES + ["融资贷款难"]):
        case = county.submitted(title=title)
        Case.objects.filter(pk=case.pk).update(category=categories[n % 2])
        page.append(case.pk)
    Case.objects.filter(pk=page[0]).update(returned_from=county.rsj)
    return list(Case.objects.filter(pk__in=page).select_related("category").order_by("pk"))


@pytest.mark.django_db
def test_a_pages_suggestions_are_those_of_the_whole_history(county, django_assert_max_num_queries):
    page = past_and_present(county)
    with django_assert_max_num_queries(2):
        suggestions = suggestions_for(page)
    # The reference: each case against the whole history, newest first, as one list.
    history = [
        PastAssignment(*row)
        for row in Case.objects.filter(lead_department__isnull=False)
        .exclude(pk__in=[case.pk for case in page])
        .order_by("-assigned_at", "-pk")
        .values_list("category_id", "title", "lead_department_id")
    ]
    expected = {}
    for case in page:
        suggestion = suggest_lead_department(
            title=case.title,
            category_id=case.category_id,
            default_department_id=case.category.default_department_id,
            history=history,
            exclude=[case.returned_from_id] if case.returned_from_id else [],
        )
        if suggestion:
            expected[case.pk] = (suggestion.department_id, suggestion.reason)
    assert {pk: (s.department_id, s.reason) for pk, s in suggestions.items()} == expected
    assert any("件同类问题中有" in reason for _dept, reason in expected.values())
    assert all(s.department.pk == s.department_id for s in suggestions.values())
