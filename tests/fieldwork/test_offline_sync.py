"""The server's side of offline field capture (issue 20): a visit saved on the phone, perhaps
offline, is sent with the id the phone made for it (client_id) and answered in JSON; sent twice —
a lost answer, a double tap, two tabs, two requests at the same moment — it is still one visit
with one set of cases. Photos follow one by one, idempotent too. The offline pages' data is the
我的企业 page's, in a fixed number of queries. Signing out clears the browser's store."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import intake
from cases.checkin import CheckIn
from cases.errors import ClientIdTaken
from cases.models import Case, Category, Visit, VisitPhoto
from cases.storage import photo_storage
from enterprises.models import Enterprise
from taskforces.models import TaskForce, TaskForceEnterprise, TaskForceMember
from tests.conftest import valid_credit_code
from tests.fieldwork.conftest import jpeg, png, today, visit_post

NEW = reverse("fieldwork:visit_new")
DATA = reverse("fieldwork:offline_data")
JSON = {"HTTP_ACCEPT": "application/json"}


def two_problems(county, **overrides) -> dict:
    data = visit_post(
        county,
        **{
            "problems-TOTAL_FORMS": "2",
            "problems-1-title": "招工难，缺焊工",
            "problems-1-description": "",
            "problems-1-category": str(county.labour_category.pk),
        },
    )
    data.update(overrides)
    return data


def send(client, data, **extra):
    return client.post(NEW, data, **JSON, **extra)


def colleague(county, username="cora") -> User:
    """Another cadre of carl's task force."""
    user = User.objects.create_user(username, password="pw-for-tests-only")
    TaskForceMember.objects.create(
        task_force=county.task_force, user=user, role=TaskForceMember.Role.CADRE
    )
    return user


def move_steel_away(county) -> None:
    """荣信钢构 moves to another task force: carl's no longer covers it."""
    other = TaskForce.objects.create(
        name="园区专班", kind=TaskForce.Kind.KEY_ENTERPRISE, active=True
    )
    TaskForceEnterprise.objects.filter(enterprise=county.steel).delete()
    TaskForceEnterprise.objects.create(task_force=other, enterprise=county.steel)


# --- the visit, in JSON -------------------------------------------------------------------------


def test_a_visit_sent_with_its_client_id_is_created_once_and_the_resend_says_so(
    county, carl_client
):
    client_id = str(uuid.uuid4())
    first = send(carl_client, two_problems(county, client_id=client_id))
    assert first.status_code == 201, first.content
    body = first.json()
    visit = Visit.objects.get()
    assert body["visit"] == visit.pk
    assert body["created"] is True
    assert body["url"] == f"/field/visits/{visit.pk}/"
    assert sorted(body["cases"]) == sorted(Case.objects.values_list("pk", flat=True))
    assert len(body["cases"]) == 2
    assert "2 个问题" in body["message"]
    assert str(visit.client_id) == client_id

    again = send(carl_client, two_problems(county, client_id=client_id))
    assert again.status_code == 200, again.content
    assert again.json() == {**body, "created": False, "message": again.json()["message"]}
    assert "之前已上传过" in again.json()["message"]
    assert (Visit.objects.count(), Case.objects.count()) == (1, 2)


def test_a_resend_is_answered_even_when_the_rest_would_no_longer_pass(county, carl_client):
    """The answer was lost; meanwhile the enterprise moved and a category was retired: the resend
    still finds its visit (and creates nothing)."""
    client_id = str(uuid.uuid4())
    first = send(carl_client, two_problems(county, client_id=client_id)).json()
    move_steel_away(county)
    county.labour_category.active = False
    county.labour_category.save()
    again = send(carl_client, two_problems(county, client_id=client_id))
    assert again.status_code == 200, again.content
    assert (again.json()["visit"], again.json()["cases"]) == (first["visit"], first["cases"])
    assert Visit.objects.count() == 1


