"""Importing a batch of problems from the .xlsx template (like the article's first batch of 508).

Every row is checked before anything is written, and every error is reported by row and column;
one bad row means nothing is imported. A valid file is imported in one transaction through the
same services as the pages: cases.intake.case_create (source "import") and, where a lead
department is given, cases.workflow.case_assign with the historical assignment date.

Each imported row leaves a fingerprint (enterprise, title, description, category), unique in the
database: importing the same file again — or a later file repeating some rows — creates no
duplicates; those rows are reported as skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import importing
from analysis.excel import ImportSheet, import_columns
from analysis.importing import (  # noqa: F401  (the job's pieces, as they were named here)
    FILE_ROW,
    PROGRESS_EVERY,
    RowError,
    progress_of,
    runs_inline,
)
from analysis.models import ImportedRow, ImportJob
from cases import intake, workflow
from cases.errors import ActionForbidden, InvalidState
from cases.models import Case, Category
from cases.roles import Actor, actor_for
from cases.validators import DATE_RANGE_MESSAGE, FIRST_YEAR, LAST_YEAR, in_calendar
from cases.workdays import CHINA, local_date
from enterprises.models import Department, Enterprise

logger = logging.getLogger(__name__)

LOOKUP_CHUNK = 500
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M")
DEFAULT_HOUR = 9  # a historical assignment given as a day: the morning's 交办会


@dataclass
class PlannedRow:
    row: int
    enterprise: Enterprise
    title: str
    description: str
    category: Category
    lead_department: Department | None
    assigned_at: dt.datetime | None
    fingerprint: str


@dataclass
class Plan:
    rows: list[PlannedRow] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0


def fingerprint(enterprise_id: int, title: str, description: str, category_id: int) -> str:
    """The same problem of the same enterprise, whatever file or batch it arrives in."""
    parts = [str(enterprise_id), _squash(title), _squash(description), str(category_id)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _name_key(name: str) -> str:
    """Enterprise and department names as people type them: spaces and bracket widths vary."""
    return re.sub(r"\s+", "", name or "").replace("(", "（").replace(")", "）")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- starting a job ------------------------------------------------------------------------------


def import_job_create(*, actor: Actor, upload: UploadedFile, batch: str = "") -> ImportJob:
    """Check the file as a whole (size, that it is .xlsx, the columns) and keep it as a job.

    Raises ValidationError({"file": [...]}) — and keeps nothing — when the file cannot be read."""
    if not actor.is_office:
        raise ActionForbidden(_("只有县委办可以批量导入问题。"))
    return importing.job_create(
        user=actor.user, upload=upload, kind=ImportJob.Kind.PROBLEMS, batch=batch
    )


# --- checking every row ------------------------------------------------------------------------


class _Lookups:
    """Everything the rows name, loaded in a few queries rather than one per row: the county's
    own enterprises and departments only (another county's, even of the same name, are unknown
    here), and the categories every county shares."""

    def __init__(self, rows: list[tuple[int, dict]], county_id: int):
        names = {_text(r.get("enterprise_name")) for _, r in rows} - {""}
        variants = names | {n.replace("(", "（").replace(")", "）") for n in names}
        variants |= {n.replace("（", "(").replace("）", ")") for n in names}
        codes = {_text(r.get("credit_code")).upper() for _, r in rows} - {""}
        self.by_name: dict[str, Enterprise] = {}
        self.by_code: dict[str, Enterprise] = {}
        for chunk in _chunks(sorted(variants)):
            for e in Enterprise.objects.filter(county_id=county_id, name__in=chunk):
                self.by_name[_name_key(e.name)] = e
        for chunk in _chunks(sorted(codes)):
            for e in Enterprise.objects.filter(county_id=county_id, credit_code__in=chunk):
                self.by_code[e.credit_code] = e
        self.categories: dict[str, Category] = {}
        for c in Category.objects.all():
            self.categories[_name_key(c.code).lower()] = c
            self.categories[_name_key(c.name)] = c
        self.departments: dict[str, Department] = {}
        for d in Department.objects.filter(county_id=county_id):
            if d.short_name:
                self.departments.setdefault(_name_key(d.short_name), d)
            self.departments[_name_key(d.name)] = d


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _parse_day(value, now: dt.datetime) -> tuple[dt.datetime | None, str | None]:
    """A historical assignment moment from a cell: a date cell, a datetime, or text like 2021-04-22."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    moment = None
    if isinstance(value, dt.datetime):
        moment = value if value.time() != dt.time(0) else value.date()
    elif isinstance(value, dt.date):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        for fmt in DATETIME_FORMATS:
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            for fmt in DATE_FORMATS:
                try:
                    moment = dt.datetime.strptime(text, fmt).date()
                    break
                except ValueError:
                    continue
    if moment is None:
        return None, _("无法识别的日期，请填写如 2021-04-22 的日期。")
    if not in_calendar(moment):  # the one range every stored date keeps to, datetimes included
        return None, DATE_RANGE_MESSAGE % {"first": FIRST_YEAR, "last": LAST_YEAR}
    if isinstance(moment, dt.datetime):
        moment = moment.replace(tzinfo=CHINA) if timezone.is_naive(moment) else moment
        if local_date(moment) > local_date(now) or moment > now:
            return None, _("交办日期不能晚于今天。")
        return moment, None
    if moment > local_date(now):
        return None, _("交办日期不能晚于今天。")
    return min(dt.datetime.combine(moment, dt.time(DEFAULT_HOUR), tzinfo=CHINA), now), None


