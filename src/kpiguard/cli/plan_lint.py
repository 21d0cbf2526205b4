"""``kpiguard plan lint PLAN.yaml``: every pitfall of a KPI plan at once, with its line.

Thin: read the file, load it (``plans.io.load``: shape errors are an ``InputError``), give the
linter the stores' history when the workspace has the plan's stores, print the findings as a
table or as JSON, and exit 2 when any finding is an error (the plan cannot be signed as it is).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kpiguard import stores
from kpiguard.cli.output import console, print_json
from kpiguard.cli.state import STATE
from kpiguard.errors import Finding, InputError
from kpiguard.plans import history, io
from kpiguard.plans.feasibility import LOOKBACK_MONTHS, history_metrics
from kpiguard.plans.lint import LintContext, PlanFinding, has_errors, lint
from kpiguard.plans.model import Plan
from kpiguard.workspace import Workspace

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _read(plan_file: Path) -> str:
    try:
        return plan_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {plan_file}", [Finding(
            "plan.file", f"cannot read {plan_file}: {exc}", file=str(plan_file),
            hint="give the path of a plan YAML file saved as UTF-8")]) from exc


def _history(ws: Workspace, plan: Plan) -> dict[str, list[Decimal]]:
    """Monthly history of the plan's stores, or nothing when the workspace does not have them all."""
    if not ws.exists or not plan.stores:
        return {}
    known = {s.store_id for s in stores.list_stores(ws)}
    if not set(plan.stores) <= known:
        return {}
    return history.monthly(ws, history_metrics(plan), plan.stores, plan.currency, plan.definition_set,
                           plan.period.start, LOOKBACK_MONTHS)


def to_json(f: PlanFinding) -> dict[str, object]:
    return {"code": f.code, "severity": f.severity, "message_en": f.en, "message_zh": f.zh, "path": f.path,
            "line": f.line, "hint_en": f.hint_en, "hint_zh": f.hint_zh}


def _table(findings: list[PlanFinding], source: str, zh: bool) -> Table:
    table = Table(title=f"{'方案检查' if zh else 'plan lint'}: {source}", title_justify="left")
    for column in (("级别", "代码", "行", "位置", "问题", "建议") if zh else
                   ("severity", "code", "line", "path", "problem", "what to do")):
        table.add_column(column, overflow="fold")
    for f in findings:
        severity = SEVERITY_ZH[f.severity] if zh else f.severity
        table.add_row(severity, f.code, "" if f.line is None else str(f.line), f.path, f.zh if zh else f.en,
                      f.hint_zh if zh else f.hint_en, style=SEVERITY_STYLE[f.severity])
    return table


def _summary(findings: list[PlanFinding], zh: bool) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    if zh:
        verdict = "不能签署" if counts["error"] else "可以签署"
        return f"{counts['error']} 个错误，{counts['warning']} 个警告，{counts['info']} 个提示：{verdict}"
    verdict = "cannot be signed as it is" if counts["error"] else "can be signed"
    return f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info: {verdict}"


def lint_command(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN.yaml", help="the plan to check")],
    lang: Annotated[str, typer.Option("--lang", help="language of the messages: en or zh-CN")] = "en",
    json_out: Annotated[bool, typer.Option("--json", help="findings as JSON, both languages")] = False,
) -> None:
    """Check a KPI plan against the ten pitfalls and more; exit 2 on errors. / 检查考核方案（避坑清单）"""
    if lang.lower() not in ("en", "zh", "zh-cn"):
        raise InputError(f"unknown language {lang!r}", [Finding("option.lang", f"unknown language {lang!r}",
                                                                column="--lang", hint="use en or zh-CN")])
    zh = lang.lower().startswith("zh")
    source = str(plan_file)
    plan, locations = io.load(_read(plan_file), source)
    findings = lint(LintContext(plan, locations, source, _history(STATE.workspace, plan)))
    if json_out:
        print_json([to_json(f) for f in findings])
    else:
        if findings:
            console.print(_table(findings, source, zh))
        console.print(_summary(findings, zh), highlight=False)
    if has_errors(findings):
        raise typer.Exit(code=2)
