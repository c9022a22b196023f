"""The page shell a newcomer meets first (issue 17): the office's navigation grouped so it stays on
one line from a laptop up (and folds behind the toggler below), every fold with a visible toggle
that says whether it is open, and `make run` output a newcomer can read.

The widths themselves are checked in a real browser: tests/browser/test_no_overflow.py.
"""

import importlib.util
import re
from pathlib import Path

from django.test import RequestFactory
from django.urls import reverse

from cases.roles import OFFICE
from tests.test_settings import run_python
from web.context_processors import NAV, _nav_menu
from workspace import selectors as workspace_selectors

ROOT = Path(__file__).resolve().parent.parent


def navbar(client, user, url: str) -> str:
    client.force_login(user)
    html = client.get(url, follow=True).content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def top_level(nav: str) -> list[str]:
    """The labels on the navbar's line: plain links and dropdown toggles, not what they fold."""
    items = re.findall(
        r'<li class="nav-item( dropdown)?">\s*<a class="nav-link[^"]*"[^>]*>([^<]+)', nav
    )
    return [label.strip() for _dropdown, label in items]


def dropdown(nav: str, label: str) -> str:
    start = nav.index(f">{label}</a>")
    return nav[start : nav.index("</ul>", start)]


# --- the navigation --------------------------------------------------------------------------------


def test_the_office_navbar_is_six_items_with_every_page_in_a_group(client, county):
    nav = navbar(client, county.office, reverse("analysis:ledger"))

    assert top_level(nav) == ["问题总台账", "办理", "会议与专班", "企业账号", "分析", "消息"]
    for label, names in {
        "办理": ["office:triage", "office:board", "office:decisions", "office:closeout"],
        "会议与专班": [
            "office:meetings",
            "taskforces:manage",
            "taskforces:coverage",
            "taskforces:people",
        ],
        "分析": ["analysis:dashboard", "analysis:evaluation", "analysis:painpoints"],
    }.items():
        group = dropdown(nav, label)
        for name in names:
            assert f'class="dropdown-item" href="{reverse(name)}"' in group, (label, name)
    # Every page of the office's navigation is still one click away.
    for role, name, _label in NAV:
        if role in (None, OFFICE):
            assert f'href="{reverse(name)}"' in nav, name


def test_the_group_of_the_open_page_is_marked(client, county):
    nav = navbar(client, county.office, reverse("office:board"))

    assert 'class="nav-link dropdown-toggle active"' in nav
    assert f'class="dropdown-item active" href="{reverse("office:board")}" aria-current="page"' in (
        dropdown(nav, "办理")
    )
    assert dropdown(nav, "分析").count("active") == 0


def test_password_and_sign_out_sit_in_the_account_menu_under_the_users_name(client, county):
    nav = navbar(client, county.dan, reverse("workspace:inbox"))

    menu = nav[nav.index('id="account-menu"') :]
    assert 'id="current-user"' in menu and "部门</span>" in menu
    assert f'href="{reverse("portal:password_change")}">修改密码</a>' in menu
    assert f'action="{reverse("logout")}"' in menu and ">退出</button>" in menu
    assert "navbar-expand-lg" in nav  # folds behind the toggler below a laptop's width


def test_a_role_with_few_pages_has_no_dropdowns(client, county):
    for user in (county.dan, county.carl, county.eva):
        nav = navbar(client, user, reverse("home"))
        assert nav.count("dropdown-toggle") == 1, user  # the account menu only


def test_a_group_of_one_page_is_a_plain_link():
    request = RequestFactory().get("/analysis/")
    links = [
        ("/analysis/cases/", "台账", 0),
        ("/analysis/", "分析", 0),  # alone of its group
        ("/office/", "交办", 0),
        ("/office/board/", "督办", 0),
        ("/notifications/", "消息", 3),
    ]

    menu = _nav_menu(request, links)

    assert [item["label"] for item in menu] == ["台账", "分析", "办理", "消息"]
    assert menu[1] == {"url": "/analysis/", "label": "分析", "badge": 0, "active": True}
    assert [link["label"] for link in menu[2]["links"]] == ["交办", "督办"]
    assert menu[2]["active"] is False and menu[3]["badge"] == 3


