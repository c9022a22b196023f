"""The newspaper report's four stories (docs/design.md §1), told as cases.

- 荣信钢构: "电压不稳，无法满负荷生产" — 县工信局 added a transformer within a week; on the return
  visit chairman 付登印 praised the bureau and raised three more problems (第一批).
- 奕博集团: welders short — 县人社局, with 县教育局, placed 30-odd vocational graduates on paid
  internships; all stayed.
- 桂柳家禽: the power bill is high — 供电公司 answered item by item: explained, not solved.
- 洪达医疗: power capacity — 供电公司 came three times (三顾洪达); the transformer was energised
  on 31 March 2021.
"""

from __future__ import annotations

import datetime as dt

from cases import workflow
from cases.models import Case, Visit
from cases.workdays import CHINA, end_of_day
from demo.enterprises import HONGDA, POULTRY, STEEL, YIBO
from demo.problems import Template
from demo.runner import Batch, Life, Opening, Runner, co_of, lead_of
from taskforces.models import TaskForceMember

R = Case.Rating


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=CHINA)


VOLTAGE = Template(
    "power",
    "电压不稳，无法满负荷生产",
    "董事长付登印反映：厂区电压不稳，设备处于半闲置状态，无法满负荷生产。",
    "gxj",
    ("power",),
    ("现场勘查并增设一台变压器",),
    "县工信局协调供电公司，一周内为企业增设了一台变压器，电压稳定，设备已恢复满负荷生产。",
)
WELDERS = Template(
    "labour",
    "电焊工紧缺，有订单不敢接",
    "集团2019年搬迁至进贤经开区，厂区扩大7万平方米。总工程师杨斌反映：电焊工紧缺，企业有订单都不敢接；"
    "此前多次通过多种渠道反映，相关部门发布几条招聘信息后再无下文。",
    "rsj",
    ("jyj",),
    ("联系县职业教育学校，组织焊接专业毕业生到企业带薪实习", "对接企业用工需求，落实带薪实习岗位"),
    "县人社局协同县教育局，联系县职业教育学校安排30余名毕业生到奕博集团带薪实习，实习期月薪8000余元，"
    "转正后月薪不低于1.2万元；实习生全部选择留下，电焊工紧缺问题得到解决。",
)
POWER_BILL = Template(
    "power",
    "电费高，生产费用高，用电困难",
    "企业反映电费高，生产费用高，用电困难。",
    "power",
    (),
    ("逐项核对企业用电容量和电价执行情况",),
    "",
    "已第一时间向企业逐项答复：用户用电容量、用电行业、电价适用行业及具体电价均按规定执行。"
    "目前暂无降低该类用电电价的政策，一旦有惠企政策，将第一时间告知企业并帮助申请。",
)
CAPACITY = Template(
    "power",
    "新建车间电力增容",
    "企业新建车间投产在即，现有变压器容量不足，急需电力增容。",
    "power",
    ("gxj",),
    ("新增变压器安装调试并送电",),
    "3月31日，洪达集团新增变压器通电。从申请装表到投入生产用电，供电公司全程上门服务，"
    "电力增容问题已解决。",
)
# The three problems 付登印 raised on the return visit, handed out with the first batch.
STEEL_FOLLOW_UPS = [
    (
        Template(
            "roads",
            "厂区门前道路狭窄，大型钢构件运输困难",
            "厂区门前道路狭窄、转弯半径小，大型钢构件运输车辆进出困难。",
            "jtj",
            ("township",),
            ("现场勘查并制定道路拓宽方案", "完成路口拓宽施工"),
            "县交通运输局会同民和镇完成厂区门前路口拓宽，大型钢构件运输车辆进出顺畅。",
        ),
        Case.Outcome.RESOLVED,
    ),
    (
        Template(
            "labour",
            "急需焊接、吊装技术工人",
            "订单增加，焊接、吊装等技术工人缺口约20人。",
            "rsj",
            ("jyj",),
            ("组织专场招聘会", "联系县职业教育学校对接实习生"),
            "县人社局组织钢构企业专场招聘会，联系县职业教育学校推荐实习生，已为企业招聘技术工人18名。",
        ),
        Case.Outcome.RESOLVED,
    ),
    (
        Template(
            "land",
            "扩建车间用地指标不足",
            "企业计划扩建重型钢构车间，需新增用地约30亩。",
            "zrzyj",
            ("township", "fgw"),
            ("梳理可调剂的用地指标",),
            "",
            "本年度新增建设用地指标已用完，已将企业扩建用地纳入下一年度用地计划，并向企业解释到位。",
        ),
        Case.Outcome.EXPLAINED,
    ),
]


