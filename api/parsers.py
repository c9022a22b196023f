"""JSON bodies of bounded depth: no request body of this API nests more than a few levels, and one
nested a thousand deep would make Python's decoder (or whatever walks the result) recurse until it
fails. Such a body is a 400 naming the problem, refused as it is parsed, before a view acts on it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

MAX_DEPTH = 20


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise _too_deep()
        return data


def _too_deep() -> exceptions.ParseError:
    return exceptions.ParseError(_("JSON 嵌套过深：最多 %(limit)d 层。") % {"limit": MAX_DEPTH})


def _depth_exceeds(data, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` deep, walked without recursion."""
    stack = [(data, 1)] if isinstance(data, (dict, list)) else []
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False
