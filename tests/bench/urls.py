"""config.urls as BENCHMARK=1 routes it: the bench app's URLs beside the site's."""

from django.urls import include, path

from config.urls import handler400  # noqa: F401 — the site's own 400 page
from config.urls import urlpatterns as site

urlpatterns = [path("bench/", include("bench.urls")), *site]
