from django.contrib.auth import views as auth_views
from django.urls import path

from web import case_views, display_views, inbox_views, signout, views

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("cases/<int:pk>/", case_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/<slug:action>/", case_views.case_act, name="case_act"),
    path(
        "cases/<int:pk>/items/<int:item_id>/done/",
        case_views.breakdown_item_done,
        name="case_item_done",
    ),
    path(
        "cases/<int:pk>/commitments/<int:commitment_id>/kept/",
        case_views.commitment_kept,
        name="case_commitment_kept",
    ),
    path("cases/<int:pk>/files/<int:file_id>/", case_views.event_file, name="case_event_file"),
    path(
        "cases/<int:pk>/instructions/<int:event_id>/ack/",
        case_views.instruction_ack,
        name="case_instruction_ack",
    ),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", signout.SignOutView.as_view(), name="logout"),
    path("notifications/", inbox_views.inbox, name="notifications"),
    path("notifications/<int:pk>/read/", inbox_views.mark_read, name="notification_read"),
    path(
        "notifications/settings/",
        inbox_views.notification_settings,
        name="notification_settings",
    ),
    path("notifications/channels/", inbox_views.channel_settings, name="notification_channels"),
    path("display/large-text/", display_views.large_text, name="large_text"),
    path("healthz", views.healthz, name="healthz"),
]
