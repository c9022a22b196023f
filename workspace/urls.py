from django.urls import path

from workspace import letter_views, notice_views, views

app_name = "workspace"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("items/<int:pk>/done/", views.item_done, name="item_done"),
    path("webhook/", views.webhook, name="webhook"),
    path("notices/", notice_views.notice_list, name="notices"),
    path("notices/<int:pk>/", notice_views.notice_detail, name="notice"),
    path("notices/<int:pk>/print/", notice_views.notice_print, name="notice_print"),
    path("notices/<int:pk>/download/", notice_views.notice_download, name="notice_download"),
    path("letters/", letter_views.letters, name="letters"),
    path("letters/<int:pk>/", letter_views.letter, name="letter"),
    path("letters/<int:pk>/sign/", letter_views.sign, name="letter_sign"),
    path("letters/<int:pk>/docx/", letter_views.docx, name="letter_docx"),
]
