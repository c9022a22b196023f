"""Where each new case event reaches the notification outbox (announced by cases.signals).

Called inside the transaction that recorded the event, with `event.case` the case the workflow has
locked and saved: the messages the event causes are written in that transaction (and delivered
after it commits), and the case's reminder cursor is recomputed whenever its deadlines or state
may have moved.
"""

from __future__ import annotations

from cases.letters import letter_cases
from cases.models import CaseEvent, CityEscalation, SupervisionNotice
from enterprises.models import Department
from notifications import audience, city_messages, messages, reminders
from notifications.outbox import outbox_rows, outbox_write

K = CaseEvent.Kind

# Events after which a deadline may run, stop, or move.
REPLAN = frozenset(
    {
        K.ASSIGNED,
        K.RETURNED,
        K.RETURN_REFUSED,
        K.ACCEPTED,
        K.EXTENSION_DECIDED,
        K.SUSPENSION_DECIDED,
        K.RESUMED,
        K.REPLIED,
        K.RATED,
        K.REOPENED,
        K.CLOSED,
        K.MERGED,
    }
)


def on_case_event(event: CaseEvent) -> None:
    """Called inside the transaction that recorded the event; writes the outbox rows it causes."""
    if event.kind in REPLAN:
        reminders.case_reminders_replan(event.case)
    compose = _MESSAGES.get(event.kind)
    if compose is not None:
        outbox_write(compose(event))


# Receivers of cases.signals (connected in notifications.apps).


def event_recorded(sender, *, event: CaseEvent, **kwargs) -> None:
    on_case_event(event)


def deadlines_moved(sender, *, case, calendar, **kwargs) -> None:
    reminders.case_reminders_replan(case, calendar=calendar)


def calendar_changed(sender, *, skip, **kwargs) -> None:
    reminders.reminders_replan_all(skip=skip)


def letter_issued(sender, *, letter, **kwargs) -> None:
    """交办函: the people of the department it is addressed to, and its group robot."""
    department = letter.department_id
    staff = audience.department_staff([department])[department]
    cases = letter_cases(letter.meeting, department).count()
    message = messages.letter_issued(letter, cases=cases)
    outbox_write(outbox_rows(message, staff.everyone, webhooks=[letter.department]))


def _lead_department(event: CaseEvent, message) -> list:
    case = event.case
    if case.lead_department_id is None:
        return []
    staff = audience.department_staff([case.lead_department_id])[case.lead_department_id]
    return outbox_rows(message, staff.everyone, webhooks=[case.lead_department])


def _enterprise(event: CaseEvent, message) -> list:
    return outbox_rows(message, audience.enterprise_contacts(event.case.enterprise_id))


class _Told:
    """Each person told once about one event — the first group that names them tells them — and
    never the person who caused it."""

    def __init__(self, event: CaseEvent):
        self.seen = {event.actor_id} if event.actor_id else set()

    def rows(self, message, people, *, webhooks=()) -> list:
        fresh = [person for person in people if person.user_id not in self.seen]
        self.seen.update(person.user_id for person in fresh)
        return outbox_rows(message, fresh, webhooks=webhooks)


def _robots(department_ids) -> list[Department]:
    ids = [pk for pk in department_ids if pk]
    return list(Department.objects.filter(pk__in=ids).exclude(webhook_url="")) if ids else []


def _assigned(event: CaseEvent) -> list:
    """交办: the lead department, the co-departments, the enterprise's paired cadres and the
    enterprise — told in plain words when its problem moved to another department after a return.
    Four queries whatever the number of co-departments and people."""
    case = event.case
    told = _Told(event)
    lead = case.lead_department_id
    co = [pk for pk in event.data.get("co_departments") or [] if pk != lead]
    staff = audience.department_staff([lead, *co])
    rows = told.rows(
        messages.assigned(event), staff[lead].everyone, webhooks=[case.lead_department]
    )
    if co:
        co_people = audience.unique(person for pk in co for person in staff[pk].everyone)
        rows += told.rows(messages.co_assigned(event), co_people, webhooks=_robots(co))
    rows += told.rows(messages.for_cadres(event), audience.enterprise_cadres(case.enterprise_id))
    returned_from = event.data.get("returned_from")
    for_enterprise = (
        messages.reassigned_for_enterprise(event)
        if returned_from and returned_from != lead
        else messages.assigned_for_enterprise(event)
    )
    return rows + told.rows(for_enterprise, audience.enterprise_contacts(case.enterprise_id))


def _created(event: CaseEvent) -> list:
    """A new problem: the office's people who want each one at once (the others read it in the
    daily digest)."""
    return _Told(event).rows(
        messages.new_case(event), audience.office_for_new_cases(event.case.county_id)
    )


def _breakdown(event: CaseEvent) -> list:
    """责任清单: the people of the department the item is addressed to, unless it is the lead's own."""
    department = event.department_id
    if department is None or department == event.case.lead_department_id:
        return []
    staff = audience.department_staff([department])[department]
    unit = Department.objects.get(pk=department)
    return _Told(event).rows(messages.breakdown_task(event, unit), staff.everyone, webhooks=[unit])


def _cadres(event: CaseEvent) -> list:
    """The enterprise's paired cadres: its problem was rated or closed out."""
    return _Told(event).rows(
        messages.for_cadres(event), audience.enterprise_cadres(event.case.enterprise_id)
    )


