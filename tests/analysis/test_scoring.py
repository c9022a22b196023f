"""考核 scored the way counties score it (issue 19): the office's rules, worked by hand on the
spring of 2021 (tests/analysis/conftest.py), and a past period that keeps its score.

工信局 in Q2 (assigned A B C D E): 响应率 3/5; 办结率 2/3; 解决率 2/2 (A and B replied as resolved,
C reopened and not replied again); 满意率 2/3 (A 非常满意, B 满意, C 不满意; B's 非常不满意 excluded
on appeal); 践诺率 1/2 (B's kept on its day, E's of 10 June missed). No return; one counted
dissatisfied rating (C's), so one reopening to deduct — B's reopening followed the rating whose
appeal was upheld and deducts nothing.

The default rules weigh 20/25/20/25/10: 20×0.6 + 25×2/3 + 20×1 + 25×2/3 + 10×0.5 = 70.33, less 2
for the reopening: 68.33. 人社局: 响应率 1/1 only → 100, less 1 for its return (E): 99.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from analysis import evaluation, rules
from analysis.models import EvaluationRules
from analysis.periods import Period, month, quarter
from cases.bulletins import bulletin_issue
from cases.errors import ActionForbidden
from cases.models import Bulletin
from cases.selectors import cases_visible_to
from cases.stats import DepartmentStats
from enterprises.models import Department
from tests.analysis.conftest import NOW, at, frozen

pytestmark = pytest.mark.django_db

Q2 = quarter(2021, 2)
DEFAULT_GXJ_BASE = 20 * 0.6 + 25 * 2 / 3 + 20 * 1 + 25 * 2 / 3 + 10 * 0.5  # 70.33


def scored(spring, period=Q2, now=NOW, **kwargs):
    ranking = evaluation.department_evaluation(
        cases_visible_to(spring.county.office), period, now=now, min_assigned=1, **kwargs
    )
    return ranking, {r.department.name: r for r in ranking.rows}


def version(**values) -> EvaluationRules:
    """A version of the rules (not saved): the defaults, changed where given."""
    return EvaluationRules(**{**rules.rules_values(rules.default_rules()), **values})


# --- the five rates and their weights ------------------------------------------------------------


def test_the_default_rules_weigh_the_five_rates_and_deduct_the_reopening(spring):
    _ranking, rows = scored(spring)
    gxj = rows["县工信局"]
    assert (gxj.contact_rate, gxj.reply_rate, gxj.resolve_rate) == (0.6, pytest.approx(2 / 3), 1)
    assert (gxj.satisfaction_rate, gxj.commitment_rate) == (pytest.approx(2 / 3), 0.5)
    assert (gxj.replied, gxj.resolved) == (2, 2)
    assert gxj.base_score == pytest.approx(DEFAULT_GXJ_BASE)
    assert (gxj.reopens, gxj.dissatisfied_reopens, gxj.deductions) == (2, 1, 2.0)
    assert gxj.score == pytest.approx(68.33)


def test_the_weights_are_the_offices(spring):
    _ranking, rows = scored(
        spring,
        rules=version(
            weight_contact=50,
            weight_reply=0,
            weight_resolve=0,
            weight_satisfaction=50,
            weight_commitment=0,
            deduction_reopen=0,
        ),
    )
    # (50 × 0.6 + 50 × 2/3) / 100 × 100
    assert rows["县工信局"].score == pytest.approx(63.33)


def test_an_explained_reply_is_replied_but_not_resolved(spring):
    from cases import workflow

    with frozen(at(2021, 6, 2)):
        case = spring.county.in_progress(enterprise=spring.county.poultry)
        workflow.case_reply(
            actor=spring.county.dan, case=case, outcome="explained", reply="政策不允许，已解释"
        )
    _ranking, rows = scored(spring)
    assert (rows["县工信局"].replied, rows["县工信局"].resolved) == (3, 2)
    assert rows["县工信局"].resolve_rate == pytest.approx(2 / 3)


def test_a_rate_without_data_leaves_its_weight_out(spring):
    _ranking, rows = scored(spring)
    rsj = rows["县人社局"]
    assert rsj.rates() == {
        "contact": 1.0,
        "reply": None,
        "resolve": None,
        "satisfaction": None,
        "commitment": None,
    }
    assert rsj.base_score == pytest.approx(100.0)


def test_a_commitment_kept_after_its_day_is_missed(spring):
    from cases import workflow
    from cases.models import Commitment

    late = Commitment.objects.get(case=spring.E, due_on=dt.date(2021, 6, 10))
    with frozen(at(2021, 6, 11)):
        workflow.commitment_keep(actor=spring.county.dan, commitment=late)
    _ranking, rows = scored(spring)
    assert (rows["县工信局"].commitments_kept, rows["县工信局"].commitments_missed) == (1, 1)


# --- deductions ---------------------------------------------------------------------------------


def test_each_return_deducts_its_points(spring):
    _ranking, rows = scored(spring, rules=version(deduction_return=Decimal("2.5")))
    rsj = rows["县人社局"]
    assert (rsj.stats.returns, rsj.deductions, rsj.score) == (1, 2.5, 97.5)


def test_each_reopening_after_a_dissatisfied_rating_deducts_its_points(spring):
    _ranking, rows = scored(spring, rules=version(deduction_reopen=Decimal("3")))
    gxj = rows["县工信局"]
    # C's 不满意 deducts; B's 非常不满意 was excluded on appeal: its reopening deducts nothing.
    assert gxj.deductions == 3.0
    assert gxj.score == pytest.approx(DEFAULT_GXJ_BASE - 3, abs=0.005)


# --- 奖惩 ----------------------------------------------------------------------------------------


def issue(spring, kind, moment, department=None):
    return bulletin_issue(
        actor=spring.county.office,
        kind=kind,
        department=department or spring.county.gxj,
        title="关于县工信局的通报",
        text="通报内容",
        now=moment,
    )


def test_the_periods_bulletins_add_their_points(spring):
    K = Bulletin.Kind
    issue(spring, K.PRAISE, at(2021, 5, 20))
    issue(spring, K.INTERVIEW, at(2021, 6, 1))
    issue(spring, K.ACCOUNTABILITY, at(2021, 7, 2))  # the next quarter's
    _ranking, rows = scored(spring)
    gxj = rows["县工信局"]
    assert gxj.bulletins == {"praise": 1, "interview": 1}
    assert gxj.bulletin_points == -1.0  # +2 − 3
    assert gxj.score == pytest.approx(DEFAULT_GXJ_BASE - 2 - 1, abs=0.005)
    _ranking, rows = scored(spring, rules=version(points_interview=Decimal("-0.5")))
    assert rows["县工信局"].bulletin_points == 1.5


def test_a_unit_with_a_bulletin_but_no_rate_is_not_scored(spring):
    issue(spring, Bulletin.Kind.CRITICISM, at(2021, 5, 20), department=spring.county.power)
    _ranking, rows = scored(spring)
    power = rows["国网进贤县供电公司"]
    assert power.bulletin_points == -2.0 and power.score is None and power.rank is None


# --- 未评价: left out, or counted as satisfied after N working days ---------------------------------


@pytest.fixture
def unrated(spring):
    """A reply of Tue 1 June 2021 the enterprise never rated. Five working days later is Tue 8
    June; ten is Wed 16 June (12–14 June were the Dragon Boat holiday)."""
    with frozen(at(2021, 6, 1)):
        spring.county.replied(enterprise=spring.county.poultry)
    return spring


def test_an_unrated_reply_is_left_out_by_default(unrated):
    _ranking, rows = scored(unrated)
    gxj = rows["县工信局"]
    assert (gxj.deemed_satisfied, gxj.rated, gxj.satisfaction_rate) == (0, 3, pytest.approx(2 / 3))


def test_an_unrated_reply_counts_as_satisfied_once_its_working_days_are_over(unrated):
    five = version(unrated=EvaluationRules.Unrated.SATISFIED, unrated_days=5)
    _ranking, rows = scored(unrated, rules=five)
    gxj = rows["县工信局"]
    assert (gxj.deemed_satisfied, gxj.rated, gxj.satisfied) == (1, 4, 3)
    assert gxj.satisfaction_rate == pytest.approx(3 / 4)


def test_an_unrated_reply_waits_until_its_working_days_are_over(unrated):
    ten = version(unrated=EvaluationRules.Unrated.SATISFIED, unrated_days=10)
    _ranking, rows = scored(unrated, rules=ten)  # on 15 June: the tenth day is tomorrow
    assert rows["县工信局"].deemed_satisfied == 0
    july = dt.datetime(2021, 7, 1, 10, tzinfo=NOW.tzinfo)
    _ranking, rows = scored(unrated, now=july, rules=ten)
    assert rows["县工信局"].deemed_satisfied == 1
    # … counted in June, the month of its tenth working day, not in May nor July.
    for period, deemed in ((month(2021, 5), 0), (month(2021, 6), 1), (month(2021, 7), 0)):
        _ranking, rows = scored(unrated, period, now=july, rules=ten)
        assert rows["县工信局"].deemed_satisfied == deemed, period
    _ranking, rows = scored(unrated, month(2021, 6), now=july, rules=ten)
    assert rows["县工信局"].satisfaction_rate == 1.0  # no rating given in June; one deemed


def test_a_late_rating_counts_as_itself(unrated):
    from cases import workflow
    from cases.models import Case

    case = Case.objects.filter(rating="", replied_at__isnull=False).get()
    with frozen(at(2021, 6, 10)):
        workflow.case_rate(actor=unrated.county.bea, case=case, rating="dissatisfied")
    five = version(unrated=EvaluationRules.Unrated.SATISFIED, unrated_days=5)
    _ranking, rows = scored(unrated, rules=five)
    gxj = rows["县工信局"]
    assert (gxj.deemed_satisfied, gxj.rated, gxj.satisfied) == (0, 4, 2)


# --- groups, and units too small to rank ---------------------------------------------------------


def row(name, kind, contacted, assigned=5, group=""):
    department = Department(name=name, kind=kind, assessment_group=group)
    stats = DepartmentStats(department=department, assigned=assigned, contacted_on_time=contacted)
    return evaluation.DepartmentRow(stats=stats, contact_due=assigned)


def test_units_are_ranked_within_their_group():
    K = Department.Kind
    rows = [
        row("县工信局", K.BUREAU, 3),
        row("县人社局", K.BUREAU, 5),
        row("县商务局", K.BUREAU, 2, assigned=2),  # too few cases
        row("民和镇", K.TOWNSHIP, 4),
        row("进贤经开区管委会", K.PARK, 5),
        row("国网进贤县供电公司", K.UTILITY, 2),
        row("县税务局", K.BUREAU, 1, group=Department.AssessmentGroup.VERTICAL),
    ]
    ranking = evaluation.rank(rows, rules=version(min_ranked=5))
    by_group = {
        g.key: [(r.department.name, r.rank, r.score) for r in g.rows] for g in ranking.groups
    }
    assert by_group == {
        "township": [("进贤经开区管委会", 1, 100.0), ("民和镇", 2, 80.0)],
        "county": [("县人社局", 1, 100.0), ("县工信局", 2, 60.0), ("县商务局", None, 100.0)],
        "vertical": [("国网进贤县供电公司", 1, 40.0), ("县税务局", 2, 20.0)],
    }
    # Each group has its own 红榜 and 黑榜: the best and the worst of two.
    assert [r.department.name for r in ranking.red] == [
        "进贤经开区管委会",
        "县人社局",
        "国网进贤县供电公司",
    ]
    assert [r.department.name for r in ranking.black] == ["民和镇", "县工信局", "县税务局"]


def test_the_least_number_of_cases_to_be_ranked_is_the_rules(spring):
    ranking = evaluation.department_evaluation(
        cases_visible_to(spring.county.office), Q2, now=NOW, rules=version(min_ranked=2)
    )
    rows = {r.department.name: r for r in ranking.rows}
    assert rows["县工信局"].rank == 1 and rows["县人社局"].rank is None  # 5 cases; 1 case
    assert ranking.min_ranked == 2


def test_the_page_lists_a_unit_with_too_few_cases_without_a_rank(spring, client):
    client.force_login(spring.county.office)
    with frozen(NOW):
        body = client.get(reverse("analysis:evaluation"), {"period": "2021Q2"}).content.decode()
    rsj = body[body.index(f'id="dept-{spring.county.rsj.pk}"') :]
    rsj = rsj[: rsj.index("</tr>")]
    assert "不足5件" in rsj and 'data-figure="score">99.0<' in rsj
    gxj = body[body.index(f'id="dept-{spring.county.gxj.pk}"') :]
    assert 'data-figure="rank">1<' in gxj[: gxj.index("</tr>")]
    for group in ("township", "county", "vertical"):
        assert f'id="group-{group}"' in body
    # every rate's definition, with its weight
    for term in (
        "响应率",
        "办结率",
        "解决率",
        "满意率",
        "践诺率",
        "奖惩",
        "乡镇（园区）",
        "垂管单位",
    ):
        assert term in body
    assert "按系统默认的考核规则计分" in body


# --- a past period keeps its score -------------------------------------------------------------


def test_a_past_period_is_scored_by_the_rules_in_force_on_its_last_day(spring):
    office = spring.county.office
    with frozen(at(2021, 1, 4)):
        first = rules.rules_save(
            actor=office,
            values=rules.rules_values(rules.default_rules()),
            effective_from=dt.date(2021, 1, 4),
            note="首版",
        )
    april = month(2021, 4)
    # April, 工信局: A and B assigned; 响应率 1/2, 办结率 2/2, 解决率 2/2, no rating nor promise
    # due: (20×0.5 + 25 + 20) / 65 × 100 = 84.62.
    _ranking, rows = scored(spring, april)
    assert rows["县工信局"].score == pytest.approx(84.62)
    with frozen(NOW):
        second = rules.rules_save(
            actor=office,
            values={
                **rules.rules_values(first),
                "weight_contact": 100,
                "weight_reply": 0,
                "weight_resolve": 0,
                "weight_satisfaction": 0,
                "weight_commitment": 0,
            },
            effective_from=NOW.date(),
            note="只看响应",
        )
    ranking, rows = scored(spring, april)
    assert ranking.rules == first and rows["县工信局"].score == pytest.approx(84.62)
    # The month still running is scored by the version in force today.
    ranking, rows = scored(spring, month(2021, 6))
    assert ranking.rules == second
    assert rules.rules_for(Period(), NOW) == second
    assert list(rules.rules_history()) == [second, first]


def test_a_version_cannot_take_effect_before_today(spring):
    with frozen(NOW), pytest.raises(ValidationError) as refused:
        rules.rules_save(
            actor=spring.county.office,
            values=rules.rules_values(rules.default_rules()),
            effective_from=dt.date(2021, 4, 1),
        )
    assert "effective_from" in refused.value.message_dict
    assert not EvaluationRules.objects.exists()


def test_the_weights_must_add_up_to_100(spring):
    values = {**rules.rules_values(rules.default_rules()), "weight_commitment": 20}
    with frozen(NOW), pytest.raises(ValidationError, match="110"):
        rules.rules_save(actor=spring.county.office, values=values, effective_from=NOW.date())


def test_only_the_office_saves_the_rules(spring):
    with frozen(NOW), pytest.raises(ActionForbidden):
        rules.rules_save(
            actor=spring.county.li,
            values=rules.rules_values(rules.default_rules()),
            effective_from=NOW.date(),
        )


# --- the rules page -------------------------------------------------------------------------------


def form_data(**changes):
    data = {name: str(value) for name, value in rules.rules_values(rules.default_rules()).items()}
    data.update(effective_from=NOW.date().isoformat(), note="")
    data.update({k: str(v) for k, v in changes.items()})
    return data


def test_the_office_saves_a_new_version_on_the_rules_page(spring, client):
    client.force_login(spring.county.office)
    url = reverse("analysis:rules")
    with frozen(NOW):
        assert "尚未制定考核规则" in client.get(url).content.decode()
        answer = client.post(url, form_data(unrated="satisfied", unrated_days=5, note="试行"))
        assert answer.status_code == 302
        body = client.get(url).content.decode()
    saved = EvaluationRules.objects.get()
    assert (saved.unrated, saved.unrated_days, saved.created_by) == (
        "satisfied",
        5,
        spring.county.office,
    )
    assert f'id="rules-{saved.pk}"' in body and "现行" in body and "试行" in body
    assert "满 5 个工作日未评价视为满意" in body


def test_the_rules_page_refuses_a_past_day_and_wrong_weights(spring, client):
    client.force_login(spring.county.office)
    with frozen(NOW):
        answer = client.post(
            reverse("analysis:rules"), form_data(effective_from="2021-06-01", weight_contact=30)
        )
    assert answer.status_code == 400
    body = answer.content.decode()
    assert "施行日期不能早于今天" in body and "五项权重之和须为 100" in body
    assert not EvaluationRules.objects.exists()


def test_the_evaluation_says_which_rules_scored_it(spring, client):
    with frozen(at(2021, 1, 4)):
        rules.rules_save(
            actor=spring.county.office,
            values=rules.rules_values(rules.default_rules()),
            effective_from=dt.date(2021, 1, 4),
        )
    client.force_login(spring.county.li)
    with frozen(NOW):
        body = client.get(reverse("analysis:evaluation"), {"period": "2021Q2"}).content.decode()
    assert "按 2021-01-04 起施行的考核规则计分" in body
    assert 'id="rules-link"' not in body and 'id="export-evaluation"' not in body


def test_the_county_leadership_reads_the_countys_ranking(spring, client):
    from taskforces.models import CountyLeader
    from tests.conftest import make_user

    magistrate = make_user("magistrate")
    CountyLeader.objects.create(user=magistrate, title=CountyLeader.Title.MAGISTRATE)
    client.force_login(magistrate)
    with frozen(NOW):
        answer = client.get(reverse("analysis:evaluation"), {"period": "2021Q2"})
        assert client.get(reverse("analysis:rules")).status_code == 403
    assert answer.status_code == 200
    shown = {r.department.name: r for r in answer.context["ranking"].rows}
    assert shown["县工信局"].stats.assigned == 5  # the county's, not a share
