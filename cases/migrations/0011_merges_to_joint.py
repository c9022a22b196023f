"""Cross-enterprise merges become joint handling (cases.joint).

Before joint handling, the office could merge one enterprise's problem into another enterprise's
case: the merged enterprise's portal then pointed at a case it could not open, and it never got a
reply or a rating of its own. Each such merge now becomes a member of a joint group whose main
case is the case it was merged into (the end of the chain, if that one was merged in turn):

- the merged case takes back a status of its own, the group's: waiting for assignment, assigned
  or being handled as the main case is, with its lead department, co-departments and deadlines;
  if the main case was replied to (or closed out since), the member is replied to with the same
  reply and waits for its own enterprise's rating (the office then closes it out on its own);
- it gets the main case's carried events (the assignment, the acceptance, public progress, …,
  and the reply it now has) on its own timeline, at their own times, without the main
  enterprise's contact person; and a 并案办理 event saying so, with no other enterprise's name;
- a merge within one enterprise stays a merge; one whose enterprise already has a case in the
  group becomes a merge into that case (a true duplicate of it).

Rows are read one merged case at a time, each in its own transaction: there are a handful in a
county, and the migration may run again (a converted case is no longer merged).
"""

from django.db import migrations, transaction

OPEN = ("submitted", "assigned", "in_progress")
DONE = ("replied", "closed")
CARRIED = [
    "assigned",
    "returned",
    "return_refused",
    "accepted",
    "progress",
    "extension_decided",
    "suspension_decided",
    "resumed",
    "replied",
]
PRIVATE_DATA = {"person", "mobile", "contact", "request"}
MIRRORED = [
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
]


def _final_target(Case, case):
    seen = {case.pk}
    target = Case.objects.get(pk=case.merged_into_id)
    while target.status == "merged" and target.merged_into_id and target.pk not in seen:
        seen.add(target.pk)
        target = Case.objects.get(pk=target.merged_into_id)
    return target


def _carried_events(CaseEvent, main, replied: bool):
    events = CaseEvent.objects.filter(case_id=main.pk, kind__in=CARRIED).order_by(
        "created_at", "pk"
    )
    chosen = []
    for event in events:
        if event.kind == "progress" and not event.public:
            continue
        if event.kind in ("extension_decided", "suspension_decided") and not event.data.get(
            "approved"
        ):
            continue
        if event.kind == "replied":
            continue
        chosen.append(event)
    if replied:
        latest = events.filter(kind="replied").order_by("-created_at", "-pk").first()
        if latest is not None:
            chosen.append(latest)
    return chosen


def _copy(CaseEvent, event, case, data):
    fields = {f.name for f in CaseEvent._meta.get_fields()}
    values = {
        "case_id": case.pk,
        "kind": event.kind,
        "actor_id": event.actor_id,
        "department_id": event.department_id,
        "unit_kind": event.unit_kind,
        "unit_name": event.unit_name,
        "public": event.public,
        "note": event.note,
        "data": data,
    }
    if "internal_note" in fields:
        values["internal_note"] = event.internal_note
    copy = CaseEvent.objects.create(**values)
    CaseEvent.objects.filter(pk=copy.pk).update(created_at=event.created_at)


def _system_event(CaseEvent, case, note, data, public=True):
    CaseEvent.objects.create(
        case_id=case.pk, kind="joined", unit_kind="system", public=public, note=note, data=data
    )


def convert(Case, CaseEvent, case) -> str:
    """One merged case: "joint" (converted), "merged" (a merge within one enterprise, kept or
    pointed at the enterprise's own case in the group), or "skipped"."""
    if case.status != "merged" or not case.merged_into_id:
        return "skipped"
    target = _final_target(Case, case)
    main = Case.objects.select_for_update().get(pk=target.joint_group_id or target.pk)
    group = [main, *Case.objects.filter(joint_group_id=main.pk).exclude(pk=main.pk)]
    same = next((c for c in [target, *group] if c.enterprise_id == case.enterprise_id), None)
    if same is not None or main.status not in OPEN + DONE:
        into = same or target
        if case.merged_into_id != into.pk:
            case.merged_into_id = into.pk
            case.save(update_fields=["merged_into"])
        return "merged"

    if main.joint_group_id is None:
        main.joint_group_id = main.pk
        main.save(update_fields=["joint_group"])
    old_target = case.merged_into_id
    replied = main.status in DONE
    case.merged_into_id = None
    case.joint_group_id = main.pk
    for name in MIRRORED:
        setattr(case, name, getattr(main, name))
    if replied:
        case.status = "replied"
        case.outcome, case.reply, case.replied_at = main.outcome, main.reply, main.replied_at
        case.reply_round = 1
        case.rating = ""
        case.closed_at = None
        case.next_reminder_at = case.escalation_level = None
    else:
        case.status = main.status
        case.next_reminder_at, case.escalation_level = main.next_reminder_at, main.escalation_level
    case.save()
    case.co_departments.set(main.co_departments.all())

    for event in _carried_events(CaseEvent, main, replied):
        data = {k: v for k, v in event.data.items() if k not in PRIVATE_DATA}
        data.update({"joint_group": main.pk, "migrated": True})
        if event.kind == "replied":
            data["round"] = 1
        _copy(CaseEvent, event, case, data)
    _system_event(
        CaseEvent,
        case,
        "原“合并”改为并案办理：与其他企业反映的同类问题由牵头部门一并办理，分别答复、分别评价。",
        {"group": main.pk, "merged_into": old_target, "migrated": True},
    )
    _system_event(
        CaseEvent,
        main,
        f"另有企业反映了同类问题，原“合并”改为并案办理（共 {len(group) + 1} 家企业），分别答复。",
        {"group": main.pk, "case": case.pk, "migrated": True},
    )
    return "joint"


def merges_to_joint(apps, schema_editor=None) -> dict[str, int]:
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    ids = list(
        Case.objects.filter(status="merged", merged_into__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    counts = {"joint": 0, "merged": 0, "skipped": 0}
    for pk in ids:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            counts[convert(Case, CaseEvent, case)] += 1
    return counts


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_joint_handling"),
    ]

    operations = [
        migrations.RunPython(merges_to_joint, migrations.RunPython.noop, elidable=True),
    ]
