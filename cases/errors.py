"""Why a workflow step was refused. Each maps to one answer: 403, 409 or 400 (ValidationError)."""

from django.utils.translation import gettext as _


class WorkflowError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ActionForbidden(WorkflowError):
    """The user may see the case but not do this (403)."""


class InvalidState(WorkflowError):
    """The case's current state does not allow this action (409)."""

    def __init__(self, message: str, *, status: str):
        super().__init__(message)
        self.status = status


def forbidden(action_label: str) -> ActionForbidden:
    return ActionForbidden(_("您的角色不能对此问题执行“%(action)s”。") % {"action": action_label})


class ClientIdTaken(WorkflowError):
    """What was sent carries a phone's id (client_id) already used by someone else (409): never
    the same record answered to another user, never a second record under the same id."""


class LimitReached(WorkflowError):
    """The record already holds as many of these as it may (409): a visit with all its photos."""
