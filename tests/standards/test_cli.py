"""`flask standards import FILE --district SLUG [--apply]` for district IT."""

from __future__ import annotations

from sqlalchemy import func, select

from app import db
from app.standards.models import StandardItem
from tests.standards.packages import grade6, to_bytes


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(StandardItem))


def test_import_without_apply_prints_the_preview_and_writes_nothing(app, district, tenant, tmp_path):
    path = tmp_path / "state-math.json"
    path.write_bytes(to_bytes(grade6()))
    result = app.test_cli_runner().invoke(args=["standards", "import", str(path), "--district", district.slug])
    assert result.exit_code == 0, result.output
    assert "framework: State Mathematics Standards (create)" in result.output
    assert "standards: 8 create, 0 update, 0 unretire, 0 retire, 0 unchanged" in result.output
    assert "      6.RP.A.1 Understand the concept of a ratio" in result.output  # the tree, indented
    assert "dry run" in result.output
    tenant(district)
    assert _count() == 0


def test_apply_imports_and_a_second_run_changes_nothing(app, district, tenant, tmp_path):
    path = tmp_path / "state-math.json"
    path.write_bytes(to_bytes(grade6()))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["standards", "import", str(path), "--district", district.slug, "--apply"])
    assert result.exit_code == 0 and "imported" in result.output, result.output
    tenant(district)
    assert _count() == 8
    again = runner.invoke(args=["standards", "import", str(path), "--district", district.slug, "--apply"])
    assert "standards: 0 create, 0 update, 0 unretire, 0 retire, 8 unchanged" in again.output


def test_a_csv_is_named_from_the_option_and_errors_exit_non_zero_with_the_line(app, district, tmp_path):
    path = tmp_path / "local.csv"
    path.write_text("code,statement,parent code\nA,One,\nA.1,Two,Z\n")
    result = app.test_cli_runner().invoke(
        args=["standards", "import", str(path), "--district", district.slug, "--name", "Local", "--apply"]
    )
    assert result.exit_code != 0
    assert '  Line 3: the parent code "Z" is not the code of any row.' in result.output
    assert "nothing was imported" in result.output


def test_an_unknown_district_is_refused(app, tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(to_bytes(grade6()))
    result = app.test_cli_runner().invoke(args=["standards", "import", str(path), "--district", "nope"])
    assert result.exit_code != 0 and "no district" in result.output
