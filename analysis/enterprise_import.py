"""Importing the enterprise register (企业名录) from an .xlsx file (the columns, the export and the
template are analysis.register).

The import is the problems' (analysis.imports) twin, through the same job (analysis.importing):
every row is checked before anything is written, every error is reported by its row and column,
and one bad row means nothing is saved. A row whose 统一社会信用代码 is in the register updates
that enterprise; any other row creates one. What a file changes is analysis.register's to say.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from analysis import importing
from analysis.excel import ImportSheet
from analysis.importing import PROGRESS_EVERY, Progress, RowError
from analysis.models import ImportJob
from analysis.register import EXAMPLE_CODE, LOOKUP_CHUNK, TOWNSHIP_KINDS, register_columns
from cases.errors import ActionForbidden
from cases.roles import Actor
from enterprises.models import ContactPerson, Department, Enterprise
from enterprises.validators import (
    is_mainland_mobile,
    normalize_mobile,
    validate_credit_code,
    validate_mainland_mobile,
)

logger = logging.getLogger(__name__)

PEOPLE_SEPARATORS = re.compile(r"[;；,，\r\n]+")
PERSON = re.compile(
    r"^(?P<name>[^\d（()）:：+]+?)\s*(?:[（(](?P<position>[^）)]*)[）)])?\s*[:：]?\s*"
    r"(?P<mobile>\+?\d[\d\s\-]*)$"
)
PHONE = re.compile(r"[\d+＋\-－—()（）\s转#]+")
# The fields a row may set, in the order of the columns; people are the contacts of the row.
FIELDS = ("name", "industry", "township", "scale", "address", "contact_name", "contact_phone")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _name_key(name: str) -> str:
    """Names as people type them: spaces and bracket widths vary, the enterprise does not."""
    return re.sub(r"\s+", "", name or "").replace("(", "（").replace(")", "）")


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _labels(choices) -> dict[str, str]:
    """A choice's value by its code, its label as shown now, and its Chinese label (an export
    read back under another language, or typed by hand)."""
    found = {}
    with translation.override("zh-hans"):
        found.update({str(label): value for value, label in choices.choices})
    found.update({str(label): value for value, label in choices.choices})
    found.update({value: value for value in choices.values})
    return {key.strip().lower(): value for key, value in found.items()}


@dataclass
class PlannedEnterprise:
    """A row to write: a new enterprise, or an existing one with the fields it changes, and the
    contacts it adds or renames."""

    row: int
    enterprise: Enterprise
    changed: list[str]
    new_people: list[ContactPerson]
    changed_people: list[ContactPerson]

    @property
    def is_new(self) -> bool:
        return self.enterprise.pk is None


@dataclass
class RegisterPlan:
    rows: list[PlannedEnterprise] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class _Lookups:
    """What the rows name, loaded in a few queries rather than one per row: the county's
    enterprises by code (with their contacts), the codes registered in another county (an
    enterprise is in one county's register), every enterprise's name (a name is one enterprise's
    in every county), the county's townships and the choices."""

    def __init__(self, rows: list[tuple[int, dict]], county_id: int):
        codes = sorted({_code(r.get("credit_code")) for _, r in rows} - {""})
        self.county_id = county_id
        self.by_code: dict[str, Enterprise] = {}
        self.elsewhere: dict[str, str] = {}  # a code of another county's enterprise → the county
        for chunk in _chunks(codes):
            for e in Enterprise.objects.filter(credit_code__in=chunk).select_related(
                "township", "county"
            ):
                if e.county_id == county_id:
                    self.by_code[e.credit_code] = e
                else:
                    self.elsewhere[e.credit_code] = e.county.name
        self.people: dict[int, dict[str, ContactPerson]] = {}
        ids = sorted(e.pk for e in self.by_code.values())
        for chunk in _chunks(ids):
            for person in ContactPerson.objects.filter(enterprise_id__in=chunk):
                self.people.setdefault(person.enterprise_id, {})[person.mobile] = person
        # a name's key → the code and the county of who bears it
        self.names: dict[str, list[tuple[str, int]]] = {}
        for name, code, county in Enterprise.objects.values_list("name", "credit_code", "county"):
            self.names.setdefault(_name_key(name), []).append((code, county))
        self.townships: dict[str, Department] = {}
        for d in Department.objects.filter(county_id=county_id, kind__in=TOWNSHIP_KINDS):
            if d.short_name:
                self.townships.setdefault(_name_key(d.short_name), d)
            self.townships[_name_key(d.name)] = d
        self.industries = _labels(Enterprise.Industry)
        self.scales = _labels(Enterprise.Scale)


def _code(value) -> str:
    if isinstance(value, (int, float)):
        return ""
    return unicodedata.normalize("NFKC", _text(value)).replace(" ", "").upper()


def _phone(text: str) -> str | None:
    """The number as stored — a mobile's 11 digits, a landline as typed — or None if it is none."""
    if is_mainland_mobile(text):
        return normalize_mobile(text)
    if len(text) <= 30 and PHONE.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 7:
        return text
    return None


class _RowChecker:
    def __init__(self, sheet: ImportSheet, lookups: _Lookups):
        self.lookups = lookups
        canonical = {c.field: c.header for c in register_columns()}
        self.header = {f: sheet.headers.get(f, canonical[f]) for f in canonical}
        self.present = set(sheet.columns)

    def check(self, number: int, row: dict) -> tuple[PlannedEnterprise | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(field_name: str, value, message: str) -> None:
            errors.append(RowError(number, self.header[field_name], _text(value)[:100], message))

        code = self._credit_code(row, fail)
        if code in self.lookups.elsewhere:
            fail(
                "credit_code",
                code,
                _(
                    "统一社会信用代码为 %(code)s 的企业已登记在%(county)s，不能导入本县（区）的名录。"
                )
                % {"code": code, "county": self.lookups.elsewhere[code]},
            )
            return None, errors
        existing = self.lookups.by_code.get(code) if code else None
        values = {"name": self._name(row, code, existing, fail)}
        for name in FIELDS[1:]:
            if name in self.present:
                values[name] = getattr(self, f"_{name}")(row, existing, fail)
        people = self._people(row, fail) if "people" in self.present else []
        if errors:
            return None, errors
        return self._planned(number, code, existing, values, people), []

    def _planned(self, number, code, existing, values, people) -> PlannedEnterprise:
        if existing is None:
            enterprise = Enterprise(
                credit_code=code, county_id=self.lookups.county_id, **_model_values(values)
            )
            changed = []
            known: dict[str, ContactPerson] = {}
        else:
            enterprise = existing
            changed = []
            for name, value in _model_values(values).items():
                if getattr(enterprise, name) != value:
                    setattr(enterprise, name, value)
                    changed.append(name)
            known = self.lookups.people.get(existing.pk, {})
        new_people, changed_people = [], []
        for name, position, mobile in people:
            person = known.get(mobile)
            if person is None:
                new_people.append(ContactPerson(name=name, position=position, mobile=mobile))
            elif (person.name, person.position) != (name, position):
                person.name, person.position = name, position
                changed_people.append(person)
        return PlannedEnterprise(number, enterprise, changed, new_people, changed_people)

    def _credit_code(self, row: dict, fail) -> str:
        raw = row.get("credit_code")
        if isinstance(raw, (int, float)):
            fail(
                "credit_code",
                raw,
                _(
                    "统一社会信用代码被 Excel 当成了数字，可能已丢失末位：请把该列设为“文本”后重新填写。"
                ),
            )
            return ""
        code = _code(raw)
        if not code:
            fail("credit_code", "", _("请填写统一社会信用代码。"))
            return ""
        try:
            validate_credit_code(code)
        except ValidationError as error:
            fail("credit_code", code, error.messages[0])
            return ""
        if code == EXAMPLE_CODE:
            fail("credit_code", code, _("这是导入模板中的示例行：请删除这一行后再导入。"))
            return ""
        return code

    def _name(self, row: dict, code: str, existing: Enterprise | None, fail) -> str:
        name = _text(row.get("name"))
        if not name:
            fail("name", "", _("请填写企业名称。"))
        elif len(name) > 200:
            fail("name", name, _("企业名称不能超过200字（现有%(n)d字）。") % {"n": len(name)})
        elif code and not (existing is not None and name == existing.name):
            # A name as people type it (spaces, bracket widths) is one enterprise's only; a name
            # the register already holds unchanged is taken back as it is.
            other, county = next(
                ((c, k) for c, k in self.lookups.names.get(_name_key(name), []) if c != code),
                (None, None),
            )
            if other is not None and county != self.lookups.county_id:
                fail(
                    "name",
                    name,
                    _("另一县（区）已登记名为“%(name)s”的企业，不能重名。") % {"name": name},
                )
            elif other is not None:
                fail(
                    "name",
                    name,
                    _("系统中已有名为“%(name)s”的企业（统一社会信用代码 %(code)s），不能重名。")
                    % {"name": name, "code": other},
                )
        return name

    def _industry(self, row: dict, existing, fail) -> str:
        value = _text(row.get("industry"))
        if not value:
            return Enterprise.Industry.OTHER
        industry = self.lookups.industries.get(value.lower())
        if industry is None:
            known = "、".join(str(label) for label in Enterprise.Industry.labels)
            fail(
                "industry",
                value,
                _("没有“%(value)s”这个行业。可选：%(known)s。") % {"value": value, "known": known},
            )
        return industry or ""

    def _township(self, row: dict, existing, fail) -> Department | None:
        value = _text(row.get("township"))
        if not value:
            return None
        township = self.lookups.townships.get(_name_key(value))
        if township is None:
            fail(
                "township",
                value,
                _("系统中没有名为“%(value)s”的乡镇或园区：请从模板的下拉列表中选择。")
                % {"value": value},
            )
            return None
        if not township.active and (existing is None or existing.township_id != township.pk):
            fail("township", value, _("“%(value)s”已停用，不能再选。") % {"value": value})
            return None
        return township

    def _scale(self, row: dict, existing, fail) -> str:
        value = _text(row.get("scale"))
        if not value:
            return ""
        scale = self.lookups.scales.get(value.lower()) or self.lookups.scales.get(
            value.removesuffix("企业").lower()
        )
        if scale is None:
            fail(
                "scale",
                value,
                _("企业规模应为大型、中型、小型或微型，而不是“%(value)s”。") % {"value": value},
            )
        return scale or ""

    def _address(self, row: dict, existing, fail) -> str:
        return self._limited(row, "address", 200, fail)

    def _contact_name(self, row: dict, existing, fail) -> str:
        return self._limited(row, "contact_name", 50, fail)

    def _limited(self, row: dict, name: str, limit: int, fail) -> str:
        value = _text(row.get(name))
        if len(value) > limit:
            fail(
                name,
                value,
                _("“%(column)s”不能超过%(limit)d字（现有%(n)d字）。")
                % {"column": self.header[name], "limit": limit, "n": len(value)},
            )
        return value

    def _contact_phone(self, row: dict, existing, fail) -> str:
        value = _text(row.get("contact_phone"))
        if not value or (existing is not None and value == existing.contact_phone):
            return value  # what the register holds is taken back as it is
        phone = _phone(value)
        if phone is None:
            fail(
                "contact_phone",
                value,
                _(
                    "“%(value)s”不是有效的电话号码：请填写11位手机号码，或带区号的固定电话"
                    "（如 0791-85612345）。"
                )
                % {"value": value[:30]},
            )
            return ""
        if existing is not None and normalize_mobile(existing.contact_phone) == phone:
            return existing.contact_phone
        return phone

    def _people(self, row: dict, fail) -> list[tuple[str, str, str]]:
        value = _text(row.get("people"))
        people: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for entry in PEOPLE_SEPARATORS.split(value):
            entry = entry.strip()
            if not entry:
                continue
            match = PERSON.match(entry)
            if match is None:
                fail(
                    "people",
                    entry,
                    _("无法识别“%(value)s”：请写成“姓名（职务）手机号码”，多人用分号隔开。")
                    % {"value": entry[:50]},
                )
                continue
            name = match["name"].strip()
            position = (match["position"] or "").strip()
            try:
                validate_mainland_mobile(match["mobile"])
            except ValidationError as error:
                fail("people", entry, error.messages[0])
                continue
            mobile = normalize_mobile(match["mobile"])
            if len(name) > 50 or len(position) > 50:
                fail("people", entry, _("联系人的姓名和职务都不能超过50字。"))
            elif mobile in seen:
                fail(
                    "people",
                    entry,
                    _("手机号码 %(mobile)s 在本格出现了两次。") % {"mobile": mobile},
                )
            else:
                seen.add(mobile)
                people.append((name, position, mobile))
        return people


def _model_values(values: dict) -> dict:
    return {name: value for name, value in values.items() if name in FIELDS}


def register_plan(
    sheet: ImportSheet, *, county_id: int, progress: Progress | None = None
) -> RegisterPlan:
    """Check every row against the county's register (county_id: the importing office's; new
    enterprises join it); a plan with all the errors, or with what each row creates or changes."""
    plan = RegisterPlan()
    rows = importing.rows_within_limit(
        sheet, plan, empty=_("文件中没有数据行：请在列名下方逐行填写企业。")
    )
    if not rows:
        return plan
    checker = _RowChecker(sheet, _Lookups(rows, county_id))
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    for done, (number, row) in enumerate(rows, start=1):
        planned, errors = checker.check(number, row)
        plan.errors.extend(errors)
        if planned is not None:
            _once(plan, checker, number, planned, codes, names)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, plan.total)
    if plan.errors:
        plan.rows = []
    return plan


def _once(plan, checker, number, planned: PlannedEnterprise, codes, names) -> None:
    """The row's enterprise if no earlier row of the file named it, else the error saying so."""
    enterprise = planned.enterprise
    earlier_code = codes.setdefault(enterprise.credit_code, number)
    earlier_name = names.setdefault(_name_key(enterprise.name), number)
    renamed = planned.is_new or "name" in planned.changed
    if earlier_code != number:
        plan.errors.append(
            RowError(
                number,
                checker.header["credit_code"],
                enterprise.credit_code,
                _("与第 %(row)d 行的统一社会信用代码相同：同一企业只能占一行。")
                % {"row": earlier_code},
            )
        )
    elif earlier_name != number and renamed:
        plan.errors.append(
            RowError(
                number,
                checker.header["name"],
                enterprise.name[:100],
                _("与第 %(row)d 行的企业名称相同：不同企业不能重名。") % {"row": earlier_name},
            )
        )
    elif planned.is_new:
        plan.created += 1
        plan.rows.append(planned)
    elif planned.changed or planned.new_people or planned.changed_people:
        plan.updated += 1
        plan.rows.append(planned)
    else:
        plan.unchanged += 1


# --- writing ---------------------------------------------------------------------------------


def register_execute(
    *, plan: RegisterPlan, added_by=None, progress: Progress | None = None
) -> None:
    """Write the planned rows, all in one transaction: every row or none."""
    with transaction.atomic():
        for done, row in enumerate(plan.rows, start=1):
            enterprise = row.enterprise
            if row.is_new:
                enterprise.save()
            elif row.changed:
                enterprise.save(update_fields=row.changed)
            for person in row.new_people:
                person.enterprise = enterprise
                person.added_by = added_by
            ContactPerson.objects.bulk_create(row.new_people)
            for person in row.changed_people:
                person.save(update_fields=["name", "position"])
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, len(plan.rows))