class _RowChecker:
    def __init__(self, sheet: ImportSheet, lookups: _Lookups, now: dt.datetime):
        self.lookups = lookups
        self.now = now
        canonical = {c.field: c.header for c in import_columns()}
        self.header = {f: sheet.headers.get(f, canonical[f]) for f in canonical}

    def check(self, number: int, row: dict) -> tuple[PlannedRow | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(field_name: str, value, message: str) -> None:
            errors.append(RowError(number, self.header[field_name], _text(value)[:100], message))

        enterprise = self._enterprise(row, fail)
        title = _text(row.get("title"))
        if not title:
            fail("title", "", _("请填写问题标题。"))
        elif len(title) > 200:
            fail("title", title, _("问题标题不能超过200字（现有%(n)d字）。") % {"n": len(title)})
        description = _text(row.get("description"))
        category = self._category(row, fail)
        department = self._department(row, fail)
        assigned_at, message = _parse_day(row.get("assigned_on"), self.now)
        if message:
            fail("assigned_on", row.get("assigned_on"), message)
        elif (
            assigned_at is not None and department is None and not _text(row.get("lead_department"))
        ):
            fail("assigned_on", row.get("assigned_on"), _("填写了交办日期，但没有填写牵头部门。"))
        if errors:
            return None, errors
        return (
            PlannedRow(
                row=number,
                enterprise=enterprise,
                title=title,
                description=description,
                category=category,
                lead_department=department,
                assigned_at=assigned_at,
                fingerprint=fingerprint(enterprise.pk, title, description, category.pk),
            ),
            [],
        )

    def _enterprise(self, row: dict, fail) -> Enterprise | None:
        name = _text(row.get("enterprise_name"))
        raw_code = row.get("credit_code")
        if isinstance(raw_code, (int, float)):
            fail(
                "credit_code",
                raw_code,
                _(
                    "统一社会信用代码被 Excel 当成了数字，可能已丢失末位：请把该列设为“文本”后重新填写。"
                ),
            )
            return None
        code = _text(raw_code).upper()
        if not name and not code:
            fail("enterprise_name", "", _("请填写企业名称或统一社会信用代码。"))
            return None
        by_code = by_name = None
        if code:
            if not CREDIT_CODE.match(code):
                fail("credit_code", code, _("统一社会信用代码应为18位数字或大写字母。"))
                return None
            by_code = self.lookups.by_code.get(code)
            if by_code is None:
                fail(
                    "credit_code",
                    code,
                    _("系统中没有统一社会信用代码为 %(code)s 的企业。") % {"code": code},
                )
                return None
        if name:
            by_name = self.lookups.by_name.get(_name_key(name))
            if by_name is None and by_code is None:
                fail(
                    "enterprise_name",
                    name,
                    _("系统中没有名为“%(name)s”的企业：请核对名称，或先在企业名录中添加。")
                    % {"name": name},
                )
                return None
        if by_code and by_name and by_code.pk != by_name.pk:
            fail(
                "credit_code",
                code,
                _("该信用代码属于“%(other)s”，与企业名称“%(name)s”不一致。")
                % {"other": by_code.name, "name": name},
            )
            return None
        return by_code or by_name

    def _category(self, row: dict, fail) -> Category | None:
        value = _text(row.get("category"))
        if not value:
            fail("category", "", _("请填写问题类别。"))
            return None
        category = self.lookups.categories.get(_name_key(value)) or self.lookups.categories.get(
            _name_key(value).lower()
        )
        if category is None or not category.active:
            known = "、".join(
                sorted({c.name for c in self.lookups.categories.values() if c.active})
            )
            fail(
                "category",
                value,
                _("没有“%(value)s”这个问题类别。可选：%(known)s。")
                % {"value": value, "known": known},
            )
            return None
        return category

    def _department(self, row: dict, fail) -> Department | None:
        value = _text(row.get("lead_department"))
        if not value:
            return None
        department = self.lookups.departments.get(_name_key(value))
        if department is None:
            fail(
                "lead_department",
                value,
                _("系统中没有名为“%(value)s”的部门或单位。") % {"value": value},
            )
            return None
        if not department.active or department.is_office:
            fail("lead_department", value, _("“%(value)s”不能作为牵头部门。") % {"value": value})
            return None
        return department


def import_plan(
    sheet: ImportSheet,
    *,
    now: dt.datetime,
    county_id: int,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Check every row against the county's enterprises and departments (county_id: the
    importing office's); a Plan with all the errors, or with the rows to create and to skip."""
    plan = Plan()
    rows = importing.rows_within_limit(
        sheet, plan, empty=_("文件中没有数据行：请在列名下方逐行填写问题。")
    )
    if not rows:
        return plan
    checker = _RowChecker(sheet, _Lookups(rows, county_id), now)
    first_seen: dict[str, int] = {}
    for done, (number, row) in enumerate(rows, start=1):
        planned, errors = checker.check(number, row)
        plan.errors.extend(errors)
        if planned is not None:
            earlier = first_seen.setdefault(planned.fingerprint, number)
            if earlier != number:
                plan.errors.append(
                    RowError(
                        number,
                        checker.header["title"],
                        planned.title[:100],
                        _("与第 %(row)d 行是同一企业的同一问题，重复了。") % {"row": earlier},
                    )
                )
            else:
                plan.rows.append(planned)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, plan.total)
    if plan.errors:
        return plan
    already = set()
    for chunk in _chunks([r.fingerprint for r in plan.rows]):
        already.update(
            ImportedRow.objects.filter(fingerprint__in=chunk).values_list("fingerprint", flat=True)
        )
    plan.skipped = [r.row for r in plan.rows if r.fingerprint in already]
    plan.rows = [r for r in plan.rows if r.fingerprint not in already]
    return plan


# --- writing ---------------------------------------------------------------------------------


_RowFailed = importing.RowFailed


def import_execute(
    *,
    job: ImportJob,
    plan: Plan,
    actor: Actor,
    now: dt.datetime,
    progress: Callable[[int, int], None] | None = None,
) -> list[Case]:
    """Create the planned cases, all in one transaction: every row or none."""
    created = []
    with transaction.atomic():
        for done, row in enumerate(plan.rows, start=1):
            try:
                case = intake.case_create(
                    actor=actor,
                    enterprise=row.enterprise,
                    title=row.title,
                    description=row.description,
                    category=row.category,
                    source=Case.Source.IMPORT,
                    batch=job.batch,
                    now=now,
                )
                if row.lead_department is not None:
                    case = workflow.case_assign(
                        actor=actor,
                        case=case,
                        lead_department=row.lead_department,
                        assigned_at=row.assigned_at,
                        now=now,
                    )
            except ValidationError as error:
                messages = "; ".join(
                    m
                    for ms in getattr(error, "message_dict", {"": error.messages}).values()
                    for m in ms
                )
                raise _RowFailed(RowError(row.row, "", row.title[:100], messages)) from error
            created.append(case)
            ImportedRow.objects.create(
                fingerprint=row.fingerprint, job=job, row_number=row.row, case=case
            )
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, len(plan.rows))
    return created


