from django import forms, template
from django.utils import timezone

from cases import timeline
from cases.attachments import attachments_of
from cases.models import Case, CaseEvent
from cases.selectors import work_calendar
from portal import selectors

register = template.Library()


@register.filter
def bootstrap(field):
    """A form field's widget with Bootstrap's classes, marked invalid when it has errors."""
    widget = field.field.widget
    if isinstance(widget, forms.Select):
        css = "form-select"
    elif isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-describedby"] = f"error-{field.name}"
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("portal/_case_attachments.html")
def case_attachments(case):
    """The photos, PDFs and documents of a case the page has already found visible to the user.

    Usage on the shared case page: {% load portal_tags %}{% case_attachments case %}
    """
    return {"attachments": list(attachments_of(case))}


@register.simple_tag
def enterprise_next(case: Case) -> dict:
    """What happens next on the case and who handles it, as its enterprise reads them (the
    shared case page, for the enterprise): {% enterprise_next case as plain %}."""
    last_urge = (
        case.events.filter(kind=CaseEvent.Kind.URGED, unit_kind=CaseEvent.Unit.ENTERPRISE)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    step = selectors.next_step(
        case,
        rated=case.ratings.filter(reply_round=case.reply_round).exists(),
        now=timezone.now(),
        calendar=work_calendar(),
        urged_at=last_urge,
    )
    return {"next": step, "handler": selectors.handler(case)}


@register.filter
def recorded_by(rating) -> str:
    """Who recorded a rating: {{ rating|recorded_by }}."""
    return timeline.recorded_by(rating)
