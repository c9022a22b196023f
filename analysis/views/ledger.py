"""The case ledger (台账): filters, a page of rows, and its Excel export — at once when short,
by a worker (with a progress bar and a download link) when long. For the office it is 问题总台账,
its home page (web.landing): every case, searchable, each state in its colour, overdue rows marked."""

from __future__ import annotations

import tempfile

from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from analysis import conf, exports, tasks
from analysis.access import ledger_title, overview_required
from analysis.excel import XLSX_CONTENT_TYPE
from analysis.forms import LedgerFilterForm
from analysis.models import ExportJob
from cases.deadlines import with_overdue
from cases.search import searching
from cases.selectors import cases_visible_to
from web.middleware import request_actor
from web.paging import paginator_for

PER_PAGE = 50


def _filtered(request) -> tuple[LedgerFilterForm, object]:
    actor = request_actor(request)
    form = LedgerFilterForm(request.GET, actor=actor)
    return form, form.apply(cases_visible_to(actor))


@overview_required
@require_GET
def ledger(request):
    form, cases = _filtered(request)
    rows = with_overdue(cases, timezone.now()).select_related(
        "enterprise", "category", "lead_department"
    )
    searched = form.is_valid() and searching(form.cleaned_data["q"])
    page = paginator_for(rows.order_by("-created_at", "-pk"), PER_PAGE, searched=searched).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "analysis/ledger.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "title": ledger_title(request_actor(request)),
        },
        status=400 if form.errors else 200,
    )


def _filename() -> str:
    return _("问题台账_%(stamp)s.xlsx") % {"stamp": timezone.localtime().strftime("%Y%m%d%H%M")}


@overview_required
@require_GET
def ledger_export(request):
    form, cases = _filtered(request)
    if not form.is_valid():
        return redirect(f"{reverse('analysis:ledger')}?{request.GET.urlencode()}")
    inline = conf.export_inline_rows()
    if cases.order_by()[: inline + 1].count() <= inline:  # (counted no further than needed)
        scratch = tempfile.TemporaryFile()
        exports.write_cases(scratch, cases)
        scratch.seek(0)
        return FileResponse(
            scratch, as_attachment=True, filename=_filename(), content_type=XLSX_CONTENT_TYPE
        )
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.CASES,
        params=form.params(),
        created_by=request.user,
        filename=_filename(),
    )
    transaction.on_commit(lambda: tasks.queue_export(job.pk))
    return redirect("analysis:export_job", pk=job.pk)


def finished_fragment() -> HttpResponse:
    """A finished job's poll answer: htmx reloads the page, which now shows the outcome."""
    response = HttpResponse(_("已完成，正在刷新…"))
    response["HX-Refresh"] = "true"
    return response


def _own_job(request, pk: int) -> ExportJob:
    """An export belongs to whoever asked for it; anyone else gets 404."""
    return get_object_or_404(ExportJob, pk=pk, created_by=request.user)


@overview_required
def export_job(request, pk: int):
    return render(request, "analysis/export_job.html", {"job": _own_job(request, pk)})


@overview_required
def export_progress(request, pk: int):
    job = _own_job(request, pk)
    if not job.is_running:
        return finished_fragment()
    return render(request, "analysis/_export_progress.html", {"job": job})


@overview_required
def export_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename or "cases.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
