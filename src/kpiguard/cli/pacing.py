"""``kpiguard pace PLAN --as-of DAY``: where each KPI of a plan stands and where it is heading.

Thin: parse the day, call ``pacing.pace``, print a table with English and Chinese labels, or the
report as JSON (``pacing.export``: decimals as strings).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated

import typer
from rich.table import Table

from kpiguard.cli.output import console, print_json
from kpiguard.cli.state import STATE
from kpiguard.errors import Finding, InputError
from kpiguard.metrics import catalog
from kpiguard.pacing import pace
from kpiguard.pacing.export import to_dict
from kpiguard.pacing.model import GuardrailPace, KpiPace, PaceReport

STATUS = {"ahead": ("ahead", "领先", "green"), "on_track": ("on track", "正常", "green"),
          "behind": ("behind", "落后", "yellow"), "at_risk": ("at risk", "有风险", "red"),
          "unknown": ("unknown", "未知", "dim")}
TIMES = {"roas"}  # ratios read as "3.2x", not as a percentage
CONSEQUENCE = {"cap_total": "cap total 封顶总分", "void_bonus": "void bonus 取消奖金", "penalty": "penalty 扣分"}


def _day(text: str | None) -> date:
    if text is None:
        return date.today() - timedelta(days=1)  # the last whole day
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"--as-of {text!r} is not a date / 日期无效", [Finding(
            "option.date", f"--as-of {text!r} is not a date", column="--as-of", value=text,
            hint="use YYYY-MM-DD, e.g. --as-of 2026-10-15")]) from exc


def pace_command(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN_ID", help="plan id (kpiguard plan list)")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="the day to pace at, YYYY-MM-DD (default: yesterday)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Pacing: to date vs expected, forecast with interval, odds, weekly needs. / 进度追踪"""
    report = pace(STATE.workspace, plan_id, _day(as_of))
    if json_out:
        print_json(to_dict(report))
        return
    _print(report)


def fmt(value: Decimal | None, unit: str, metric: str = "") -> str:
    if value is None:
        return "—"
    if metric in TIMES:
        return f"{value:,.2f}x"
    if unit == "ratio":
        return f"{value * 100:,.2f}%"
    if unit == "money":
        return f"{value:,.2f}" if value == value.quantize(Decimal("0.01")) else f"{value:,}"
    return f"{value:,}"


def _pct(p: Decimal | None) -> str:
    return "—" if p is None else f"{p * 100:.0f}%"


def _name(metric: str) -> tuple[str, str]:
    cat = catalog.load()
    if metric not in set(cat.keys()):
        return metric, metric
    m = cat.metric(metric)
    return m.name.en, m.name.zh


def _forecast(k: KpiPace | GuardrailPace) -> str:
    text = fmt(k.forecast, k.unit, k.metric)
    if k.forecast_low is not None and k.forecast_high is not None and k.forecast_low != k.forecast_high:
        text += f"\n{fmt(k.forecast_low, k.unit, k.metric)} … {fmt(k.forecast_high, k.unit, k.metric)}"
    return text


def _needed(k: KpiPace) -> str:
    if k.weekly_needed is None:
        return "—"
    if k.method == "additive":
        return f"{fmt(k.weekly_needed, k.unit, k.metric)} /wk 每周"
    word = "at most 不高于" if k.direction == "lower" else "at least 不低于"
    if k.direction == "lower" and k.weekly_needed < 0:
        return "unreachable 已无法达成"
    return f"{word} {fmt(k.weekly_needed, k.unit, k.metric)}"


def _kpi_table(r: PaceReport) -> Table:
    table = Table("KPI\n指标", "to date\n至今实际", "expected\n至今应达", "forecast (80%)\n期末预测（80%区间）",
                  "floor / target\n底线 / 目标", "P floor / target\n达成概率", "rest must bring\n剩余期间所需",
                  "status\n状态", title="KPIs / 考核指标", title_justify="left", show_lines=True)
    for k in r.kpis:
        en, zh = _name(k.metric)
        label, label_zh, style = STATUS[k.status]
        table.add_row(f"{en}\n{zh}", fmt(k.actual_to_date, k.unit, k.metric),
                      fmt(k.expected_to_date, k.unit, k.metric), _forecast(k),
                      f"{fmt(k.floor, k.unit, k.metric)} / {fmt(k.target, k.unit, k.metric)}",
                      f"{_pct(k.p_floor)} / {_pct(k.p_target)}", _needed(k), f"[{style}]{label}\n{label_zh}[/]")
    return table


def _guardrail_table(r: PaceReport) -> Table:
    table = Table("guardrail\n风控指标", "limit\n限值", "to date\n至今实际", "forecast (80%)\n期末预测（80%区间）",
                  "P breach\n超限概率", "if breached\n超限后果", title="Guardrails / 风控指标", title_justify="left",
                  show_lines=True)
    for g in r.guardrails:
        en, zh = _name(g.metric)
        table.add_row(f"{en}\n{zh}", fmt(g.limit, g.unit, g.metric), fmt(g.actual_to_date, g.unit, g.metric),
                      _forecast(g),
                      _pct(g.p_breach), CONSEQUENCE.get(g.consequence, g.consequence))
    return table


def _print(r: PaceReport) -> None:
    console.print(f"[bold]{r.plan_id}[/] v{r.version} ({r.plan_status}) · {r.period_start} … {r.period_end} · "
                  f"as of 截至 {r.as_of}: day 第 {r.days_elapsed} / {r.days_total} 天 · {r.currency} · "
                  f"{', '.join(r.stores)}", highlight=False)
    console.print(_kpi_table(r))
    if r.guardrails:
        console.print(_guardrail_table(r))
    lines: list[KpiPace | GuardrailPace] = [*r.kpis, *r.guardrails]
    for k in lines:
        if k.note:
            console.print(f"  {k.metric}: {k.note}", highlight=False)
    for store, last in r.data_through.items():
        if last is None or last < r.as_of:
            console.print(f"[yellow]![/] {store}: orders only through {last or 'none in 12 weeks'}; later days count "
                          f"as zero — import the latest reports / 订单数据仅到 {last or '近12周无'}，之后按零计，请导入最新报表",
                          highlight=False)
    methods = sorted({k.interval_method for k in r.kpis if k.interval_method})
    console.print(f"expected to date follows each store's weekday (and last year's) shape; interval: "
                  f"{', '.join(methods) or '—'} / 至今应达按店铺自身的星期（及去年同期）分布计算", highlight=False)
