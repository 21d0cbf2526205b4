"""Printing for the CLI: findings as a table, results as tables or JSON, never a traceback."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from kpiguard.errors import Finding, UserError

console = Console()
err_console = Console(stderr=True)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def findings_table(findings: list[Finding], title: str = "Problems") -> Table:
    table = Table(title=title, show_lines=False, title_justify="left")
    for column in ("file", "row", "column", "problem", "what to do"):
        table.add_column(column, overflow="fold")
    for f in findings:
        problem = f.message + (f" (value: {f.value[:60]!r})" if f.value is not None else "")
        table.add_row(f.file or "", str(f.row) if f.row is not None else "", f.column or "", problem, f.hint or "")
    return table


def report_user_error(exc: UserError, as_json: bool) -> None:
    if as_json:
        print_json({"error": exc.message, "findings": [f.to_dict() for f in exc.findings]})
        return
    err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False)
    if exc.findings:
        err_console.print(findings_table(exc.findings))
