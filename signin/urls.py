from django.urls import path

from signin import views

app_name = "signin"

urlpatterns = [
    path("sms/", views.sms_login, name="sms"),
    path("<slug:vendor>/", views.vendor_start, name="vendor"),
    path("<slug:vendor>/callback/", views.vendor_callback, name="vendor_callback"),
]
