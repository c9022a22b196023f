"""登记走访: the visit, its problems and its photos are saved together, or nothing is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case, CaseEvent, Visit, VisitPhoto
from tests.fieldwork.conftest import jpeg, noisy_png, png, today, visit_post

URL = reverse("fieldwork:visit_new")


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_the_form_offers_only_the_enterprises_of_my_task_forces(carl_client, county):
    response = carl_client.get(URL)
    assert response.status_code == 200
    choices = list(response.context["form"].fields["enterprise"].queryset)
    assert choices == [county.steel]
    html = response.content.decode()
    for label in ("宣传问需求", "走访问实情", "解难问成效", "纳谏问计策"):
        assert label in html


def test_the_form_starts_with_today_and_the_enterprise_and_kind_from_the_link(carl_client, county):
    response = carl_client.get(URL, {"enterprise": county.steel.pk, "kind": "resolve"})
    form = response.context["form"]
    assert str(form["enterprise"].value()) == str(county.steel.pk)
    assert form["kind"].value() == "resolve"
    assert form["visited_on"].value() == today()


def test_a_visit_with_two_problems_and_a_photo_is_saved_in_one_go(carl_client, county):
    data = visit_post(
        county,
        **{
            "problems-TOTAL_FORMS": "2",
            "problems-1-title": "招不到焊工",
            "problems-1-description": "缺20名持证焊工",
            "problems-1-category": str(county.labour_category.pk),
        },
    )
    data["photos"] = [png(), jpeg()]
    response = carl_client.post(URL, data)
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("fieldwork:visit", args=[visit.pk])
    assert (visit.enterprise, visit.cadre, visit.task_force) == (
        county.steel,
        county.carl,
        county.task_force,
    )
    assert visit.kind == Visit.Kind.INSPECT
    titles = sorted(visit.cases.values_list("title", flat=True))
    assert titles == ["招不到焊工", "电压不稳，无法满负荷生产"]
    assert set(visit.cases.values_list("status", flat=True)) == {Case.Status.SUBMITTED}
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.CREATED).count() == 2
    photos = list(visit.photos.order_by("id"))
    assert [p.content_type for p in photos] == ["image/png", "image/jpeg"]
    assert [p.original_name for p in photos] == ["workshop.png", "transformer.jpg"]
    assert all(p.uploaded_by == county.carl and p.thumbnail for p in photos)
    page = carl_client.get(response.url).content.decode()
    assert "走访已登记，发现的 2 个问题已提交县委办交办。" in page


def test_a_visit_where_the_enterprise_had_no_problem_is_recorded(carl_client, county):
    data = visit_post(county, **{"problems-0-title": "", "problems-0-description": ""})
    data["problems-0-category"] = ""
    response = carl_client.post(URL, data, follow=True)
    assert Visit.objects.count() == 1
    assert Case.objects.count() == 0
    assert "走访已登记：本次未发现问题。" in response.content.decode()
    assert "本次走访未发现问题。" in response.content.decode()


def test_blank_problem_rows_between_filled_ones_are_skipped(carl_client, county):
    data = visit_post(
        county,
        **{
            "problems-TOTAL_FORMS": "3",
            "problems-2-title": "贷款被拒",
            "problems-2-category": str(county.labour_category.pk),
        },
    )
    carl_client.post(URL, data)
    assert sorted(Case.objects.values_list("title", flat=True)) == [
        "电压不稳，无法满负荷生产",
        "贷款被拒",
    ]


def test_a_resolve_visit_goes_on_to_the_return_visit_ratings(carl_client, county):
    response = carl_client.post(URL, visit_post(county, kind=Visit.Kind.RESOLVE))
    assert response.url == reverse("fieldwork:return_visit", args=[Visit.objects.get().pk])


def assert_nothing_saved(media_root):
    assert Visit.objects.count() == 0
    assert Case.objects.count() == 0
    assert VisitPhoto.objects.count() == 0
    assert files_under(media_root) == []


def test_missing_fields_are_named_and_nothing_is_saved(carl_client, county, media_root):
    data = visit_post(county, enterprise="", visited_on="", kind="")
    response = carl_client.post(URL, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["enterprise"] == ["请选择走访的企业。"]
    assert errors["visited_on"] == ["请填写走访日期。"]
    assert errors["kind"] == ["请选择走访类型。"]
    assert "有几处需要修改" in response.content.decode()
    assert_nothing_saved(media_root)


def test_a_future_visit_date_is_refused_and_the_rest_kept_as_typed(carl_client, county, media_root):
    tomorrow = today() + dt.timedelta(days=1)
    response = carl_client.post(URL, visit_post(county, visited_on=tomorrow.isoformat()))
    assert response.status_code == 400
    assert response.context["form"].errors["visited_on"] == ["走访日期不能晚于今天。"]
    html = response.content.decode()
    assert "与付董座谈，车间满负荷时电压掉到340伏" in html
    assert 'value="电压不稳，无法满负荷生产"' in html
    assert "高峰时段电压掉到340伏，焊机跳闸" in html
    assert_nothing_saved(media_root)


def test_an_enterprise_outside_my_task_forces_is_refused_clearly(carl_client, county, media_root):
    response = carl_client.post(URL, visit_post(county, enterprise=str(county.poultry.pk)))
    assert response.status_code == 400
    assert response.context["form"].errors["enterprise"] == [
        "该企业不在您的专班包干范围内，不能为它登记走访。"
    ]
    assert_nothing_saved(media_root)


def test_a_problem_without_a_title_is_marked_on_its_own_row(carl_client, county, media_root):
    data = visit_post(
        county,
        **{
            "problems-TOTAL_FORMS": "3",
            "problems-2-title": "",
            "problems-2-description": "只写了描述",
            "problems-2-category": "",
        },
    )
    response = carl_client.post(URL, data)
    assert response.status_code == 400
    rows = response.context["formset"].forms
    assert rows[0].errors == {}
    assert rows[2].errors == {"title": ["请填写问题标题。"], "category": ["请选择问题类别。"]}
    assert "只写了描述" in response.content.decode()
    assert_nothing_saved(media_root)


def test_a_non_image_is_refused_by_its_content_not_its_name(carl_client, county, media_root):
    data = visit_post(county)
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not a picture", content_type="image/png")
    data["photos"] = [png(), fake]
    response = carl_client.post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors["photos"] == [
        "“photo.png”不是图片文件，只能上传 JPEG、PNG、WebP 或 GIF 格式的照片。"
    ]
    html = response.content.decode()
    assert 'value="电压不稳，无法满负荷生产"' in html
    assert_nothing_saved(media_root)


def test_an_oversized_photo_is_refused_with_the_limit(carl_client, county, media_root, settings):
    settings.VISIT_PHOTO_MAX_BYTES = 1024
    data = visit_post(county)
    data["photos"] = [noisy_png()]
    response = carl_client.post(URL, data)
    assert response.status_code == 400
    [message] = response.context["form"].errors["photos"]
    assert "超过了 1.0 KB 的上限" in message.replace("\xa0", " ")
    assert_nothing_saved(media_root)


def test_after_an_error_elsewhere_the_cadre_is_told_to_choose_the_photos_again(carl_client, county):
    data = visit_post(county, kind="")
    data["photos"] = [png()]
    html = carl_client.post(URL, data).content.decode()
    assert "请重新选择照片" in html


def test_too_many_photos_are_refused(carl_client, county, media_root, settings):
    settings.VISIT_PHOTO_MAX_COUNT = 2
    data = visit_post(county)
    data["photos"] = [png("a.png"), png("b.png"), png("c.png")]
    response = carl_client.post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors["photos"] == ["每次走访最多上传 2 张照片。"]
    assert_nothing_saved(media_root)


def test_a_failure_after_the_photos_were_written_leaves_no_file_behind(
    carl_client, county, media_root, monkeypatch
):
    from fieldwork import services

    real_save = services._save_photo
    calls = []

    def second_one_fails(*args):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        real_save(*args)

    monkeypatch.setattr(services, "_save_photo", second_one_fails)
    data = visit_post(county)
    data["photos"] = [png("a.png"), png("b.png")]
    carl_client.raise_request_exception = False
    response = carl_client.post(URL, data)
    assert response.status_code == 500
    assert_nothing_saved(media_root)


def test_someone_outside_every_task_force_cannot_log_visits(client, county):
    client.force_login(county.dan)
    assert client.get(URL).status_code == 403
    assert client.post(URL, visit_post(county)).status_code == 403
    assert Visit.objects.count() == 0


def test_logging_a_visit_needs_a_sign_in(client, county):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_services_error_about_a_problem_lands_on_the_row_it_came_from(county):
    from django.core.exceptions import ValidationError

    from fieldwork.forms import VisitForm, problem_formset, show_errors

    form = VisitForm(visit_post(county), actor=county.carl)
    formset = problem_formset(visit_post(county, **{"problems-TOTAL_FORMS": "3"}))
    form.is_valid(), formset.is_valid()
    error = ValidationError(
        {"problems[1].category": "类别“旧类别”已停用。", "visited_on": "走访日期不能晚于今天。"}
    )
    show_errors(error, form, formset, rows=[0, 2])  # row 1 was blank and skipped
    assert formset.forms[2].errors == {"category": ["类别“旧类别”已停用。"]}
    assert form.errors["visited_on"] == ["走访日期不能晚于今天。"]
