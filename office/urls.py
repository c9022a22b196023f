from django.urls import path

from office.views import assign, board, closeout, decisions, meetings, triage

app_name = "office"

urlpatterns = [
    path("", triage.triage, name="triage"),
    path("cases/<int:pk>/merge/", triage.merge, name="merge"),
    path("cases/<int:pk>/join/", triage.join, name="join"),
    path("cases/<int:pk>/leave-joint/", triage.leave_joint, name="leave_joint"),
    path("assign/", assign.assign, name="assign"),
    path("assign/contact-deadline/", assign.contact_deadline, name="contact_deadline"),
    path("board/", board.board, name="board"),
    path("decisions/", decisions.decisions, name="decisions"),
    path("decisions/<str:queue>/<int:pk>/", decisions.decide, name="decide"),
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
]
