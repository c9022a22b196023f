"""The case page's timeline, one event at a time, written in Python (issue 23: a case of fifty
events was fifty passes of the template engine through the same dozen lookups and tags; the markup
is the same)."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from web.templatetags.icons import icon

register = template.Library()


def _who(event, internal: bool) -> str:
    """After the time: the unit that acted, the person (inside only), whom it was addressed to."""
    parts = []
    if event.unit_label:
        parts.append(
            format_html(
                ' · <span class="event-unit" data-unit="{}">{}</span>',
                event.unit_kind,
                event.unit_label,
            )
        )
    if internal and event.actor:
        parts.append(format_html(" · {}", event.actor.get_full_name() or event.actor.username))
    if event.addressed_to and not event.plain_title:
        parts.append(format_html(" → {}", event.addressed_to.name))
    return mark_safe("".join(parts))  # each written by format_html


def _files(event, case_pk: int) -> str:
    files = event.attachments.all()
    if not files:
        return ""
    return format_html(
        '<ul class="list-unstyled mb-0 mt-1 event-files">{}</ul>',
        format_html_join(
            "",
            '<li><a href="{}"{}>{}{}</a> <span class="text-body-secondary">({})</span></li>',
            (
                (
                    reverse("case_event_file", args=[case_pk, f.pk]),
                    mark_safe(' target="_blank" rel="noopener"') if f.is_image else "",
                    icon("paperclip", "me-1"),
                    f.original_name,
                    filesizeformat(f.size),
                )
                for f in files
            ),
        ),
    )


def _contact(event, internal: bool) -> str:
    data = event.data if isinstance(event.data, dict) else {}
    if event.kind != "accepted" or not data.get("person"):
        return ""
    mobile = data.get("mobile")
    return format_html(
        '<div class="event-contact">{}：{}{}{}</div>',
        _("对接人"),
        data["person"],
        format_html(
            ' <a href="tel:{}" class="text-nowrap">{}</a>', str(mobile).replace(" ", ""), mobile
        )
        if internal and mobile
        else "",
        format_html(' <span class="badge text-bg-light border">{}</span>', _("新增联系人"))
        if internal and data.get("contact")
        else "",
    )


@register.simple_tag
def timeline_event(event, case_pk: int, internal: bool) -> str:
    """One event of the case page's 办理记录 (the public ones only, unless `internal`)."""
    if event.kind == "deadlines_recounted":
        body = render_to_string("web/_deadlines_recounted.html", {"moves": event.data})
    elif event.note:
        body = format_html('<div style="white-space: pre-line">{}</div>', event.note)
    else:
        body = ""
    contact, files = _contact(event, internal), _files(event, case_pk)
    return format_html(
        '<li class="list-group-item small">\n'
        "<strong>{}</strong>{}\n"
        '<span class="text-body-secondary">· {}{}</span>\n'
        "{}{}{}{}{}"
        "</li>",
        event.plain_title or event.get_kind_display(),
        format_html(' <span class="badge text-bg-secondary">{}</span>', _("内部"))
        if internal and not event.public
        else "",
        timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M"),
        _who(event, internal),
        format_html('<div class="text-body-secondary event-plain">{}</div>\n', event.plain_text)
        if event.plain_text
        else "",
        format_html("{}\n", body) if body else "",
        format_html("{}\n", files) if files else "",
        format_html(
            '<div class="internal-note text-body-secondary" style="white-space: pre-line">'
            '<span class="badge text-bg-secondary">{}</span> {}</div>\n',
            _("内部意见"),
            event.internal_note,
        )
        if internal and event.internal_note
        else "",
        format_html("{}\n", contact) if contact else "",
    )
