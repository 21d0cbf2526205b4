"""``kpiguard settle PLAN --period 2026-10``: issue the period's settlement statement.

``--export FILE`` also writes the statement both parties sign (.html, .pdf, .xlsx or .md, from the
suffix) in ``--lang`` zh-CN or en; the options are checked before the statement is issued.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kpiguard.cli.output import console, print_json
from kpiguard.cli.scoring import STATUS_ZH, parse_day
from kpiguard.cli.state import STATE
from kpiguard.reports import statement_export
from kpiguard.settlement.statements import settle


def settle_command(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN_ID")],
    period: Annotated[str, typer.Option("--period", help="scoring period: 2026-10 (or 2026Q4)")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="issue as on this day (default today)")] = None,
    json_out: Annotated[bool, typer.Option("--json")] = False,
    export: Annotated[Path | None, typer.Option("--export", help="also write the statement to sign: "
                                                "FILE.html, .pdf, .xlsx or .md")] = None,
    lang: Annotated[str, typer.Option("--lang", help="language of the exported statement: zh-CN or en")] = "zh-CN",
) -> None:
    """Issue the settlement statement of a scored period. / 结算"""
    if export is not None:
        statement_export.check_options(export, lang)
    statement = settle(STATE.workspace, plan_id, period, parse_day(as_of, "--as-of"))
    written = statement_export.write(statement, export, lang) if export is not None else None
    if json_out:
        print_json(statement | ({"export": written} if written else {}))
        return
    render(statement)
    if written:
        console.print(f"wrote {written['file']} ({written['format']}, {written['lang']}) / 已导出结算单", highlight=False)


def render(s: dict[str, Any]) -> None:
    a = s["amounts"]
    console.print(f"[bold]{s['plan']}[/] v{s['version']} · {s['period']} · statement #{s['seq']} · "
                  f"{s['status']} / {STATUS_ZH.get(s['status'], '')} · total score / 总分 {s['score']['total']}",
                  highlight=False)
    table = Table(title=f"Settlement / 结算 ({a['currency']})", title_justify="left")
    table.add_column("item / 项目")
    table.add_column("amount / 金额", justify="right")
    table.add_row("base fee / 保底服务费", a["base_fee"])
    table.add_row(f"fee reduction / 服务费扣减 ({a['fee_reduction_pct']}%)", f"-{a['fee_reduction']}")
    tier = a["bonus_tier"]
    table.add_row(f"bonus / 奖金 ({tier['bonus_pct']}% of {a['bonus_pool']})" if tier else "bonus / 奖金", a["bonus"])
    if a["commission"]:
        c = a["commission"]
        table.add_row(f"commission / 提成 ({c['rate']} x ({c['base']} {c['base_value']} - {c['threshold']}))", c["amount"])
    table.add_row("[bold]payable / 应付[/]", f"[bold]{a['payable']}[/]")
    console.print(table)
    for note in a["notes"]:
        console.print(f"note / 说明: {note}", highlight=False)
    if s["true_up"]:
        t = s["true_up"]
        console.print(f"{t['kind']}: {t['due']} against statement #{t['against_seq']} (settled {t['settled_before']}) — "
                      f"{t['note']}", highlight=False)
