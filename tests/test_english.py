"""English is complete: every Chinese msgid has an English translation, and the pages speak it.

The msgids are the Chinese source strings (LANGUAGE_CODE is zh-hans); locale/en holds the English
catalogue, and its compiled django.mo is committed because a fresh machine may lack gettext's
msgfmt. These tests need no gettext tools: the .po file is read by a small reader below.

When you add or change a marked string, run
    .venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=var \
        --ignore=node_modules --ignore=test-artifacts --ignore=tests
translate the new entries in locale/en/LC_MESSAGES/django.po (no "#, fuzzy" left), then
    .venv/bin/python manage.py compilemessages -l en --ignore=.venv
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from cases.models import Case

BASE_DIR = Path(settings.BASE_DIR)
PO_FILE = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


# A small .po reader (CI may lack gettext's tools).


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    def where(self) -> str:
        return f"django.po:{self.line} {self.msgid!r}"


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    # The .po escapes are the C ones Python's literal syntax shares (\n, \t, \", \\).
    return ast.literal_eval(text)


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None  # the keyword continuation lines extend

    def start(lineno: int) -> Entry:
        nonlocal current
        if current is None:
            current = Entry(line=lineno)
        return current

    def finish() -> None:
        nonlocal current, target
        if current is not None and (current.msgstr or current.msgid):  # header: msgid ""
            entries.append(current)
        current, target = None, None

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        elif line.startswith("#"):
            if current is not None and target is not None and target[0] == "msgstr":
                finish()  # a comment after msgstr starts the next entry
            entry = start(lineno)
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith('"'):
            assert current is not None and target is not None, f"stray string at line {lineno}"
            kind, index = target
            if kind == "msgstr":
                current.msgstr[index] += _unquote(line)
            elif kind == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + _unquote(line)
            else:
                setattr(current, kind, (getattr(current, kind) or "") + _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and current is not None and target is not None:
            if target[0] == "msgstr":
                finish()
        entry = start(lineno)
        entry.obsolete = entry.obsolete or obsolete
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            index = int(match.group(1))
            entry.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        elif keyword == "msgstr":
            entry.msgstr[0] = _unquote(rest)
            target = ("msgstr", 0)
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, _unquote(rest))
            target = (keyword, None)
        else:
            raise AssertionError(f"cannot read line {lineno} of {path}: {raw!r}")
    finish()
    return entries


def live_entries() -> list[Entry]:
    return [e for e in read_po(PO_FILE) if not e.obsolete and e.msgid]


# 1. The catalogue is complete.


def test_the_po_reader_reads_the_catalogue():
    entries = read_po(PO_FILE)
    header = [e for e in entries if e.msgid == ""]
    assert len(header) == 1
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header[0].msgstr[0]
    assert "charset=UTF-8" in header[0].msgstr[0]
    assert len(live_entries()) > 1000


def test_every_entry_is_translated_and_none_is_fuzzy():
    untranslated, fuzzy = [], []
    for entry in read_po(PO_FILE):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            fuzzy.append(entry.where())
        if not entry.msgid:
            continue
        expected = {0, 1} if entry.msgid_plural is not None else {0}
        if set(entry.msgstr) != expected or not all(entry.msgstr.values()):
            untranslated.append(entry.where())

    assert not fuzzy, f"{len(fuzzy)} fuzzy entries (ignored at runtime): {fuzzy[:20]}"
    assert not untranslated, f"{len(untranslated)} untranslated entries: {untranslated[:20]}"


def test_translations_keep_every_placeholder_and_contain_no_chinese():
    wrong = []
    for entry in live_entries():
        wanted = set(PLACEHOLDER.findall(entry.msgid)) | set(
            PLACEHOLDER.findall(entry.msgid_plural or "")
        )
        for text in entry.msgstr.values():
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((entry.where(), "placeholders", text))
            if CJK.search(text):
                wrong.append((entry.where(), "Chinese left in the English", text))
    assert not wrong, wrong[:20]


def test_the_committed_mo_matches_the_po():
    """django.mo is what runs: it must be recompiled whenever django.po changes."""
    with MO_FILE.open("rb") as handle:
        catalog = gnu_gettext.GNUTranslations(handle)._catalog

    stale = []
    for entry in live_entries():
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if catalog.get(key) != entry.msgstr[0]:
                stale.append(entry.where())
        else:
            if [catalog.get((key, i)) for i in (0, 1)] != [entry.msgstr[0], entry.msgstr[1]]:
                stale.append(entry.where())
    assert not stale, f"django.mo is stale, run compilemessages -l en: {stale[:20]}"


# Every literal marked in the source has an entry (what makemessages would extract), so a string
# added without re-running makemessages fails here even where gettext is not installed.

SKIP_DIRS = {".venv", "var", "node_modules", "test-artifacts", "tests", "locale", "static"}
PY_KEYWORDS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
STRING = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
# templatize() turns {% translate %} and {% blocktranslate %} into gettext(u'…') calls, and keeps
# _("…") in tag and filter arguments as it is.
TEMPLATE_CALL = re.compile(
    rf"(?<![\w.])(gettext|ngettext|pgettext|npgettext|_)\(({STRING}(?:\s*,\s*{STRING})*)"
)


def _source_files(suffixes: tuple[str, ...]):
    for path in BASE_DIR.rglob("*"):
        relative = path.relative_to(BASE_DIR)
        if any(part in SKIP_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.suffix in suffixes and path.is_file():
            yield path, relative


def marked_strings() -> set[tuple[str | None, str, str]]:
    from django.utils.translation.template import templatize

    found: set[tuple[str | None, str, str]] = set()
    for path, relative in _source_files((".py",)):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(relative))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in PY_KEYWORDS:
                continue
            ctx_at, id_at, _plural_at = PY_KEYWORDS[name]
            args = node.args
            literal = [isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args]
            if len(args) <= id_at or not literal[id_at]:
                continue
            if ctx_at is not None and not literal[ctx_at]:
                continue
            context = args[ctx_at].value if ctx_at is not None else None
            found.add((context, args[id_at].value, f"{relative}:{node.lineno}"))
    for path, relative in _source_files((".html", ".txt")):
        code = templatize(path.read_text(encoding="utf-8"), origin=str(relative))
        for match in TEMPLATE_CALL.finditer(code):
            literals = [ast.literal_eval(s) for s in re.findall(STRING, match.group(2))]
            if match.group(1).startswith("p"):
                context, msgid = literals[0], literals[1]
            else:
                context, msgid = None, literals[0]
            found.add((context, msgid, str(relative)))
    return found


def test_every_marked_string_in_the_source_is_in_the_catalogue():
    known = {(e.msgctxt, e.msgid) for e in live_entries()}
    marked = marked_strings()
    assert len(marked) > 500  # the extraction itself works
    missing = sorted(
        {f"{where} {msgid!r}" for context, msgid, where in marked if (context, msgid) not in known}
    )
    assert not missing, (
        f"{len(missing)} marked strings are not in locale/en (re-run makemessages, translate, "
        f"compilemessages): {missing[:20]}"
    )


# 2. The pages speak English with the language cookie.


def _navbar(html: str) -> str:
    start, end = html.index("<nav"), html.index("</nav>")
    nav = html[start:end]
    # The language picker names each language in its own tongue ("简体中文"), as it should; the
    # county beside the brand is a name (COUNTY_NAME), data like an enterprise's, not a label.
    nav = re.sub(r'<span class="brand-county[^"]*">.*?</span>', "", nav, flags=re.S)
    return re.sub(r"<select.*?</select>", "", nav, flags=re.S)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_the_login_page_is_in_english(english):
    html = english.get(reverse("login")).content.decode()

    assert '<html lang="en">' in html
    for word in ("Sign in", "Username", "Password", "Four Visits, Four Asks", "Switch"):
        assert word in html, word
    assert not CJK.search(_navbar(html)), _navbar(html)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert not CJK.search(title), title
    main = html[html.index("<main") :]
    assert not CJK.search(main), CJK.findall(main)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "words"),
    [
        (
            "office",
            ["Cases", "Assign", "Supervision", "Close out", "Meetings", "County office"],
        ),
        ("dan", ["All cases", "Department to-do", "Department"]),
        ("li", ["Cases", "My task forces", "Case-by-case review", "County leader"]),
        ("carl", ["All cases", "My enterprises", "Log a visit", "Paired cadre"]),
        ("eva", ["Our cases", "Raise a problem", "Enterprise"]),
    ],
)
def test_the_home_page_navbar_is_in_english_for_every_role(english, county, who, words):
    english.force_login(User.objects.get(username=who))

    response = english.get(reverse("home"), follow=True)  # each role lands on its own page

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    navbar = _navbar(html)
    for word in words + ["Sign out", "Four Visits, Four Asks"]:
        assert word in navbar, (word, navbar)
    assert not CJK.search(navbar), CJK.findall(navbar)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert not CJK.search(title), title


@pytest.mark.django_db
def test_the_home_page_stays_chinese_without_the_cookie(client, county):
    client.force_login(county.office)

    html = client.get(reverse("home"), follow=True).content.decode()

    assert '<html lang="zh-CN">' in html
    assert "问题总台账" in _navbar(html) and "退出" in _navbar(html)


# 3. Model choices and verbose names.


def test_model_choice_labels_are_translated():
    with translation.override("en"):
        assert str(Case.Status.SUBMITTED.label) == "Awaiting assignment"
        assert str(Case.Status.CLOSED.label) == "Closed out"
        assert str(Case.Rating.VERY_DISSATISFIED.label) == "Very dissatisfied"
        assert str(Case._meta.get_field("lead_department").verbose_name) == "Lead department"
    with translation.override("zh-hans"):
        assert str(Case.Status.SUBMITTED.label) == "待交办"
