"""Importing a batch of problems (office only): the template, the upload, the job's progress and
its outcome — every error by row and column, or what was created."""

from __future__ import annotations

import io

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from analysis import conf, imports, tasks
from analysis.access import office_required
from analysis.excel import XLSX_CONTENT_TYPE, Sheet, import_template, write_workbook
from analysis.forms import ImportForm
from analysis.models import ImportedRow, ImportJob
from analysis.views.ledger import finished_fragment
from cases.models import Case, Category
from enterprises.models import Department
from web.forms import attach_errors
from web.middleware import request_actor

RECENT_JOBS = 10


@office_required
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_job_create(
                actor=request_actor(request),
                upload=form.cleaned_data["file"],
                batch=form.cleaned_data["batch"],
            )
        except ValidationError as error:
            # Whatever is wrong, it is the file's doing: said beside the file field.
            attach_errors(form, error, {NON_FIELD_ERRORS: "file"})
        else:
            return _start(job)
    jobs = ImportJob.objects.filter(created_by=request.user)[:RECENT_JOBS]
    return render(
        request,
        "analysis/import.html",
        {"form": form, "jobs": jobs, "max_mb": conf.import_max_bytes() // (1024 * 1024)},
        status=400 if form.errors else 200,
    )


def _start(job: ImportJob):
    if imports.runs_inline(job):
        imports.import_job_run(job_id=job.pk)
    else:
        transaction.on_commit(lambda: tasks.queue_import(job.pk))
    return redirect("analysis:import_job", pk=job.pk)


@office_required
@require_GET
def import_template_download(request):
    buffer = io.BytesIO()
    import_template(
        buffer,
        categories=list(Category.objects.filter(active=True).values_list("name", flat=True)),
        departments=list(
            Department.objects.filter(active=True)
            .exclude(kind=Department.Kind.OFFICE)
            .values_list("name", flat=True)
        ),
    )
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=_("问题导入模板.xlsx"), content_type=XLSX_CONTENT_TYPE
    )


def _job(request, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob, pk=pk)


@office_required
def import_job(request, pk: int):
    job = _job(request, pk)
    done, total = (
        imports.progress_of(job) if job.is_running else (job.processed_rows, job.total_rows)
    )
    cases = (
        Case.objects.filter(pk__in=ImportedRow.objects.filter(job=job).values("case_id"))
        .select_related("enterprise", "category", "lead_department")
        .order_by("pk")[:200]
        if job.status == ImportJob.Status.DONE
        else []
    )
    return render(
        request,
        "analysis/import_job.html",
        {"job": job, "done": done, "total": total, "cases": cases},
    )


@office_required
def import_progress(request, pk: int):
    job = _job(request, pk)
    if not job.is_running:
        return finished_fragment()
    done, total = imports.progress_of(job)
    return render(
        request, "analysis/_import_progress.html", {"job": job, "done": done, "total": total}
    )


@office_required
@require_GET
def import_errors(request, pk: int):
    """All of a job's errors as a workbook, to fix the file row by row."""
    job = _job(request, pk)
    buffer = io.BytesIO()
    write_workbook(
        buffer,
        [
            Sheet(
                _("错误清单"),
                [_("行号"), _("列"), _("填写的内容"), _("问题")],
                [
                    [e["row"] or _("整个文件"), e["column"], e["value"], e["message"]]
                    for e in job.errors
                ],
                [8, 18, 30, 80],
            )
        ],
    )
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=_("导入错误_%(id)d.xlsx") % {"id": job.pk},
        content_type=XLSX_CONTENT_TYPE,
    )
