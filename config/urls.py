from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),
    path("field/", include("fieldwork.urls")),
    path("office/", include("office.urls")),
    path("dept/", include("workspace.urls")),
    path("portal/", include("portal.urls")),
    path("taskforces/", include("taskforce_pages.urls")),
    path("analysis/", include("analysis.urls")),
    path("signin/", include("signin.urls")),
    *([path("bench/", include("bench.urls"))] if settings.BENCHMARK else []),  # make bench only
    path("", include("web.urls")),
]

# A parameter web.query cannot read answers 400 with a page that names it.
handler400 = "web.views.bad_request"
