from cases.roles import actor_for


def roles_and_calendar(request):
    """The signed-in user's roles for navigation (the calendar banner is added by the web layer)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    actor = getattr(request, "actor", None) or actor_for(user)
    return {"actor": actor}
