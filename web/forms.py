"""What every form of the product shares: the domain's input rules on its fields, and a service's
refusal shown beside the fields it names.

The rules are the domain's (cases.validators): a form only attaches them, by the kind of field,
so that a new form cannot forget them —

- a date or a date and time: within 2000–2099 (the browser's date picker is bounded too);
- a one-line text box (a title, a name, a phone number): no control character, no line break;
- a text area: newlines and tabs, but no NUL or other control character.

The services check the same again, so the API and the pages refuse the same input.
"""

from __future__ import annotations

from collections.abc import Mapping

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from cases.files import ACCEPT
from cases.validators import (
    FIRST_DAY,
    LAST_DAY,
    validate_calendar_day,
    validate_multiline,
    validate_single_line,
)
from web.query import search_words


class InputRules:
    """A form mixin (put it before forms.Form or forms.ModelForm): the domain's rules on every
    date, one-line and multi-line text field of the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            apply_input_rules(field)


class InputRulesAdmin:
    """A ModelAdmin mixin: the same rules on the back office's forms, where enterprises'
    addresses and contacts, the calendar's days and meetings are edited without a service."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            apply_input_rules(formfield)
        return formfield


def apply_input_rules(field: forms.Field) -> None:
    """The rule a field's kind asks for (once: a field may pass here twice)."""
    if getattr(field, "input_rules_applied", False):
        return
    field.input_rules_applied = True
    if isinstance(field, (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)):
        field.validators.append(validate_calendar_day)
        if isinstance(field, forms.DateField):
            field.widget.attrs.setdefault("min", FIRST_DAY.isoformat())
            field.widget.attrs.setdefault("max", LAST_DAY.isoformat())
    elif isinstance(field, forms.CharField) and not isinstance(field, forms.UUIDField):
        # (a UUIDField is a CharField whose clean value is a UUID: its own check is enough)
        multiline = isinstance(field.widget, forms.Textarea)
        field.validators.append(validate_multiline if multiline else validate_single_line)


class SearchField(forms.CharField):
    """Search words in a filter form, read as web.query reads them from a query string: a control
    character (a NUL, a pasted tab) separates words rather than refusing the search."""

    def to_python(self, value):
        return search_words(super().to_python(value))


class SearchFilter(django_filters.CharFilter):
    """A django-filter search box that reads its words as SearchField does."""

    field_class = SearchField


# Where a service's error goes: a field of the form, or a field of another form on the page.
ErrorTarget = str | tuple[forms.BaseForm, str]


def attach_errors(
    form, error: ValidationError, field_map: Mapping[str, ErrorTarget] | None = None
) -> None:
    """Show a service's ValidationError next to the form's fields; errors about fields the form
    does not have, or about no field, go on top of the form.

    field_map renames the service's names to the form's (NON_FIELD_ERRORS too: an error about no
    field said beside one), or sends them to another form of the page — (a formset's row, its
    field), (the shared part of a batch, its field) — where the same rule applies."""
    field_map = field_map or {}
    by_name = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error}
    for name, errors in by_name.items():
        target = field_map.get(name, name)
        into, field = target if isinstance(target, tuple) else (form, target)
        into.add_error(field if field in into.fields else None, errors)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each is checked by content in the form's clean."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class Select(forms.Select):
    """A select written out in Python, with Django's markup: the filters of the triage inbox and
    the ledger have a hundred options, and the template engine's include per option cost more
    than the rest of the form. Flat choices only (no optgroups)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for _group, options, _index in widget["optgroups"]
                for option in options
            ),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>', name, flatatt(widget["attrs"]), options
        )