def test_the_same_client_id_from_another_cadre_is_a_409_and_shows_nothing_of_the_first(
    county, carl_client, client
):
    client_id = str(uuid.uuid4())
    send(carl_client, two_problems(county, client_id=client_id))
    client.force_login(colleague(county))
    taken = send(client, visit_post(county, client_id=client_id, notes="另一个人的走访"))
    assert taken.status_code == 409
    assert taken.json()["code"] == "client_id_taken"
    assert "其他账号" in taken.json()["message"]
    assert "visit" not in taken.json()
    assert (Visit.objects.count(), Case.objects.count()) == (1, 2)


def test_a_visit_without_client_id_is_created_each_time_as_before(county, carl_client):
    assert send(carl_client, visit_post(county)).status_code == 201
    assert send(carl_client, visit_post(county)).status_code == 201
    assert Visit.objects.filter(client_id__isnull=True).count() == 2


def test_an_enterprise_moved_to_another_task_force_is_a_409_in_plain_words(county, carl_client):
    move_steel_away(county)
    moved = send(carl_client, two_problems(county, client_id=str(uuid.uuid4())))
    assert moved.status_code == 409
    assert moved.json()["code"] == "enterprise_moved"
    assert "其他专班" in moved.json()["message"]
    assert "草稿已保留" in moved.json()["message"]
    assert Visit.objects.count() == 0


def test_an_enterprise_that_does_not_exist_is_bad_input_not_a_move(county, carl_client):
    missing = send(carl_client, visit_post(county, enterprise="987654"))
    assert missing.status_code == 400
    assert missing.json()["code"] == "invalid"
    assert "enterprise" in missing.json()["errors"]


def test_bad_input_is_a_400_naming_each_field_and_problem_row(county, carl_client):
    data = two_problems(
        county,
        client_id=str(uuid.uuid4()),
        visited_on=(today() + dt.timedelta(days=3)).isoformat(),
        **{"problems-1-title": "", "problems-1-category": ""},
        **{"problems-1-description": "只写了描述"},
    )
    refused = send(carl_client, data)
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "invalid"
    assert body["errors"]["problems-1-title"] == ["请填写问题标题。"]
    assert body["errors"]["problems-1-category"] == ["请选择问题类别。"]
    assert body["message"].startswith("未保存：")
    assert "处需要修改" in body["message"]
    assert Visit.objects.count() == 0


def test_a_domain_refusal_comes_back_on_its_field(county, carl_client):
    """The form lets a future day through to the domain rule (cases.intake), whose error is
    said on visited_on."""
    refused = send(
        carl_client,
        visit_post(county, visited_on=(today() + dt.timedelta(days=1)).isoformat()),
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["visited_on"] == ["走访日期不能晚于今天。"]


def test_a_bad_client_id_is_a_400(county, carl_client):
    refused = send(carl_client, visit_post(county, client_id="not-a-uuid"))
    assert refused.status_code == 400
    assert refused.json()["errors"]["client_id"] == ["走访编号无效，请重新打开走访页面填写。"]


def test_a_signed_out_json_request_gets_401_json_never_the_sign_in_page(county, client):
    signed_out = send(client, visit_post(county, client_id=str(uuid.uuid4())))
    assert signed_out.status_code == 401
    assert signed_out["Content-Type"] == "application/json"
    assert signed_out.json()["code"] == "signed_out"
    assert "重新登录" in signed_out.json()["message"]
    # A page request is still sent to the sign-in page.
    page = client.post(NEW, visit_post(county))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))


def test_a_user_who_is_no_longer_a_cadre_gets_403_json(county, client):
    client.force_login(county.sam)  # no task force
    refused = send(client, visit_post(county))
    assert refused.status_code == 403
    assert refused.json() == {
        "code": "forbidden",
        "message": "走访功能仅供专班成员（结对干部）使用。",
    }


def test_the_page_form_with_a_client_id_also_creates_one_visit_only(county, carl_client):
    data = visit_post(county, client_id=str(uuid.uuid4()))
    first = carl_client.post(NEW, data)
    assert first.status_code == 302
    again = carl_client.post(NEW, data, follow=True)
    assert again.redirect_chain[-1][0] == first["Location"]
    assert "之前已上传过" in again.content.decode()
    assert Visit.objects.count() == 1


