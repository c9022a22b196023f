"""A Chain pages several ordered querysets as one list of ids, reading only the pieces a page
overlaps."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator

from enterprises.models import Department
from workspace.paging import Chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureaus():
    """Five departments in two pieces: A–C, then D–E."""
    for name in "ABCDE":
        Department.objects.create(name=name)
    first = Department.objects.filter(name__in="ABC").order_by("name")
    second = Department.objects.filter(name__in="DE").order_by("name")
    return Chain((first, 3), (second, 2))


def names(ids) -> str:
    by_id = Department.objects.in_bulk(list(ids))
    return "".join(by_id[pk].name for pk in ids)


def test_it_counts_what_its_pieces_hold(bureaus):
    assert (bureaus.count(), len(bureaus)) == (5, 5)


def test_a_slice_runs_from_one_piece_into_the_next(bureaus):
    assert names(bureaus[2:4]) == "CD"
    assert names(bureaus[0:5]) == "ABCDE"
    assert names(bureaus[4:10]) == "E"


def test_a_slice_reads_only_the_pieces_it_overlaps(bureaus, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = bureaus[0:2]
    with django_assert_num_queries(1):
        last = bureaus[3:5]
    with django_assert_num_queries(2):
        across = bureaus[1:4]
    assert (names(first), names(last), names(across)) == ("AB", "DE", "BCD")


def test_an_empty_piece_costs_nothing(django_assert_num_queries):
    chain = Chain((Department.objects.none(), 0), (Department.objects.none(), 0))
    with django_assert_num_queries(0):
        page = Paginator(chain, 2).get_page(1)
        assert (list(page), page.paginator.count) == ([], 0)


def test_django_paginator_pages_it_in_order(bureaus):
    paginator = Paginator(bureaus, 2)
    pages = [names(paginator.page(n).object_list) for n in paginator.page_range]
    assert pages == ["AB", "CD", "E"]


def test_it_is_read_by_slices_only(bureaus):
    with pytest.raises(TypeError):
        bureaus[1]


def test_a_slice_deep_in_a_piece_keeps_the_pieces_own_order(bureaus):
    """Ids come in the piece's order, not the table's."""
    backwards = Department.objects.filter(name__in="ABCDE").order_by("-name")
    chain = Chain((backwards, 5))
    assert names(chain[1:4]) == "DCB"
    assert names(chain[3:5]) == "BA"
