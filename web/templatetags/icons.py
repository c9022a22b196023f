"""{% icon "telephone" %}: a Bootstrap Icons glyph written into the page as inline SVG.

Icons stand beside words that are slow to scan (a phone number, a deadline, an attachment, an
empty list), never instead of them, so each is hidden from screen readers. Only the glyphs the
pages use are vendored (static/vendor/bootstrap-icons/, MIT): inline SVG needs no icon font, no
extra request and nothing the content-security policy would have to allow. A name that is not
vendored is an error when the template renders, so a typo fails the tests rather than leaving a
blank.
"""

from __future__ import annotations

import functools
import re

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

ICONS_DIR = settings.BASE_DIR / "static" / "vendor" / "bootstrap-icons"
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


@functools.cache
def _glyph(name: str) -> str:
    """The inside of the icon's <svg> (its paths), read once per process."""
    path = ICONS_DIR / f"{name}.svg"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
        raise template.TemplateSyntaxError(f"icon {name!r} is not vendored in {ICONS_DIR}")
    svg = path.read_text(encoding="utf-8")
    return _SVG_OPEN.sub("", svg, count=1).replace("</svg>", "").strip()


def available() -> list[str]:
    return sorted(p.stem for p in ICONS_DIR.glob("*.svg"))


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    return format_html(
        '<svg class="bi{}" viewBox="0 0 16 16" fill="currentColor" aria-hidden="true" '
        'focusable="false">{}</svg>',
        f" {css}" if css else "",
        mark_safe(_glyph(name)),  # noqa: S308 — a vendored file of the repository, not input
    )
