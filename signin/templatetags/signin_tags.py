"""What the login pages offer besides the password: a tag, so the password page (web's LoginView)
lists the configured vendors without web importing this app."""

from django import template

from signin.vendors import configured_flows

register = template.Library()


@register.simple_tag
def signin_vendors():
    """The configured vendors, each with `key` and `label`, for the 扫码登录 buttons."""
    return [{"key": flow.key, "label": flow.label} for flow in configured_flows()]
