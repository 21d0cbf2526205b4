"""``kpiguard demo``: build a realistic workspace from simulated stores, through the real importer."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from kpiguard.accounts import demo as demo_accounts
from kpiguard.canonical import TABLES
from kpiguard.cli.output import console, err_console, print_json
from kpiguard.cli.state import STATE
from kpiguard.demo import contracts
from kpiguard.demo.build import DemoOptions, DemoResult, build, default_end
from kpiguard.errors import Finding, InputError


def demo_command(
    end: Annotated[str | None, typer.Option("--end", help="last simulated day, YYYY-MM-DD or YYYY-MM (default: the end of last month)")] = None,
    months: Annotated[int, typer.Option("--months", min=1, max=36, help="months simulated, ending at --end")] = 12,
    stores: Annotated[int, typer.Option("--stores", min=1, max=6, help="how many of the six demo stores")] = 6,
    orders_per_day: Annotated[float, typer.Option("--orders-per-day", min=0.1, max=100000, help="orders per store per day, on average")] = 40.0,
    seed: Annotated[int, typer.Option("--seed", help="the same seed gives the same files, byte for byte")] = 7,
    orders_only: Annotated[bool, typer.Option("--orders-only", help="only the order reports, Amazon ones by a fast path (benchmarks)")] = False,
    no_import: Annotated[bool, typer.Option("--no-import", help="write the report files but do not import them")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="machine-readable summary")] = False,
) -> None:
    """Build a demo workspace: six stores, a year of reports, imported. / 生成演示工作区"""
    options = DemoOptions(_end(end), months, stores, orders_per_day, seed, orders_only, not no_import)
    if json_out:
        result = build(STATE.workspace, options)
        seeded = _contracts(result, options)
        print_json({**result.to_dict(), **seeded})
    else:
        with err_console.status("simulating ...") as status:
            result = build(STATE.workspace, options, progress=lambda msg: status.update(msg))
            status.update("plans, events and accounts ...")
            seeded = _contracts(result, options)
        _print(result)
        _print_contracts(seeded)
    if result.failures:
        raise typer.Exit(1)


def _contracts(result: DemoResult, options: DemoOptions) -> dict[str, Any]:
    """Signed plans, events and the demo accounts, once the reports are in (not for --orders-only)."""
    if result.failures or not options.import_files or options.orders_only:
        return {"plans": [], "accounts": None}
    plans = contracts.seed(STATE.workspace, result)
    accounts = demo_accounts.seed(STATE.workspace, [s.store_id for s in result.stores])
    return {"plans": [p.__dict__ for p in plans], "accounts": accounts}


def _print_contracts(seeded: dict[str, Any]) -> None:
    if seeded["plans"]:
        plans = Table("plan / 方案", "status / 状态", "events / 事件", title="Demo plans", title_justify="left")
        for p in seeded["plans"]:
            plans.add_row(p["plan_id"], p["status"], ", ".join(p["events"]))
        console.print(plans)
    if seeded["accounts"]:
        console.print("Demo accounts (for 127.0.0.1 only) / 演示账号:", highlight=False)
        for u in seeded["accounts"]["users"]:
            console.print(f"  {u['email']}  password {u['password']}  ({u['role']}, {u['org_id']})",
                          highlight=False, soft_wrap=True)


def _end(text: str | None) -> date:
    today = date.today()
    if text is None:
        return default_end(today)
    try:
        if len(text) == 7:  # YYYY-MM: the month's last day
            year, month = int(text[:4]), int(text[5:])
            day = date(year, month, calendar.monthrange(year, month)[1])
        else:
            day = date.fromisoformat(text)
    except ValueError as exc:
        raise InputError("bad --end", [Finding("option.date", f"--end {text!r} is not a date", column="--end",
                                               hint="use YYYY-MM-DD or YYYY-MM")]) from exc
    if day >= today:
        raise InputError("bad --end", [Finding("option.future", f"--end {day} is not in the past", column="--end",
                                               hint="reports only hold what has happened; pick a day before today")])
    return day


def _print(r: DemoResult) -> None:
    table = Table(title=f"Demo workspace: {r.start} … {r.end}", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("", no_wrap=True)
    for s in r.stores:
        table.add_column(s.store_id, justify="right", no_wrap=True)
    table.add_column("total", justify="right", no_wrap=True)
    for label, attr in (("platform", "platform"), ("marketplace", "marketplace"), ("currency", "currency")):
        table.add_row(label, *(getattr(s, attr) for s in r.stores), "", style="dim")
    table.add_section()
    for name in TABLES:  # rows per canonical table, latest state of each fact
        counts = [r.rows.get(s.store_id, {}).get(name, 0) for s in r.stores]
        shared = r.rows.get("*", {}).get(name, 0)
        if any(counts) or shared:
            cells = [f"{n:,}" for n in counts] if any(counts) else ["·"] * len(counts)
            table.add_row(name, *cells, f"{sum(counts) + shared:,}")
    console.print(table)
    if r.rows.get("*"):
        console.print("  workspace-wide (no store): " + ", ".join(f"{t} {n:,}" for t, n in r.rows["*"].items()))
    events = Table("event", "store", "from", "to", "detail", title="Scenario events", title_justify="left")
    for e in r.events:
        events.add_row(e.kind, e.store_id, str(e.start), str(e.end), e.detail + (f" ({e.sku})" if e.sku else ""))
    console.print(events)
    imported = (f"imported {r.imported}, already imported {r.already_imported}"
                if r.imported or r.already_imported or r.failures else "not imported (--no-import)")
    console.print(f"{len(r.files)} report files in {r.files_dir}; {imported}; {r.seconds:.1f} s", highlight=False)
    for reason in r.left_out:
        console.print(f"[yellow]left out[/] {reason}", highlight=False)
    for failure in r.failures:
        err_console.print(f"[bold red]✗[/] {failure}", highlight=False)
    console.print(f"workspace: [bold]{r.workspace}[/] (check it: kpiguard --workspace {r.workspace} verify)",
                  highlight=False)
