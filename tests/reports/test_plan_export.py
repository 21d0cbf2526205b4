"""``export_command`` (kpiguard plan export) on a YAML draft and on a plan signed in the workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kpiguard.cli.plan_export import export_command
from kpiguard.cli.state import STATE
from kpiguard.errors import InputError, NotFoundError
from kpiguard.plans import io, store
from kpiguard.workspace import Workspace
from tests.reports.htmltree import parse

FIXTURE = Path(__file__).parent / "fixtures" / "full_plan.yaml"


@pytest.fixture
def app(ws: Workspace) -> typer.Typer:
    """The command as `plan export` runs it, bound to the test workspace (the real registration is in cli/plans.py)."""
    STATE.workspace = ws
    application = typer.Typer()
    application.command()(export_command)
    return application


def test_yaml_draft_to_html_in_both_languages(app: typer.Typer, tmp_path: Path) -> None:
    for lang in ("en", "zh-CN"):
        out = tmp_path / f"c.{lang}.html"
        result = CliRunner().invoke(app, [str(FIXTURE), "--format", "html", "--lang", lang, "--out", str(out)])
        assert result.exit_code == 0, result.output
        tree = parse(out.read_text(encoding="utf-8"))
        assert tree.find("html").attrs["lang"] == lang
        assert tree.find("tr", data_metric="acos").attrs["data-formula"] == "ad_spend_amount / ad_sales_amount"


def test_default_file_name_and_json(app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, [str(FIXTURE), "--format", "md", "--lang", "zh", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["file"] == "brightway-2026h1-draft.zh-CN.md" and info["status"] == "draft"
    assert info["plan_hash"] == io.plan_hash(io.load(FIXTURE.read_text(encoding="utf-8"), "f")[0])
    assert "# KPI考核方案" in (tmp_path / info["file"]).read_text(encoding="utf-8")


def test_signed_plan_from_the_workspace(app: typer.Typer, ws: Workspace, tmp_path: Path) -> None:
    plan, _ = io.load(FIXTURE.read_text(encoding="utf-8"), "fixture")
    store.create(ws, plan, "tester")
    store.propose(ws, plan.plan_id, "tester")
    store.sign(ws, plan.plan_id, "seller", "Li Wei")
    store.sign(ws, plan.plan_id, "provider", "Zhang Min")
    out = tmp_path / "signed.html"
    result = CliRunner().invoke(app, [plan.plan_id, "--lang", "en", "--out", str(out), "--version", "1"])
    assert result.exit_code == 0, result.output
    tree = parse(out.read_text(encoding="utf-8"))
    rows = tree.find("section", id="signatures").find_all("tr", lambda n: "data-role" in n.attrs)
    assert [(r.attrs["data-role"], r.attrs["data-matches"]) for r in rows] == [("seller", "true"), ("provider", "true")]
    assert {r.attrs["data-hash"] for r in rows} == {io.plan_hash(plan)}
    assert "Li Wei" in rows[0].text() and "Unsigned draft" not in tree.text()


def test_bad_options_are_reported_together(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, [str(FIXTURE), "--format", "docx", "--lang", "fr"])
    assert isinstance(result.exception, InputError)
    assert [f.column for f in result.exception.findings] == ["--format", "--lang"]


def test_version_with_a_file_and_unknown_plan(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, [str(FIXTURE), "--version", "2"])
    assert isinstance(result.exception, InputError) and result.exception.findings[0].column == "--version"
    result = CliRunner().invoke(app, ["no-such-plan"])
    assert isinstance(result.exception, NotFoundError)
