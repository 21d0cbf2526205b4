"""``kpiguard score PLAN --period 2026-10``: the scorecard, as a table or as JSON.

The table shows every KPI adjusted and unadjusted side by side, the guardrails with the numbers
that breached them, the role sub-scores, and the ``explain`` command behind each figure.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from kpiguard.cli.output import console, print_json
from kpiguard.cli.state import STATE
from kpiguard.errors import Finding, InputError
from kpiguard.scoring.records import score

ROLE_ZH = {"operations": "运营", "advertising": "广告", "design": "美工", "customer_service": "客服",
           "supply_chain": "供应链"}
STATUS_ZH = {"provisional": "暂定", "final": "最终"}


def parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{text!r} is not a date / 日期格式错误", [Finding(
            "date.invalid", f"cannot read {text!r} as a date", column=option, value=text,
            hint="use YYYY-MM-DD, e.g. 2026-10-31")]) from exc


def score_command(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN_ID")],
    period: Annotated[str, typer.Option("--period", help="scoring period: 2026-10 (or 2026Q4 for quarterly plans)")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="judge provisional/final as on this day (default today)")] = None,
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Score a signed plan for a period. / 考核评分"""
    result = score(STATE.workspace, plan_id, period, parse_day(as_of, "--as-of"))
    if json_out:
        print_json(result)
        return
    render(result)


def render(r: dict[str, Any]) -> None:
    console.print(f"[bold]{r['plan']}[/] v{r['version']} · {r['period']} ({r['period_start']} … {r['period_end']}) · "
                  f"{r['status']} / {STATUS_ZH.get(r['status'], '')} · {r['definition_set']} · {r['currency']}",
                  highlight=False)
    table = Table(title="KPIs / 考核指标", title_justify="left")
    for col in ("metric / 指标", "owner / 责任岗位", "weight / 权重", "actual / 实际", "floor / 底线", "target / 目标",
                "stretch / 挑战", "attainment / 达成率", "points / 得分", "unadjusted / 调整前"):
        table.add_column(col, overflow="fold")
    for k in r["kpis"]:
        u = k["unadjusted"]
        before = f"{u['actual']} vs {u['target']} → {u['points']}" if k["adjusted"] else ""
        owner = _role(k["owner"]) + (f" → {_role(k['counted_for'])}" if k["counted_for"] != k["owner"] else "")
        table.add_row(f"{k['metric']} {k['name']['zh-CN']}", owner, k["weight"], _v(k["actual"]), _v(k["floor"]),
                      _v(k["target"]), _v(k["stretch"]), _v(k["attainment"]), _v(k["points"]), before)
    console.print(table)
    if r["guardrails"]:
        g_table = Table(title="Guardrails / 风控指标", title_justify="left")
        for col in ("metric / 指标", "actual / 实际", "limit / 限值", "breached / 触发", "effect / 后果"):
            g_table.add_column(col)
        for g in r["guardrails"]:
            breached = {True: "YES / 是", False: "no / 否", None: "no data / 无数据"}[g["breached"]]
            g_table.add_row(f"{g['metric']} {g['name']['zh-CN']}", _v(g["actual"]), _v(g["limit"]), breached,
                            g["effect"] if g["breached"] else "")
        console.print(g_table)
    for ev in r["adjustments"]["events"]:
        if ev["source"] == "event":
            console.print(f"adjustment / 调整: event #{ev['event_id']} {ev['type']} {', '.join(ev['stores'])} "
                          f"{ev['start']} … {ev['end']} ({ev['days']} days) — {r['adjustments']['method']}", highlight=False)
        else:
            console.print(f"not excluded (over the clause's limit of {ev['max_days_per_period']} days) / 超出条款上限: "
                          f"{ev['store']} {', '.join(ev['not_excluded'])}", highlight=False)
    for k in r["kpis"]:
        for d in k["dependencies"]:
            if d["late_days"]:
                console.print(f"{k['metric']}: {d['role']} delivered '{d['deliverable']}' {d['late_days']} days late "
                              f"(due {d['due']}, delivered {d['delivered_on'] or 'not yet'}; clause {d['clause']}"
                              f"{'; caused the miss' if d['caused_miss'] else ''}) / 依赖方延误", highlight=False)
    roles = ", ".join(f"{_role(x['role'])} {_v(x['score'])}" for x in r["roles"])
    console.print(f"roles / 岗位得分: {roles}", highlight=False)
    console.print(f"[bold]total / 总分: {_v(r['total'])}[/] (weighted {_v(r['weighted_total'])}, unadjusted "
                  f"{_v(r['total_unadjusted'])}){' · bonus void / 取消奖金' if r['bonus_voided'] else ''}", highlight=False)
    if r["missing"]:
        console.print(f"[yellow]no data for / 无数据: {', '.join(r['missing'])} — not scored[/]", highlight=False)
    console.print(f"data snapshot / 数据快照 {r['snapshot']['digest'][:16]}… ({r['snapshot']['lake_parts']} lake parts, "
                  f"{len(r['snapshot']['raw_files'])} raw files){' · recorded final' if r.get('recorded') else ''}",
                  highlight=False)
    console.print("every figure: " + r["kpis"][0]["explain"] if r["kpis"] else "", highlight=False)


def _role(role: str | None) -> str:
    return f"{role} {ROLE_ZH.get(role, '')}" if role else "-"


def _v(value: str | None) -> str:
    return "-" if value is None else value