def test_the_unread_count_stays_on_the_messages_link(client, county):
    county.assigned()
    nav = navbar(client, county.dan, reverse("home"))
    assert re.search(r'href="/notifications/">消息 <span[^>]*id="unread-count">[1-9]\d*<', nav)


# --- what folds ----------------------------------------------------------------------------------


def test_the_folded_replied_part_of_the_inbox_has_a_toggle_saying_it_is_folded(
    client, county, monkeypatch
):
    monkeypatch.setattr(workspace_selectors, "PAGE_SIZE", 2)
    for _ in range(3):
        county.replied()
    client.force_login(county.dan)
    inbox = reverse("workspace:inbox")

    folded = client.get(inbox).content.decode()
    summary = re.search(r"<summary[^>]*>", folded[folded.index('id="replied"') :]).group(0)
    assert 'aria-expanded="false"' in summary and "d-inline" not in summary

    opened = client.get(inbox, {"replied_page": 2}).content.decode()
    assert 'aria-expanded="true"' in opened[opened.index('id="replied"') :].split("</summary>")[0]


def test_each_action_of_the_case_page_folds_under_a_real_button(client, county):
    case = county.assigned()
    client.force_login(county.dan)

    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()

    toggles = re.findall(r'<button type="button" class="card-header expander-toggle[^>]*>', html)
    assert toggles
    for toggle in toggles:
        target = re.search(r'data-bs-target="#([\w-]+)"', toggle).group(1)
        assert f'aria-controls="{target}"' in toggle
        expanded = re.search(r'aria-expanded="(true|false)"', toggle).group(1)
        assert ("collapsed" not in toggle) == (expanded == "true")
        assert f'id="{target}"' in html
    assert 'role="button" data-bs-toggle' not in html  # no clickable div a keyboard cannot reach


def test_every_summary_and_toggle_draws_a_chevron():
    css = (ROOT / "static" / "site" / "site.css").read_text()
    assert "summary::before" in css and "details[open] > summary::before" in css
    assert ".expander-toggle:not(.collapsed) .expander-icon::before" in css
    js = (ROOT / "static" / "site" / "site.js").read_text()
    assert 'addEventListener("toggle"' in js and "aria-expanded" in js


# --- make run's output ---------------------------------------------------------------------------


def load_run_dev(monkeypatch, euid: int, **env):
    for name in ("EMAIL_HOST", "EMAIL_BACKEND", "EMAIL_FILE_PATH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("os.geteuid", lambda: euid)
    spec = importlib.util.spec_from_file_location("run_dev", ROOT / "scripts" / "run_dev.py")
    run_dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_dev)
    return run_dev


def test_make_run_keeps_celerys_root_warning_and_banners_out_of_the_terminal(monkeypatch):
    as_root = load_run_dev(monkeypatch, euid=0)
    for command in as_root.commands().values():
        if "celery" in command:
            assert "--quiet" in command
            filter_ = command[command.index("-W") + 1]
            assert filter_.startswith("ignore:You're running the worker with superuser")
    assert as_root.child_env()["DJANGO_RUNSERVER_HIDE_WARNING"] == "true"

    as_user = load_run_dev(monkeypatch, euid=1000)
    assert not any("-W" in command for command in as_user.commands().values())


def test_make_run_writes_the_demos_mail_to_files_unless_a_mail_server_is_set(monkeypatch):
    run_dev = load_run_dev(monkeypatch, euid=1000, VAR_DIR="/srv/siji/var")
    assert run_dev.child_env()["EMAIL_BACKEND"].endswith("filebased.EmailBackend")
    assert "/srv/siji/var/mail/" in run_dev.banner()

    with_smtp = load_run_dev(monkeypatch, euid=1000, EMAIL_HOST="smtp.example.org")
    assert "EMAIL_BACKEND" not in with_smtp.child_env()
    assert "E-mails" not in with_smtp.banner()


def test_the_embedded_mode_starts_without_warnings_a_newcomer_cannot_act_on(tmp_path):
    result = run_python(
        ["manage.py", "check"], tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3"
    )

    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output, output
    assert "W040" not in output and "AXES: BEGIN" not in output, output


def test_postgresql_keeps_every_check(settings):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    assert "models.W040" not in settings.SILENCED_SYSTEM_CHECKS