def story_openings(r: Runner, first_batch: Batch) -> list[Opening]:
    county = r.county
    steel, yibo = county.by_name[STEEL], county.by_name[YIBO]
    poultry, hongda = county.by_name[POULTRY], county.by_name[HONGDA]
    demo_cadre = county.demo["cadre"]

    def life(track, enterprise, template, created, **extra) -> Life:
        return Life(
            track=track,
            enterprise=enterprise,
            template=template,
            created=created,
            title=template.title,
            detail=template.detail,
            lead=lead_of(county, enterprise, template),
            co=co_of(county, enterprise, template),
            **extra,
        )

    follow_ups = [
        life("closed", steel, template, at(2021, 3, 25, 9, 40), outcome=outcome, batch=first_batch)
        for template, outcome in STEEL_FOLLOW_UPS
    ]
    guiliu = life(
        "story_guiliu",
        poultry,
        POWER_BILL,
        at(2021, 4, 8, 10),
        batch=first_batch,
        outcome=Case.Outcome.EXPLAINED,
    )
    first_batch.lives.extend([*follow_ups, guiliu])
    return [
        Opening(
            at(2021, 3, 2, 10),
            hongda,
            [life("story_hongda", hongda, CAPACITY, at(2021, 3, 2, 10))],
            cadre=_cadre(r, hongda),
            kind=Visit.Kind.PUBLICIZE,
            notes="宣传“四进四问”活动和惠企政策。企业反映新建车间用电容量不足，急需增容。",
        ),
        Opening(
            at(2021, 3, 8, 9, 40),
            steel,
            [life("story_rongxin", steel, VOLTAGE, at(2021, 3, 8, 9, 40))],
            cadre=demo_cadre,
            kind=Visit.Kind.PUBLICIZE,
            notes="开展“四进四问”进企业宣传问需求。董事长付登印随口说了句：“电压不稳，无法满负荷生产。”",
        ),
        Opening(
            at(2021, 3, 25, 9, 40),
            steel,
            follow_ups,
            cadre=demo_cadre,
            kind=Visit.Kind.RESOLVE,
            notes="回访荣信钢构：增设变压器后电压稳定，生产线满负荷运行。付登印董事长一个劲地夸赞"
            "工信部门办了实事，又一连提了三个需要解决的问题。",
        ),
        Opening(
            at(2021, 4, 8, 10),
            poultry,
            [guiliu],
            cadre=_cadre(r, poultry),
            kind=Visit.Kind.PUBLICIZE,
            notes="宣传惠企政策，询问企业需求。企业反映电费高、生产费用高。",
        ),
        Opening(
            at(2021, 4, 22, 15),
            yibo,
            [life("story_yibo", yibo, WELDERS, at(2021, 4, 22, 15))],
            cadre=_cadre(r, yibo, unit="rsj"),
            kind=Visit.Kind.INSPECT,
            notes="县人社局干部到奕博集团开展“四进四问”，向企业负责人询问需求。总工程师杨斌反映电焊工紧缺。",
        ),
    ]


def _cadre(r: Runner, enterprise, unit: str | None = None):
    task_force = r.county.key_task_force[enterprise.pk]
    members = task_force.members.filter(role=TaskForceMember.Role.CADRE).order_by("pk")
    if unit:
        members = members.filter(department=r.county.dept(unit))
    return members.first().user


def _clerk(r: Runner, code: str):
    return r.county.actor(r.county.clerks[code][0])