# --- check-in location --------------------------------------------------------------------------


def test_a_consented_check_in_is_stored_on_the_visit(county, carl_client):
    located_at = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=5)
    saved = send(
        carl_client,
        visit_post(
            county,
            latitude="28.3761234567",
            longitude="116.2412345678",
            accuracy_m="12.34",
            located_at=located_at.isoformat(),
        ),
    )
    assert saved.status_code == 201, saved.content
    visit = Visit.objects.get()
    assert (visit.latitude, visit.longitude) == (Decimal("28.376123"), Decimal("116.241235"))
    assert visit.accuracy_m == Decimal("12.3")
    assert visit.located_at == located_at
    assert visit.located
    page = carl_client.get(f"/field/visits/{visit.pk}/").content.decode()
    assert 'id="check-in"' in page and "北纬 28.376123，东经 116.241235" in page
    assert "精度约 12.3 米" in page


def test_no_check_in_stores_no_location(county, carl_client):
    send(carl_client, visit_post(county))
    visit = Visit.objects.get()
    assert (visit.latitude, visit.longitude, visit.accuracy_m, visit.located_at) == (None,) * 4
    assert not visit.located
    assert 'id="check-in"' not in carl_client.get(f"/field/visits/{visit.pk}/").content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"latitude": "28.3"}, "longitude", "签到位置缺少经度。"),
        ({"latitude": "91", "longitude": "116"}, "latitude", "签到位置的纬度应在 -90 到 90 之间。"),
        (
            {"latitude": "28", "longitude": "-180.5"},
            "longitude",
            "签到位置的经度应在 -180 到 180 之间。",
        ),
        ({"latitude": "NaN", "longitude": "116"}, "latitude", None),
        ({"latitude": "28", "longitude": "116", "accuracy_m": "-1"}, "accuracy_m", None),
        (
            {
                "latitude": "28",
                "longitude": "116",
                "located_at": (timezone.now() + dt.timedelta(hours=1)).isoformat(),
            },
            "located_at",
            "定位时间不能晚于现在。",
        ),
        ({"latitude": "28", "longitude": "116", "located_at": "yesterday"}, "located_at", None),
    ],
)
def test_a_check_in_that_is_not_a_sensible_position_is_refused_and_nothing_saved(
    county, carl_client, fields, field, message
):
    refused = send(carl_client, visit_post(county, **fields))
    assert refused.status_code == 400, refused.content
    errors = refused.json()["errors"]
    assert field in errors, errors
    if message:
        assert errors[field] == [message]
    assert (Visit.objects.count(), Case.objects.count()) == (0, 0)


# --- race: two identical posts at the same moment -----------------------------------------------


def _together(calls) -> list:
    barrier = threading.Barrier(len(calls))
    answers: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            answers[index] = call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_identical_posts_at_the_same_moment_make_one_visit(county, attempt):
    data = two_problems(county, client_id=str(uuid.uuid4()))
    clients = [Client(), Client(), Client()]
    for client in clients:
        client.force_login(county.carl)
    answers = _together([lambda c=c: send(c, data) for c in clients])
    assert sorted(a.status_code for a in answers) == [200, 200, 201], [a.content for a in answers]
    assert len({a.json()["visit"] for a in answers}) == 1
    assert len({tuple(a.json()["cases"]) for a in answers}) == 1
    assert (Visit.objects.count(), Case.objects.count()) == (1, 2)


@pytest.mark.django_db(transaction=True)
def test_the_domain_rule_holds_under_a_race_without_the_views(county):
    client_id = uuid.uuid4()

    def log():
        return intake.visit_create(
            actor=county.carl,
            enterprise=county.steel,
            visited_on=today(),
            kind=Visit.Kind.INSPECT,
            problems=[intake.Problem("电压不稳", category=county.power_category)],
            client_id=client_id,
        )

    results = _together([log] * 4)
    assert sorted(r.created for r in results) == [False, False, False, True]
    assert {r.visit.pk for r in results} == {Visit.objects.get().pk}
    assert Case.objects.count() == 1


