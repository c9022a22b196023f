"""Name the actor's own unit on the events written before units were kept (cases.units), where it
is known, from each actor's current role and by the same rules as cases.units.actor_unit:

- no actor, on a reminder or a deadlines recount: the system;
- the office's staff (and superusers): the office, by its department's name;
- an enterprise's contact: the case's enterprise;
- a task force's member, on what they do as one (登记, 评价, 重办, 批示): their task force, the one
  covering the case's enterprise if any;
- a department's staff: their department;
- any other task force member: their task force.

Anything else (a deleted user, a user with no role left) stays unknown (unit_kind ""), and an
event that already names its unit is left alone, so the migration may run again. Whole groups are
updated at once, one id window at a time (a million events in about twenty windows, each its own
transaction), with the names read by correlated subqueries: no row is loaded into Python.
"""

from django.conf import settings
from django.db import migrations, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

WINDOW = 50_000
AUTOMATIC = ["reminder", "deadlines_recounted"]
AS_TASKFORCE = ["created", "rated", "reopened", "instruction"]


def fill_event_units(apps, schema_editor=None):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    Case = apps.get_model("cases", "Case")
    Department = apps.get_model("enterprises", "Department")
    DepartmentStaff = apps.get_model("enterprises", "DepartmentStaff")
    EnterpriseContact = apps.get_model("enterprises", "EnterpriseContact")
    TaskForceMember = apps.get_model("taskforces", "TaskForceMember")
    User = apps.get_model(settings.AUTH_USER_MODEL)

    unknown = CaseEvent.objects.filter(unit_kind="")
    bounds = unknown.order_by("pk").values_list("pk", flat=True)
    first, last = bounds.first(), bounds.reverse().first()
    if first is None:
        return

    office_staff = DepartmentStaff.objects.filter(department__kind="office")
    office_name = (
        Department.objects.filter(kind="office")
        .order_by("-active", "pk")
        .values_list("name", flat=True)
        .first()
        or ""
    )
    staff_department = _name(
        DepartmentStaff.objects.filter(user_id=OuterRef("actor_id")).values("department__name")
    )
    memberships = TaskForceMember.objects.filter(user_id=OuterRef("actor_id")).order_by(
        "-task_force__active", "task_force__name"
    )
    taskforce = Coalesce(
        Subquery(
            memberships.filter(task_force__enterprises__cases=OuterRef("case_id")).values(
                "task_force__name"
            )[:1]
        ),
        _name(memberships.values("task_force__name")),
    )
    members = TaskForceMember.objects.values("user_id")
    steps = [
        (Q(actor_id__isnull=True, kind__in=AUTOMATIC), "system", Value("")),
        (Q(actor_id__in=office_staff.values("user_id")), "office", staff_department),
        (
            Q(actor_id__in=User.objects.filter(is_superuser=True).values("pk")),
            "office",
            Value(office_name),
        ),
        (
            Q(actor_id__in=EnterpriseContact.objects.values("user_id")),
            "enterprise",
            _name(Case.objects.filter(pk=OuterRef("case_id")).values("enterprise__name")),
        ),
        (Q(actor_id__in=members, kind__in=AS_TASKFORCE), "taskforce", taskforce),
        (Q(actor_id__in=DepartmentStaff.objects.values("user_id")), "department", staff_department),
        (Q(actor_id__in=members), "taskforce", taskforce),
    ]
    for start in range(first, last + 1, WINDOW):
        window = unknown.filter(pk__gte=start, pk__lt=start + WINDOW)
        with transaction.atomic():
            for condition, kind, name in steps:
                # Each step reads the window anew: an earlier step's rows are no longer unknown,
                # so the first rule that matches an event wins.
                window.filter(condition).update(unit_kind=kind, unit_name=name)


def _name(values):
    """The first name a query gives, "" when it gives none (unit_name is never NULL)."""
    return Coalesce(Subquery(values[:1]), Value(""))


class Migration(migrations.Migration):
    atomic = False  # each window is its own transaction (see fill_event_units)

    dependencies = [
        ("cases", "0008_event_units"),
        ("enterprises", "0002_webhook_url_vetted"),
        ("taskforces", "0002_reviews_and_account_changes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(fill_event_units, migrations.RunPython.noop)]