def story_hongda(r: Runner, life: Life) -> None:
    """三顾洪达: three visits by the power company, and the transformer energised on 31 March."""
    power = _clerk(r, "power")
    r.assign(
        life,
        at(2021, 3, 3, 9),
        resolve_due_at=end_of_day(dt.date(2021, 4, 9)),
        note="电力增容涉及设备采购和施工，办结期限定为4月9日。",
    )
    r.accept(
        life,
        at(2021, 3, 4, 10),
        "供电公司负责人第一次上门，为企业解读用电办理、停电流程和电价政策，现场勘查增容方案。",
    )
    r.at(at(2021, 3, 4, 11))
    item = workflow.case_add_breakdown_item(
        actor=power,
        case=life.case,
        department=r.county.dept("power"),
        measure="新增变压器安装调试并送电",
        due_on=dt.date(2021, 3, 31),
    )
    r.at(at(2021, 3, 4, 11, 30))
    promise = workflow.case_add_commitment(
        actor=power,
        case=life.case,
        text="3月31日前新增变压器通电。",
        due_on=dt.date(2021, 3, 31),
        now=at(2021, 3, 4, 11, 30),
    )
    r.progress(
        life,
        at(2021, 3, 12, 10),
        "供电公司负责人第二次上门，讲解智能缴费服务和互联网办电渠道，确定施工方案。",
    )
    r.progress(
        life,
        at(2021, 3, 23, 15),
        "供电公司负责人第三次上门（“三顾洪达”），现场协调变压器安装进度。",
    )
    r.at(at(2021, 3, 31, 16))
    workflow.breakdown_item_complete(actor=power, item=item, now=at(2021, 3, 31, 16))
    r.at(at(2021, 3, 31, 16, 10))
    workflow.commitment_keep(
        actor=power, commitment=promise, note="新增变压器已通电。", now=at(2021, 3, 31, 16, 10)
    )
    r.reply(life, at(2021, 3, 31, 17))
    contact = r.county.actor(r.county.contacts[life.enterprise.pk])
    r.at(at(2021, 4, 2, 10))
    workflow.case_rate(
        actor=contact,
        case=life.case,
        rating=R.VERY_SATISFIED,
        comment="从申请装表到投入生产用电，供电部门的服务很周到，办事效率高。",
        now=at(2021, 4, 2, 10),
    )
    r.close(life, at(2021, 4, 6, 10))


def story_rongxin(r: Runner, life: Life) -> None:
    """一个星期: the bureau gets a transformer added within a week."""
    dept = r.county.actor(r.county.demo["dept"])
    r.assign(life, at(2021, 3, 8, 15))
    r.accept(
        life,
        at(2021, 3, 9, 9, 30),
        "县工信局当日联系供电公司，与付登印董事长对接，现场查看车间用电情况。",
    )
    r.at(at(2021, 3, 9, 11))
    item = workflow.case_add_breakdown_item(
        actor=dept,
        case=life.case,
        department=r.county.dept("power"),
        measure="现场勘查并增设一台变压器",
        due_on=dt.date(2021, 3, 15),
    )
    r.at(at(2021, 3, 9, 11, 20))
    promise = workflow.case_add_commitment(
        actor=dept,
        case=life.case,
        text="一周内帮助企业增设一台变压器。",
        due_on=dt.date(2021, 3, 15),
        now=at(2021, 3, 9, 11, 20),
    )
    r.progress(life, at(2021, 3, 11, 16), "供电公司已完成现场勘查，变压器已调配到位。")
    r.at(at(2021, 3, 15, 11))
    workflow.breakdown_item_complete(actor=_clerk(r, "power"), item=item, now=at(2021, 3, 15, 11))
    r.at(at(2021, 3, 15, 11, 30))
    workflow.commitment_keep(
        actor=dept, commitment=promise, note="变压器已增设并投运。", now=at(2021, 3, 15, 11, 30)
    )
    r.reply(life, at(2021, 3, 15, 16))
    # Recorded by the cadre on the return visit of 25 March (the visit that raised three more).
    cadre = r.county.actor(r.county.demo["cadre"])
    r.at(at(2021, 3, 25, 9, 30))
    workflow.case_rate(
        actor=cadre,
        case=life.case,
        rating=R.VERY_SATISFIED,
        comment="付登印董事长一个劲地夸赞：工信部门办了实事！",
        now=at(2021, 3, 25, 9, 30),
    )
    r.close(life, at(2021, 3, 26, 10))


