from django.urls import path

from workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("items/<int:pk>/done/", views.item_done, name="item_done"),
    path("webhook/", views.webhook, name="webhook"),
]
