from django.urls import path

app_name = "office"

urlpatterns: list = []
