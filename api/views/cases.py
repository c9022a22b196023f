"""Cases: list, create, read, the timeline, and every workflow transition as POST …/<action>/.

Each action finds the case among those the user may see (404 otherwise), parses its input (400),
calls the one workflow function (which answers 403, 409 or 400), and answers the updated case.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from api import serializers as s
from api.filters import CaseFilter
from api.schema import errors
from api.views.base import ApiView
from cases import intake, joint, workflow
from cases.deadlines import with_overdue
from cases.models import Case, EventAttachment
from cases.selectors import (
    case_events_visible_to,
    cases_visible_to,
    city_escalations_of_case,
    sees_internal_events,
)
from cases.uploads import EXTENSIONS
from web.downloads import UNKNOWN_TYPE, StoredFileMissing, stored_file_response


def case_queryset(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What CaseSerializer reads, with `with_co_departments` on the fetched page.

    Newest first by id, which follows the primary key's index: a page of 100,000 cases reads 50
    rows, where the model's (created_at, id) order would sort them all.
    """
    return with_overdue(cases, timezone.now()).order_by("-pk").select_related("category")


def with_co_departments(cases: list[Case]) -> list[Case]:
    """Each case's co-department ids, in one query for the whole page (a prefetch_related would
    build a queryset per case: a third of the list's time); and the other cases of each one's
    joint group (cases.joint: one more query, only when the page has a case handled jointly)."""
    ids: dict[int, list[int]] = {case.pk: [] for case in cases}
    pairs = Case.co_departments.through.objects.filter(case_id__in=list(ids)).order_by("pk")
    for case_id, department_id in pairs.values_list("case_id", "department_id"):
        ids[case_id].append(department_id)
    for case in cases:
        case.co_department_ids = ids[case.pk]
    joint.attach_groups(cases)
    return cases


def case_action(path: str, serializer, summary: str, codes=(400, 403, 409), name: str = ""):
    """A POST …/cases/{id}/<path>/ action taking `serializer` and answering the case (its URL
    named `name`, else its path)."""

    def decorate(method):
        method = action(
            detail=True,
            methods=["post"],
            url_path=path,
            url_name=name or path,
            serializer_class=serializer,
            filterset_class=None,
        )(method)
        return extend_schema(
            summary=summary,
            description="Answers the updated case.",
            request=serializer,
            responses={200: s.CaseSerializer, **errors(*codes)},
        )(method)

    return decorate


def _keep_commitment(*, actor, case, **data):
    return workflow.commitment_keep(actor=actor, **data)


def _complete_breakdown(*, actor, case, **data):
    return workflow.breakdown_item_complete(actor=actor, **data)


