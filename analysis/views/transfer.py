"""Importing from Excel (office only): a batch of problems, and the enterprise register, which is
exported here too. For each: the template, the upload, the job's progress and its outcome — every
error by row and column, or what was written."""

from __future__ import annotations

import io

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from analysis import conf, enterprise_import, importing, imports, register, tasks
from analysis.access import office_required
from analysis.excel import XLSX_CONTENT_TYPE, Sheet, import_template, write_workbook
from analysis.forms import ImportForm, RegisterImportForm
from analysis.models import ImportedRow, ImportJob
from analysis.views.ledger import finished_fragment
from cases.models import Case, Category
from counties.models import county_or_home
from enterprises.models import Department, Enterprise
from web.forms import attach_errors
from web.middleware import request_actor

RECENT_JOBS = 10


def _county(request) -> int:
    """The county the office's templates, exports and imports are of: its own."""
    return county_or_home(request_actor(request).county_id)


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
    return _page(request, form, RegisterImportForm())


@office_required
@require_POST
def register_import(request):
    """The register's upload: the job, or the page again with what is wrong with the file."""
    form = RegisterImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = enterprise_import.register_job_create(
                actor=request_actor(request), upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            attach_errors(form, error, {NON_FIELD_ERRORS: "file"})
        else:
            return _start(job)
    return _page(request, ImportForm(), form)


def _page(request, form: ImportForm, register_form: RegisterImportForm):
    """The import page: the problems' section, then the register's, each with its recent jobs."""
    mine = ImportJob.objects.filter(created_by=request.user)
    return render(
        request,
        "analysis/import.html",
        {
            "form": form,
            "register_form": register_form,
            "jobs": mine.filter(kind=ImportJob.Kind.PROBLEMS)[:RECENT_JOBS],
            "register_jobs": mine.filter(kind=ImportJob.Kind.REGISTER)[:RECENT_JOBS],
            "enterprise_count": Enterprise.objects.filter(county_id=_county(request)).count(),
            "max_mb": conf.import_max_bytes() // (1024 * 1024),
        },
        status=400 if form.errors or register_form.errors else 200,
    )


# Each kind of job: how it runs during the request, and how it is handed to a worker.
RUNS = {
    ImportJob.Kind.PROBLEMS: (imports.import_job_run, tasks.queue_import),
    ImportJob.Kind.REGISTER: (enterprise_import.register_job_run, tasks.queue_register_import),
}


def _start(job: ImportJob):
    run, queue = RUNS[job.kind]
    if importing.runs_inline(job):
        run(job_id=job.pk)
    else:
        transaction.on_commit(lambda: queue(job.pk))
    return redirect("analysis:import_job", pk=job.pk)


@office_required
@require_GET
def import_template_download(request):
    buffer = io.BytesIO()
    import_template(
        buffer,
        categories=list(Category.objects.filter(active=True).values_list("name", flat=True)),
        departments=list(
            Department.objects.filter(county_id=_county(request), active=True)
            .exclude(kind=Department.Kind.OFFICE)
            .values_list("name", flat=True)
        ),
    )
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=_("问题导入模板.xlsx"), content_type=XLSX_CONTENT_TYPE
    )


@office_required
@require_GET
def register_template_download(request):
    buffer = io.BytesIO()
    register.register_template(buffer, county_id=_county(request))
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=_("企业名录导入模板.xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )


@office_required
@require_GET
def register_export(request):
    """The county's whole register, in the import's columns: edited, it can be imported back."""
    buffer = io.BytesIO()
    register.register_export(buffer, county_id=_county(request))
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=_("企业名录_%(date)s.xlsx") % {"date": timezone.localdate().isoformat()},
        content_type=XLSX_CONTENT_TYPE,
    )


def _job(request, pk: int) -> ImportJob:
    """A job of the office's own county (another county's office's job is not found)."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    if importing.job_county(job) != _county(request):
        raise Http404
    return job


@office_required
def import_job(request, pk: int):
    job = _job(request, pk)
    done, total = (
        importing.progress_of(job) if job.is_running else (job.processed_rows, job.total_rows)
    )
    cases = (
        Case.objects.filter(pk__in=ImportedRow.objects.filter(job=job).values("case_id"))
        .select_related("enterprise", "category", "lead_department")
        .order_by("pk")[:200]
        if job.status == ImportJob.Status.DONE and job.kind == ImportJob.Kind.PROBLEMS
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
    done, total = importing.progress_of(job)
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