def test_the_domain_refuses_another_users_client_id(county):
    client_id = uuid.uuid4()
    kwargs = {"enterprise": county.steel, "visited_on": today(), "kind": Visit.Kind.INSPECT}
    logged = intake.visit_create(actor=county.carl, client_id=client_id, **kwargs)
    assert logged.created
    visit, cases = logged
    assert (visit, cases) == (logged.visit, [])
    with pytest.raises(ClientIdTaken):
        intake.visit_create(actor=colleague(county), client_id=client_id, **kwargs)


# --- photos, one at a time ----------------------------------------------------------------------


def photo_url(visit) -> str:
    return reverse("fieldwork:visit_photo_add", args=[visit.pk])


@pytest.fixture
def visit(county, carl_client):
    send(carl_client, visit_post(county, client_id=str(uuid.uuid4())))
    return Visit.objects.get()


def stored_files(visit) -> list[str]:
    storage = photo_storage()
    folder = f"visit-photos/{visit.pk}"
    return storage.listdir(folder)[1] if storage.exists(folder) else []


def test_a_photo_is_stored_once_however_often_it_is_sent(visit, carl_client):
    client_id = str(uuid.uuid4())
    first = carl_client.post(photo_url(visit), {"photo": jpeg(), "client_id": client_id})
    assert first.status_code == 201, first.content
    photo = VisitPhoto.objects.get()
    assert first.json() == {"photo": photo.pk, "created": True}
    assert (photo.visit, str(photo.client_id), photo.content_type) == (
        visit,
        client_id,
        "image/jpeg",
    )
    again = carl_client.post(photo_url(visit), {"photo": jpeg(), "client_id": client_id})
    assert again.status_code == 200
    assert again.json() == {"photo": photo.pk, "created": False}
    assert VisitPhoto.objects.count() == 1
    assert len(stored_files(visit)) == 2  # the photo and its thumbnail, once


def test_photos_of_someone_elses_visit_are_a_404(county, visit, client):
    client.force_login(colleague(county))
    refused = client.post(photo_url(visit), {"photo": jpeg(), "client_id": str(uuid.uuid4())})
    assert refused.status_code == 404
    assert refused.json()["code"] == "not_found"
    assert VisitPhoto.objects.count() == 0


