"""The back office (Django admin) for the domain apps' tables: a page like any other, so it sits
with the pages and may use their forms (web.forms.InputRulesAdmin) while the domain below it
knows nothing of it (docs/architecture.md). Django's admin autodiscovery imports this package."""

from web.admin import cases, counties, enterprises, taskforces  # noqa: F401 — each registers its models
