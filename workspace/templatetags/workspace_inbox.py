"""Links between the pages of one part of the inbox, keeping the other parts where they are:

    {% load workspace_inbox %}
    <a href="{% section_page_url inbox.urgent 2 'urgent' %}">

gives /dept/?leading_page=3&urgent_page=2#urgent when the clerk was on the leading part's third
page; the fragment brings the part back into view.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def section_page_url(context, section, number: int, anchor: str) -> str:
    request = context["request"]
    query = request.GET.copy()
    if number == 1:
        query.pop(section.param, None)
    else:
        query[section.param] = number
    search = f"?{query.urlencode()}" if query else ""
    return f"{request.path}{search}#{anchor}"
