"""文号 (cases.documents): per county, kind and year, no gaps, no repeats — twenty issued at once included."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections, transaction

from cases.documents import Kind, document_number, document_number_issue
from counties.models import City, County, home_county_id

DAY = dt.date(2026, 12, 4)


def issue(kind, *, on, county_id=None):
    """A number of the first county's (进贤县), unless another is named."""
    return document_number_issue(kind, county_id=county_id or home_county_id(), on=on)


@pytest.mark.django_db
def test_each_county_numbers_its_own_documents():
    other = County.objects.create(city=City.objects.get(name="南昌市"), name="安义县")
    with transaction.atomic():
        first = issue(Kind.SUPERVISION, on=DAY)
        elsewhere = issue(Kind.SUPERVISION, on=DAY, county_id=other.pk)
        second = issue(Kind.SUPERVISION, on=DAY)
    assert (first.serial, elsewhere.serial, second.serial) == (1, 1, 2)


@pytest.mark.django_db
def test_numbers_run_per_kind_and_per_year():
    with transaction.atomic():
        first = issue(Kind.SUPERVISION, on=DAY)
        second = issue(Kind.SUPERVISION, on=DAY)
        letter = issue(Kind.ASSIGNMENT, on=DAY)
        next_year = issue(Kind.SUPERVISION, on=dt.date(2027, 1, 4))
    assert (first.serial, second.serial, letter.serial, next_year.serial) == (1, 2, 1, 1)
    assert str(second) == "进四问督〔2026〕2号"
    assert str(letter) == "进四问交〔2026〕1号"
    assert document_number(Kind.BULLETIN, 2026, 7) == "进四问通〔2026〕7号"


@pytest.mark.django_db
def test_a_document_rolled_back_gives_its_number_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(Kind.SUPERVISION, on=DAY)
        raise RuntimeError("the notice did not save")
    with transaction.atomic():
        assert issue(Kind.SUPERVISION, on=DAY).serial == 1


@pytest.mark.django_db(transaction=True)
def test_a_number_outside_the_documents_transaction_is_refused():
    with pytest.raises(RuntimeError):
        issue(Kind.SUPERVISION, on=DAY)


@pytest.mark.django_db(transaction=True)
def test_twenty_issued_at_once_get_one_to_twenty():
    """Twenty threads, each its own connection and transaction, all released together: the year's
    first row is created by one of them, and every number 1–20 is issued exactly once."""
    start = threading.Barrier(20)
    issued: list[int] = []
    errors: list[BaseException] = []
    home_county_id()  # made before the race (a transactional test starts with no rows)

    def issue_one():
        try:
            start.wait()
            with transaction.atomic():
                issued.append(issue(Kind.SUPERVISION, on=DAY).serial)
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue_one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(issued) == list(range(1, 21))
