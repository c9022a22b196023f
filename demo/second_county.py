"""The demo's second county, 安义县 — smaller than 进贤县 and in the same city, 南昌市 — so the city
office has two counties to compare (issue 22); and the city office itself.

A few departments and townships with their staff, six enterprises with contacts, one 1+2+N task
force and a dozen cases in every state, driven through cases.intake and cases.workflow as the
office and the departments of 安义县 (never 进贤县's people: the county is their boundary).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.models import User

from cases import intake, workflow
from cases.models import Case, Category
from cases.roles import Actor, actor_for
from cases.taskforces import taskforce_save
from counties.models import CityOfficeMember, County, home_county_id
from demo.city_escalation import build_city_escalation
from demo.clock import Clock
from demo.people import JOINED, NameBook, make_person
from demo.timeline import Timeline
from enterprises.models import (
    ContactPerson,
    Department,
    DepartmentStaff,
    Enterprise,
    EnterpriseContact,
)
from enterprises.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from taskforces.models import CountyLeader, TaskForce, TaskForceMember

NAME = "安义县"
# (code, name, kind, head's title)
UNITS = [
    ("office", "安义县委办", Department.Kind.OFFICE, "主任"),
    ("gxj", "安义县工信局", Department.Kind.BUREAU, "局长"),
    ("rsj", "安义县人社局", Department.Kind.BUREAU, "局长"),
    ("zjj", "安义县住建局", Department.Kind.BUREAU, "局长"),
    ("dh", "鼎湖镇", Department.Kind.TOWNSHIP, "镇长"),
    ("wb", "万埠镇", Department.Kind.TOWNSHIP, "镇长"),
    ("power", "国网安义县供电公司", Department.Kind.UTILITY, "经理"),
]
# (name, industry, township code, key)
ENTERPRISES = [
    ("江西安义铝材科技有限公司", Enterprise.Industry.MANUFACTURING, "dh", True),
    ("安义县鼎湖门窗制造有限公司", Enterprise.Industry.STEEL, "dh", False),
    ("江西万埠粮油食品有限公司", Enterprise.Industry.FOOD, "wb", True),
    ("安义县古村文化旅游有限公司", Enterprise.Industry.SERVICES, "wb", False),
    ("江西安义电子元件有限公司", Enterprise.Industry.ELECTRONICS, "dh", False),
    ("安义县万埠纺织有限公司", Enterprise.Industry.TEXTILE, "wb", False),
]
# (enterprise index, title, category code, lead unit code, how far it goes)
PROBLEMS = [
    (0, "厂区变压器容量不足，新产线无法投产", "power", "power", "closed"),
    (0, "铝型材出口退税办理慢", "finance", "gxj", "replied"),
    (1, "门窗车间急需焊工十名", "labour", "rsj", "replied"),
    (2, "粮油仓储用地审批进度慢", "land", "zjj", "in_progress"),
    (2, "夏季高峰时段频繁限电", "power", "power", "in_progress"),
    (3, "景区道路破损，旅游大巴进出困难", "roads", "zjj", "assigned"),
    (4, "电子元件技工招聘难", "labour", "rsj", "assigned"),
    (4, "厂房消防验收排期长", "approval", "zjj", "assigned"),
    (5, "纺织车间用电成本偏高", "power", "gxj", "submitted"),
    (5, "企业贷款续贷难", "finance", None, "submitted"),
]
STEPS = ["submitted", "assigned", "in_progress", "replied", "closed"]


@dataclass
class SecondCounty:
    county: County
    departments: dict[str, Department] = field(default_factory=dict)
    clerks: dict[str, User] = field(default_factory=dict)
    enterprises: list[Enterprise] = field(default_factory=list)
    contacts: list[User] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)


def build_second_county(names: NameBook, timeline: Timeline, clock: Clock) -> SecondCounty:
    """安义县 with its people, enterprises, task force and cases; and 南昌市's city office (the
    escalated case dated back from the seed day: demo.city_escalation)."""
    home = County.objects.select_related("city").get(pk=home_county_id())
    county, _created = County.objects.get_or_create(city=home.city, name=NAME)
    second = SecondCounty(county=county)
    _units(second, names)
    _enterprises(second, names)
    _task_force(second, names)
    leader = make_person("anyi_magistrate", names.take())
    CountyLeader.objects.create(user=leader, county=county, title=CountyLeader.Title.MAGISTRATE)
    _cases(second)
    city = make_person("city", names.take())
    CityOfficeMember.objects.create(user=city, city=home.city, title="市委办督查科")
    build_city_escalation(
        second, city, names, timeline, clock
    )  # 上报市级: 市发改委 (`cityfgw`) and one case
    return second


def _units(second: SecondCounty, names: NameBook) -> None:
    for n, (code, name, kind, head_title) in enumerate(UNITS):
        department = Department.objects.create(
            county=second.county, name=name, kind=kind, phone=f"0791-8345{n + 1:04d}"
        )
        head = make_person(f"anyi_{code}_head", names.take())
        DepartmentStaff.objects.create(
            user=head, department=department, is_head=True, title=head_title
        )
        # The office's clerk is the demo login `county2`.
        clerk = make_person("county2" if code == "office" else f"anyi_{code}_clerk", names.take())
        DepartmentStaff.objects.create(user=clerk, department=department, title="股长")
        department.contact_name = clerk.get_full_name()
        department.save(update_fields=["contact_name"])
        second.departments[code], second.clerks[code] = department, clerk
        second.clerks[f"{code}_head"] = head


def _enterprises(second: SecondCounty, names: NameBook) -> None:
    rng = random.Random(NAME)
    for n, (name, industry, township, key) in enumerate(ENTERPRISES):
        first17 = "91360123MA" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(7))
        contact_name = names.take()
        enterprise = Enterprise(
            county=second.county,
            name=name,
            credit_code=first17 + credit_code_check_character(first17),
            industry=industry,
            township=second.departments[township],
            industry_department=second.departments["gxj"],
            address=f"安义县{second.departments[township].name}工业大道{n + 8}号",
            contact_name=contact_name,
            contact_phone=f"0791-834{n + 10:05d}",
            is_key=key,
        )
        enterprise.full_clean()
        enterprise.save()
        user = make_person(f"anyi_contact{n + 1:02d}", contact_name)
        EnterpriseContact.objects.create(
            user=user, enterprise=enterprise, phone=enterprise.contact_phone
        )
        # The phone book (taskforces.contacts): the registered contact's mobile, and one more.
        ContactPerson.objects.bulk_create(
            [
                ContactPerson(
                    enterprise=enterprise,
                    name=contact_name,
                    position="总经理",
                    mobile=f"1397910{n:04d}",
                    created_at=JOINED,
                ),
                ContactPerson(
                    enterprise=enterprise,
                    name=names.take(),
                    position="办公室主任",
                    mobile=f"1357910{n:04d}",
                    created_at=JOINED,
                ),
            ]
        )
        second.enterprises.append(enterprise)
        second.contacts.append(user)


def _task_force(second: SecondCounty, names: NameBook) -> None:
    role = TaskForceMember.Role
    d = second.departments
    taskforce_save(
        task_force=TaskForce(
            county=second.county,
            name="安义县重点企业专班",
            kind=TaskForce.Kind.KEY_ENTERPRISE,
            active=True,
        ),
        members=[
            (make_person("anyi_leader", names.take()), role.LEADER, None),
            (second.clerks["gxj_head"], role.HEAD, d["gxj"]),
            (second.clerks["zjj_head"], role.HEAD, d["zjj"]),
            (make_person("anyi_cadre", names.take()), role.CADRE, d["zjj"]),
        ],
        enterprises=[e for e in second.enterprises if e.is_key],
    )


def _cases(second: SecondCounty) -> None:
    office: Actor = actor_for(second.clerks["office"])
    categories = {c.code: c for c in Category.objects.all()}
    fallback = next(iter(categories.values()))
    for index, title, category, lead, reach in PROBLEMS:
        enterprise = second.enterprises[index]
        case = intake.case_create(
            actor=office,
            enterprise=enterprise,
            title=title,
            description="",
            category=categories.get(category, fallback),
            source=Case.Source.VISIT,
        )
        depth = STEPS.index(reach)
        lead_unit = second.departments[lead] if lead else second.departments["gxj"]
        clerk = second.clerks[lead] if lead else second.clerks["gxj"]
        if depth >= 1:
            workflow.case_assign(actor=office, case=case, lead_department=lead_unit)
        if depth >= 2:
            workflow.case_accept(actor=clerk, case=case, contact_note="已电话联系企业，约定上门")
        if depth >= 3:
            workflow.case_reply(
                actor=clerk, case=case, outcome=Case.Outcome.RESOLVED, reply="已协调解决"
            )
        if depth >= 4:
            contact = second.contacts[index]
            workflow.case_rate(actor=contact, case=case, rating=Case.Rating.SATISFIED)
            workflow.case_close(actor=office, case=case)
        second.cases.append(case)