def _closed(event: CaseEvent) -> list:
    """销号: the enterprise (its problem is done) and its paired cadres."""
    return _cadres(event) + _enterprise(event, messages.closed_for_enterprise(event))


def _accepted(event: CaseEvent) -> list:
    return _enterprise(event, messages.contacted(event))


def _instruction(event: CaseEvent) -> list:
    return _lead_department(event, messages.instruction(event))


def _listed(event: CaseEvent) -> list:
    """挂牌督办: the lead department's people and its robot, and the county leaders of the task
    forces covering the enterprise — each once."""
    case = event.case
    told = _Told(event)
    lead = case.lead_department_id
    staff = audience.department_staff([lead])[lead] if lead else audience.Staff()
    message = messages.listed(event)
    rows = told.rows(message, staff.everyone, webhooks=[case.lead_department] if lead else [])
    leaders = audience.taskforce_leaders([case.enterprise_id]).get(case.enterprise_id, [])
    return rows + told.rows(message, leaders)


def _delisted(event: CaseEvent) -> list:
    """摘牌 by the office: the lead department; a close-out's own delisting tells nobody more."""
    if event.data.get("automatic"):
        return []
    return _lead_department(event, messages.delisted(event))


def _replied(event: CaseEvent) -> list:
    told = _Told(event)
    case = event.case
    rows = told.rows(messages.replied(event), audience.enterprise_contacts(case.enterprise_id))
    return rows + told.rows(
        messages.for_cadres(event), audience.enterprise_cadres(case.enterprise_id)
    )


def _reopened(event: CaseEvent) -> list:
    return _lead_department(event, messages.reopened(event))


def _urged(event: CaseEvent) -> list:
    """催办: the lead department's people and its robot, and the office's desk — each once, and not
    the person who urged."""
    case = event.case
    lead = audience.department_staff([case.lead_department_id])[case.lead_department_id]
    people = [
        person
        for person in audience.unique([*lead.everyone, *audience.office_staff(case.county_id).desk])
        if person.user_id != event.actor_id
    ]
    webhooks = [case.lead_department] if case.lead_department_id else []
    return outbox_rows(messages.urged(event), people, webhooks=webhooks)


def _supervised(event: CaseEvent) -> list:
    """督办单: the people of the department it is sent to and its group robot, told once for the
    notice — on the event of its first case (the others find that one recorded before them)."""
    notice_id = event.data.get("notice")
    earlier = CaseEvent.objects.filter(kind=K.SUPERVISED, data__notice=notice_id, pk__lt=event.pk)
    if notice_id is None or earlier.exists():
        return []
    notice = SupervisionNotice.objects.select_related("department").get(pk=notice_id)
    cases = list(notice.cases.select_related("enterprise").order_by("number"))
    staff = audience.department_staff([notice.department_id])[notice.department_id]
    message = messages.supervised(event, notice, cases)
    return _Told(event).rows(message, staff.everyone, webhooks=[notice.department])


def _extension_decided(event: CaseEvent) -> list:
    rows = _lead_department(event, messages.extension_decided(event, for_enterprise=False))
    if event.data.get("approved"):
        rows += _enterprise(event, messages.extension_decided(event, for_enterprise=True))
    return rows


# 上报市级 (cases.workflow.city): each step tells the next hand — the county's escalation the
# city's office, the office's assignment the city department, the department's 签收 and answer the
# county's office of the case.


def _escalation(event: CaseEvent) -> CityEscalation:
    return CityEscalation.objects.select_related("city_department").get(pk=event.data["escalation"])


def _city_escalated(event: CaseEvent) -> list:
    escalation = _escalation(event)
    people = audience.city_office_people(escalation.city_id)
    return _Told(event).rows(city_messages.city_escalated(event, escalation), people)


def _city_assigned(event: CaseEvent) -> list:
    escalation = _escalation(event)
    people = audience.city_department_people(escalation.city_department_id)
    return _Told(event).rows(city_messages.city_assigned(event, escalation), people)


def _to_county_office(compose):
    def rows(event: CaseEvent) -> list:
        escalation = _escalation(event)
        county = event.case.county_id
        return _Told(event).rows(
            compose(event, escalation),
            audience.office_staff(county).desk,
            webhooks=audience.office_webhooks(county),
        )

    return rows


_MESSAGES = {
    K.ASSIGNED: _assigned,
    K.ACCEPTED: _accepted,
    K.INSTRUCTION: _instruction,
    K.REPLIED: _replied,
    K.REOPENED: _reopened,
    K.EXTENSION_DECIDED: _extension_decided,
    K.URGED: _urged,
    K.LISTED: _listed,
    K.DELISTED: _delisted,
    K.SUPERVISED: _supervised,
    K.CREATED: _created,
    K.BREAKDOWN: _breakdown,
    K.RATED: _cadres,
    K.CLOSED: _closed,
    K.CITY_ESCALATED: _city_escalated,
    K.CITY_ASSIGNED: _city_assigned,
    K.CITY_CONTACTED: _to_county_office(city_messages.city_contacted),
    K.CITY_ANSWERED: _to_county_office(city_messages.city_answered),
}
