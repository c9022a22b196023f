"""The fields the API's serializers share: ids within the user's scope, categories by code,
moments and days, and text under the domain's input rules (cases.validators)."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import Category
from cases.validators import validate_calendar_day, validate_multiline, validate_single_line

TITLE_MAX = 200
TEXT_MAX = 10_000


class ScopedIdField(serializers.PrimaryKeyRelatedField):
    """An id among the objects a selector lets this user see; any other reads "does not exist"."""

    def __init__(self, scope, **kwargs):
        self.scope = scope
        kwargs.setdefault("pk_field", serializers.IntegerField())
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scope(self.context["actor"])


class CaseChildField(serializers.PrimaryKeyRelatedField):
    """The id of one of this case's own items (a commitment, a breakdown item)."""

    def __init__(self, related_name: str, **kwargs):
        self.related_name = related_name
        kwargs.setdefault("pk_field", serializers.IntegerField())
        super().__init__(**kwargs)

    def get_queryset(self):
        return getattr(self.context["case"], self.related_name).all()


class CategoryField(serializers.SlugRelatedField):
    """A category by its code (`power`, `labour` …); its numeric id is accepted on input too."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Category.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            category = self.get_queryset().filter(pk=data).first()
            if category is None:
                self.fail("does_not_exist", slug_name=self.slug_field, value=data)
            return category
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# The domain's input rules (cases.validators) on the fields, so a refusal names the field before
# the service, which checks the same again, is called.


class MomentField(serializers.DateTimeField):
    """ISO 8601 with its offset; a moment without one is read as Beijing time. 2000–2099."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [validate_calendar_day])
        super().__init__(**kwargs)


class DayField(serializers.DateField):
    """YYYY-MM-DD, 2000–2099."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [validate_calendar_day])
        super().__init__(**kwargs)


class ClientIdField(serializers.UUIDField):
    """A UUID the client made, written as a string: DRF would also take a number (12 becomes
    00000000-…-00c), which no client means as an id."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


def text_field(*, required: bool = True, max_length: int = TEXT_MAX) -> serializers.CharField:
    """Multi-line text (a description, a note, a reply): newlines kept, no NUL or other control."""
    if required:
        return serializers.CharField(max_length=max_length, validators=[validate_multiline])
    return serializers.CharField(
        max_length=max_length,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_multiline],
    )


def line_field(*, required: bool = True, max_length: int) -> serializers.CharField:
    """One line (a title, a batch): no line break, tab or other control character."""
    if required:
        return serializers.CharField(max_length=max_length, validators=[validate_single_line])
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, validators=[validate_single_line]
    )


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A choice the model stores as "" until made (outcome, rating): the API says null."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None
