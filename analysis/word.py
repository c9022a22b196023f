"""Word (.docx) building blocks for the office's documents, with python-docx.

The county edits these files in WPS or Word before it issues them, so they are plain documents in
the 公文 manner (GB/T 9704): A4 with its margins, the title in 小标宋, the text in 仿宋, the
first-level headings in 黑体 and the second in 楷体, tables in 宋体 — by font name, which WPS and
Word substitute when the machine lacks one. Headings are Word's own heading styles, so the
navigation pane lists them.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from web import docx as papers

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号
TITLE_SIZE = Pt(22)  # 二号
TEXT_WIDTH = Mm(156)  # A4 less the 28 mm and 26 mm side margins
RED = RGBColor(0xC0, 0x00, 0x00)
# A table column's share of the width, in half-width characters (see _width).
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 4, 30


def set_font(run_or_style, name: str, size=None, bold: bool | None = None):
    """A font for Chinese text with Times New Roman for Latin text — except in 黑体 headings."""
    return papers.set_font(
        run_or_style, name, size=size, bold=bold, latin=None if name == HEADING_FONT else LATIN_FONT
    )


def new_document():
    """An empty A4 document with the 公文 margins and fonts."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for level, font in ((1, HEADING_FONT), (2, SUBHEADING_FONT)):
        style = document.styles[f"Heading {level}"]
        set_font(style, font, BODY_SIZE, bold=False)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.keep_with_next = True
    return document


def title(document, text: str, *, size=TITLE_SIZE, colour=None):
    """The document's title, centred in 小标宋 (二号 by default)."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = 1.2
    run = paragraph.add_run(text)
    set_font(run, TITLE_FONT, size)
    if colour is not None:
        run.font.color.rgb = colour
    return paragraph


def centred(document, text: str, *, font: str = BODY_FONT, size=BODY_SIZE):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run(text), font, size)
    return paragraph


def heading(document, text: str, level: int = 1):
    return document.add_heading(text, level=level)


def paragraph(document, text: str, *, indent: bool = True, size=None, font: str | None = None):
    """A paragraph of text, its first line indented by two characters as 公文 are."""
    result = document.add_paragraph()
    if indent:
        result.paragraph_format.first_line_indent = Pt(2 * (size or BODY_SIZE).pt)
    run = result.add_run(text)
    if size is not None or font is not None:
        set_font(run, font or BODY_FONT, size)
    return result


def note(document, text: str):
    """A small remark (a caption, a source, why a chart is missing)."""
    return paragraph(document, text, indent=False, size=TABLE_SIZE, font=TABLE_FONT)


def caption(document, text: str):
    result = document.add_paragraph()
    result.alignment = WD_ALIGN_PARAGRAPH.CENTER
    result.paragraph_format.keep_with_next = True
    set_font(result.add_run(text), HEADING_FONT, TABLE_SIZE)
    return result


def table(document, headers: list[str], rows: list[list], *, numeric_from: int = 1):
    """A bordered table in 宋体 五号: a bold header row repeated on each page; the columns from
    `numeric_from` on hold figures and align right."""
    result = document.add_table(rows=1, cols=len(headers))
    result.style = "Table Grid"
    result.alignment = WD_TABLE_ALIGNMENT.CENTER
    papers.repeat_as_header(result.rows[0])
    for cell, text in zip(result.rows[0].cells, headers, strict=True):
        _fill(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    texts = [["" if value is None else str(value) for value in values] for values in rows]
    for values in texts:
        cells = result.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if column >= numeric_from else None
            _fill(cell, value, align=align)
    _widths(result, [headers, *texts])
    document.add_paragraph()  # the next heading does not stick to the table
    return result


def _width(text: str) -> int:
    """How wide a text prints, in half-width characters (a Chinese character takes two)."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _widths(table, lines: list[list[str]]) -> None:
    """The table as wide as the text, each column by the length of what it holds (a figure gets
    room for a few digits, a name for several characters), so that no column wraps a number."""
    longest = [
        min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, *(_width(line[i]) for line in lines)))
        for i in range(len(lines[0]))
    ]
    total = sum(longest)
    table.autofit = False
    for column, chars in zip(table.columns, longest, strict=True):
        width = int(TEXT_WIDTH * chars / total)
        column.width = width  # the grid, which LibreOffice and WPS read
        for cell in column.cells:
            cell.width = width  # each cell's own, which Word reads


def _fill(cell, text: str, *, bold: bool = False, align=None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = 1.0
    paragraph.paragraph_format.first_line_indent = None
    if align is not None:
        paragraph.alignment = align
    set_font(paragraph.add_run(text), TABLE_FONT, TABLE_SIZE, bold=bold)


def picture(document, png: bytes, width=TEXT_WIDTH):
    """A picture (a chart) as wide as the text, centred on its own line."""
    result = document.add_paragraph()
    result.alignment = WD_ALIGN_PARAGRAPH.CENTER
    result.paragraph_format.line_spacing = 1.0
    result.add_run().add_picture(io.BytesIO(png), width=width)
    return result


def rule(document, colour: str = "C00000"):
    """A horizontal line under the last paragraph (the red line under a 简报's masthead)."""
    papers.border(document.paragraphs[-1], "bottom", "single", colour, 12)


def response(document, filename: str):
    """The document as a download."""
    return papers.docx_response(document, filename)
