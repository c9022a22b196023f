"""The cadre's pages as an installable web app: the manifest and the service worker.

Both are public (they hold no one's data; the pages they cache are fetched with the cadre's own
session, and signing out clears them). The worker is a static file (fieldwork/static/fieldwork/
offline/sw.js) served at /field/sw.js so that its scope is /field/ without a special header. What
it precaches is named here, through `static()`, so a production build's hashed file names are the
ones cached; the version is a digest of the worker and of those files, so any change to them
installs a new worker and drops the old caches."""

from __future__ import annotations

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

WORKER = "fieldwork/offline/sw.js"
# Read by the worker with importScripts: the same IndexedDB and upload code the pages use.
WORKER_SCRIPTS = ("fieldwork/offline/store.js", "fieldwork/offline/uploader.js")
# What the cadre's pages load (templates/base.html and fieldwork/_offline.html): cached on install.
SHELL_STATIC = (
    "vendor/bootstrap.min.css",
    "site/site.css",
    "vendor/bootstrap.bundle.min.js",
    "vendor/htmx.min.js",
    "site/site.js",
    "site/favicon.svg",
    "site/favicon.ico",
    "site/apple-touch-icon.png",
    "site/icons/icon-192.png",
    *WORKER_SCRIPTS,
    "fieldwork/offline/photos.js",
    "fieldwork/offline/app.js",
    "fieldwork/offline/visit-form.js",
    "fieldwork/offline/enterprises.js",
)
THEME_COLOUR = "#163a6b"  # --brand-navy, the navigation bar (docs/design.md, static/site/site.css)
BACKGROUND_COLOUR = "#f3f5f8"  # --ground


def offline_data_url() -> str:
    """The JSON the offline pages are drawn from (fieldwork.views, the 我的企业 selector)."""
    try:
        return reverse("fieldwork:offline_data")
    except NoReverseMatch:  # not routed yet: the worker simply has nothing to cache
        return "/field/offline/data.json"


def shell_pages() -> list[str]:
    """The pages that must open with no connection: 我的企业 and the visit form."""
    return [reverse("fieldwork:enterprises"), reverse("fieldwork:visit_new"), offline_data_url()]


def _read_static(name: str) -> bytes:
    path = finders.find(name)
    if path is None:
        raise FileNotFoundError(name)
    with open(path, "rb") as handle:
        return handle.read()


def _worker_source() -> tuple[str, str]:
    """The worker's text with its settings in front, and its version."""
    body = _read_static(WORKER)
    digest = hashlib.sha256(body)
    for name in SHELL_STATIC:
        digest.update(static(name).encode())
        digest.update(_read_static(name))
    version = digest.hexdigest()[:16]
    config = {
        "version": version,
        "scope": reverse("fieldwork:enterprises"),
        "pages": shell_pages(),
        "static": [static(name) for name in SHELL_STATIC],
        "scripts": [static(name) for name in WORKER_SCRIPTS],
        "offlineData": offline_data_url(),
        "visitForm": reverse("fieldwork:visit_new"),
    }
    prefix = f"self.FIELD_CONFIG = {json.dumps(config)};\n"
    return prefix + body.decode(), version


# Built once per process in production (the files do not change under a running server); read
# afresh on every request while developing.
_cached_worker_source = functools.cache(_worker_source)


@require_safe
@cache_control(no_cache=True)
def service_worker(request):
    """/field/sw.js: the browser checks it for an update on every navigation in its scope."""
    source, version = _worker_source() if settings.DEBUG else _cached_worker_source()
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["X-Field-Worker-Version"] = version
    return response


@require_safe
@cache_control(max_age=3600)
def manifest(request):
    """/field/manifest.webmanifest: what a phone needs to put 走访 on its home screen."""
    scope = reverse("fieldwork:enterprises")
    data = {
        "name": _("四进四问·走访"),
        "short_name": _("走访"),
        "description": _("结对干部走访企业、登记问题；没有信号时也能填写，联网后自动上传。"),
        "lang": request.LANGUAGE_CODE,
        "start_url": scope,
        "scope": scope,
        "id": scope,
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("site/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("site/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("site/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