def story_yibo(r: Runner, life: Life) -> None:
    """人社局 with 教育局: 30-odd vocational graduates on paid internships, and all of them stayed."""
    rsj, jyj = _clerk(r, "rsj"), _clerk(r, "jyj")
    r.assign(life, at(2021, 4, 23, 9, 30))
    # Sunday 25 April 2021 was a working day (调休 for May Day).
    r.accept(
        life,
        at(2021, 4, 25, 9),
        "县人社局负责人带队到奕博集团与总工程师杨斌对接，梳理用工需求：电焊工缺口30余人。",
    )
    items = []
    for n, (code, measure) in enumerate(zip(("jyj", "rsj"), WELDERS.measures, strict=True)):
        r.at(at(2021, 4, 25, 11, n * 10))
        items.append(
            workflow.case_add_breakdown_item(
                actor=rsj,
                case=life.case,
                department=r.county.dept(code),
                measure=measure,
                due_on=dt.date(2021, 5, 14),
            )
        )
    r.at(at(2021, 4, 25, 11, 30))
    promise = workflow.case_add_commitment(
        actor=rsj,
        case=life.case,
        text="5月14日前安排不少于30名毕业生到企业带薪实习。",
        due_on=dt.date(2021, 5, 14),
        now=at(2021, 4, 25, 11, 30),
    )
    r.at(at(2021, 5, 8, 10))
    workflow.case_add_progress(
        actor=jyj,
        case=life.case,
        public=True,
        note="县职业教育学校30余名焊接专业毕业生已到奕博集团报到，开始带薪实习。",
    )
    r.at(at(2021, 5, 12, 15))
    workflow.breakdown_item_complete(actor=jyj, item=items[0], now=at(2021, 5, 12, 15))
    r.at(at(2021, 5, 12, 15, 20))
    workflow.breakdown_item_complete(actor=rsj, item=items[1], now=at(2021, 5, 12, 15, 20))
    r.at(at(2021, 5, 12, 15, 30))
    workflow.commitment_keep(
        actor=rsj, commitment=promise, note="32名毕业生已到岗实习。", now=at(2021, 5, 12, 15, 30)
    )
    r.reply(life, at(2021, 5, 20, 10))
    contact = r.county.actor(r.county.contacts[life.enterprise.pk])
    r.at(at(2021, 5, 24, 9))
    workflow.case_rate(
        actor=contact,
        case=life.case,
        rating=R.VERY_SATISFIED,
        comment="这些带薪实习毕业生全部选择留下来，令我们最头痛的招工难问题得到解决。",
        now=at(2021, 5, 24, 9),
    )
    r.close(life, at(2021, 5, 26, 10))


def story_guiliu(r: Runner, life: Life) -> None:
    """解释到位: not solved, but every question answered, and a promise to tell of any relief."""
    r.assign(life, at(2021, 4, 22, 9, 40))
    r.accept(
        life,
        at(2021, 4, 22, 15),
        "供电公司第一时间与企业对接，核对用户用电容量、用电行业和电价执行情况。",
    )
    r.reply(life, at(2021, 4, 26, 10), Case.Outcome.EXPLAINED)
    r.rate(
        life,
        at(2021, 5, 10, 10),
        R.BASICALLY_SATISFIED,
        "问题虽没有解决，但供电公司耐心解释，我们理解。",
    )
    r.close(life, at(2021, 5, 12, 10))


STORY_TRACKS = {
    "story_hongda": story_hongda,
    "story_rongxin": story_rongxin,
    "story_yibo": story_yibo,
    "story_guiliu": story_guiliu,
}