# --- the whole job -----------------------------------------------------------------------------


def _check(sheet: ImportSheet, job: ImportJob, now: dt.datetime, progress) -> Plan:
    return import_plan(sheet, now=now, county_id=importing.job_county(job), progress=progress)


def _write(job: ImportJob, plan: Plan, now: dt.datetime, progress) -> dict[str, int]:
    progress(0, len(plan.rows))
    try:
        created = import_execute(
            job=job, plan=plan, actor=actor_for(job.created_by), now=now, progress=progress
        )
    except (ActionForbidden, InvalidState) as refused:
        raise importing.WriteRefused(str(refused)) from refused
    except IntegrityError as collided:
        logger.warning("import %s collided with another import", job.pk, exc_info=True)
        raise importing.WriteRefused(
            _("另一次导入正在写入相同的问题，本次未导入任何内容：请稍后重新上传。")
        ) from collided
    return {"created_count": len(created), "skipped_count": len(plan.skipped)}


def import_job_run(*, job_id: int, now: dt.datetime | None = None) -> ImportJob:
    """Check the job's file, then import it whole — or record why nothing was imported.

    Safe to run twice (a retried task): a job already past its start is left alone."""
    return importing.job_run(job_id=job_id, now=now, columns=None, check=_check, write=_write)


import_job_fail = importing.job_fail
