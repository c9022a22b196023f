"""Excel (.xlsx) in and out, the way the county office keeps its ledgers (台账): Chinese headers.

Writing uses openpyxl's write-only workbooks, which stream rows to disk and keep memory flat
however long the ledger. Reading opens uploads read-only and checks what they are by content —
a zip archive holding a workbook, of bounded size once unpacked — never by their name.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from analysis import conf

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected workbook
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

logger = logging.getLogger(__name__)


# --- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Percent:
    """A rate written as a number formatted 0.0%, or left empty when there is none."""

    value: float | None


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] = ()
    notes: Sequence[str] = field(default_factory=tuple)  # lines written under the table


def _cell(ws, value):
    if isinstance(value, Percent):
        cell = WriteOnlyCell(ws, value=value.value)
        cell.number_format = "0.0%"
        return cell
    if isinstance(value, dt.datetime):
        # Excel has no time zones: write the Beijing wall-clock time.
        value = (
            timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        )
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str) and value.startswith("="):
        # A title typed as "=HYPERLINK(…)" must stay text, not become a formula.
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    if value is not None and not isinstance(value, (str, int, float, bool)):
        return str(value)
    return value


def write_workbook(target: str | IO[bytes], sheets: Iterable[Sheet], progress=None) -> int:
    """Stream the sheets into target (a path or a binary file); returns the data rows written.

    progress(rows_so_far) is called every 1,000 rows, for export jobs to report how far along
    they are."""
    workbook = Workbook(write_only=True)
    written = 0
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.title[:31])
        for index, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        header = []
        for title in sheet.headers:
            cell = WriteOnlyCell(ws, value=str(title))
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            header.append(cell)
        ws.append(header)
        for row in sheet.rows:
            ws.append([_cell(ws, value) for value in row])
            written += 1
            if progress is not None and written % 1000 == 0:
                progress(written)
        if sheet.notes:
            ws.append([])
            for line in sheet.notes:
                ws.append([str(line)])
    workbook.save(target)
    return written


# --- the import template -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    aliases: tuple[str, ...]
    required: bool
    help: str
    width: int


def import_columns() -> list[Column]:
    return [
        Column(
            "enterprise_name",
            _("企业名称"),
            ("企业", "企业全称", "单位名称"),
            False,
            _("与系统中的企业名称完全一致；或填写统一社会信用代码，二者至少填一项。"),
            30,
        ),
        Column(
            "credit_code",
            _("统一社会信用代码"),
            ("信用代码", "社会信用代码"),
            False,
            _("18位统一社会信用代码。"),
            22,
        ),
        Column(
            "title", _("问题标题"), ("标题", "问题", "诉求"), True, _("必填，不超过200字。"), 36
        ),
        Column(
            "description", _("问题描述"), ("描述", "具体情况", "问题详情"), False, _("选填。"), 50
        ),
        Column(
            "category", _("问题类别"), ("类别", "问题类型"), True, _("必填，从下拉列表中选择。"), 14
        ),
        Column(
            "lead_department",
            _("牵头部门"),
            ("牵头单位", "责任单位"),
            False,
            _("选填；填写则按交办日期交办给该部门。"),
            20,
        ),
        Column(
            "assigned_on",
            _("交办日期"),
            ("交办时间",),
            False,
            _("选填，如 2021-04-22；不能晚于今天；须同时填写牵头部门。"),
            14,
        ),
    ]


def import_template(target, categories: Sequence[str], departments: Sequence[str]) -> None:
    """The .xlsx the import page offers: the columns, dropdowns of categories and departments,
    and a sheet of instructions. It holds no example row, so nothing is imported by mistake."""
    write_template(
        target,
        title=_("问题清单"),
        columns=import_columns(),
        choices={
            "category": (_("问题类别"), categories),
            "lead_department": (_("牵头部门"), departments),
        },
        dates=("assigned_on",),
        note=_(
            "每行一个问题；所有行校验通过后才会导入，有任何错误都不会导入；同一文件重复导入不会产生重复问题。"
        ),
    )


def write_template(
    target,
    *,
    title: str,
    columns: Sequence[Column],
    choices: dict[str, tuple[str, Sequence[str]]],
    note: str,
    dates: Sequence[str] = (),
    texts: Sequence[str] = (),
    examples: Sequence[Sequence] = (),
) -> None:
    """An import template: the columns (header, width), a sheet 选项 of each choice list (field →
    its header there and the options) offered as dropdowns, date columns formatted as dates and
    text columns as text (so Excel keeps an 18-character code or a mobile number as typed), any
    example rows, and a sheet 填写说明 of each column's help and the note."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = title
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(index)].width = column.width
    for example in examples:
        ws.append(list(example))
    ws.freeze_panes = "A2"
    position = {c.field: i for i, c in enumerate(columns, start=1)}
    options = workbook.create_sheet(_("选项"))
    for letter_index, (field_name, (header, values)) in enumerate(choices.items(), start=1):
        letter = get_column_letter(letter_index)
        options[f"{letter}1"] = header
        for row, name in enumerate(values, start=2):
            options.cell(row=row, column=letter_index, value=name)
        if not values:
            continue
        validation = DataValidation(
            type="list",
            formula1=f"='{options.title}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
        )
        ws.add_data_validation(validation)
        column_letter = get_column_letter(position[field_name])
        validation.add(f"{column_letter}2:{column_letter}5000")
    for names, number_format in ((dates, "yyyy-mm-dd"), (texts, "@")):
        for field_name in names:
            letter = get_column_letter(position[field_name])
            ws.column_dimensions[letter].number_format = number_format
            for (cell,) in ws.iter_rows(
                min_row=2, min_col=position[field_name], max_col=position[field_name]
            ):
                cell.number_format = number_format
    guide = workbook.create_sheet(_("填写说明"))
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 80
    guide.append([_("列"), _("说明")])
    for column in columns:
        guide.append([column.header, column.help])
    guide.append([])
    guide.append([_("注意"), note])
    for cell in guide[1]:
        cell.font = HEADER_FONT
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(target)


