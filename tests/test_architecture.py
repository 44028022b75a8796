"""The import contracts of DESIGN §5 (``.importlinter``), checked by the suite as by `make lint`:
the project keeps them, and a module that imports upwards breaks them."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
VIEW_TIER = {"views", "admin", "admin_views", "api", "urls"}


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def contracts() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(CONFIG)
    return config


def lines(value: str) -> set[str]:
    return {line.strip() for line in value.splitlines() if line.strip()}


def test_the_project_keeps_its_import_contracts():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contracts_name_the_layers_and_the_forbidden_modules():
    config = contracts()
    layers = config["importlinter:contract:layers"]
    assert layers["type"] == "layers"
    assert [layer.strip() for layer in layers["layers"].strip().splitlines()] == [
        "demo",
        "dashboard",
        "history : review : publications : notices",
        "follow_up",
        "workshops",
        "amendments | debates",
        "moderation",
        "discussions",
        "texts",
        "accounts",
        "core",
    ]
    forbidden = lines(config["importlinter:contract:views-on-top"]["forbidden_modules"])
    assert {
        "charte.*.views",
        "charte.*.admin",
        "charte.*.admin_views",
        "charte.*.api",
        "charte.models",
        "charte.wagtail_hooks",
    } <= forbidden
    assert lines(config["importlinter:contract:search-home-on-top"]["forbidden_modules"]) == {
        "search",
        "home",
    }
    assert config["importlinter:contract:amendments-debates"]["type"] == "independence"


def test_every_module_below_the_views_is_held_by_the_forbidden_contract():
    """A new models, services or queries module must be added to the contract's sources."""
    sources = lines(contracts()["importlinter:contract:views-on-top"]["source_modules"])
    packages = ROOT / "charte"
    below = set()
    for path in packages.glob("*/*.py"):
        package, name = path.parent.name, path.stem
        if package in {"migrations", "models", "management", "templatetags"}:
            continue
        if name == "__init__" or name in VIEW_TIER or "migrations" in path.parts:
            continue
        below.add(f"charte.{package}.{name}")
    assert below == sources


def test_an_upward_import_breaks_the_contracts(tmp_path):
    for name in ("charte", "search", "home"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(CONFIG, tmp_path / ".importlinter")
    models = tmp_path / "charte" / "amendments" / "models.py"
    models.write_text(
        "from charte.amendments.views import amendment_list  # noqa\n" + models.read_text()
    )
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "charte.amendments.models is not allowed to import charte.amendments.views" in (
        " ".join(result.stdout.split())
    )
