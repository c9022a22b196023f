"""上报市级 (issue 22, 整体优化): what a county cannot solve alone — an electricity price, a land
quota, a province's policy — goes up to its city. One row per escalation: the county office's
政策建议, the city office's assignment to a city department (with deadlines counted by the same
working-day clock as a county's), and that department's answer, which comes back to the case's
timeline (cases.workflow.city). A case may go up again once the city has answered — never two
open at once (the constraint city_escalation_one_open) — so its rows are its history.

A city deadline that went late is told to the city's office once, by the case reminders' own
exactly-once rule: a notifications.models.Reminder row of the escalation's case, keyed by the
deadline (CITY_CONTACT, CITY_ANSWER) and this escalation's due time (notifications.city_reminders)
— an escalation again has due times of its own, so its deadlines are told in their turn."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from counties.models import City, CityDepartment


class CityEscalation(models.Model):
    class State(models.TextChoices):
        ESCALATED = "escalated", _("待市委办交办")
        ASSIGNED = "assigned", _("市直部门办理中")
        ANSWERED = "answered", _("市直部门已答复")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="city_escalations", verbose_name=_("问题")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("市")
    )
    proposal = models.TextField(_("政策建议"))
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上报人"),
    )
    escalated_at = models.DateTimeField(_("上报时间"))
    city_department = models.ForeignKey(
        CityDepartment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("承办市直部门"),
    )
    assign_note = models.TextField(_("交办意见"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("交办人"),
    )
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    # The city department's two deadlines, counted like a county department's (cases.deadlines):
    # the contact rule's working days for its first answer to the county, the office's for the
    # answer itself.
    contact_due_at = models.DateTimeField(_("对接期限"), null=True, blank=True)
    answer_working_days = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"), null=True, blank=True
    )
    answer_due_at = models.DateTimeField(_("答复期限"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    answer = models.TextField(_("答复意见"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("答复人"),
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("上报市级")
        verbose_name_plural = _("上报市级")
        ordering = ["-escalated_at", "-id"]
        indexes = [
            models.Index(fields=["city", "-escalated_at"], name="city_escalation_city"),
            models.Index(fields=["city_department", "-escalated_at"], name="city_escalation_dept"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(answered_at__isnull=True),
                name="city_escalation_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_state_display()}"

    @property
    def state(self) -> str:
        if self.answered_at is not None:
            return self.State.ANSWERED
        if self.city_department_id is not None:
            return self.State.ASSIGNED
        return self.State.ESCALATED

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)
