from django.urls import path

app_name = "taskforces"

urlpatterns: list = []
