"""``kpiguard plan ...`` run as a user would (a subprocess): draft, sign, refuse, amend, decompose,
and the documentation that must not drift from the model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from kpiguard.cli.plans import schema_text
from kpiguard.plans import io
from kpiguard.plans.lint import LintContext, has_errors, lint
from kpiguard.workspace import Workspace
from tests.conftest import add_store, run_cli
from tests.metrics.world import world

DOCS = Path(__file__).resolve().parents[2] / "docs"
# hand targets for full_service/growth on a store without history (floor, target, stretch)
TARGETS = {"gmv": (800, 1000, 1200), "roas": (3, 4, 5), "gross_margin_rate": (0.30, 0.35, 0.40),
           "organic_sales_share": (0.30, 0.40, 0.50), "cvr": (0.010, 0.012, 0.015), "ctr": (0.004, 0.005, 0.006)}


@pytest.fixture(scope="module")
def case_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("cli-plans")
    ws = Workspace(root / "ws")
    ws.init()
    (root / "files").mkdir()
    return world(ws, root / "files")


def with_targets(path: Path, gmv_target: int = 1000) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for kpi in data["kpis"]:
        kpi["floor"], kpi["target"], kpi["stretch"] = TARGETS[kpi["metric"]]
        if kpi["metric"] == "gmv":
            kpi["target"] = gmv_target
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_decompose_the_fixture_store(case_ws: Workspace) -> None:
    r = run_cli(case_ws, "plan", "decompose", "--store", "case-us", "--target", "490", "--period", "2026-11", "--json")
    assert r.code == 0, r.err
    data = r.json()
    # October: 300 sessions, 4 orders, GMV 245.00 (September has an order but no sessions: left out)
    assert data["recent"] == {"sessions": "300", "cvr": "0.013333", "aov": "61.25", "gmv": "245.00"}
    assert data["gmv_growth"] == "2.0000"  # 490 / 245
    levels = {p["name"]: p["level"] for p in data["paths"]}
    assert (levels["sessions"]["sessions"], levels["cvr"]["cvr"], levels["aov"]["aov"]) == ("600", "0.026667", "122.50")
    assert levels["even"] == {"sessions": "378", "cvr": "0.016799", "aov": "77.17", "gmv": "490.00"}
    assert data["feasible_by_history"] is None  # one usable month: no month-over-month change to compare


def test_decompose_spreads_a_quarter_and_needs_history(case_ws: Workspace) -> None:
    r = run_cli(case_ws, "plan", "decompose", "--store", "case-us", "--target", "1,470", "--period", "2027Q1", "--json")
    assert r.code == 0, r.err
    assert (r.json()["months"], r.json()["target_gmv"]) == (3, "490.00")  # 1470 / 3 months
    text = run_cli(case_ws, "plan", "decompose", "--store", "case-us", "--target", "490", "--period", "2026-11",
                   "--lang", "zh-CN")
    assert text.code == 0 and "历史数据太少" in text.out and "378" in text.out
    before = run_cli(case_ws, "plan", "decompose", "--store", "case-us", "--target", "490", "--period", "2026Q4")
    assert before.code == 2 and "no history" in before.err  # nothing before October has sessions
    bad = run_cli(case_ws, "plan", "decompose", "--store", "case-us", "--target", "lots", "--period", "2026-11")
    assert bad.code == 2 and "--target" in bad.err


def test_plan_new_suggests_targets_from_history(case_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    r = run_cli(case_ws, "plan", "new", "--template", "full_service/mature", "--store", "case-us", "--store",
                "case-shop", "--period", "2026-11", "--id", "case-mature", "--out", str(out), "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert (data["plan_id"], data["version"], data["status"]) == ("case-mature", 1, "draft")
    net = data["plan"]["kpis"][0]
    # net profit Sept 15.00, Oct 171.50 (both stores): median 93.25 + 5% = 97.91 (see test_templates)
    assert (net["metric"], net["target"], net["suggested"]) == ("net_profit", "97.91", True)
    assert io.load(out.read_text(encoding="utf-8"), str(out))[0].plan_id == "case-mature"
    lint_run = run_cli(case_ws, "plan", "lint", str(out), "--json")
    assert lint_run.code == 0, lint_run.out  # no errors: the draft can be signed once confirmed
    shown = run_cli(case_ws, "plan", "show", "case-mature", "--lang", "zh-CN")
    assert shown.code == 0
    assert "代运营KPI考核方案（成熟期）" in shown.out and "草稿" in shown.out and "净利润" in shown.out


def test_lifecycle_refusal_and_amendment(ws: Workspace, tmp_path: Path) -> None:
    add_store(ws, "acme-us", "amazon", "US")
    draft = tmp_path / "acme.yaml"
    new = run_cli(ws, "plan", "new", "--template", "full_service/growth", "--store", "acme-us", "--period", "2026Q4",
                  "--seller", "Acme Ltd", "--provider", "Agency Co", "--out", str(draft))
    assert new.code == 0, new.err
    assert "no history" in new.out  # a store without data: targets left empty, and said so
    run_cli(ws, "plan", "propose", "acme-us-2026q4")
    unsignable = run_cli(ws, "plan", "sign", "acme-us-2026q4", "--as", "seller", "--name", "Li Wei")
    assert unsignable.code == 2 and "lint errors" in unsignable.err and "PL003" in unsignable.err

    # the proposal had no targets: amend it with targets (it is superseded at once), then sign
    with_targets(draft)
    assert run_cli(ws, "plan", "amend", str(draft), "--reason", "targets agreed").code == 0
    assert run_cli(ws, "plan", "propose", "acme-us-2026q4").code == 0
    assert run_cli(ws, "plan", "sign", "acme-us-2026q4", "--as", "seller", "--name", "Li Wei").code == 0
    signed = run_cli(ws, "plan", "sign", "acme-us-2026q4", "--as", "provider", "--name", "Anna Smith", "--json")
    assert signed.code == 0, signed.err
    assert (signed.json()["version"], signed.json()["status"]) == (2, "signed")

    with_targets(draft, gmv_target=1100)
    refused = run_cli(ws, "plan", "edit", str(draft))
    assert refused.code == 2
    for words in ("acme-us-2026q4", "version 2", "signed", "plan amend"):
        assert words in refused.err

    amended = run_cli(ws, "plan", "amend", str(draft), "--reason", "November stockout", "--json")
    assert (amended.json()["version"], amended.json()["status"]) == (3, "draft")
    v2 = run_cli(ws, "plan", "show", "acme-us-2026q4", "--version", "2", "--json").json()
    assert v2["status"] == "signed" and v2["plan"]["kpis"][0]["target"] == "1000"
    assert {s["role"] for s in v2["signatures"]} == {"seller", "provider"}
    assert run_cli(ws, "plan", "verify", "acme-us-2026q4").code == 0
    listed = run_cli(ws, "plan", "list", "--json").json()
    assert [(p["plan_id"], p["version"], p["status"]) for p in listed] == [("acme-us-2026q4", 3, "draft")]
    assert run_cli(ws, "verify").code == 0  # the workspace ledger chain still holds


def test_templates_command_lists_twelve(ws: Workspace) -> None:
    r = run_cli(ws, "plan", "templates", "--json", "--lang", "zh-CN")
    assert r.code == 0
    rows = r.json()
    assert len(rows) == 12 and rows[0] == {"template": "full_service/new", "title": "代运营KPI考核方案（新店期）"}


def test_schema_file_matches_the_model(tmp_path: Path) -> None:
    assert (DOCS / "plan.schema.json").read_text(encoding="utf-8") == schema_text(), \
        "docs/plan.schema.json drifted from the Plan model: run `kpiguard plan schema`"
    r = run_cli(tmp_path / "unused", "plan", "schema", "--out", str(tmp_path / "s.json"))
    assert r.code == 0 and json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["title"] == "Plan"


def test_documented_example_plan_lints_clean() -> None:
    text = (DOCS / "plans.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert example is not None
    plan, locations = io.load(example.group(1), "docs/plans.md")
    findings = lint(LintContext(plan, locations, "docs/plans.md", {}))
    assert not has_errors(findings) and not [f for f in findings if f.severity == "warning"]
    assert plan.kpis[2].attribution and plan.incentives.commission is not None
