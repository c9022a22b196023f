from django.urls import path

from fieldwork import offline, sync, views

app_name = "fieldwork"

urlpatterns = [
    path("", views.enterprises, name="enterprises"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/photos/", sync.visit_photo, name="visit_photo_add"),
    path("offline/data.json", sync.offline_data, name="offline_data"),
    path("visits/<int:pk>/return/", views.return_visit, name="return_visit"),
    path(
        "visits/<int:pk>/return/<int:case_pk>/",
        views.return_visit_rate,
        name="return_visit_rate",
    ),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumbnail/", views.photo, {"thumbnail": True}, name="photo_thumbnail"),
]
