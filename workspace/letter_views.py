"""交办函 in the department's workspace: the letters the office issued to my department, each
letter as the office printed it, and its 回执 signed here (cases.letters). Another department's
letter answers 404, as any object outside one's scope does."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.letters import department_letters, letter_sign, may_sign_letter
from cases.models import AssignmentLetter
from cases.roles import DEPARTMENT, Actor
from web.letters import letter_content, letter_docx_response, signer_name
from web.middleware import request_actor_or_403
from web.refusals import refusal_message
from workspace.forms import ReceiptForm


def _department_actor(request) -> Actor:
    return request_actor_or_403(
        request,
        lambda actor: actor.has_role(DEPARTMENT),
        _("部门工作台只对责任单位的工作人员开放。"),
    )


def _my_letter(actor: Actor, pk: int) -> AssignmentLetter:
    return get_object_or_404(department_letters(actor.department_id), pk=pk)


@login_required
@require_GET
def letters(request):
    """交办函: my department's letters, those still to sign first."""
    actor = _department_actor(request)
    mine = list(department_letters(actor.department_id))
    return render(
        request,
        "workspace/letters.html",
        {"letters": mine, "unsigned": sum(1 for letter in mine if not letter.signed)},
    )


@login_required
@require_GET
def letter(request, pk: int):
    actor = _department_actor(request)
    letter = _my_letter(actor, pk)
    content = letter_content(letter.meeting, letter.department, letter)
    return render(
        request,
        "workspace/letter.html",
        {
            "letter": letter,
            "content": content,
            "may_sign": may_sign_letter(actor, letter),
            "form": ReceiptForm(),
            "signer": signer_name(letter),
        },
    )


@login_required
@require_POST
def sign(request, pk: int):
    """签收回执: who and when are kept; a second signature is refused with who signed first."""
    actor = _department_actor(request)
    letter = _my_letter(actor, pk)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["note"]))
        return redirect("workspace:letter", pk=letter.pk)
    with refusal_message(request, conflict_level=messages.INFO) as refusal:
        letter = letter_sign(actor=actor, letter=letter, note=form.cleaned_data["note"])
    if refusal.ok:
        messages.success(request, _("已签收交办函 %(number)s 的回执。") % {"number": letter.number})
    return redirect("workspace:letter", pk=pk)


@login_required
@require_GET
def docx(request, pk: int):
    actor = _department_actor(request)
    letter = _my_letter(actor, pk)
    content = letter_content(letter.meeting, letter.department, letter)
    return letter_docx_response(content)
