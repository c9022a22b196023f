"""文号: numbering the office's documents (督办单, 交办函, 通报) per county, kind and year, e.g.
进四问督〔2026〕12号 — without gaps or repeats, even when twenty are issued at once.

A document takes its number inside the transaction that saves it: the kind's counter row for the
year is locked (SELECT … FOR UPDATE) until that transaction ends, so concurrent issuers queue on
it, and a document that is rolled back gives its number back with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from cases.models import DocumentSequence

Kind = DocumentSequence.Kind

# The word of each kind in its number: 进四问督〔2026〕12号, 进四问交〔2026〕3号, 进四问通〔2026〕1号.
KIND_WORDS = {Kind.SUPERVISION: "督", Kind.ASSIGNMENT: "交", Kind.BULLETIN: "通"}


def number_prefix() -> str:
    """The campaign's short name heading every number (DOCUMENT_NUMBER_PREFIX, 进四问 by default)."""
    return getattr(settings, "DOCUMENT_NUMBER_PREFIX", "进四问")


@dataclass(frozen=True)
class DocumentNumber:
    kind: str
    year: int
    serial: int

    def __str__(self) -> str:
        # An official identifier: the same in every language of the pages.
        word = KIND_WORDS[Kind(self.kind)]
        return f"{number_prefix()}{word}〔{self.year}〕{self.serial}号"


def document_number_issue(kind: str, *, county_id: int, on: dt.date) -> DocumentNumber:
    """The county's next number of this kind in on's year. Call inside the transaction that saves the
    document (atomic is required): the number is the document's only if that transaction commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_number_issue must run inside the document's transaction")
    kind = Kind(kind)
    # The year's first document creates the row; a concurrent first one finds it made.
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(county_id=county_id, kind=kind, year=on.year)], ignore_conflicts=True
    )
    sequence = DocumentSequence.objects.select_for_update().get(
        county_id=county_id, kind=kind, year=on.year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return DocumentNumber(kind, on.year, sequence.last)


def document_number(kind: str, year: int, serial: int) -> str:
    """The printed number of a stored document."""
    return str(DocumentNumber(kind, year, serial))
