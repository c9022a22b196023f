"""get_FOO_display() without rebuilding the field's choices on every call.

Django's own implementation turns all of a field's choices into a hashable dict each time it is
called; with lazily translated labels that hashes (and translates) every label of the field — for
a 25-kind timeline of 50 events, 1,250 translations to show 50 labels. Here the value → label map
is built once per field and only the label shown is translated.
"""

from __future__ import annotations

from django.utils.encoding import force_str

_LABELS: dict[object, dict] = {}


class QuickDisplay:
    """Mix into a model (before models.Model) to get the cached get_FOO_display()."""

    def _get_FIELD_display(self, field):
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value: no label for it
            label = value
        return force_str(label, strings_only=True)