# --- reading an upload ---------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be read as the template: not .xlsx, a column missing…"""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _normalise_header(value) -> str:
    text = str(value or "")
    text = re.sub(r"[（(][^）)]*[）)]", "", text)  # "问题标题（必填）" → "问题标题"
    return re.sub(r"[\s*＊:：]", "", text)


@dataclass
class ImportSheet:
    header_row: int
    columns: dict[str, int]  # field → 0-based position
    headers: dict[str, str]  # field → the header as written in the file
    rows: Iterator[tuple[int, dict]]  # (Excel row number, {field: value}) for non-empty rows


HEADER_SEARCH_ROWS = 10


def megabytes(size: int) -> str:
    """12.5, 10, 0.9: a size in MB as a message shows it."""
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _not_xlsx(name: str) -> ImportFileError:
    return ImportFileError(
        [
            _(
                "“%(name)s”不是有效的 Excel 工作簿（.xlsx）。请下载导入模板，填写后另存为 .xlsx"
                " 再上传。"
            )
            % {"name": name}
        ]
    )


def _workbook_check(upload: IO[bytes], name: str) -> None:
    """ImportFileError unless the upload is a zip archive holding a workbook part whose parts,
    unpacked, stay within ANALYSIS_IMPORT_MAX_UNCOMPRESSED_BYTES — judged by content, not name.

    Read before openpyxl opens anything: a 0.9 MB file can unpack to 400 MB of shared strings,
    which openpyxl reads whole. The sizes come from the archive's directory, which an attacker
    writes, but Python's zipfile (openpyxl's reader) stops each part at its stated size, so the
    sum of the stated sizes bounds what can be read."""
    upload.seek(0)
    head = upload.read(len(OLE_MAGIC))
    if head == OLE_MAGIC:
        raise ImportFileError(
            [
                _(
                    "“%(name)s”是旧版 Excel 文件（.xls）或设有打开密码：请在 Excel 中去掉密码，"
                    "“另存为”.xlsx 后再上传。"
                )
                % {"name": name}
            ]
        )
    if not head.startswith(ZIP_MAGIC):
        raise _not_xlsx(name)
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_xlsx(name) from None
    finally:
        upload.seek(0)
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise _not_xlsx(name)
    unpacked, limit = sum(part.file_size for part in parts), conf.import_max_uncompressed_bytes()
    if unpacked > limit:
        largest = max(parts, key=lambda part: part.file_size)
        logger.warning(
            "import %r refused: %d bytes unpacked, the largest part %s %d bytes (%.0f:1)",
            name,
            unpacked,
            largest.filename,
            largest.file_size,
            largest.file_size / max(largest.compress_size, 1),
        )
        raise ImportFileError(
            [
                _(
                    "“%(name)s”解压后有 %(size)s MB，超过了 %(limit)s MB 的上限：工作簿中可能有大量"
                    "多余的内容或格式。请只保留导入模板中的列，或分批导入。"
                )
                % {"name": name, "size": megabytes(unpacked), "limit": megabytes(limit)}
            ]
        )


