"""The office can look a visit photo up in the admin; nobody uploads or edits one there."""

from django.urls import reverse

from cases.models import Visit, VisitPhoto
from fieldwork.photos import check_photo
from fieldwork.services import visit_log
from tests.factories import make_superuser
from tests.fieldwork.conftest import png, today


def test_the_admin_shows_a_photo_through_the_scoped_view_and_offers_no_upload(client, county):
    visit, _ = visit_log(
        actor=county.carl,
        enterprise=county.steel,
        visited_on=today(),
        kind=Visit.Kind.INSPECT,
        photos=[check_photo(png())],
    )
    photo = VisitPhoto.objects.get(visit=visit)
    client.force_login(make_superuser())
    listing = client.get(reverse("admin:cases_visitphoto_changelist"))
    assert listing.status_code == 200
    page = client.get(reverse("admin:cases_visitphoto_change", args=[photo.pk]))
    assert page.status_code == 200
    assert reverse("fieldwork:photo_thumbnail", args=[photo.pk]) in page.content.decode()
    assert client.get(reverse("admin:cases_visitphoto_add")).status_code == 403
    photo_response = client.get(reverse("fieldwork:photo", args=[photo.pk]))
    assert photo_response.status_code == 200  # the office sees every visit
