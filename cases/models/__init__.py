"""The case-handling models, one module per area; `from cases.models import X` names them all.

cases: the case, its category and numbering · visits: 走访 and their photos · events: the
timeline · commitments: 责任清单 and 亮诺 · requests: extensions and suspensions · ratings: 好差评 ·
meetings: 交办会/调度会 · documents: 文号 · bulletins: 奖惩通报 · letters: 交办函 and their 回执 · supervision: 督办单 · city: 上报市级 ·
attachments: the files of problems, notes and replies · calendar: the office's working-day
overrides.
"""

from cases.models.attachments import CaseAttachment, EventAttachment
from cases.models.attachments import _event_attachment_path as _event_attachment_path
from cases.models.attachments import _private_storage as _private_storage
from cases.models.bulletins import Bulletin
from cases.models.calendar import CalendarOverride
from cases.models.cases import Case, CaseCounter, Category
from cases.models.city import CityEscalation
from cases.models.commitments import BreakdownItem, Commitment
from cases.models.documents import DocumentSequence
from cases.models.events import CaseEvent
from cases.models.letters import AssignmentLetter
from cases.models.meetings import Meeting
from cases.models.ratings import Rating
from cases.models.requests import Request
from cases.models.supervision import SupervisionNotice
from cases.models.visits import Visit, VisitPhoto

# The two helpers above are named by migration 0014 (cases.models._event_attachment_path, …).

__all__ = [
    "AssignmentLetter",
    "BreakdownItem",
    "Bulletin",
    "CalendarOverride",
    "Case",
    "CaseAttachment",
    "CaseCounter",
    "CaseEvent",
    "Category",
    "CityEscalation",
    "Commitment",
    "DocumentSequence",
    "EventAttachment",
    "Meeting",
    "Rating",
    "Request",
    "SupervisionNotice",
    "Visit",
    "VisitPhoto",
]
