"""The enterprise register (企业名录) in bulk: exported as .xlsx, and imported back from one.

The import is the problems' (analysis.imports) twin, through the same job (analysis.importing):
every row is checked before anything is written, every error is reported by its row and column,
and one bad row means nothing is saved. A row whose 统一社会信用代码 is in the register updates
that enterprise; any other row creates one.

What a file changes: a column left out leaves that field alone; an empty cell empties it (行业:
其他), for the sheet is the register. 其他联系人 only adds people, or renames and re-titles the one
with the same mobile: nobody is removed, for departments add 对接人 on acceptance whom the office's
sheet may not know (remove one in the back office). The export has the import's columns, so an
export imported back changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence

from django.utils.translation import gettext as _

from analysis.excel import Column, Sheet, write_template, write_workbook
from enterprises.models import Department, Enterprise
from enterprises.validators import (
    credit_code_check_character,
)

logger = logging.getLogger(__name__)

LOOKUP_CHUNK = 500
TOWNSHIP_KINDS = (Department.Kind.TOWNSHIP, Department.Kind.PARK)
# The template's example row carries this code, which spells what it is: imported, it is refused.
EXAMPLE_CODE = "91360124MAEXAMPLE" + credit_code_check_character("91360124MAEXAMPLE")


def register_columns() -> list[Column]:
    """The register's columns, for the template, the export and the import alike."""
    return [
        Column(
            "name",
            _("企业名称"),
            ("企业名称", "企业", "企业全称", "单位名称"),
            True,
            _("必填，不超过200字；不能与系统中的其他企业同名。"),
            30,
        ),
        Column(
            "credit_code",
            _("统一社会信用代码"),
            ("统一社会信用代码", "信用代码", "社会信用代码"),
            True,
            _("必填，18位，末位是校验位。系统中已有该代码的企业按本行更新，没有的新建。"),
            22,
        ),
        Column(
            "industry",
            _("行业"),
            ("行业", "所属行业", "行业类别"),
            False,
            _("从下拉列表中选择；留空为“其他”。"),
            16,
        ),
        Column(
            "township",
            _("所属乡镇/园区"),
            ("所属乡镇/园区", "乡镇/园区", "所属乡镇", "乡镇", "园区"),
            False,
            _("从下拉列表中选择系统中的乡镇或园区；留空表示不属于任何乡镇或园区。"),
            16,
        ),
        Column(
            "scale",
            _("企业规模"),
            ("企业规模", "规模"),
            False,
            _("大型、中型、小型或微型；可留空。"),
            10,
        ),
        Column(
            "address",
            _("地址"),
            ("地址", "企业地址", "注册地址", "经营地址"),
            False,
            _("不超过200字。"),
            36,
        ),
        Column(
            "contact_name",
            _("联系人"),
            ("联系人", "登记联系人", "企业联系人"),
            False,
            _("企业登记的联系人，不超过50字。"),
            12,
        ),
        Column(
            "contact_phone",
            _("联系电话"),
            ("联系电话", "联系人电话", "联系人手机"),
            False,
            _("联系人的11位手机号码，或带区号的固定电话（如 0791-85612345）。"),
            16,
        ),
        Column(
            "people",
            _("其他联系人"),
            ("其他联系人", "更多联系人"),
            False,
            _(
                "每人写“姓名（职务）手机号码”，职务可省略，多人用分号隔开，如：王芳（财务总监）"
                "13812345678；李强 13900001111。手机号码已在该企业联系人中的，按本格更新姓名和"
                "职务；未列出的联系人不会被删除。"
            ),
            44,
        ),
    ]


def person_text(name: str, position: str, mobile: str) -> str:
    """One contact as the 其他联系人 cell writes it: 王芳（财务总监）13812345678."""
    return f"{name}（{position}）{mobile}" if position else f"{name} {mobile}"


# --- export --------------------------------------------------------------------------------------


def _register_rows(enterprises: Iterable[Enterprise]) -> Iterator[list]:
    for e in enterprises:
        yield [
            e.name,
            e.credit_code,
            e.get_industry_display(),
            e.township.name if e.township_id else "",
            e.get_scale_display() if e.scale else "",
            e.address,
            e.contact_name,
            e.contact_phone,
            "；".join(person_text(p.name, p.position, p.mobile) for p in e.people.all()),
        ]


def register_export(target, *, county_id: int) -> int:
    """The county's whole register as .xlsx into target, in the import's columns; returns the
    rows."""
    columns = register_columns()
    enterprises = (
        Enterprise.objects.filter(county_id=county_id)
        .select_related("township")
        .prefetch_related("people")
        .order_by("name", "pk")
        .iterator(chunk_size=LOOKUP_CHUNK)
    )
    return write_workbook(
        target,
        [
            Sheet(
                _("企业名录"),
                [c.header for c in columns],
                _register_rows(enterprises),
                [c.width for c in columns],
            ),
            _guide(columns),
        ],
    )


def _guide(columns: Sequence[Column]) -> Sheet:
    return Sheet(
        _("填写说明"),
        [_("列"), _("说明")],
        [[c.header, c.help] for c in columns],
        [20, 80],
        notes=[_notice()],
    )


def _notice() -> str:
    return _(
        "每行一个企业；所有行校验通过后才会导入，有任何错误都不会导入。导出的名录修改后可直接导入："
        "未修改的企业不会变化。"
    )


def register_template(target, *, county_id: int) -> None:
    """The register's import template: the columns, dropdowns of the choices (the county's own
    townships), one example row (refused if imported as it is) and a sheet of instructions."""
    townships = list(
        Department.objects.filter(
            county_id=county_id, kind__in=TOWNSHIP_KINDS, active=True
        ).values_list("name", flat=True)
    )
    industries = [str(label) for label in Enterprise.Industry.labels]
    scales = [str(label) for label in Enterprise.Scale.labels]
    # The example is data, as the county's own rows are: Chinese in any language of the page.
    example = [
        "江西示例机械制造有限公司（示例，请删除本行）",
        EXAMPLE_CODE,
        str(Enterprise.Industry.MANUFACTURING.label),
        townships[0] if townships else "",
        str(Enterprise.Scale.MEDIUM.label),
        "工业园区创业大道8号",
        "张伟",
        "13812345678",
        "；".join(
            [
                person_text("王芳", "财务总监", "13912345678"),
                person_text("李强", "", "13712345678"),
            ]
        ),
    ]
    write_template(
        target,
        title=_("企业名录"),
        columns=register_columns(),
        choices={
            "industry": (_("行业"), industries),
            "township": (_("所属乡镇/园区"), townships),
            "scale": (_("企业规模"), scales),
        },
        texts=("credit_code", "contact_phone"),
        examples=[example],
        note=_notice(),
    )