# --- the job -----------------------------------------------------------------------------------


def register_job_create(*, actor: Actor, upload: UploadedFile) -> ImportJob:
    """Check the file as a whole and keep it as a job (ValidationError({"file": …}) if unreadable)."""
    if not actor.is_office:
        raise ActionForbidden(_("只有县委办可以批量导入企业名录。"))
    return importing.job_create(
        user=actor.user, upload=upload, kind=ImportJob.Kind.REGISTER, columns=register_columns()
    )


def _check(sheet: ImportSheet, job: ImportJob, now: dt.datetime, progress) -> RegisterPlan:
    return register_plan(sheet, county_id=importing.job_county(job), progress=progress)


def _write(job: ImportJob, plan: RegisterPlan, now: dt.datetime, progress) -> dict[str, int]:
    progress(0, len(plan.rows))
    try:
        register_execute(plan=plan, added_by=job.created_by, progress=progress)
    except IntegrityError as collided:
        logger.warning("register import %s collided with another write", job.pk, exc_info=True)
        raise importing.WriteRefused(
            _("另一次导入或编辑正在写入相同的企业，本次未导入任何内容：请稍后重新上传。")
        ) from collided
    return {
        "created_count": plan.created,
        "updated_count": plan.updated,
        "skipped_count": plan.unchanged,
    }


def register_job_run(*, job_id: int, now: dt.datetime | None = None) -> ImportJob:
    """Check the job's file, then write it whole — or record why nothing was written."""
    return importing.job_run(
        job_id=job_id, now=now, columns=register_columns(), check=_check, write=_write
    )