def test_a_file_that_is_not_a_photo_is_a_400_and_leaves_nothing(visit, carl_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("IMG_1.jpg", b"not an image at all", content_type="image/jpeg")
    refused = carl_client.post(photo_url(visit), {"photo": fake, "client_id": str(uuid.uuid4())})
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid"
    assert "不是图片文件" in refused.json()["message"]
    missing = carl_client.post(photo_url(visit), {"client_id": str(uuid.uuid4())})
    assert missing.json()["errors"]["photo"] == ["请选择要上传的照片。"]
    no_id = carl_client.post(photo_url(visit), {"photo": png()})
    assert no_id.status_code == 400
    assert "client_id" in no_id.json()["errors"]
    assert VisitPhoto.objects.count() == 0
    assert stored_files(visit) == []


def test_a_visit_with_all_its_photos_takes_no_more_but_a_resend_is_still_answered(
    settings, visit, carl_client
):
    settings.VISIT_PHOTO_MAX_COUNT = 2
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for client_id in ids[:2]:
        sent = carl_client.post(photo_url(visit), {"photo": png(), "client_id": client_id})
        assert sent.status_code == 201
    full = carl_client.post(photo_url(visit), {"photo": png(), "client_id": ids[2]})
    assert full.status_code == 409
    assert full.json()["code"] == "photos_full"
    assert "达到上限" in full.json()["message"]
    resend = carl_client.post(photo_url(visit), {"photo": png(), "client_id": ids[1]})
    assert resend.status_code == 200
    assert VisitPhoto.objects.count() == 2


def test_a_photo_id_used_on_another_visit_is_a_409(county, visit, carl_client):
    client_id = str(uuid.uuid4())
    carl_client.post(photo_url(visit), {"photo": png(), "client_id": client_id})
    send(carl_client, visit_post(county, client_id=str(uuid.uuid4())))
    other = Visit.objects.exclude(pk=visit.pk).get()
    taken = carl_client.post(photo_url(other), {"photo": png(), "client_id": client_id})
    assert taken.status_code == 409
    assert taken.json()["code"] == "client_id_taken"
    assert other.photos.count() == 0


def test_photo_upload_needs_sign_in_and_the_csrf_token(county, visit):
    anonymous = Client()
    out = anonymous.post(photo_url(visit), {"photo": png(), "client_id": str(uuid.uuid4())})
    assert out.status_code == 401
    assert out.json()["code"] == "signed_out"
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(county.carl)
    strict.get(NEW)  # the form sets the csrftoken cookie, which the uploader reads
    token = strict.cookies["csrftoken"].value
    without = strict.post(
        photo_url(visit), {"photo": png(), "client_id": str(uuid.uuid4())}, **JSON
    )
    assert without.status_code == 403
    assert without.json()["code"] == "csrf"  # JSON for the uploader, not the 403 page
    assert "草稿已保留" in without.json()["message"]
    page = strict.post(NEW, visit_post(county))
    assert page.status_code == 403
    assert "页面已过期" in page.content.decode()  # a page asked for a page: the 403 page
    with_token = strict.post(
        photo_url(visit),
        {"photo": png(), "client_id": str(uuid.uuid4())},
        HTTP_X_CSRFTOKEN=token,
    )
    assert with_token.status_code == 201


def test_photo_upload_is_post_only(visit, carl_client):
    assert carl_client.get(photo_url(visit)).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_same_photo_sent_twice_at_the_same_moment_is_stored_once(county, media_root):
    carl = Client()
    carl.force_login(county.carl)
    send(carl, visit_post(county, client_id=str(uuid.uuid4())))
    visit = Visit.objects.get()
    client_id = str(uuid.uuid4())
    clients = [Client(), Client(), Client()]
    for client in clients:
        client.force_login(county.carl)
    answers = _together(
        [
            lambda c=c: c.post(photo_url(visit), {"photo": jpeg(), "client_id": client_id})
            for c in clients
        ]
    )
    assert sorted(a.status_code for a in answers) == [200, 200, 201], [a.content for a in answers]
    assert VisitPhoto.objects.count() == 1
    assert len(stored_files(visit)) == 2


# --- data.json: the offline pages' data ---------------------------------------------------------


def test_offline_data_is_the_my_enterprises_page_in_json(county, carl_client):
    open_case = county.assigned()
    closed = county.closed()
    county.submitted(enterprise=county.poultry)  # not carl's enterprise
    intake.visit_create(
        actor=county.carl, enterprise=county.steel, visited_on=today(), kind=Visit.Kind.INSPECT
    )
    answer = carl_client.get(DATA)
    assert answer.status_code == 200
    assert "no-cache" in answer["Cache-Control"] and "private" in answer["Cache-Control"]
    data = answer.json()
    assert data["user"] == {"id": county.carl.pk, "name": "carl"}
    assert data["today"] == today().isoformat()
    assert dt.datetime.fromisoformat(data["generated_at"])
    assert [e["name"] for e in data["enterprises"]] == [county.steel.name]
    steel = data["enterprises"][0]
    assert steel["id"] == county.steel.pk
    assert steel["task_force"] == county.task_force.name
    assert steel["last_visit"] == today().isoformat()
    assert steel["address"] == county.steel.address
    assert [c["id"] for c in steel["open_cases"]] == [open_case.pk]
    assert closed.pk not in [c["id"] for c in steel["open_cases"]]
    assert steel["open_cases"][0] == {
        "id": open_case.pk,
        "number": open_case.number,
        "title": open_case.title,
        "status": "assigned",
        "status_label": open_case.get_status_display(),
        "overdue": False,
        "url": f"/cases/{open_case.pk}/",
    }
    assert {"value": "inspect", "label": "走访问实情"} in data["kinds"]
    # the visit form's categories, in its order: the active ones only
    assert [c["name"] for c in data["categories"]] == [
        c.name for c in Category.objects.filter(active=True)
    ]
    assert {c["name"] for c in data["categories"]} == {"用电用能", "用工人才"}
    assert (data["max_problems"], data["max_photos"], data["max_photo_bytes"]) == (
        30,
        10,
        10 * 1024 * 1024,
    )


def test_offline_data_lists_the_same_enterprises_as_the_page(county, carl_client):
    more = [
        Enterprise.objects.create(name=f"进贤企业{i}", credit_code=valid_credit_code(100 + i))
        for i in range(3)
    ]
    for enterprise in more[:2]:
        TaskForceEnterprise.objects.create(task_force=county.task_force, enterprise=enterprise)
    page = carl_client.get(reverse("fieldwork:enterprises"))
    listed = [e.pk for e in page.context["page"].object_list]
    assert [e["id"] for e in carl_client.get(DATA).json()["enterprises"]] == listed
    assert more[2].pk not in listed


def test_a_category_added_since_the_last_download_is_in_the_next(county, carl_client):
    before = {c["name"] for c in carl_client.get(DATA).json()["categories"]}
    Category.objects.create(name="融资贷款", code="finance")
    after = {c["name"] for c in carl_client.get(DATA).json()["categories"]}
    assert after == before | {"融资贷款"}  # not the process's first answer kept for ever


def test_offline_data_takes_the_same_number_of_queries_however_much_there_is(
    county, carl_client, django_assert_num_queries
):
    county.assigned()
    Category.objects.create(name="已停用类别", code="retired", active=False)
    carl_client.get(DATA)  # the cadre's roles, remembered from here (web.remembered)
    with django_assert_num_queries(QUERIES):
        carl_client.get(DATA)
    for i in range(6):
        enterprise = Enterprise.objects.create(
            name=f"进贤企业{i}", credit_code=valid_credit_code(200 + i)
        )
        TaskForceEnterprise.objects.create(task_force=county.task_force, enterprise=enterprise)
        for _ in range(3):
            county.assigned(enterprise=enterprise)
    with django_assert_num_queries(QUERIES):
        answer = carl_client.get(DATA)
    assert sum(len(e["open_cases"]) for e in answer.json()["enterprises"]) == 19


# the session, the user, the enterprises, their open cases, the categories (the actor's roles are
# read by the first request and remembered)
QUERIES = 5


def test_offline_data_needs_a_cadre_and_says_so_in_json(county, client):
    assert client.get(DATA).status_code == 401
    client.force_login(county.eva)
    refused = client.get(DATA)
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"


# --- signing out clears the phone --------------------------------------------------------------


@pytest.mark.parametrize("who", ["carl", "office", "eva", "dan", "mayor"])
def test_signing_out_tells_the_browser_to_clear_its_store(county, client, who):
    client.force_login(getattr(county, who))
    out = client.post(reverse("logout"))
    assert out.status_code == 302
    assert out["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_the_back_office_shows_the_check_in_and_never_edits_it(county, client):
    client_id = uuid.uuid4()
    visit, _cases = intake.visit_create(
        actor=county.carl,
        enterprise=county.steel,
        visited_on=today(),
        kind=Visit.Kind.INSPECT,
        client_id=client_id,
        checkin=CheckIn(latitude=28.1, longitude=116.2, accuracy_m=5, located_at=timezone.now()),
    )
    client.force_login(User.objects.create_superuser("root", password="pw-for-tests-only"))
    page = client.get(reverse("admin:cases_visit_change", args=[visit.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "28.100000" in html and "116.200000" in html and str(client_id) in html
    assert 'name="latitude"' not in html and 'name="client_id"' not in html
