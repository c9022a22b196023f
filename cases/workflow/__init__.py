"""The case workflow (DESIGN §4): every transition and every recorded action.

Each function locks the case row, checks the actor's role (ActionForbidden → 403) and the case's
state (InvalidState → 409), validates its input (ValidationError → 400), changes the case, writes
its event and the notifications the event causes — all in one transaction, so nothing is
half-saved and two concurrent transitions cannot both win.

Callers use the package (`from cases import workflow; workflow.case_assign(...)`); its parts:

- rules: who may do what, and when — the role predicates, the TRANSITIONS table, allowed_actions,
  and the permissions the pages ask too (may_tick_item, may_keep_commitment, rating_conflict);
- steps: what every action does — lock, authorise, record the event (carried to a joint group),
  and the workflow's clock and calendar;
- counts: a deadline's working-day count kept through return, suspension and reopening;
- assignment: 交办, 退回, 指定办理;
- handling: 签收并对接, 进展, 反馈;
- breakdown: 责任清单 and its ticking; commitments: 亮诺践诺;
- requests: 延期, 挂起 and 恢复办理;
- closing: 评价, its appeal, 销号, 重新办理;
- supervision: 催办 and 批示;
- listing: 挂牌督办 and 摘牌, the office's decision on the ladder's proposal;
- joining: 合并 and 并案办理;
- city: 上报市级 — the county office's escalation, the city's assignment, its department's answer.
"""

from django.core.exceptions import ValidationError

from cases.errors import ActionForbidden, InvalidState
from cases.workflow.assignment import case_assign, case_refuse_return, case_return
from cases.workflow.breakdown import breakdown_item_complete, case_add_breakdown_item
from cases.workflow.city import (
    case_escalate_to_city,
    city_clocks,
    city_escalation_answer,
    city_escalation_assign,
    city_escalation_contact,
    may_answer_in_city,
    may_assign_in_city,
)
from cases.workflow.closing import (
    case_appeal_rating,
    case_close,
    case_decide_appeal,
    case_rate,
    case_reopen,
    cases_close,
)
from cases.workflow.commitments import case_add_commitment, commitment_keep
from cases.workflow.handling import CONTACT_METHODS, case_accept, case_add_progress, case_reply
from cases.workflow.joining import case_join, case_leave_joint, case_merge
from cases.workflow.listing import (
    case_delist,
    case_list,
    delist_finished,
    proposed_for_listing,
)
from cases.workflow.requests import (
    case_decide_extension,
    case_decide_suspension,
    case_request_extension,
    case_request_suspension,
    case_resume,
)
from cases.workflow.rules import (
    ACTIVE,
    TRANSITIONS,
    S,
    Transition,
    Who,
    allowed_actions,
    deadline_passed,
    interested_departments,
    is_cadre_of_enterprise,
    is_co,
    is_county_leadership,
    is_county_office,
    is_disinterested_cadre,
    is_enterprise_contact,
    is_enterprise_past_deadline,
    is_lead,
    is_office,
    is_taskforce_reviewer,
    may_keep_commitment,
    may_tick_item,
    rating_conflict,
    rating_conflicts,
)
from cases.workflow.supervision import (
    case_instruct,
    case_urge,
    instruction_acknowledge,
    urge_again_after,
    urge_again_at,
)

__all__ = [
    # the errors the actions raise
    "ActionForbidden",
    "InvalidState",
    "ValidationError",
    # rules
    "ACTIVE",
    "S",
    "TRANSITIONS",
    "Transition",
    "Who",
    "allowed_actions",
    "deadline_passed",
    "interested_departments",
    "is_cadre_of_enterprise",
    "is_co",
    "is_county_leadership",
    "is_county_office",
    "is_disinterested_cadre",
    "is_enterprise_contact",
    "is_enterprise_past_deadline",
    "is_lead",
    "is_office",
    "is_taskforce_reviewer",
    "may_keep_commitment",
    "may_tick_item",
    "rating_conflict",
    "rating_conflicts",
    # assignment
    "case_assign",
    "case_refuse_return",
    "case_return",
    # handling
    "CONTACT_METHODS",
    "case_accept",
    "case_add_progress",
    "case_reply",
    # breakdown and commitments
    "breakdown_item_complete",
    "case_add_breakdown_item",
    "case_add_commitment",
    "commitment_keep",
    # requests
    "case_decide_extension",
    "case_decide_suspension",
    "case_request_extension",
    "case_request_suspension",
    "case_resume",
    # closing
    "case_appeal_rating",
    "case_close",
    "case_decide_appeal",
    "case_rate",
    "case_reopen",
    "cases_close",
    # supervision
    "case_instruct",
    "case_urge",
    "instruction_acknowledge",
    "urge_again_after",
    "urge_again_at",
    # listing
    "case_delist",
    "case_list",
    "delist_finished",
    "proposed_for_listing",
    # city
    "case_escalate_to_city",
    "city_clocks",
    "city_escalation_answer",
    "city_escalation_assign",
    "city_escalation_contact",
    "may_answer_in_city",
    "may_assign_in_city",
    # joining
    "case_join",
    "case_leave_joint",
    "case_merge",
]
