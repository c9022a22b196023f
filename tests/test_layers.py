"""The layers of docs/architecture.md hold (import-linter, the contracts in pyproject.toml), and
the contracts catch what they are there for: a deliberate upward import, a role app reaching into
another, a circle of imports. Each breach is tried on a copy of the tree, never on the tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def lint(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=where, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def copy_of_tree(tmp_path_factory) -> Path:
    """The root packages' Python files and the contracts, in a folder of their own."""
    where = tmp_path_factory.mktemp("tree")
    shutil.copy(ROOT / "pyproject.toml", where / "pyproject.toml")
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            ROOT / package,
            where / package,
            ignore=lambda folder, names: [
                n for n in names if not (n.endswith(".py") or (Path(folder) / n).is_dir())
            ],
        )
    return where


@pytest.fixture
def breach(copy_of_tree):
    """Write one module into the copy for one test, and take it away after."""
    written: list[Path] = []

    def write(module: str, source: str) -> None:
        path = copy_of_tree / (module.replace(".", "/") + ".py")
        path.write_text(source)
        written.append(path)

    yield write
    for path in written:
        path.unlink()


def test_the_tree_keeps_every_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_copy_keeps_them_too(copy_of_tree):
    """The breaches below fail for the breach, not for the copying."""
    result = lint(copy_of_tree)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_domain_module_importing_a_page_app_breaks_the_layers(copy_of_tree, breach):
    breach("cases.probe", "from office import views\n")
    result = lint(copy_of_tree)
    assert result.returncode == 1
    assert "cases is not allowed to import office" in result.stdout
    assert "cases.probe -> office.views" in result.stdout


def test_the_lowest_layer_importing_the_next_breaks_the_layers(copy_of_tree, breach):
    breach("enterprises.probe", "import taskforces.models\n")
    result = lint(copy_of_tree)
    assert result.returncode == 1
    assert "enterprises is not allowed to import taskforces" in result.stdout


def test_role_apps_never_import_each_other(copy_of_tree, breach):
    breach("portal.probe", "from workspace import selectors\n")
    result = lint(copy_of_tree)
    assert result.returncode == 1
    assert "portal is not allowed to import workspace" in result.stdout


def test_a_circle_of_imports_breaks_the_acyclic_contract(copy_of_tree, breach):
    breach("notifications.probe_a", "from notifications import probe_b\n")
    breach("notifications.probe_b", "from notifications import probe_a\n")
    result = lint(copy_of_tree)
    assert result.returncode == 1
    assert "No cycles are allowed in notifications" in result.stdout
