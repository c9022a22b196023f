"""What every page's <html> element says: its language as a BCP 47 tag a screen reader knows
(zh-CN, en; Django's own code for Chinese is zh-hans), and whether it is in large text."""

from django import template
from django.utils import translation

from web.display import large_text_on

register = template.Library()

HTML_LANG = {"zh-hans": "zh-CN"}


@register.simple_tag
def html_lang() -> str:
    code = translation.get_language() or "zh-hans"
    return HTML_LANG.get(code, code)


@register.filter
def large_text(request) -> bool:
    return large_text_on(request)
