"""``kpiguard verify``."""

from __future__ import annotations

from typing import Annotated

import typer

from kpiguard.cli.output import console, err_console, print_json
from kpiguard.cli.state import STATE
from kpiguard.verify import verify


def verify_command(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Recompute every raw file's hash and the ledger chain. / 校验原始数据与账本"""
    report = verify(STATE.workspace)
    if json_out:
        print_json(report.to_dict())
    elif report.ok:
        console.print(f"[green]✓ verified[/]: {report.ledger_entries} ledger entries, {report.raw_files} raw files, "
                      f"{report.lake_parts} lake parts; head {report.head_hash}")
    else:
        for problem in report.problems:
            err_console.print(f"[red]✗[/] {problem}", highlight=False)
        err_console.print(f"[bold red]verification failed[/]: {len(report.problems)} problem(s)")
    if not report.ok:
        raise typer.Exit(2)
