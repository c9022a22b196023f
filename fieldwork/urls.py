from django.urls import path

from fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.enterprises, name="enterprises"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/new/problem-row/", views.problem_row, name="problem_row"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/return/", views.return_visit, name="return_visit"),
    path(
        "visits/<int:pk>/return/<int:case_pk>/",
        views.return_visit_rate,
        name="return_visit_rate",
    ),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumbnail/", views.photo, {"thumbnail": True}, name="photo_thumbnail"),
]
