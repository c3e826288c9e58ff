"""The house rules hold and would catch a breach: import contracts, module size, models that match migrations."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from app.config import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
CONTRACTS = PYPROJECT["tool"]["importlinter"]["contracts"]
LAYERED = ("models", "views", "forms", "policy")
MAX_LINES = 400


def _packages() -> list[str]:
    return sorted(p.name for p in (ROOT / "app").iterdir() if p.is_dir() and (p / "__init__.py").exists())


def _top_layers() -> set[str]:
    (contract,) = [c for c in CONTRACTS if c["type"] == "layers" and c.get("containers") == ["app"]]
    return {name.strip() for layer in contract["layers"] for name in layer.replace(":", "|").split("|")}


def test_every_package_and_module_of_app_has_a_place_in_the_layers():
    modules = {p.stem for p in (ROOT / "app").glob("*.py") if p.stem != "__init__"}
    assert set(_packages()) | modules == _top_layers()


@pytest.mark.parametrize("package", _packages())
def test_every_package_with_private_modules_protects_them(package):
    private = [
        m for m in LAYERED if (ROOT / "app" / package / f"{m}.py").exists() or (ROOT / "app" / package / m).is_dir()
    ]
    if not private:
        return
    protecting = [c for c in CONTRACTS if c["type"] == "protected" and c.get("allowed_importers") == [f"app.{package}"]]
    assert [sorted(c["protected_modules"]) for c in protecting] == [sorted(f"app.{package}.{m}" for m in private)]


def test_no_module_is_longer_than_the_house_limit():
    long = {
        str(path.relative_to(ROOT)): n
        for path in [*ROOT.glob("app/**/*.py"), *ROOT.glob("jobs/*.py")]
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_init_modules_of_service_packages_only_re_export():
    for init in ROOT.glob("app/*/services/__init__.py"):
        tree = ast.parse(init.read_text())
        other = [
            node
            for node in tree.body
            if not isinstance(node, ast.Import | ast.ImportFrom)
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
            and not (isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["__all__"])
        ]
        assert other == [], f"{init.relative_to(ROOT)} does more than re-export (line {other[0].lineno})"


# Each breach the outside review named, added to a copy of the tree: the linter must refuse every one.
BREACHES = {
    "app/rosters/views.py": ("from app.org.models import School  # noqa", "use org only through its services"),
    "app/ui/render.py": ("from app.org.services import list_schools  # noqa", "shared core imports no domain"),
    "app/ui/context.py": ("from app.accounts.data import JOB_KINDS  # noqa", "shared core imports no domain"),
    "app/events/services.py": (
        "from app.accounts.policy import can_view_people  # noqa",
        "Platform packages import no school domain",
    ),
    "app/org/services/schools.py": ("from app.rosters.services import get_section  # noqa", "No cycles"),
    "app/accounts/services/people.py": ("from app.home.services import home_for  # noqa", "are layered"),
}


@pytest.fixture(scope="module")
def breached_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("breached")
    for name in ("app", "jobs"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    for path, (line, _contract) in BREACHES.items():
        with (root / path).open("a") as handle:
            handle.write("\n" + line + "\n")
    return root


def test_the_contracts_hold_on_the_code_as_it_is():
    result = subprocess.run(
        [Path(sys.executable).with_name("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-2000:]


def test_the_linter_refuses_each_breach_the_review_found(breached_tree):
    result = subprocess.run(
        [Path(sys.executable).with_name("lint-imports"), "--no-cache"],
        cwd=breached_tree,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if line.rstrip().endswith("BROKEN")]
    summary = " ".join(broken)
    for _path, (_line, contract) in BREACHES.items():
        assert contract in summary, f"{contract!r} not broken:\n{result.stdout[-3000:]}"


def _tables_and_columns(obj, name, type_, reflected, compare_to) -> bool:
    # Migrations own constraints, indexes and policies (docs/decisions/0009-enforced-boundaries.md); the models
    # describe the tables and columns the code reads and writes, and those must match exactly.
    return type_ in ("table", "column")


def test_the_models_and_the_migrations_describe_the_same_tables_and_columns(app, service_urls):
    """Alembic's autogenerate comparison of the models with the migrated test database finds nothing.

    The app fixture has imported every model module (create_app wires every blueprint, and with it each
    domain's services and models), so the metadata is complete."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from app.db import Base

    engine = create_engine(service_urls["owner"].replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": _tables_and_columns}
            )
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []
