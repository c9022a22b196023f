from django import forms, template

from portal.attachments import attachments_of

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
    """The photos and PDFs of a case the page has already found visible to the user.

    Usage on the shared case page: {% load portal_tags %}{% case_attachments case %}
    """
    return {"attachments": list(attachments_of(case))}
