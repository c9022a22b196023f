"""The pages and API calls measured, each with the login that opens it every morning, and the
group whose targets it answers to (baseline, page, analysis, city)."""

from __future__ import annotations

from dataclasses import dataclass

from benchmark.postgres import pg_scalar


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    path: str  # formatted with the manifest (and category_code)
    user: str  # a key of the manifest's logins
    group: str  # baseline | page | analysis | city
    api: bool = False


TARGETS = [
    Target("baseline", "baseline (one query)", "/bench/baseline/", "office", "baseline"),
    Target("office_inbox", "office triage inbox", "/office/", "office", "page"),
    Target("board", "supervision board", "/office/board/", "office", "page"),
    Target("dept_inbox", "department inbox", "/dept/", "clerk", "page"),
    Target("case_page", "case page (50 events)", "/cases/{case_50}/", "office", "page"),
    Target("portal", "enterprise portal", "/portal/", "enterprise", "page"),
    Target(
        "api_department",
        "API: in progress, by department",
        "/api/v1/cases/?status=in_progress&lead_department={department}",
        "office",
        "page",
        api=True,
    ),
    Target(
        "api_overdue",
        "API: category, overdue",
        "/api/v1/cases/?category={category_code}&overdue=true",
        "office",
        "page",
        api=True,
    ),
    Target("dashboard", "dashboard", "/analysis/", "office", "analysis"),
    Target("evaluation", "evaluation", "/analysis/evaluation/", "office", "analysis"),
    # The city's pages, over every county of the city (bench_city: the city office; bench_citydept:
    # the city department's clerk).
    Target("city", "city overview", "/analysis/city/", "city", "city"),
    Target("city_compare", "city: compare counties", "/analysis/city/compare/", "city", "city"),
    Target("city_escalations", "city: escalations", "/analysis/city/escalations/", "city", "city"),
    Target("city_inbox", "city department inbox", "/analysis/city/inbox/", "citydept", "city"),
]


def resolve_targets(size: int, db_name: str, manifest: dict) -> list[tuple[Target, str]]:
    values = dict(manifest)
    if "category_code" not in values:  # the API filters categories by their code
        values["category_code"] = pg_scalar(
            db_name, "SELECT code FROM cases_category WHERE id = %s", [manifest["category"]]
        )
    return [(t, t.path.format(**values)) for t in TARGETS]
