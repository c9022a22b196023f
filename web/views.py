"""The web shell: sign-in, the per-role home page, the list of all one's cases, the favicon and the
health check. Views stay thin."""

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from cases.roles import ENTERPRISE
from cases.selectors import cases_visible_to
from web.landing import landing_url
from web.middleware import request_actor
from web.query import BadQuery

logger = logging.getLogger(__name__)

CASES_PER_PAGE = 50
HEALTH_TIMEOUT_SECONDS = 2
FAVICON_MAX_AGE = 24 * 3600


@login_required
def home(request):
    """Each role lands where its work is (web.landing); a user with no role yet is told so."""
    landing = landing_url(request_actor(request))
    if landing is not None:
        return redirect(landing)
    return render(request, "web/home.html")


@login_required
def case_list(request):
    """全部问题: every case this user may see, newest first — a department's or a cadre's history
    beside their work lists (the office and the leaders have the ledger, analysis.views.ledger)."""
    actor = request_actor(request)
    if actor.roles == [ENTERPRISE]:
        return redirect("portal:cases")
    cases = cases_visible_to(actor).select_related("enterprise", "category", "lead_department")
    page = Paginator(cases.order_by("-created_at", "-id"), CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "web/case_list.html", {"page": page})


def bad_request(request, exception=None):
    """400 (config.urls' handler400): a parameter web.query could not read is named on the page.
    Any other 400 (a disallowed host, a broken upload) gets templates/400.html, which needs
    nothing from the request that was refused."""
    if not isinstance(exception, BadQuery):
        return defaults.bad_request(request, exception)
    return render(request, "web/bad_request.html", {"message": str(exception)}, status=400)


@require_GET
def favicon(request):
    """/favicon.ico, which browsers and bookmarks ask for whatever a page links: the icon in
    static/ (pages link static/site/favicon.svg, and this .ico beside it)."""
    response = redirect(static("site/favicon.ico"))
    patch_cache_control(response, public=True, max_age=FAVICON_MAX_AGE)
    return response


@require_GET
@never_cache
def healthz(request):
    """For load balancers: can this process reach the database and the broker?"""
    checks = {
        "database": "ok" if _database_ok() else "error",
        "broker": "ok" if _broker_ok() else "error",
    }
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:
        logger.warning("healthz: database unreachable", exc_info=True)
        return False


def _broker_ok() -> bool:
    url = settings.CELERY_BROKER_URL
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS or {})
    if url.startswith("filesystem://"):
        # The embedded broker is a pair of folders: it is reachable when they are there.
        folders = [options.get(key) for key in ("data_folder_in", "data_folder_out")]
        if not all(folder and Path(folder).is_dir() for folder in folders):
            logger.warning("healthz: broker folders missing: %s", folders)
            return False
    # Without short socket timeouts redis-py waits for the OS; a load balancer will not.
    options.setdefault("socket_timeout", HEALTH_TIMEOUT_SECONDS)
    options.setdefault("socket_connect_timeout", HEALTH_TIMEOUT_SECONDS)
    try:
        with Connection(
            url, connect_timeout=HEALTH_TIMEOUT_SECONDS, transport_options=options
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=HEALTH_TIMEOUT_SECONDS)
        return True
    except Exception:
        logger.warning("healthz: broker unreachable", exc_info=True)
        return False
