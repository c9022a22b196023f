"""The office's period documents: the 月报/季报 (printable page and Word file) and the 工作简报
(the same). Each view reads its period, asks analysis.reports for the figures once, and renders
them as the page or as the .docx (analysis.word_reports)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from analysis import periods, reports, word, word_reports
from analysis.access import office_required, reports_required
from analysis.forms import BulletinForm, PeriodForm
from web.middleware import request_actor
from web.query import require_valid


def _last_month() -> periods.Period:
    today = timezone.localdate()
    return periods.month(today.year, today.month).previous()


def _report(request) -> tuple[PeriodForm, reports.PeriodReport]:
    """The chosen period (400 naming the parameter when it cannot be read) and its figures."""
    form = PeriodForm(request.GET or None, default=_last_month())
    require_valid(form)
    return form, reports.period_report(request_actor(request), form.chosen)


def _with_query(name: str, params: dict[str, str]) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def _bulletin_url(period: periods.Period) -> str:
    """The 工作简报 of the report's month or quarter (of last month for another range)."""
    if period.kind in ("month", "quarter"):
        return _with_query("analysis:bulletin", {"period": period.shorthand})
    return reverse("analysis:bulletin")


@reports_required
def report(request):
    """The printable monthly/quarterly report (A4) of all the figures pages, with its Word file."""
    form, figures = _report(request)
    today = timezone.localdate()
    return render(
        request,
        "analysis/report.html",
        {
            "form": form,
            "report": figures,
            "period": figures.period,
            "summary": word_reports.summary(figures),
            "word_url": _with_query("analysis:report_word", figures.period.query),
            "bulletin_url": _bulletin_url(figures.period)
            if request_actor(request).is_office
            else "",
            "months": periods.recent_months(today),
            "quarters": periods.recent_quarters(today),
        },
    )


@reports_required
def report_word(request):
    """The same report as a Word file, its charts drawn as pictures."""
    _form, figures = _report(request)
    document = word_reports.report_document(figures)
    return word.response(document, word_reports.report_filename(figures))


def _bulletin(request) -> tuple[BulletinForm, reports.Bulletin | None]:
    """The form (bound to what was posted, or to ?period= for a first look) and, when it reads,
    the bulletin it asks for."""
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = BulletinForm(data, default=_last_month())
    if form.is_bound and not form.is_valid():
        return form, None
    values = form.cleaned_data if form.is_bound else {}
    return form, reports.bulletin(
        request_actor(request),
        form.chosen,
        text=values.get("text") or "",
        issue=values.get("issue"),
    )


@office_required
@require_http_methods(["GET", "POST"])
def bulletin(request):
    """The 工作简报 as a printable page, under the form that sets its period, issue and text.
    Posting the form shows the bulletin with the text (nothing is stored)."""
    form, figures = _bulletin(request)
    context = {"form": form, "bulletin": figures}
    if figures is not None:
        context.update(
            bulletin_title=word_reports.bulletin_title(figures),
            summary=word_reports.summary(figures),
            notable=[
                word_reports.notable_text(n, case) for n, case in enumerate(figures.notable, 1)
            ],
            standings=word_reports.standings(figures),
        )
    return render(
        request, "analysis/bulletin.html", context, status=200 if figures is not None else 400
    )


@office_required
@require_http_methods(["GET", "POST"])
def bulletin_word(request):
    """The 工作简报 as a Word file: the form's period, issue and text (a form that cannot be read
    shows its errors on the page instead)."""
    form, figures = _bulletin(request)
    if figures is None:
        return render(request, "analysis/bulletin.html", {"form": form}, status=400)
    document = word_reports.bulletin_document(figures)
    return word.response(document, word_reports.bulletin_filename(figures))