class CaseViewSet(
    ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """问题/诉求: one problem of one enterprise, and its workflow (DESIGN §4)."""

    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self):
        return case_queryset(cases_visible_to(self.actor))

    @extend_schema(
        summary="Cases the user may see",
        responses={200: s.CaseSerializer(many=True), **errors(400)},
    )
    def list(self, request, *args, **kwargs):
        page = with_co_departments(
            self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="One case")
    def retrieve(self, request, *args, **kwargs):
        (case,) = with_co_departments([self.get_object()])
        return Response(self.get_serializer(case).data)

    @extend_schema(
        summary="Raise a problem outside a visit (the enterprise, its task force, the office)",
        request=s.CaseCreateSerializer,
        responses={201: s.CaseSerializer, **errors(400, 403)},
    )
    def create(self, request, *args, **kwargs):
        serializer = s.CaseCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        case = intake.case_create(actor=self.actor, **serializer.validated_data)
        return Response(self.present(case), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The case's timeline (an enterprise sees its public events only)",
        responses={200: s.CaseEventSerializer(many=True)},
        filters=False,
    )
    @action(
        detail=True, methods=["get"], serializer_class=s.CaseEventSerializer, filterset_class=None
    )
    def events(self, request, pk=None):
        case = self.get_object()
        events = (
            case_events_visible_to(self.actor, case)
            .select_related("actor")
            .prefetch_related("attachments")
            .order_by("created_at", "id")
        )
        page = self.paginate_queryset(events)
        context = {
            **self.get_serializer_context(),
            "internal": sees_internal_events(self.actor, case),
        }
        return self.get_paginated_response(
            s.CaseEventSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        summary="The case's escalations to its city (上报市级), the first first: empty for a "
        "reader of none of them",
        responses={200: s.CityEscalationSerializer(many=True)},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="city-escalations",
        serializer_class=s.CityEscalationSerializer,
        filterset_class=None,
        pagination_class=None,
    )
    def city_escalations(self, request, pk=None):
        escalations = city_escalations_of_case(self.actor, self.get_object())
        return Response(s.CityEscalationSerializer(escalations, many=True).data)

    @extend_schema(
        summary="A file of an event of the case's timeline (its `attachments[].url`)",
        responses={
            (200, content_type): OpenApiTypes.BINARY
            for content_type in [*EXTENSIONS, UNKNOWN_TYPE[0]]
        },
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"files/(?P<file_id>[0-9]+)",
        url_name="file",
        filterset_class=None,
        pagination_class=None,
    )
    def file(self, request, pk=None, file_id=None):
        """Only from an event the caller may read (an enterprise: its case's public events);
        any other file does not exist (404), as on the case page (web.case_views.event_file)."""
        case = self.get_object()
        attachment = get_object_or_404(
            EventAttachment.objects.filter(
                case=case, event__in=case_events_visible_to(self.actor, case)
            ),
            pk=file_id,
        )
        try:
            return stored_file_response(attachment)
        except StoredFileMissing:
            raise NotFound() from None

    def perform_content_negotiation(self, request, force=False):
        # A file answers whatever its type; only its refusals are rendered (as JSON).
        return super().perform_content_negotiation(request, force=force or self.action == "file")

    # --- transitions ---------------------------------------------------------------------------

    def act(self, service):
        case = self.get_object()
        context = {**self.get_serializer_context(), "case": case}
        serializer = self.get_serializer(data=self.request.data, context=context)
        serializer.is_valid(raise_exception=True)
        service(actor=self.actor, case=case, **serializer.validated_data)
        return Response(self.present(case))

    def present(self, case: Case) -> dict:
        # Unscoped on purpose: after a return the department no longer sees the case it just
        # handed back, and it is still owed the answer.
        (fresh,) = with_co_departments([case_queryset(Case.objects.filter(pk=case.pk)).get()])
        return s.CaseSerializer(fresh, context=self.get_serializer_context()).data

    @case_action("assign", s.AssignSerializer, "交办: assign to a lead department (office)")
    def assign(self, request, pk=None):
        return self.act(workflow.case_assign)

    @case_action("refuse-return", s.NoteSerializer, "指定办理: refuse a return (office)")
    def refuse_return(self, request, pk=None):
        return self.act(workflow.case_refuse_return)

    @case_action("return", s.ReturnSerializer, "退回: send back before accepting (lead department)")
    def return_(self, request, pk=None):
        return self.act(workflow.case_return)

    @case_action("accept", s.AcceptSerializer, "签收并对接: accept and record the first contact")
    def accept(self, request, pk=None):
        return self.act(workflow.case_accept)

    @case_action("progress", s.ProgressSerializer, "办理进展: record progress")
    def progress(self, request, pk=None):
        return self.act(workflow.case_add_progress)

    @case_action("breakdown", s.BreakdownSerializer, "责任清单: add a breakdown item")
    def breakdown(self, request, pk=None):
        return self.act(workflow.case_add_breakdown_item)

    @case_action("complete-breakdown", s.CompleteBreakdownSerializer, "Mark a breakdown item done")
    def complete_breakdown(self, request, pk=None):
        return self.act(_complete_breakdown)

    @case_action("commitment", s.CommitmentSerializer, "亮诺: a public commitment by a date")
    def commitment(self, request, pk=None):
        return self.act(workflow.case_add_commitment)

    @case_action("keep-commitment", s.KeepCommitmentSerializer, "践诺: a commitment was kept")
    def keep_commitment(self, request, pk=None):
        return self.act(_keep_commitment)

    @case_action("request-extension", s.RequestExtensionSerializer, "申请延期: ask for more time")
    def request_extension(self, request, pk=None):
        return self.act(workflow.case_request_extension)

    @case_action("decide-extension", s.DecideSerializer, "Approve or refuse an extension (office)")
    def decide_extension(self, request, pk=None):
        return self.act(workflow.case_decide_extension)

    @case_action(
        "request-suspension", s.RequestSuspensionSerializer, "申请挂起: ask to stop the clocks"
    )
    def request_suspension(self, request, pk=None):
        return self.act(workflow.case_request_suspension)

    @case_action("decide-suspension", s.DecideSerializer, "Approve or refuse a suspension (office)")
    def decide_suspension(self, request, pk=None):
        return self.act(workflow.case_decide_suspension)

    @case_action("resume", s.NoteSerializer, "恢复办理: resume a suspended case")
    def resume(self, request, pk=None):
        return self.act(workflow.case_resume)

    @case_action("reply", s.ReplySerializer, "反馈: reply with the outcome (lead department)")
    def reply(self, request, pk=None):
        return self.act(workflow.case_reply)

    @case_action("rate", s.RateSerializer, "好差评: rate the reply (enterprise, or its cadre)")
    def rate(self, request, pk=None):
        return self.act(workflow.case_rate)

    @case_action("appeal", s.AppealSerializer, "评价申诉: contest a rating (lead department)")
    def appeal(self, request, pk=None):
        return self.act(workflow.case_appeal_rating)

    @case_action("decide-appeal", s.DecideAppealSerializer, "Uphold or reject an appeal (office)")
    def decide_appeal(self, request, pk=None):
        return self.act(workflow.case_decide_appeal)

    @case_action("urge", s.NoteSerializer, "催办: urge the lead department, once a working day")
    def urge(self, request, pk=None):
        return self.act(workflow.case_urge)

    @case_action(
        "list",
        s.ListingSerializer,
        "挂牌督办: list the case for the county's supervision, with a reason (office; the "
        "ladder's top level only proposes it)",
        name="list-case",  # "case-list" is the list of cases
    )
    def list_case(self, request, pk=None):
        return self.act(workflow.case_list)

    @case_action("delist", s.ListingSerializer, "摘牌: take a listed case off the list (office)")
    def delist(self, request, pk=None):
        return self.act(workflow.case_delist)

    @case_action(
        "close",
        s.NoteSerializer,
        "销号: close the case out (office; an unrated reply after 10 working days, 409 before)",
    )
    def close(self, request, pk=None):
        return self.act(workflow.case_close)

    @case_action("reopen", s.ReopenSerializer, "重新办理: reopen a closed case (office)")
    def reopen(self, request, pk=None):
        return self.act(workflow.case_reopen)

    @case_action(
        "escalate-to-city",
        s.EscalateToCitySerializer,
        "上报市级: send a case explained as a policy barrier up to the city, with the office's "
        "政策建议 (the county's office; once per case)",
    )
    def escalate_to_city(self, request, pk=None):
        return self.act(workflow.case_escalate_to_city)

    @case_action(
        "merge",
        s.MergeSerializer,
        "合并: merge a duplicate of the same enterprise into its case (office)",
    )
    def merge(self, request, pk=None):
        return self.act(workflow.case_merge)

    @case_action(
        "join",
        s.MergeSerializer,
        "并案办理: handle a submitted case with another enterprise's case of the same problem "
        "(office)",
    )
    def join(self, request, pk=None):
        return self.act(workflow.case_join)

    @case_action(
        "leave-joint", s.NoteSerializer, "退出并案: handle the case on its own again (office)"
    )
    def leave_joint(self, request, pk=None):
        return self.act(workflow.case_leave_joint)