@contextmanager
def open_import(
    upload: IO[bytes], *, name: str, columns: Sequence[Column] | None = None
) -> Iterator[ImportSheet]:
    """The upload's first sheet as rows of the template's fields; ImportFileError otherwise.

    `name` is the file's name as the user knows it, for the messages; `columns` the template's
    (the problems' unless said)."""
    _workbook_check(upload, name)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged archive
        raise _not_xlsx(name) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError([_("工作簿中没有工作表。")])
        ws = workbook.worksheets[0]
        header_row, raw = _find_header(ws)
        positions, headers = _map_columns(raw, import_columns() if columns is None else columns)
        yield ImportSheet(
            header_row=header_row,
            columns=positions,
            headers=headers,
            rows=_rows(ws, header_row, positions),
        )
    finally:
        workbook.close()


def _find_header(ws) -> tuple[int, list]:
    for number, values in enumerate(
        ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
    ):
        if any(v not in (None, "") for v in values):
            return number, list(values)
    raise ImportFileError([_("第一个工作表是空的：请在第1行填写列名（可下载导入模板）。")])


def _map_columns(raw: list, expected: Sequence[Column]) -> tuple[dict[str, int], dict[str, str]]:
    known = {}
    for column in expected:
        for name in (column.header, *column.aliases):
            known[_normalise_header(name)] = column
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    errors = []
    for position, value in enumerate(raw):
        column = known.get(_normalise_header(value))
        if column is None:
            continue
        if column.field in columns:
            errors.append(_("“%(name)s”列出现了两次。") % {"name": column.header})
            continue
        columns[column.field] = position
        headers[column.field] = str(value).strip()
    for column in expected:
        if column.required and column.field not in columns:
            errors.append(_("缺少必填列“%(name)s”。") % {"name": column.header})
    optional = {c.field for c in expected if not c.required}
    # The problems' enterprise: by its name or by its code, one of the two columns at least.
    either = {"enterprise_name", "credit_code"}
    if either <= optional and not either & columns.keys():
        errors.append(_("缺少“企业名称”或“统一社会信用代码”列（至少需要一列）。"))
    if errors:
        raise ImportFileError(errors)
    return columns, headers


def _rows(ws, header_row: int, columns: dict[str, int]) -> Iterator[tuple[int, dict]]:
    for number, values in enumerate(
        ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
    ):
        row = {
            name: (values[position] if position < len(values) else None)
            for name, position in columns.items()
        }
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row.values()):
            continue
        yield number, row
