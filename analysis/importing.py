"""What every import from Excel shares, whatever it brings in — a batch of problems
(analysis.imports) or the enterprise register (analysis.register): the job that keeps the upload,
its run (check every row first; write all of them in one transaction, or none), the progress a
page polls while a worker runs it, and the outcome: every error by row and column, or the counts
of what was written.

An import says what it checks and how it writes; this module does the rest the same way for both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import conf
from analysis.excel import Column, ImportFileError, ImportSheet, megabytes, open_import
from analysis.models import ImportJob

FILE_ROW = 0  # the row number of errors about the file as a whole
PROGRESS_EVERY = 50

Progress = Callable[[int, int], None]


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str


class Plan(Protocol):
    """What checking a file answers: its errors (none: it may be written) and its data rows."""

    errors: list[RowError]
    total: int


class RowFailed(Exception):
    """A row the checks passed but the writing refused: the whole file is refused (invalid)."""

    def __init__(self, error: RowError):
        super().__init__(error.message)
        self.error = error


class WriteRefused(Exception):
    """Nothing written, for a reason that is no row's (a rule refused, another import collided)."""


# --- progress, readable from another process while the import runs ----------------------------


def _progress_key(job_id: int) -> str:
    return f"analysis:import:{job_id}:progress"


def progress_of(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows in all) of a running job: from the cache while writing, which happens in
    one transaction nobody else can see into, otherwise from the job's row."""
    done, total = cache.get(_progress_key(job.pk)) or (job.processed_rows, job.total_rows)
    return min(done, total), total


def report(job: ImportJob, done: int, total: int, *, save: bool) -> None:
    cache.set(_progress_key(job.pk), (done, total), timeout=3600)
    if save:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)


# --- starting a job ------------------------------------------------------------------------------


def job_create(
    *,
    user,
    upload: UploadedFile,
    kind: str,
    columns: Sequence[Column] | None = None,
    batch: str = "",
) -> ImportJob:
    """Check the file as a whole (size, that it is .xlsx, the columns) and keep it as a job.

    Raises ValidationError({"file": [...]}) — and keeps nothing — when the file cannot be read.
    Whether the person may import at all is the caller's to ask first."""
    limit = conf.import_max_bytes()
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("文件大小为 %(size)s MB，超过了 %(limit)s MB 的上限：请分批导入。")
                % {"size": megabytes(upload.size), "limit": megabytes(limit)}
            }
        )
    filename = os.path.basename(upload.name or "") or "import.xlsx"
    try:
        with open_import(upload, name=filename, columns=columns) as sheet:
            # Rows with content, counted up to just past the limit (formatted blank rows and a
            # sheet's recorded dimension say nothing about how many rows it holds).
            rows = 0
            for _row in sheet.rows:
                rows += 1
                if rows > conf.import_max_rows():
                    break
    except ImportFileError as error:
        raise ValidationError({"file": error.messages}) from None
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return ImportJob.objects.create(
        kind=kind,
        created_by=user,
        file=upload,
        filename=filename[-200:],
        sha256=digest.hexdigest(),
        batch=(batch or "").strip()[:50],
        total_rows=rows,
    )


def runs_inline(job: ImportJob) -> bool:
    return job.total_rows <= conf.import_inline_rows()


def rows_within_limit(sheet: ImportSheet, plan: Plan, *, empty: str) -> list[tuple[int, dict]]:
    """The sheet's data rows, or none with the error on the plan: too many, or none at all
    (`empty` says what the rows should hold)."""
    limit = conf.import_max_rows()
    rows = []
    for item in sheet.rows:
        rows.append(item)
        if len(rows) > limit:
            plan.errors.append(
                RowError(
                    FILE_ROW, "", "", _("文件超过 %(limit)d 行，请分批导入。") % {"limit": limit}
                )
            )
            return []
    plan.total = len(rows)
    if not rows:
        plan.errors.append(RowError(FILE_ROW, "", "", empty))
    return rows


# --- the whole job -----------------------------------------------------------------------------


def finish(job: ImportJob, status: str, **fields) -> ImportJob:
    for name, value in {"status": status, "finished_at": timezone.now(), **fields}.items():
        setattr(job, name, value)
    job.save()
    cache.delete(_progress_key(job.pk))
    return job


def job_run(
    *,
    job_id: int,
    now: dt.datetime | None,
    columns: Sequence[Column] | None,
    check: Callable[[ImportSheet, ImportJob, dt.datetime, Progress], Plan],
    write: Callable[[ImportJob, Plan, dt.datetime, Progress], dict[str, int]],
) -> ImportJob:
    """Check the job's file, then write it whole — or record why nothing was written.

    `check` reads every row into a plan (its progress saved on the job, for the page);
    `write` writes the plan in one transaction and answers the job's counts (created_count…),
    raising RowFailed or WriteRefused to write nothing. Safe to run twice (a retried task): a job
    already past its start is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.VALIDATING
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if claimed != 1:
        return job
    now = now or timezone.now()
    try:
        with (
            job.file.open("rb") as stream,
            open_import(stream, name=job.filename, columns=columns) as sheet,
        ):
            plan = check(sheet, job, now, lambda d, t: report(job, d, t, save=True))
    except ImportFileError as error:
        return finish(
            job,
            ImportJob.Status.INVALID,
            errors=[asdict(RowError(FILE_ROW, "", "", m)) for m in error.messages],
        )
    if plan.errors:
        return finish(
            job,
            ImportJob.Status.INVALID,
            total_rows=plan.total,
            processed_rows=plan.total,
            errors=[asdict(e) for e in plan.errors],
        )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING, total_rows=plan.total, processed_rows=0
    )
    try:
        counts = write(job, plan, now, lambda d, t: report(job, d, t, save=False))
    except RowFailed as failed:
        return finish(
            job, ImportJob.Status.INVALID, total_rows=plan.total, errors=[asdict(failed.error)]
        )
    except WriteRefused as refused:
        return finish(
            job,
            ImportJob.Status.FAILED,
            total_rows=plan.total,
            errors=[asdict(RowError(FILE_ROW, "", "", str(refused)))],
        )
    return finish(
        job,
        ImportJob.Status.DONE,
        total_rows=plan.total,
        processed_rows=plan.total,
        errors=[],
        **counts,
    )


def job_fail(*, job_id: int, message: str) -> None:
    """A worker died or timed out on the job: say so, so the page stops waiting."""
    job = ImportJob.objects.get(pk=job_id)
    if job.is_running:
        finish(job, ImportJob.Status.FAILED, errors=[asdict(RowError(FILE_ROW, "", "", message))])


def job_county(job: ImportJob) -> int:
    """The county an import writes into and matches within: the importing office's own (a job
    of the back office's superuser: the first county, as actor_for says)."""
    from cases.roles import actor_for
    from counties.models import county_or_home

    return county_or_home(actor_for(job.created_by).county_id)
