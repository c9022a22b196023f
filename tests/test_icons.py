"""{% icon %} writes a vendored Bootstrap Icons glyph inline, hidden from screen readers; a name
that is not vendored fails at render, and every name the templates use is vendored."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

from web.templatetags import icons

ROOT = Path(settings.BASE_DIR)


def render(source: str) -> str:
    return Template("{% load icons %}" + source).render(Context())


def test_an_icon_is_inline_svg_hidden_from_screen_readers():
    html = render('{% icon "telephone" "me-1" %}')
    assert html.startswith('<svg class="bi me-1" viewBox="0 0 16 16"')
    assert 'aria-hidden="true"' in html and 'focusable="false"' in html
    assert "<path" in html and html.count("<svg") == 1 and html.endswith("</svg>")


@pytest.mark.parametrize("name", ["no-such-icon", "../site/favicon", "Telephone"])
def test_a_name_that_is_not_vendored_fails_at_render(name):
    with pytest.raises(TemplateSyntaxError, match="not vendored"):
        render('{% icon "' + name + '" %}')


def test_every_icon_the_templates_use_is_vendored_and_every_vendored_one_is_used():
    used = set()
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\{%\s*icon\s+["']([a-z0-9-]+)["']""", text))
        used |= set(re.findall(r"""\bicon=["']([a-z0-9-]+)["']""", text))  # _empty.html's icon
    used.add("inbox")  # templates/web/_empty.html's default
    for path in ROOT.glob("*/templatetags/*.py"):  # rows written in Python (issue 23)
        used |= set(
            re.findall(r"""\bicon\(["']([a-z0-9-]+)["']""", path.read_text(encoding="utf-8"))
        )
    assert used, "no template uses an icon"
    assert used <= set(icons.available()), used - set(icons.available())
    assert set(icons.available()) <= used, f"vendored but unused: {set(icons.available()) - used}"
