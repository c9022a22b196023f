"""The personas every test can call on, so permission tests read like a story.

A small county: the office (Ou, office head), 县工信局 (Dan is its clerk, Hu its head), 县人社局
(Ren is its clerk), 县供电公司. Two enterprises: 荣信钢构 (Eva is its contact) is covered by a
1+2+N task force (Li leads it; Carl is its paired cadre); 桂柳家禽 (Bea is its contact) is covered
by nobody. Sam has an account and no role at all. Mayor is the county head (县长), of the county's
leadership: reads every case, acts by 批示 alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from cases import intake, workflow
from cases.models import Case, Category
from enterprises.models import Department, DepartmentStaff, Enterprise, EnterpriseContact
from enterprises.validators import credit_code_check_character
from taskforces.models import CountyLeader, TaskForce, TaskForceEnterprise, TaskForceMember

CHINA = dt.timezone(dt.timedelta(hours=8))


def valid_credit_code(seed: int) -> str:
    body = f"91360124{seed:09d}"
    return body + credit_code_check_character(body)


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, password="pw-for-tests-only", **extra)


@dataclass
class County:
    office_dept: Department
    gxj: Department
    rsj: Department
    power: Department
    steel: Enterprise
    poultry: Enterprise
    task_force: TaskForce
    power_category: Category
    labour_category: Category
    office: User
    office_head: User
    dan: User
    hu: User
    ren: User
    li: User
    carl: User
    eva: User
    bea: User
    sam: User
    mayor: User

    def submitted(
        self, enterprise: Enterprise | None = None, title: str = "电压不稳，无法满负荷生产"
    ) -> Case:
        return intake.case_create(
            actor=self.office,
            enterprise=enterprise or self.steel,
            title=title,
            description="",
            category=self.power_category,
            source=Case.Source.VISIT,
        )

    def assigned(self, enterprise: Enterprise | None = None, **kwargs) -> Case:
        case = self.submitted(enterprise)
        kwargs.setdefault("lead_department", self.gxj)
        return workflow.case_assign(actor=self.office, case=case, **kwargs)

    def in_progress(self, enterprise: Enterprise | None = None, **kwargs) -> Case:
        case = self.assigned(enterprise, **kwargs)
        return workflow.case_accept(
            actor=self.dan, case=case, contact_note="电话联系付董，约定周三上门"
        )

    def replied(self, enterprise: Enterprise | None = None, **kwargs) -> Case:
        case = self.in_progress(enterprise, **kwargs)
        return workflow.case_reply(
            actor=self.dan, case=case, outcome="resolved", reply="已增设一台变压器"
        )

    def closed(self, enterprise: Enterprise | None = None, **kwargs) -> Case:
        """Replied, rated 满意 by its enterprise's contact, closed out — an unrated reply could not
        be closed until it has waited its working days (cases.closeout)."""
        case = self.replied(enterprise, **kwargs)
        contact = EnterpriseContact.objects.filter(enterprise_id=case.enterprise_id).first()
        workflow.case_rate(actor=contact.user, case=case, rating=Case.Rating.SATISFIED)
        return workflow.case_close(actor=self.office, case=case)


@pytest.fixture
def county(db) -> County:
    return make_county()


@pytest.fixture
def second_county(county) -> County:
    """Another county beside the personas' (修水县 of 九江市, as the demo's second county), with the
    same cast under usernames prefixed "x_" and enterprise names prefixed "修水"."""
    from counties.models import City
    from counties.models import County as Place

    place = Place.objects.create(city=City.objects.create(name="九江市"), name="修水县")
    return make_county(place, users="x_", names="修水", seed=500)


def make_county(place=None, *, users: str = "", names: str = "", seed: int = 0) -> County:
    """The personas' county, for a fixture of another scope (see tests/test_isolation_matrix.py).
    Another county's (tests/test_county_isolation.py): `place` (a counties.County), with its
    usernames and enterprise names prefixed by `users` and `names`, its credit codes by `seed`."""
    place_id = {"county": place} if place is not None else {}

    def department(name: str, **fields) -> Department:
        return Department.objects.create(name=name, **place_id, **fields)

    office_dept = department("县委办", kind=Department.Kind.OFFICE)
    gxj = department("县工信局")
    rsj = department("县人社局")
    power = department("国网进贤县供电公司", kind=Department.Kind.UTILITY)
    steel = Enterprise.objects.create(
        name=f"{names}江西进贤荣信钢构公司",
        credit_code=valid_credit_code(seed + 1),
        is_key=True,
        **place_id,
    )
    poultry = Enterprise.objects.create(
        name=f"{names}江西桂柳家禽有限公司", credit_code=valid_credit_code(seed + 2), **place_id
    )
    power_category = Category.objects.get_or_create(
        code="power",
        defaults={"name": "用电用能", "default_resolve_days": 10, "default_department": power},
    )[0]
    labour_category = Category.objects.get_or_create(
        code="labour", defaults={"name": "用工人才", "default_resolve_days": 20}
    )[0]

    def make_user(username: str, **extra) -> User:
        return globals()["make_user"](users + username, **extra)

    def staff(username: str, dept: Department, head: bool = False) -> User:
        user = make_user(username)
        DepartmentStaff.objects.create(user=user, department=dept, is_head=head)
        return user

    office, office_head = staff("office", office_dept), staff("office_head", office_dept, True)
    dan, hu, ren = staff("dan", gxj), staff("hu", gxj, True), staff("ren", rsj)
    li, carl = make_user("li"), make_user("carl")
    eva, bea, sam = make_user("eva"), make_user("bea"), make_user("sam")
    EnterpriseContact.objects.create(user=eva, enterprise=steel)
    EnterpriseContact.objects.create(user=bea, enterprise=poultry)

    task_force = TaskForce.objects.create(
        name="荣信钢构专班", kind=TaskForce.Kind.KEY_ENTERPRISE, active=True, **place_id
    )
    TaskForceMember.objects.create(task_force=task_force, user=li, role=TaskForceMember.Role.LEADER)
    TaskForceMember.objects.create(
        task_force=task_force, user=hu, role=TaskForceMember.Role.HEAD, department=gxj
    )
    TaskForceMember.objects.create(
        task_force=task_force,
        user=make_user("rsj_head"),
        role=TaskForceMember.Role.HEAD,
        department=rsj,
    )
    TaskForceMember.objects.create(
        task_force=task_force, user=carl, role=TaskForceMember.Role.CADRE
    )
    TaskForceEnterprise.objects.create(task_force=task_force, enterprise=steel)
    mayor = make_user("mayor", first_name="万县长")
    CountyLeader.objects.create(user=mayor, title=CountyLeader.Title.MAGISTRATE, **place_id)

    return County(
        office_dept=office_dept,
        gxj=gxj,
        rsj=rsj,
        power=power,
        steel=steel,
        poultry=poultry,
        task_force=task_force,
        power_category=power_category,
        labour_category=labour_category,
        office=office,
        office_head=office_head,
        dan=dan,
        hu=hu,
        ren=ren,
        li=li,
        carl=carl,
        eva=eva,
        bea=bea,
        sam=sam,
        mayor=mayor,
    )


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is deliberately slow; tests create many users and need no protection from brute force.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as it starts with an empty database: a snapshot, a
    count or a resend interval an earlier test cached under an id the database has since given to
    another object (ids are reused after each test's rollback) would answer for this one. The
    cache's own keys only: the Celery broker of the integration tests shares the Redis database,
    and its queues' bindings must outlive a test."""
    from django.core.cache import caches

    for alias in caches:
        cache = caches[alias]
        if hasattr(cache, "delete_pattern"):  # django-redis: the keys it made, not FLUSHDB
            cache.delete_pattern("*")
        else:
            cache.clear()


@pytest.fixture(autouse=True)
def replica_mirrors_default(request):
    """With DATABASE_REPLICA_URL set, the `replica` alias is a test mirror of `default` (its TEST
    MIRROR setting): no second test database, and each test reads the replica through default's
    own connection, inside the test's transaction, so what a test wrote is there to read."""
    from django.conf import settings
    from django.db import connections

    mirror = settings.DATABASES.get("replica", {}).get("TEST", {}).get("MIRROR")
    uses_db = "django_db" in request.keywords or "_django_db_helper" in request.fixturenames
    if not mirror or not uses_db:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # first: it fences off the aliases a test skips
    own = connections["replica"]
    connections["replica"] = connections[mirror]
    yield
    connections["replica"] = own
