"""The case ledger written in chunks: every case once, in number order, with its co-departments."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from analysis import exports
from cases.models import Case

pytestmark = pytest.mark.django_db


def test_a_ledger_longer_than_a_chunk_lists_every_case_once_in_number_order(county, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 2)
    made = [county.assigned(co_departments=[county.rsj]) for _ in range(5)]
    buffer = io.BytesIO()
    written = exports.write_cases(buffer, Case.objects.all())
    assert written == 5
    sheet = load_workbook(buffer)["问题台账"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [c.number for c in made]
    headers = [c.value for c in sheet[1]]
    assert {r[headers.index("协办单位")] for r in rows} == {"县人社局"}


def test_a_ledger_writes_beijing_time_without_a_zone(county):
    case = county.assigned()
    buffer = io.BytesIO()
    exports.write_cases(buffer, Case.objects.all())
    sheet = load_workbook(buffer)["问题台账"]
    headers = [c.value for c in sheet[1]]
    written = sheet.cell(row=2, column=headers.index("交办时间") + 1).value
    local = timezone.localtime(case.assigned_at).replace(tzinfo=None)
    assert written.tzinfo is None and abs((written - local).total_seconds()) < 1


def test_the_export_reports_its_progress_every_thousand_rows(county, monkeypatch):
    from analysis.excel import Sheet, write_workbook

    seen = []
    rows = ([i] for i in range(2500))
    write_workbook(io.BytesIO(), [Sheet("x", ["n"], rows)], progress=seen.append)
    assert seen == [1000, 2000]
