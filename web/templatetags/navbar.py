"""The navbar's items, written in Python (issue 23): the layout's loop over a role's 30-odd links
through the template engine cost more than everything else the layout renders. The same markup as
a template would write, each value escaped."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _link(link: dict) -> SafeString:
    if link["active"]:
        return format_html(
            '<li><a class="dropdown-item active" href="{}" aria-current="page">{}</a></li>',
            link["url"],
            link["label"],
        )
    return format_html(
        '<li><a class="dropdown-item" href="{}">{}</a></li>', link["url"], link["label"]
    )


def _item(item: dict) -> SafeString:
    active = " active" if item["active"] else ""
    if "links" in item:
        return format_html(
            '<li class="nav-item dropdown">\n'
            '<a class="nav-link dropdown-toggle{}" href="#" role="button" data-bs-toggle="dropdown"'
            ' aria-expanded="false">{}</a>\n'
            '<ul class="dropdown-menu">\n{}\n</ul>\n'
            "</li>",
            active,
            item["label"],
            mark_safe("\n".join(_link(link) for link in item["links"])),  # each escaped by _link
        )
    badge = (
        format_html(
            ' <span class="badge rounded-pill text-bg-danger" id="unread-count">{}</span>',
            item["badge"],
        )
        if item["badge"]
        else ""
    )
    return format_html(
        '<li class="nav-item"><a class="nav-link{}" href="{}">{}{}</a></li>',
        active,
        item["url"],
        item["label"],
        badge,
    )


@register.simple_tag
def navbar_items(menu) -> SafeString:
    """Every item of the navbar (web.context_processors' nav_menu), links and dropdown groups."""
    return format_html_join("\n", "{}", ((_item(item),) for item in menu))
