from django.urls import path

from portal import account_views, views

app_name = "portal"

urlpatterns = [
    path("", views.my_cases, name="cases"),
    path("raise/", views.raise_problem, name="raise"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("accounts/", account_views.accounts, name="accounts"),
    path(
        "accounts/enterprises/<int:pk>/",
        account_views.enterprise_contacts,
        name="enterprise_contacts",
    ),
    path(
        "accounts/contacts/<int:pk>/reset-password/",
        account_views.contact_reset_password,
        name="contact_reset_password",
    ),
    path("password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        account_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
