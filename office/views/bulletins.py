"""奖惩通报: the office records a bulletin on a department (通报表扬, 通报批评, 约谈, 问责建议) —
numbered when issued (cases.bulletins) — lists them, and prints one on A4."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.bulletins import bulletin_issue, bulletin_number, numbered
from cases.models import Bulletin
from cases.selectors import cases_visible_to, in_county
from enterprises.models import Department
from office.access import office_required
from office.forms import BulletinForm
from office.pages import paginate
from web.forms import attach_errors
from web.middleware import request_actor


@office_required
def bulletins(request):
    """Every bulletin, newest first; by kind (?kind=praise) or department (?department=3)."""
    kind = request.GET.get("kind", "")
    actor = request_actor(request)
    listed = in_county(Bulletin.objects.select_related("department"), actor).order_by(
        "-issued_at", "-id"
    )
    if kind in Bulletin.Kind.values:
        listed = listed.filter(kind=kind)
    department = None
    department_id = request.GET.get("department", "")
    if department_id.isdigit():
        department = in_county(Department.objects.filter(pk=department_id), actor).first()
        if department is not None:
            listed = listed.filter(department=department)
    page = paginate(request, listed)
    page.object_list = numbered(page.object_list)
    return render(
        request,
        "office/bulletins.html",
        {"page": page, "kind": kind, "kinds": Bulletin.Kind, "department": department},
    )


@office_required
@require_http_methods(["GET", "POST"])
def bulletin_new(request):
    actor = request_actor(request)
    initial = {"kind": request.GET.get("kind", "")}
    if request.GET.get("department", "").isdigit():
        initial["department"] = request.GET["department"]
    form = BulletinForm(
        request.POST or None, initial=initial, cases=cases_visible_to(actor), actor=actor
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bulletin = bulletin_issue(
                actor=actor,
                kind=data["kind"],
                department=data["department"],
                title=data["title"],
                text=data["text"],
                cases=data["numbers"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("通报已发布，文号 %(number)s。") % {"number": bulletin_number(bulletin)},
            )
            return redirect("office:bulletin", pk=bulletin.pk)
    return render(
        request,
        "office/bulletin_form.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@office_required
def bulletin(request, pk: int):
    """One bulletin as it is printed (A4), with the cases it concerns."""
    found = get_object_or_404(
        in_county(
            Bulletin.objects.select_related("department", "issued_by"), request_actor(request)
        ),
        pk=pk,
    )
    cases = found.cases.select_related("enterprise").order_by("number")
    return render(
        request,
        "office/bulletin.html",
        {
            "bulletin": numbered([found])[0],
            # Each line a paragraph, indented as on paper.
            "paragraphs": [line.strip() for line in found.text.splitlines() if line.strip()],
            "cases": list(cases),
        },
    )
