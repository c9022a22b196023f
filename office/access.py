"""Who may use the office console: the county office (县委办) only."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme

from web.middleware import request_actor


def office_required(view):
    """Sign-in first; then anyone who is not the office is refused (403: the pages are no secret)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request_actor(request).is_office:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def safe_next(request, default: str) -> str:
    """Where to go back to after a POST: the page it came from, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
