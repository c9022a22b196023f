"""上报市级 in the demo (issue 22): 南昌市's departments 市发改委 (its clerk is the demo login
`cityfgw`) and 市自然资源局, and one case of 安义县 its lead department explained as a policy barrier
(the electricity price is the province's), escalated by 安义县's office and assigned by the city's
office to 市发改委 — waiting in `cityfgw`'s inbox for the answer.

Its dates are counted back from the seed day (the demo's Timeline), so whenever the demo is seeded
the city's clock is running: assigned on the working day before, 签收 due within the contact rule's
working days and the answer weeks ahead."""

from __future__ import annotations

from cases import intake, workflow
from cases.models import Case, Category
from counties.models import CityDepartment, CityDepartmentStaff
from demo.clock import Clock
from demo.people import NameBook, make_person
from demo.timeline import Timeline

TITLE = "大工业峰谷电价偏高，铝型材熔铸成本难以承受"
REPLY = "峰谷分时电价由省发展改革委核定，县里无权调整；已向企业解释政策并协助申报错峰生产。"
PROPOSAL = (
    "我县铝型材企业用电量大、峰谷价差影响突出，县级无权调整电价。建议市发改委向省发展改革委"
    "反映，争取将我市铝型材企业纳入电力市场化直接交易或给予错峰生产电价支持。"
)


# Working days before the seed day of each step of the escalated case.
DAYS_AGO = {"created": 8, "assigned": 8, "accepted": 7, "replied": 4, "escalated": 3, "city": 1}


def build_city_escalation(
    second, city_office, names: NameBook, timeline: Timeline, clock: Clock
) -> Case:
    """The city's departments and the escalated case (second: demo.second_county.SecondCounty),
    each step at its moment counted back from the seed day."""

    def step(name: str, hour: int) -> dict:
        return {"now": clock.set(timeline.moment(timeline.days_ago(DAYS_AGO[name]), hour))}

    city = second.county.city
    fgw = CityDepartment.objects.create(city=city, name="市发改委")
    CityDepartment.objects.create(city=city, name="市自然资源局")
    clerk = make_person("cityfgw", names.take())
    CityDepartmentStaff.objects.create(user=clerk, department=fgw)

    office, lead = second.clerks["office"], second.clerks["power"]
    step("created", 9)
    case = intake.case_create(
        actor=office,
        enterprise=second.enterprises[0],
        title=TITLE,
        description="熔铸车间需连续生产，无法避开高峰时段，电费占成本三成以上。",
        category=Category.objects.filter(code="power").first() or Category.objects.first(),
        source=Case.Source.VISIT,
    )
    workflow.case_assign(
        actor=office,
        case=case,
        lead_department=second.departments["power"],
        **step("assigned", 11),
    )
    step("accepted", 10)
    workflow.case_accept(actor=lead, case=case, contact_note="已上门了解企业用电情况")
    step("replied", 16)
    workflow.case_reply(actor=lead, case=case, outcome=Case.Outcome.EXPLAINED, reply=REPLY)
    escalation = workflow.case_escalate_to_city(
        actor=office, case=case, proposal=PROPOSAL, **step("escalated", 10)
    )
    workflow.city_escalation_assign(
        **step("city", 15),
        actor=city_office,
        escalation=escalation,
        city_department=fgw,
        note="请市发改委牵头研究，向省发展改革委反映。",
    )
    second.cases.append(case)
    return case
