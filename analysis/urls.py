from django.urls import path

from analysis.views import (
    city,
    city_compare,
    city_escalations,
    ledger,
    pages,
    reports,
    rules,
    transfer,
)

app_name = "analysis"

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("city/", city.city_page, name="city"),
    path("city/compare/", city_compare.city_compare_page, name="city_compare"),
    path("city/escalations/", city_escalations.city_escalations, name="city_escalations"),
    path(
        "city/escalations/<int:pk>/assign/",
        city_escalations.city_escalation_assign,
        name="city_escalation_assign",
    ),
    path("city/inbox/", city_escalations.city_department_inbox, name="city_department_inbox"),
    path(
        "city/inbox/<int:pk>/<slug:action>/",
        city_escalations.city_department_act,
        name="city_department_act",
    ),
    path("evaluation/", pages.evaluation_page, name="evaluation"),
    path("evaluation/export/", pages.evaluation_export, name="evaluation_export"),
    path("evaluation/rules/", rules.rules_page, name="rules"),
    path("teams/", pages.teams, name="teams"),
    path("painpoints/", pages.painpoints_page, name="painpoints"),
    path("painpoints/export/", pages.painpoints_export, name="painpoints_export"),
    path("report/", reports.report, name="report"),
    path("report/word/", reports.report_word, name="report_word"),
    path("bulletin/", reports.bulletin, name="bulletin"),
    path("bulletin/word/", reports.bulletin_word, name="bulletin_word"),
    path("cases/", ledger.ledger, name="ledger"),
    path("cases/export/", ledger.ledger_export, name="ledger_export"),
    path("exports/<int:pk>/", ledger.export_job, name="export_job"),
    path("exports/<int:pk>/progress/", ledger.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", ledger.export_download, name="export_download"),
    path("import/", transfer.import_page, name="import"),
    path("import/template/", transfer.import_template_download, name="import_template"),
    path("import/<int:pk>/", transfer.import_job, name="import_job"),
    path("import/<int:pk>/progress/", transfer.import_progress, name="import_progress"),
    path("import/<int:pk>/errors/", transfer.import_errors, name="import_errors"),
    path("import/register/", transfer.register_import, name="register_import"),
    path(
        "import/register/template/", transfer.register_template_download, name="register_template"
    ),
    path("import/register/export/", transfer.register_export, name="register_export"),
]
