from django.urls import path

from taskforce_pages import views

app_name = "taskforces"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("review/", views.review, name="review"),
    path("review/mark/", views.review_mark_many, name="review_mark_many"),
    path("review/<int:pk>/", views.review_mark, name="review_mark"),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("", views.manage, name="manage"),
    path("new/", views.edit, name="new"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("coverage/", views.coverage, name="coverage"),
    path("people/", views.people_list, name="people"),
    path("people/<int:pk>/<slug:action>/", views.people_action, name="people_action"),
]
