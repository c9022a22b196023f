"""并案办理 — joint handling: the same problem raised by several enterprises (one road, one power
line), handled by one lead department as one piece of work, while each enterprise keeps its own
case, its own public reply and its own rating.

Merging (合并, cases.workflow.case_merge) is only for a true duplicate of ONE enterprise: the
duplicate joins the case that carries on, and its enterprise follows that case. A case of another
enterprise is never merged (its enterprise could not open the case it was merged into, and would
never get a reply or a rating of its own): it is joined.

The group
    `Case.joint_group` names the group's main case (主办件), the one the lead department works on;
    the main case names itself, so every case of a group says which group it is in from its own
    row. A group holds one case per enterprise (two of one enterprise are duplicates: merge them).

Joining (the office: cases.workflow.case_join, from triage's 并案办理 or the case page)
    A case waiting for assignment (待交办) joins an open case of another enterprise whose lead
    department has not accepted it yet (待交办 or 已交办, not suspended); joining a member joins
    its group. Once the department has accepted, the group takes no one new: the contact with
    each enterprise is what the acceptance records. Joining an assigned group assigns the case
    with it at once: the same lead department, co-departments and deadlines (the main case's, as
    cases.deadlines counted them).

One piece of work, until the reply
    The department's and the office's handling is done on the main case; on a member those
    actions (ON_MAIN) are refused with a word naming the main case. What the main case records is
    carried to each member still in step with it (CARRIED): the assignment, a return and its
    refusal, the acceptance, each public progress note, an approved extension or suspension, the
    resumption, and the reply. Each member gets its own event — its enterprise is told as it
    would be of its own case — and its own public reply, the same words, with the same files
    (cases.attachments: a row on the member's event for each stored file), which its enterprise
    downloads from its own case. An internal note is not carried, nor its files; the main
    enterprise's own uploads stay on its case. As those texts reach every enterprise of the group,
    a carried text naming one of the group's enterprises is refused: an enterprise never reads
    another enterprise's name.

After the reply, each case is its own
    Each enterprise rates its own case (or its cadre records the rating on a return visit); the
    office closes each out on its own; the department appeals one case's rating. A dissatisfied
    rating — or the office reopening a closed case — reopens that case alone, and it leaves the
    group: back to the same lead department with a fresh resolve deadline, handled on its own. The
    others keep their reply, their rating and their close-out: one enterprise's dissatisfaction
    does not undo the others' satisfaction, and the follow-up it needs is its own (what a county
    office expects). When the main case leaves, the earliest remaining case becomes the main; a
    group left with one case ends.

Leaving (the office: cases.workflow.case_leave_joint)
    Any open case may be taken out of its group; it keeps the state it has and is handled on its
    own from then on (the department accepts it, replies to it, …).

What each sees
    Staff read "并案办理：与 N 家企业的同类问题一并办理" with the other cases linked (those in their
    scope); an enterprise reads the same sentence and nothing of the others — no name, no number.
    The API gives staff `joint_group` and `joint_cases`, and everyone `joint_enterprises` (N).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cases.models import Case, CaseEvent

S = Case.Status
K = CaseEvent.Kind

# A group takes a new case while its main case waits for the lead department's acceptance.
JOINABLE = (S.SUBMITTED, S.ASSIGNED)

# The transitions done on the main case only (cases.workflow refuses them on a member).
ON_MAIN = frozenset(
    {
        "assign",
        "refuse_return",
        "return",
        "accept",
        "progress",
        "breakdown",
        "request_extension",
        "decide_extension",
        "request_suspension",
        "decide_suspension",
        "resume",
        "reply",
    }
)

# What the main case records that is carried to its members, and the states a member must be in
# to be in step (the main case's state before the action). A progress note is carried when it is
# public; an extension or a suspension when it was approved.
ACTIVE = (S.ASSIGNED, S.IN_PROGRESS)
CARRIED: dict[str, tuple[str, ...]] = {
    K.ASSIGNED: (S.SUBMITTED,),
    K.RETURNED: (S.ASSIGNED,),
    K.RETURN_REFUSED: (S.SUBMITTED,),
    K.ACCEPTED: (S.ASSIGNED,),
    K.PROGRESS: ACTIVE,
    K.EXTENSION_DECIDED: ACTIVE,
    K.SUSPENSION_DECIDED: (S.IN_PROGRESS,),
    K.RESUMED: (S.IN_PROGRESS,),
    K.REPLIED: (S.IN_PROGRESS,),
}

# The handling a member shares with its main case, copied from it on each carried event.
MIRRORED = (
    "status",
    "lead_department_id",
    "batch",
    "assigned_at",
    "contact_due_at",
    "contact_due_from",
    "contact_due_working_days",
    "contacted_at",
    "resolve_due_at",
    "resolve_due_from",
    "resolve_due_working_days",
    "returned_from_id",
    "designated",
    "return_count",
    "suspended_at",
    "suspended_days",
)
# … and on the reply, the reply itself.
REPLY_FIELDS = ("outcome", "reply", "replied_at")

# What a carried event's data does not take along: the main enterprise's contact person (name,
# mobile) and the main case's own requests.
PRIVATE_DATA = frozenset({"person", "mobile", "contact", "request"})

# The public text of each carried kind, as the workflow's field that holds it (for the refusal).
TEXT_FIELDS = {K.ACCEPTED: "contact_note", K.PROGRESS: "note", K.REPLIED: "reply"}


def carries(event: CaseEvent) -> bool:
    """Whether this event on a main case is carried to its members."""
    if event.kind not in CARRIED:
        return False
    if event.kind == K.PROGRESS:
        return event.public
    if event.kind in (K.EXTENSION_DECIDED, K.SUSPENSION_DECIDED):
        return bool(event.data.get("approved"))
    return True


def group_of(case: Case):
    """Every case of the case's group, the case included (none when it is handled alone)."""
    if case.joint_group_id is None:
        return Case.objects.none()
    return Case.objects.filter(joint_group_id=case.joint_group_id)


def others_of(case: Case) -> list[Case]:
    """The other cases of its group, the main case first, with their enterprises."""
    others = group_of(case).exclude(pk=case.pk).select_related("enterprise", "lead_department")
    return sorted(others, key=lambda c: (c.pk != c.joint_group_id, c.pk))


def enterprise_count(others: Iterable[Case]) -> int:
    """How many other enterprises: the N of "与 N 家企业的同类问题一并办理"."""
    return len({c.enterprise_id for c in others})


def attach_groups(cases: Sequence[Case]) -> Sequence[Case]:
    """Set `joint_case_ids` (the other cases of each one's group) and `joint_enterprises` on a
    page of cases: one query, and none when no case on the page is handled jointly."""
    groups = {c.joint_group_id for c in cases if c.joint_group_id is not None}
    rows = []
    if groups:
        rows = Case.objects.filter(joint_group_id__in=groups).order_by("pk")
        rows = list(rows.values_list("pk", "joint_group_id", "enterprise_id"))
    for case in cases:
        others = [(pk, e) for pk, g, e in rows if g == case.joint_group_id and pk != case.pk]
        case.joint_case_ids = [pk for pk, _e in others]
        case.joint_enterprises = len({e for _pk, e in others})
    return cases


def names_in(text: str, enterprise_names: Iterable[str]) -> list[str]:
    """The enterprise names a text carried to every enterprise of a group would show."""
    return sorted({name for name in enterprise_names if name and name in (text or "")})
