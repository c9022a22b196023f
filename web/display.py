"""Large text (适老化): any signed-in user may switch it on, and it stays on for them on every
device and every later sign-in (web.models.DisplayPreference).

The pages read the choice from the session, so showing it costs no query: it is copied there when
the user signs in, and written to both places when they switch it.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from web.models import DisplayPreference

SESSION_KEY = "large_text"


def large_text_on(request) -> bool:
    """Whether this request's pages are shown in large text."""
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(SESSION_KEY))


def large_text_choose(request, *, on: bool) -> DisplayPreference:
    preference, _created = DisplayPreference.objects.update_or_create(
        user=request.user, defaults={"large_text": on}
    )
    request.session[SESSION_KEY] = on
    return preference


@receiver(user_logged_in, dispatch_uid="web.display.remember_large_text")
def remember_large_text(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = DisplayPreference.objects.filter(
            user=user, large_text=True
        ).exists()
