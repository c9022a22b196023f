"""The county is the boundary of everything (issue 22): the cross-county isolation matrix.

Built the way tests/test_isolation_matrix.py builds the enterprise one, and with its machinery:
the pages are read from the URL resolver, every table's ids jump to a common far-away start before
the other county is made (so an answer of 200 can only mean the other county's object was shown),
and each id is tried on every page, download and API endpoint.

The story: 进贤县 (in 南昌市) is the personas' county; a second county, in another city (九江市
修水县), has its own office, departments, task force, leadership and enterprises, and a case in
every state with internal records — every text of it carries C_MARK. For every role of 进贤县
(office, leadership, department, leader, cadre, enterprise) and for 南昌市's city office, every
object of the other county answers 404 (or exactly what a made-up id gets), and no page shows its
mark. The city office of 南昌市 does read 进贤县's cases, and acts on none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from cases import workflow
from cases.errors import ActionForbidden
from cases.models import Case
from cases.roles import CITY, actor_for
from cases.selectors import cases_visible_to, departments_visible_to
from counties.models import City, CityOfficeMember, County
from tests.conftest import make_county, make_user
from tests.test_isolation_matrix import (
    INTERNAL,
    SimpleRateThrottle,
    _enterprise_story,
    _ids,
    _jump_id_sequences,
    _leaks_to,
    logging,
    plain_routes,
)

pytestmark = pytest.mark.django_db

C_MARK = "CSECRET-5e1d"


@dataclass
class Two:
    county: object  # 进贤县's personas (tests.conftest.County)
    other: object  # the other county's
    other_ids: dict[str, list[int]]
    city: object  # 南昌市's city office


@pytest.fixture(scope="module")
def two(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both counties, built once for the module inside a transaction rolled back at its end."""
    from django.db import transaction
    from django.test.utils import override_settings

    files = tmp_path_factory.mktemp("county-isolation")
    settings = override_settings(
        MEDIA_ROOT=files / "media", PORTAL_ATTACHMENTS_ROOT=files / "attachments"
    )
    with pytest.MonkeyPatch.context() as monkeypatch, settings:
        monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
        monkeypatch.setattr(logging.getLogger("django.request"), "level", logging.ERROR)
        with django_db_blocker.unblock():
            module = transaction.atomic()
            module.__enter__()
            try:
                built = _build()
            except BaseException:
                transaction.set_rollback(True)
                module.__exit__(None, None, None)
                raise
        yield built
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module.__exit__(None, None, None)


def _build() -> Two:
    _jump_id_sequences()
    county = make_county()
    _enterprise_story(county, county.steel, county.eva, mark="", internal=INTERNAL)
    city_user = make_user("nanchang", first_name="市委办")
    CityOfficeMember.objects.create(user=city_user, city=county.steel.county.city)
    starts = _jump_id_sequences()
    elsewhere = County.objects.create(city=City.objects.create(name="九江市"), name="修水县")
    other = make_county(elsewhere, users="x_", names=C_MARK, seed=500)
    # The other county's own department names carry the mark too (a leaked list would show it).
    for department in (other.gxj, other.rsj, other.office_dept, other.power):
        department.name = f"{C_MARK}{department.name}"
        department.save()
    _enterprise_story(other, other.steel, other.eva, mark=C_MARK, internal=f"{C_MARK} internal")
    return Two(county=county, other=other, other_ids=_ids(starts, new=True), city=city_user)


@pytest.fixture
def built(two, db) -> Two:
    return two


ROLES = ["office", "mayor", "dan", "li", "carl", "eva"]  # office, leadership, dept, leader, cadre


@pytest.mark.parametrize("persona", [*ROLES, "city"])
def test_every_role_gets_404_for_every_object_of_another_county(built, persona):
    viewer = built.city if persona == "city" else getattr(built.county, persona)
    problems = _leaks_to(viewer, built.other_ids, [C_MARK])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", ["office", "mayor", "city"])
def test_no_list_shows_anything_of_another_county(built, persona):
    viewer = built.city if persona == "city" else getattr(built.county, persona)
    client = Client()
    client.force_login(viewer)
    seen, problems = 0, []
    for route in plain_routes():
        response = client.get(route.url({}))
        seen += response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if C_MARK in body.decode("utf-8", "replace"):
            problems.append(f"{C_MARK!r} in {route.route} ({response.status_code})")
    assert not problems, "\n".join(problems)
    assert seen > 5  # the lists were opened, not refused


def test_the_other_countys_office_sees_none_of_the_first(built):
    a_ids = {label: ids[:1] for label, ids in _ids_of_first(built).items()}
    problems = _leaks_to(built.other.office, a_ids, [INTERNAL, "荣信钢构公司</"])
    assert not problems, "\n".join(problems)


def _ids_of_first(built) -> dict[str, list[int]]:
    return {
        "cases.Case": list(
            Case.objects.filter(county_id=built.county.steel.county_id).values_list("pk", flat=True)
        )
    }


def test_the_scopes_stop_at_the_county(built):
    county, other = built.county, built.other
    office = actor_for(county.office)
    assert office.county_id == county.steel.county_id != other.steel.county_id
    assert not cases_visible_to(county.office).filter(county_id=other.steel.county_id).exists()
    assert set(departments_visible_to(county.dan)) == set(
        departments_visible_to(county.dan).filter(county_id=county.steel.county_id)
    )
    assert cases_visible_to(other.office).filter(enterprise=other.steel).exists()


def test_the_city_office_reads_its_countys_cases_and_acts_on_none(built):
    county = built.county
    actor = actor_for(built.city)
    assert actor.roles == [CITY] and actor.county_id is None
    case = Case.objects.filter(enterprise=county.steel, status=Case.Status.SUBMITTED).first()
    assert set(cases_visible_to(built.city)) == set(
        Case.objects.filter(county_id=county.steel.county_id)
    )
    client = Client()
    client.force_login(built.city)
    page = client.get(reverse("case_detail", args=[case.pk]))
    assert page.status_code == 200 and case.title in page.content.decode()
    with pytest.raises(ActionForbidden):
        workflow.case_assign(actor=built.city, case=case, lead_department=county.gxj)
    in_progress = Case.objects.filter(
        enterprise=county.steel, status=Case.Status.IN_PROGRESS
    ).first()
    with pytest.raises(ActionForbidden):
        workflow.case_add_progress(actor=built.city, case=in_progress, note="市里催办")
    with pytest.raises(ActionForbidden):
        workflow.case_instruct(actor=built.city, case=in_progress, text="市里批示")
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED


def test_the_city_lands_on_its_counties_side_by_side(built, django_assert_max_num_queries):
    client = Client()
    client.force_login(built.city)
    assert client.get("/").url == reverse("analysis:city")
    page = client.get(reverse("analysis:city"))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r.county.name for r in rows] == ["进贤县"]  # 修水县 is of another city
    assert C_MARK not in page.content.decode()
    with django_assert_max_num_queries(12):  # read from the county's snapshot the second time
        client.get(reverse("analysis:city"))
    # The county reads the same figures on its own evaluation page.
    client.force_login(built.county.office)
    own = client.get(reverse("analysis:evaluation")).context["totals"]
    assert rows[0].totals == own and own.assigned > 0
    assert [r.rates for r in rows] == [[own.contact_rate, own.reply_rate, own.satisfaction_rate]]
    assert client.get(reverse("analysis:city")).status_code == 403
