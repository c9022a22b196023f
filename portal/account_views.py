"""The contacts' accounts: the office and the paired cadres open logins for an enterprise's
contact people; the office resets a password; everyone may change their own."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import EnterpriseContact
from portal import selectors, services
from portal.forms import ContactCreateForm, PortalPasswordChangeForm
from web.forms import attach_errors
from web.middleware import request_actor
from web.query import search_param

ENTERPRISES_PER_PAGE = 30


def _managed_enterprises(request):
    actor = request_actor(request)
    enterprises = selectors.enterprises_managed_by(actor)
    if not actor.is_office and not enterprises.exists():
        raise PermissionDenied(_("只有县委办和结对干部可以管理企业账号。"))
    return actor, enterprises


@login_required
def accounts(request):
    """企业账号: the enterprises whose contacts this user may create, with how many each has."""
    _actor, enterprises = _managed_enterprises(request)
    query = search_param(request.GET, "q")
    enterprises = selectors.with_contact_count(selectors.search_enterprises(enterprises, query))
    page = Paginator(enterprises, ENTERPRISES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/accounts.html", {"page": page, "query": query})


@login_required
def enterprise_contacts(request, pk: int):
    """One enterprise's contacts; a form creates another (the password is shown once)."""
    actor = request_actor(request)
    enterprise = get_object_or_404(selectors.enterprises_managed_by(actor), pk=pk)
    posted = request.method == "POST"
    form = ContactCreateForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            contact, password = services.contact_create(
                actor=actor, enterprise=enterprise, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return _one_time_password(request, contact, password, created=True)
    contacts = enterprise.contacts.select_related("user").order_by("user__username")
    return render(
        request,
        "portal/enterprise_contacts.html",
        {"enterprise": enterprise, "contacts": contacts, "form": form, "actor": actor},
    )


@login_required
@require_POST
def contact_reset_password(request, pk: int):
    actor = request_actor(request)
    contact = get_object_or_404(selectors.contacts_managed_by(actor), pk=pk)
    password = services.contact_reset_password(actor=actor, contact=contact)
    return _one_time_password(request, contact, password, created=False)


def _one_time_password(request, contact: EnterpriseContact, password: str, *, created: bool):
    # Shown in this answer only: never stored, never cached, never put in a redirect or a message.
    response = render(
        request,
        "portal/one_time_password.html",
        {"contact": contact, "password": password, "created": created},
    )
    add_never_cache_headers(response)
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "portal/password_change.html"
    form_class = PortalPasswordChangeForm
    success_url = reverse_lazy("portal:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "portal/password_change_done.html"
