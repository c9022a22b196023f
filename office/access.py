"""Who may use the office console: the county office (县委办) only."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

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
