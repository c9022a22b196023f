"""The server's side of offline field capture (issue 20): the JSON answers the phone's uploader
reads when it sends a visit saved offline, its photos one by one, and the data the offline pages
keep (GET data.json).

The uploader asks with `Accept: application/json` and gets an answer with a `code` it can act on
and a `message` in plain words it can show: never a redirect, never the sign-in page's HTML. The
rules stay where they are: the visit's in cases.intake (idempotent by client_id), the photo's in
fieldwork.photos and fieldwork.services; here they are only said in JSON.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from cases.errors import ActionForbidden, ClientIdTaken, LimitReached
from cases.intake import VisitLogged
from cases.models import Visit
from fieldwork import services
from fieldwork.forms import MAX_PROBLEMS, ProblemForm, VisitPhotoForm
from fieldwork.photos import max_photo_bytes, max_photo_count
from fieldwork.selectors import offline_enterprises
from web.middleware import request_actor, request_actor_or_403

SIGNED_OUT = "signed_out"
FORBIDDEN = "forbidden"
INVALID = "invalid"
CLIENT_ID_TAKEN = "client_id_taken"
ENTERPRISE_MOVED = "enterprise_moved"
NOT_FOUND = "not_found"
PHOTOS_FULL = "photos_full"


def field_actor(request):
    """Field pages are for members of a task force (the cadres who visit its enterprises)."""
    return request_actor_or_403(
        request, lambda actor: actor.taskforce_ids, _("走访功能仅供专班成员（结对干部）使用。")
    )


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def refusal(status: int, code: str, message: str, **extra) -> JsonResponse:
    """A refusal the uploader understands: what kind (`code`), in words it can show (`message`)."""
    return JsonResponse({"code": code, "message": str(message), **extra}, status=status)


def signed_out() -> JsonResponse:
    return refusal(401, SIGNED_OUT, _("您已退出登录，请重新登录后上传，草稿已保留在手机上。"))


def json_login_required(always_json: bool = False):
    """login_required, except that a request asking for JSON (or every request, always_json) gets
    a 401 or 403 JSON answer rather than the sign-in page or the 403 page."""

    def decorator(view):
        page_view = login_required(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (always_json or wants_json(request)):
                return page_view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return signed_out()
            try:
                return view(request, *args, **kwargs)
            except (PermissionDenied, ActionForbidden) as refused:
                message = getattr(refused, "message", None) or str(refused)
                return refusal(403, FORBIDDEN, message or _("您没有权限执行此操作。"))

        return wrapped

    return decorator


def visit_saved(logged: VisitLogged) -> JsonResponse:
    """201 for a visit saved now, 200 for one the phone had sent before (nothing created)."""
    visit, cases = logged
    if not logged.created:
        message = _("这条走访之前已上传过，未重复登记。")
    elif cases:
        message = _("走访已登记，发现的 %(count)d 个问题已提交县委办交办。") % {"count": len(cases)}
    else:
        message = _("走访已登记：本次未发现问题。")
    return JsonResponse(
        {
            "visit": visit.pk,
            "cases": [case.pk for case in cases],
            "url": reverse("fieldwork:visit", args=[visit.pk]),
            "created": logged.created,
            "message": message,
        },
        status=201 if logged.created else 200,
    )


def enterprise_moved() -> JsonResponse:
    return refusal(
        409,
        ENTERPRISE_MOVED,
        _(
            "该企业已调整到其他专班，不在您的包干范围内了，这条走访未能上传。"
            "草稿已保留在手机上，请与专班或县委办联系。"
        ),
    )


def form_invalid(form, formset=None) -> JsonResponse:
    """400: every error by the name of the field the phone sent (problems-N-title for a problem
    row, __all__ for the whole visit), and the first of them as the summary."""
    errors: dict[str, list[str]] = {key: list(messages) for key, messages in form.errors.items()}
    if formset is not None:
        if formset.non_form_errors():
            errors["problems"] = list(formset.non_form_errors())
        for row in formset.forms:
            for field, messages in row.errors.items():
                errors[f"{row.prefix}-{field}"] = list(messages)
    messages = [message for listed in errors.values() for message in listed]
    first = messages[0] if messages else _("提交的内容有误。")
    if len(messages) > 1:
        summary = _("未保存：%(first)s（共 %(count)d 处需要修改）") % {
            "first": first,
            "count": len(messages),
        }
    else:
        summary = _("未保存：%(first)s") % {"first": first}
    return JsonResponse({"code": INVALID, "message": summary, "errors": errors}, status=400)


@json_login_required(always_json=True)
@require_POST
def visit_photo(request, pk: int):
    """One photo of the cadre's own visit, sent on its own after the visit (multipart `photo` and
    `client_id`): 201 stored, 200 stored before, 400 not a photo we keep, 404 not the cadre's
    visit, 409 the visit has all its photos or the id is another photo's."""
    actor = request_actor(request)
    visit = Visit.objects.filter(pk=pk, cadre_id=actor.user.pk).first()
    if visit is None:
        return refusal(404, NOT_FOUND, _("找不到这次走访，或它不是您登记的。"))
    form = VisitPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = {key: list(messages) for key, messages in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return JsonResponse({"code": INVALID, "message": first, "errors": errors}, status=400)
    try:
        photo, created = services.visit_photo_add(
            actor=actor,
            visit=visit,
            photo=form.cleaned_data["photo"],
            client_id=form.cleaned_data["client_id"],
        )
    except LimitReached as full:
        return refusal(409, PHOTOS_FULL, full.message)
    except ClientIdTaken as taken:
        return refusal(409, CLIENT_ID_TAKEN, taken.message)
    return JsonResponse({"photo": photo.pk, "created": created}, status=201 if created else 200)


@json_login_required(always_json=True)
@require_GET
@cache_control(private=True, no_cache=True)
def offline_data(request):
    """What the offline pages keep on the phone: 我的企业 (the same enterprises and open cases as
    the page, fieldwork.selectors), the visit form's choices and limits — in a fixed number of
    queries however many enterprises and cases."""
    actor = field_actor(request)
    now = timezone.now()
    enterprises = [
        {
            "id": enterprise.pk,
            "name": enterprise.name,
            "address": enterprise.address,
            "task_force": enterprise.task_force_name,
            "last_visit": enterprise.last_visit.isoformat() if enterprise.last_visit else None,
            "open_cases": [
                {
                    "id": case.pk,
                    "number": case.number,
                    "title": case.title,
                    "status": case.status,
                    "status_label": case.get_status_display(),
                    "overdue": case.overdue,
                    "url": reverse("case_detail", args=[case.pk]),
                }
                for case in enterprise.open_cases
            ],
        }
        for enterprise in offline_enterprises(actor, now=now)
    ]
    # .all(): the form class's own queryset is shared by every request, and iterating it would
    # keep the first request's categories for the life of the process.
    categories = ProblemForm.base_fields["category"].queryset.all()
    return JsonResponse(
        {
            "user": {"id": actor.user.pk, "name": _display_name(actor.user)},
            "generated_at": now.isoformat(),
            "today": timezone.localdate(now).isoformat(),
            "enterprises": enterprises,
            "kinds": [{"value": value, "label": str(label)} for value, label in Visit.Kind.choices],
            "categories": [{"id": c.pk, "name": c.name} for c in categories],
            "max_problems": MAX_PROBLEMS,
            "max_photos": max_photo_count(),
            "max_photo_bytes": max_photo_bytes(),
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()
