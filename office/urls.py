from django.urls import path

from office.views import (
    assign,
    board,
    bulletins,
    closeout,
    decisions,
    integrations,
    meetings,
    supervision,
    triage,
)

app_name = "office"

urlpatterns = [
    path("", triage.triage, name="triage"),
    path("bulletins/", bulletins.bulletins, name="bulletins"),
    path("bulletins/new/", bulletins.bulletin_new, name="bulletin_new"),
    path("bulletins/<int:pk>/", bulletins.bulletin, name="bulletin"),
    path("cases/<int:pk>/merge/", triage.merge, name="merge"),
    path("cases/<int:pk>/join/", triage.join, name="join"),
    path("cases/<int:pk>/leave-joint/", triage.leave_joint, name="leave_joint"),
    path("assign/", assign.assign, name="assign"),
    path("assign/contact-deadline/", assign.contact_deadline, name="contact_deadline"),
    path("board/", board.board, name="board"),
    path("supervision/", supervision.notice_list, name="supervision_notices"),
    path("supervision/new/", supervision.notice_new, name="supervision_new"),
    path("supervision/<int:pk>/", supervision.notice_detail, name="supervision_notice"),
    path("supervision/<int:pk>/print/", supervision.notice_print, name="supervision_print"),
    path(
        "supervision/<int:pk>/download/",
        supervision.notice_download,
        name="supervision_download",
    ),
    path("decisions/", decisions.decisions, name="decisions"),
    path("decisions/<str:queue>/<int:pk>/", decisions.decide, name="decide"),
    path("integrations/", integrations.integrations, name="integrations"),
    path("integrations/clear/<slug:field>/", integrations.clear_secret, name="integration_clear"),
    path("deliveries/failed/", integrations.failed_deliveries, name="failed_deliveries"),
    path("deliveries/<int:pk>/retry/", integrations.retry_delivery, name="retry_delivery"),
    path("closeout/", closeout.closeout, name="closeout"),
    path("closeout/close/", closeout.close, name="close"),
    path("closeout/<int:pk>/reopen/", closeout.reopen, name="reopen"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/add-cases/", triage.add_to_meeting, name="add_to_meeting"),
    path("meetings/<int:pk>/", meetings.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/assign/", assign.assign, name="meeting_assign"),
    path(
        "meetings/<int:pk>/cases/<int:case_pk>/remove/",
        meetings.meeting_remove_case,
        name="meeting_remove_case",
    ),
    path("meetings/<int:pk>/letters/<int:department_pk>/", meetings.letter, name="letter"),
    path(
        "meetings/<int:pk>/letters/<int:department_pk>/docx/",
        meetings.letter_docx,
        name="letter_docx",
    ),
]
