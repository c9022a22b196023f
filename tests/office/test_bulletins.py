"""奖惩通报 (issue 19): the office issues a numbered bulletin on a department, lists and prints
it; the department finds it on its own page; nobody else may issue one."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.bulletins import bulletin_issue, bulletin_number
from cases.errors import ActionForbidden
from cases.models import Bulletin, DocumentSequence
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db

MAY = dt.datetime(2026, 5, 20, 10, tzinfo=CHINA)


def issue(county, kind=Bulletin.Kind.PRAISE, **kwargs):
    values = {
        "actor": county.office,
        "kind": kind,
        "department": county.gxj,
        "title": "关于表扬县工信局高效解决企业用电问题的通报",
        "text": "县工信局接到交办后两日内协调供电公司增容。\n特予通报表扬。",
        "now": MAY,
        **kwargs,
    }
    return bulletin_issue(**values)


def test_bulletins_are_numbered_in_turn_in_their_year(county):
    case = county.assigned()
    first = issue(county, cases=[case])
    second = issue(county, kind=Bulletin.Kind.INTERVIEW, department=county.rsj)
    assert (bulletin_number(first), bulletin_number(second)) == (
        "进四问通〔2026〕1号",
        "进四问通〔2026〕2号",
    )
    assert list(first.cases.all()) == [case] and first.issued_by == county.office
    assert list(county.gxj.bulletins.all()) == [first]


@pytest.mark.parametrize("who", ["dan", "li", "eva"])
def test_only_the_office_issues_a_bulletin(county, who):
    with pytest.raises(ActionForbidden):
        issue(county, actor=getattr(county, who))
    assert not Bulletin.objects.exists() and not DocumentSequence.objects.exists()


def test_a_refused_bulletin_spends_no_number(county):
    with pytest.raises(ValidationError) as refused:
        issue(county, text="  ", kind="medal", department=county.office_dept)
    assert set(refused.value.message_dict) == {"text", "kind", "department"}
    assert bulletin_number(issue(county)) == "进四问通〔2026〕1号"


def test_the_office_records_a_bulletin_on_its_page(office_client, county):
    case = county.assigned()
    answer = office_client.post(
        reverse("office:bulletin_new"),
        {
            "kind": "criticism",
            "department": county.rsj.pk,
            "title": "关于县人社局推诿企业诉求的通报",
            "text": "县人社局对交办问题推诿拖延，予以通报批评。",
            "numbers": case.number,
        },
    )
    bulletin = Bulletin.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("office:bulletin", args=[bulletin.pk])
    page = office_client.get(answer["Location"]).content.decode()
    year = bulletin.number_year
    assert f"进四问通〔{year}〕1号" in page and case.number in page and "推诿拖延" in page
    listed = office_client.get(reverse("office:bulletins"), {"kind": "criticism"}).content
    assert "关于县人社局推诿企业诉求的通报" in listed.decode()
    other = office_client.get(reverse("office:bulletins"), {"kind": "praise"}).content
    assert "关于县人社局推诿企业诉求的通报" not in other.decode()


def test_the_form_explains_what_is_missing(office_client, county):
    answer = office_client.post(
        reverse("office:bulletin_new"),
        {"kind": "", "department": "", "title": "", "text": "", "numbers": "2099-99999"},
    )
    assert answer.status_code == 400
    body = answer.content.decode()
    for message in ("请选择奖惩类别", "请选择被通报的部门/单位", "请填写标题", "请填写通报内容"):
        assert message in body
    assert "找不到这些问题编号：2099-99999" in body
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize("name", ["office:bulletins", "office:bulletin_new"])
def test_the_pages_are_the_offices(client, county, name):
    client.force_login(county.dan)
    assert client.get(reverse(name)).status_code == 403


def test_the_department_finds_its_bulletins_on_its_own_page(client, county):
    mine = issue(county)
    issue(county, kind=Bulletin.Kind.CRITICISM, department=county.rsj, title="关于县人社局的通报")
    client.force_login(county.dan)
    body = client.get(reverse("workspace:inbox")).content.decode()
    assert 'id="bulletins"' in body and f'id="bulletin-{mine.pk}"' in body
    assert "进四问通〔2026〕1号" in body and "关于县人社局的通报" not in body
    client.force_login(county.ren)
    body = client.get(reverse("workspace:inbox")).content.decode()
    assert "关于县人社局的通报" in body and "高效解决企业用电问题" not in body


def test_the_evaluation_lists_the_periods_bulletins(client, county):
    issue(county)
    issue(county, kind=Bulletin.Kind.ACCOUNTABILITY, now=MAY.replace(year=2025))
    client.force_login(county.office)
    body = client.get(reverse("analysis:evaluation"), {"period": "2026"}).content.decode()
    section = body[body.index('id="period-bulletins"') : body.index('id="definitions"')]
    assert "高效解决企业用电问题" in section and "问责建议" not in section
