"""What the login pages offer besides the password: a tag, so the password page (web's LoginView)
lists the configured vendors without web importing this app."""

from django import template

from signin.vendors import configured_flows

register = template.Library()


@register.simple_tag
def signin_vendors():
    """The vendors each county configured, each with `key`, `label`, `county` (its id) and
    `place` (its name, when more than one county offers that vendor), for the 扫码登录 buttons."""
    flows = configured_flows()
    offered = [flow.key for flow, _county in flows]
    return [
        {
            "key": flow.key,
            "label": flow.label,
            "county": county.pk,
            "place": county.name if offered.count(flow.key) > 1 else "",
        }
        for flow, county in flows
    ]
