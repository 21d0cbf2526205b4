"""``kpiguard event ...`` (force-majeure events) and ``kpiguard dependency ...`` (deliveries)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kpiguard.cli.output import console, print_json
from kpiguard.cli.scoring import parse_day
from kpiguard.cli.state import STATE
from kpiguard.events import deliveries
from kpiguard.events import store as events
from kpiguard.ingest.load import current_actor

app = typer.Typer(help="Force-majeure events (不可抗力事件): propose, approve, reject.", no_args_is_help=True)
dependency_app = typer.Typer(help="Dependencies between roles (依赖交付): record deliveries.", no_args_is_help=True)
PartyOpt = Annotated[str, typer.Option("--party", help="seller or provider (the agency / in-house team)")]
ByOpt = Annotated[str | None, typer.Option("--by", help="your name (default: the system user)")]
JsonOpt = Annotated[bool, typer.Option("--json")]


def _show(e: events.Event, json_out: bool) -> None:
    if json_out:
        print_json(e.to_dict())
    else:
        console.print(f"event #{e.event_id} {e.event_type} ({', '.join(e.stores)} {e.start} … {e.end}): "
                      f"[bold]{e.status}[/]", highlight=False)


@app.command("add")
def add_command(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN_ID")],
    event_type: Annotated[str, typer.Option("--type", help="stockout, account_suspension, platform_outage, major_holiday, policy_change")],
    store: Annotated[list[str], typer.Option("--store", help="store hit by the event; repeat for several")],
    date_from: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD (marketplace local)")],
    date_to: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD")],
    note: Annotated[str, typer.Option("--note", help="what happened / 事件说明")],
    party: PartyOpt,
    by: ByOpt = None,
    evidence: Annotated[Path | None, typer.Option("--evidence", help="a file that shows it (kept by SHA-256)")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Propose a force-majeure event. / 登记不可抗力事件"""
    start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")
    assert start is not None and end is not None
    e = events.propose(STATE.workspace, events.Proposal(plan_id, event_type, tuple(store), start, end, note, party,
                                                        by or current_actor(), evidence))
    _show(e, json_out)


@app.command("approve")
def approve_command(event_id: Annotated[int, typer.Argument(metavar="EVENT_ID")], party: PartyOpt, by: ByOpt = None,
                    note: Annotated[str, typer.Option("--note")] = "", json_out: JsonOpt = False) -> None:
    """Approve a proposed event (the party the clause names). / 确认事件"""
    _show(events.approve(STATE.workspace, event_id, party, by or current_actor(), note), json_out)


@app.command("reject")
def reject_command(event_id: Annotated[int, typer.Argument(metavar="EVENT_ID")], party: PartyOpt, by: ByOpt = None,
                   note: Annotated[str, typer.Option("--note", help="why / 理由")] = "", json_out: JsonOpt = False) -> None:
    """Reject a proposed event. / 驳回事件"""
    _show(events.reject(STATE.workspace, event_id, party, by or current_actor(), note), json_out)


@app.command("list")
def list_command(plan_id: Annotated[str | None, typer.Argument(metavar="[PLAN_ID]")] = None,
                 json_out: JsonOpt = False) -> None:
    """List events. / 事件列表"""
    found = events.list_events(STATE.workspace, plan_id)
    if json_out:
        print_json([e.to_dict() for e in found])
        return
    table = Table(title="Events / 不可抗力事件", title_justify="left")
    for col in ("#", "plan / 方案", "type / 类型", "stores / 店铺", "days / 日期", "status / 状态", "proposed / 提出", "decided / 处理"):
        table.add_column(col)
    for e in found:
        table.add_row(str(e.event_id), e.plan_id, e.event_type, ", ".join(e.stores), f"{e.start} … {e.end}", e.status,
                      f"{e.proposed_party}: {e.proposed_by}", f"{e.decided_party}: {e.decided_by}" if e.decided_by else "")
    console.print(table)


@dependency_app.command("deliver")
def deliver_command(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN_ID")],
    metric: Annotated[str, typer.Option("--metric", help="the KPI that depends on the deliverable")],
    role: Annotated[str, typer.Option("--role", help="the role that delivers (design, supply_chain ...)")],
    on: Annotated[str, typer.Option("--on", help="the day it was delivered, YYYY-MM-DD")],
    party: PartyOpt,
    by: ByOpt = None,
    note: Annotated[str, typer.Option("--note")] = "",
) -> None:
    """Record when a dependency was delivered. / 登记依赖交付日期"""
    day = parse_day(on, "--on")
    assert day is not None
    d = deliveries.record(STATE.workspace, deliveries.Delivery(plan_id, metric, role, day, party, by or current_actor(), note))
    console.print(f"{d.plan_id}: {d.metric} <- {d.role} delivered on {d.delivered_on} / 已登记交付", highlight=False)
