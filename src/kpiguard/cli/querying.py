"""``kpiguard query`` and ``kpiguard explain``: metric values and the rows behind them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from kpiguard.cli.output import console, print_json
from kpiguard.cli.state import STATE
from kpiguard.errors import Finding, InputError
from kpiguard.metrics import engine
from kpiguard.metrics.explain import ExplainRequest, explain
from kpiguard.periods import parse_period

StoreOpt = Annotated[list[str] | None, typer.Option("--store", help="store id; repeat for several (default: all)")]
DefsOpt = Annotated[str, typer.Option("--definitions", help="definition set (统计口径) name@version")]


def _day(value: str, flag: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{flag} {value!r} is not a date", [Finding(
            "option.date", f"{flag} {value!r} is not a date", column=flag, hint="use YYYY-MM-DD")]) from exc


def _range(date_from: str | None, date_to: str | None, period: str | None) -> tuple[date, date]:
    if period:
        return parse_period(period)
    if not date_from or not date_to:
        raise InputError("which days?", [Finding("option.range", "give --period, or --from and --to",
                                                 column="--from/--to", hint="e.g. --period 2026-10")])
    return _day(date_from, "--from"), _day(date_to, "--to")


def query_command(
    metrics: Annotated[list[str], typer.Argument(metavar="METRIC...", help="metric keys (kpiguard metrics list)")],
    store: StoreOpt = None,
    date_from: Annotated[str | None, typer.Option("--from", help="first day, YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="last day, YYYY-MM-DD")] = None,
    period: Annotated[str | None, typer.Option("--period", help="2026-10, 2026Q4, 2026 or A..B")] = None,
    by: Annotated[str | None, typer.Option("--by", help="comma list of store, platform, marketplace, sku, day, week, month, quarter")] = None,
    currency: Annotated[str | None, typer.Option("--currency", help="convert money into this currency")] = None,
    definitions: DefsOpt = "standard@1",
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Compute metrics by store, SKU and period. / 按店铺、SKU、周期计算指标"""
    start, end = _range(date_from, date_to, period)
    q = engine.Query(tuple(metrics), start, end, tuple(store) if store else None,
                     tuple(b.strip() for b in by.split(",") if b.strip()) if by else (),
                     currency.upper() if currency else None, definitions)
    rows = engine.run(STATE.workspace, q)
    if json_out:
        print_json(rows)
        return
    table = Table(*(rows[0].keys() if rows else ["(no rows)"]))
    for r in rows:
        table.add_row(*("" if v is None else str(v) for v in r.values()))
    console.print(table)


def explain_command(
    metric: Annotated[str, typer.Argument(help="metric key")],
    store: StoreOpt = None,
    period: Annotated[str | None, typer.Option("--period", help="2026-10, 2026Q4, 2026 or A..B")] = None,
    date_from: Annotated[str | None, typer.Option("--from")] = None,
    date_to: Annotated[str | None, typer.Option("--to")] = None,
    currency: Annotated[str | None, typer.Option("--currency")] = None,
    definitions: DefsOpt = "standard@1",
    rows: Annotated[bool, typer.Option("--rows", help="also list the contributing rows")] = False,
    limit: Annotated[int, typer.Option("--limit", help="rows per measure with --rows")] = 200,
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show a metric's formula, policies, SQL, rows and raw files. / 指标溯源"""
    start, end = _range(date_from, date_to, period)
    result = explain(STATE.workspace, ExplainRequest(metric, start, end, tuple(store) if store else None,
                                                     definitions, currency.upper() if currency else None, rows, limit))
    if json_out:
        print_json(result)
        return
    console.print(f"[bold]{result['metric']}[/] {result['name']['en']} / {result['name']['zh-CN']} = "
                  f"[bold]{result['value']}[/] {result['currency'] or ''} ({result['status']}, {result['definition_set']}, "
                  f"{result['period_start']} … {result['period_end']})", highlight=False)
    console.print(f"formula: {result['formula']}", highlight=False)
    for m in result["measures"]:
        console.print(f"\n[bold]{m['measure']}[/] ({m['table']}): {m['formula']}", highlight=False)
        console.print(f"  policies: {m['policies']}", highlight=False)
        console.print(f"  contributing rows: {m['contributing_rows']}", highlight=False)
        for f in m["raw_files"]:
            console.print(f"  raw file {f['sha256'][:12]}… {f.get('file', '?')} (import {f.get('import_id')}, "
                          f"{f.get('imported_at', '')}): {f['rows']} rows", highlight=False)
        for r in m.get("rows", []):
            console.print("   " + ", ".join(f"{k}={v}" for k, v in r.items()), highlight=False)
    console.print("\n(use --json to see the SQL of each measure)")


def reconcile_command(
    store: Annotated[str, typer.Option("--store", help="store id")],
    period: Annotated[str | None, typer.Option("--period", help="2026-10, 2026Q4 or A..B")] = None,
    date_from: Annotated[str | None, typer.Option("--from")] = None,
    date_to: Annotated[str | None, typer.Option("--to")] = None,
    metric: Annotated[str, typer.Option("--metric", help="gmv or ad_spend")] = "gmv",
    tolerance: Annotated[str, typer.Option("--tolerance", help="relative gap to flag, e.g. 0.01")] = "0.01",
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The same figure from every source, per day, with gaps explained. / 多来源对账"""
    from decimal import Decimal, InvalidOperation

    from kpiguard.metrics.reconcile import ReconcileRequest, reconcile

    if metric not in ("gmv", "ad_spend"):
        raise InputError(f"cannot reconcile {metric!r}", [Finding("option.metric", "use gmv or ad_spend", column="--metric")])
    try:
        tol = Decimal(tolerance)
    except InvalidOperation as exc:
        raise InputError("bad --tolerance", [Finding("option.tolerance", f"{tolerance!r} is not a number",
                                                     column="--tolerance", hint="e.g. 0.01 for 1%")]) from exc
    start, end = _range(date_from, date_to, period)
    result = reconcile(STATE.workspace, ReconcileRequest(store, start, end, metric, tol))
    if json_out:
        print_json(result)
        return
    table = Table("day", *result["sources"], "gap", "likely cause")
    for r in result["days"]:
        style = "red" if r["flagged"] else None
        table.add_row(r["day"], *(r[s] for s in result["sources"]), r["gap"], "; ".join(r["likely_causes"]), style=style)
    console.print(table)
    console.print(f"{result['flagged_days']} day(s) differ by more than {tol} ({result['currency']})")
