"""Word (.docx) papers on the county's letterhead — the 交办函, and any other paper the office
sends as a file (a report, a 督办单): the issuer in red over a red rule, the 文号, a title, then
paragraphs and tables, a signature, and a footer on every page. python-docx writes them.

    paper = Paper(issuer="进贤县“四进四问”工作领导小组办公室", title="…", number="进四问交〔2026〕3号")
    paper.paragraph("…")
    paper.table(["序号", "编号"], [["1", "2026-00001"]])
    return paper.response("交办函.docx")

Chinese text takes its fonts from the East Asian slot of each run (w:eastAsia): set through
python-docx's font name alone, Word would show the Latin font's fallback.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "仿宋"  # the body of a 公文
HEAD_FONT = "黑体"  # titles and table headers
ISSUER_FONT = "宋体"  # the red letterhead (版头)
RED = RGBColor(0xC0, 0x00, 0x00)


def set_font(
    target: Run | BaseStyle,
    name: str,
    *,
    size: float | Length | None = None,
    bold: bool | None = None,
    latin: str | None = None,
):
    """The font of a run or a style: `name` for Chinese text (Word keeps the East Asian font
    apart), `latin` for Latin letters and digits (the same font unless given); a size in points
    or as a python-docx length."""
    target.font.name = latin or name
    target.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        target.font.size = size if isinstance(size, Length) else Pt(size)
    if bold is not None:
        target.font.bold = bold
    return target


def docx_response(document, filename: str) -> HttpResponse:
    """A python-docx document as a download named `filename` (Chinese names kept, RFC 6266)."""
    out = io.BytesIO()
    document.save(out)
    response = HttpResponse(out.getvalue(), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class Paper:
    """One A4 paper under the county's letterhead (portrait, or landscape for a wide table)."""

    def __init__(
        self,
        *,
        issuer: str,
        title: str,
        number: str = "",
        footer: str = "",
        landscape: bool = False,
    ):
        self.document = Document()
        self._page(landscape)
        self._normal_style()
        head = self._line(issuer, ISSUER_FONT, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        head.runs[0].font.color.rgb = RED
        if number:
            self._line(number, BODY_FONT, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
        red_rule(self.document.paragraphs[-1])
        self._line(title, HEAD_FONT, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=12)
        if footer:
            self.footer(footer)

    # --- the parts of a paper ------------------------------------------------------------------

    def paragraph(
        self, text: str = "", *, indent: bool = True, bold: bool = False, align=None
    ) -> Paragraph:
        """A paragraph of the body; first line indented two characters, as a 公文's are."""
        paragraph = self._line(text, BODY_FONT, bold=bold, align=align)
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(24)
        return paragraph

    def heading(self, text: str) -> Paragraph:
        return self._line(text, HEAD_FONT, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=6)

    def table(
        self, header: Sequence[str], rows: Iterable[Sequence[str]], *, size: float = 10.5
    ) -> Table:
        """A ruled table; its header row repeats on every page."""
        rows = [list(row) for row in rows]
        table = self.document.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, text in enumerate(header):
            self._cell(table.rows[0].cells[i], text, HEAD_FONT, size, bold=True)
        repeat_as_header(table.rows[0])
        for r, row in enumerate(rows, 1):
            for i, text in enumerate(row):
                self._cell(table.rows[r].cells[i], text, BODY_FONT, size)
        return table

    def signature(self, *lines: str) -> None:
        """The issuer and date, right-aligned below the body."""
        self.document.add_paragraph()
        for line in lines:
            self._line(line, BODY_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT)

    def cut_line(self, text: str) -> Paragraph:
        """A dashed line to cut along (a tear-off slip such as a 回执 follows it)."""
        paragraph = self._line(text, BODY_FONT, size=9, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.space_before = Pt(18)
        border(paragraph, "top", "dashed", "808080", 6)
        return paragraph

    def footer(self, text: str) -> None:
        for section in self.document.sections:
            paragraph = section.footer.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(paragraph.add_run(text), BODY_FONT, size=9)

    # --- out -----------------------------------------------------------------------------------

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    def response(self, filename: str) -> HttpResponse:
        """The paper as a download named `filename`."""
        return docx_response(self.document, filename)

    # --- helpers -------------------------------------------------------------------------------

    def _page(self, landscape: bool) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        section.top_margin, section.bottom_margin = Mm(25), Mm(22)
        section.left_margin, section.right_margin = Mm(25), Mm(22)

    def _normal_style(self) -> None:
        set_font(self.document.styles["Normal"], BODY_FONT, size=12)

    def _line(
        self,
        text: str,
        font: str,
        *,
        size: float | None = None,
        bold: bool = False,
        align=None,
        space_before: float | None = None,
    ) -> Paragraph:
        paragraph = self.document.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if space_before is not None:
            paragraph.paragraph_format.space_before = Pt(space_before)
        set_font(paragraph.add_run(text), font, size=size, bold=bold)
        return paragraph

    @staticmethod
    def _cell(cell, text: str, font: str, size: float, *, bold: bool = False) -> None:
        lines = str(text).split("\n")
        paragraph = cell.paragraphs[0]
        set_font(paragraph.add_run(lines[0]), font, size=size, bold=bold)
        for line in lines[1:]:
            set_font(cell.add_paragraph().add_run(line), font, size=size - 1.5)


# What may follow w:pBdr in a paragraph's properties (ECMA-376 CT_PPrBase, in order).
_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def border(paragraph: Paragraph, side: str, style: str, color: str, size: int) -> None:
    """A border line on one side of a paragraph (w:pBdr): `size` in eighths of a point."""
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        # Word reads the paragraph's properties in the schema's order only.
        borders = OxmlElement("w:pBdr")
        properties.insert_element_before(borders, *_AFTER_BORDERS)
    line = OxmlElement(f"w:{side}")
    for key, value in {"val": style, "sz": str(size), "space": "4", "color": color}.items():
        line.set(qn(f"w:{key}"), value)
    borders.append(line)


def red_rule(paragraph: Paragraph) -> None:
    """The red line under the letterhead (版头分隔线)."""
    border(paragraph, "bottom", "single", "C00000", 18)


def repeat_as_header(row) -> None:
    """A table's header row, repeated at the top of every page the table runs onto."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)
