"""``kpiguard attribute PLAN --period ...``: why GMV and profit missed (or beat) the plan.

Thin: parse options, call ``attribution.report.build``, print two Rich tables with English and
Chinese labels (or ``--json`` with decimal strings). Each table's title says what it compares
with: the plan's target, or the previous period.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from kpiguard.attribution import payload
from kpiguard.attribution.labels import GMV_FACTORS, METRICS, NOTES, PROFIT_FACTORS
from kpiguard.attribution.report import Request, build
from kpiguard.cli.output import console, print_json
from kpiguard.cli.state import STATE
from kpiguard.errors import Finding, InputError
from kpiguard.periods import parse_period

KEY_LABEL = {"total": "total / 合计", "other": "other / 其他"}
ROW_HEADER = {"total": ("stores", "店铺"), "store": ("store", "店铺"), "sku": ("SKU", "SKU")}
CAPTION = "figures: base → actual / 基准 → 实际; effects add up to the gap / 各项影响之和等于差额"


def _both(pair: tuple[str, str]) -> str:
    return f"{pair[0]}\n{pair[1]}"


def _pair(side_a: dict[str, Any], side_b: dict[str, Any], key: str) -> str:
    return f"{side_a.get(key) or '—'} → {side_b.get(key) or '—'}"


def _markers(codes: list[str], legend: list[str]) -> str:
    out = []
    for code in codes:
        if code not in legend:
            legend.append(code)
        out.append(f"[{legend.index(code) + 1}]")
    return " ".join(out)


def _gmv_table(data: dict[str, Any], legend: list[str]) -> Table:
    cmp = data["gmv"]["comparison"]
    table = Table(title=f"GMV gap / 销售额差额 — {cmp['en']}\n{cmp['zh-CN']}", title_justify="left", caption=CAPTION,
                  caption_justify="left")
    table.add_column(_both(ROW_HEADER[data["by"]]))
    for key in ("sessions", "cvr", "aov", "gmv"):
        table.add_column(_both(METRICS[key]), justify="right")
    table.add_column(_both(("gap", "差额")), justify="right")
    for key in GMV_FACTORS:
        table.add_column(_both(GMV_FACTORS[key]), justify="right")
    table.add_column(_both(("notes", "说明")))
    for r in data["gmv"]["rows"]:
        table.add_row(KEY_LABEL.get(r["key"], r["key"]), *(_pair(r["base"], r["actual"], k)
                      for k in ("sessions", "cvr", "aov", "gmv")), r["gap"], *(r[k] for k in GMV_FACTORS),
                      _markers([n["code"] for n in r["notes"]], legend))
    return table


def _profit_table(data: dict[str, Any], legend: list[str]) -> Table:
    cmp = data["profit"]["comparison"]
    table = Table(title=f"Net profit gap / 净利润差额 — {cmp['en']}\n{cmp['zh-CN']}", title_justify="left",
                  caption=CAPTION, caption_justify="left")
    table.add_column(_both(ROW_HEADER["store" if data["by"] == "store" else "total"]))
    for key in ("net_sales", "gross_margin_rate", "ad_spend", "platform_fees", "net_profit"):
        table.add_column(_both(METRICS[key]), justify="right")
    table.add_column(_both(("gap", "差额")), justify="right")
    for key in PROFIT_FACTORS:
        table.add_column(_both(PROFIT_FACTORS[key]), justify="right")
    table.add_column(_both(("notes", "说明")))
    for r in data["profit"]["rows"]:
        missing = r.get("missing")
        note = f"unknown, no data: {', '.join(missing)} / 数据缺失，无法拆分" if missing else \
            _markers([n["code"] for n in r["notes"]], legend)
        table.add_row(KEY_LABEL.get(r["key"], r["key"]), *(_pair(r["base"], r["actual"], k) for k in
                      ("net_sales", "gross_margin_rate", "ad_spend", "platform_fees", "net_profit")),
                      r["gap"] or "—", *((r[k] or "—") for k in PROFIT_FACTORS), note)
    return table


def attribute_command(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN_ID", help="a signed plan (kpiguard plan list)")],
    period: Annotated[str, typer.Option("--period", help="2026-10, 2026Q4 or A..B (days: with --against previous)")],
    by: Annotated[str | None, typer.Option("--by", help="store or sku (default: the plan's stores together)")] = None,
    top: Annotated[int, typer.Option("--top", help="with --by sku: SKUs shown before 'other'")] = 10,
    against: Annotated[str, typer.Option("--against", help="target (the plan's) or previous (the period before)")] = "target",
    json_out: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Split the GMV and profit gaps into traffic, conversion, order value, margin, ads and fees. / 差异归因"""
    if against not in ("target", "previous"):
        raise InputError(f"--against {against!r} / 无效的对比基准", [Finding(
            "attribution.against", f"cannot compare against {against!r}", column="--against", value=against,
            hint="use target or previous")])
    start, end = parse_period(period)
    report = build(STATE.workspace, Request(plan_id, start, end, by or "total",
                                            "target" if against == "target" else "previous", top))
    data = payload.to_dict(report)
    if json_out:
        print_json(data)
        return
    console.print(f"[bold]{data['plan']}[/] v{data['version']} ({data['status']}) · {data['period']['start']}.."
                  f"{data['period']['end']} · {data['currency']} · {data['definition_set']} · "
                  "Shapley decomposition / Shapley 分解", highlight=False)
    legend: list[str] = []
    console.print(_gmv_table(data, legend))
    console.print(_profit_table(data, legend))
    for n in data["notes"]:
        console.print(f"* {n['en']} / {n['zh-CN']}", highlight=False)
    for i, code in enumerate(legend, 1):
        en, zh = NOTES[code]
        console.print(f"[{i}] {en} / {zh}", highlight=False, markup=False)
