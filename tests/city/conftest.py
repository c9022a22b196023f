"""上报市级 (cases.workflow.city): the personas' county (进贤县, in 南昌市), the city's office, a city
department (市发改委) with its clerk, a second county of the same city (安义县), and a city
department of another city (九江市发改委)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cases import workflow
from cases.models import Case
from counties.models import City, CityDepartment, CityDepartmentStaff, CityOfficeMember, County
from tests.conftest import make_county, make_user

POLICY = "峰谷分时电价由省发展改革委核定，县里无权调整，已向企业解释到位。"
PROPOSAL = "建议市发改委向省里争取将我县钢结构企业纳入大工业用电直接交易试点。"


@dataclass
class CityWorld:
    county: object  # 进贤县's personas (tests.conftest.County)
    city: City
    city_office: object
    fgw: CityDepartment
    fgw_clerk: object
    zrzy: CityDepartment
    zrzy_clerk: object
    other_county: object  # 安义县's personas
    foreign_fgw: CityDepartment
    foreign_clerk: object

    def explained(self, county=None) -> Case:
        """A case whose lead department replied: a policy barrier, explained to the enterprise."""
        county = county or self.county
        case = county.in_progress()
        return workflow.case_reply(actor=county.dan, case=case, outcome="explained", reply=POLICY)

    def escalated(self, county=None):
        county = county or self.county
        return workflow.case_escalate_to_city(
            actor=county.office, case=self.explained(county), proposal=PROPOSAL
        )

    def assigned(self, **kwargs):
        escalation = self.escalated()
        return workflow.city_escalation_assign(
            actor=self.city_office, escalation=escalation, city_department=self.fgw, **kwargs
        )


@pytest.fixture
def world(county) -> CityWorld:
    home = County.objects.get(pk=county.steel.county_id)
    city = home.city
    city_office = make_user("city_office", first_name="市委办")
    CityOfficeMember.objects.create(user=city_office, city=city)
    fgw = CityDepartment.objects.create(city=city, name="市发改委")
    zrzy = CityDepartment.objects.create(city=city, name="市自然资源局")
    fgw_clerk, zrzy_clerk = make_user("fgw_clerk"), make_user("zrzy_clerk")
    CityDepartmentStaff.objects.create(user=fgw_clerk, department=fgw)
    CityDepartmentStaff.objects.create(user=zrzy_clerk, department=zrzy)
    anyi = County.objects.create(city=city, name="安义县")
    other_county = make_county(anyi, users="ay_", names="安义", seed=500)
    jiujiang = City.objects.create(name="九江市")
    foreign_fgw = CityDepartment.objects.create(city=jiujiang, name="九江市发改委")
    foreign_clerk = make_user("jj_fgw_clerk")
    CityDepartmentStaff.objects.create(user=foreign_clerk, department=foreign_fgw)
    return CityWorld(
        county=county,
        city=city,
        city_office=city_office,
        fgw=fgw,
        fgw_clerk=fgw_clerk,
        zrzy=zrzy,
        zrzy_clerk=zrzy_clerk,
        other_county=other_county,
        foreign_fgw=foreign_fgw,
        foreign_clerk=foreign_clerk,
    )
