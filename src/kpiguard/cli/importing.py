"""``kpiguard import FILE... --store ID`` and ``kpiguard formats``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kpiguard.cli.output import console, err_console, findings_table, print_json
from kpiguard.cli.state import STATE
from kpiguard.errors import Finding, InputError, UserError
from kpiguard.ingest import registry
from kpiguard.ingest.load import ImportResult, import_file

LARGE_FILE = 20 * 1024 * 1024


def import_command(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="report files as downloaded")],
    store: Annotated[str | None, typer.Option("--store", help="the store the files belong to")] = None,
    format_key: Annotated[str | None, typer.Option("--format", help="skip detection (see kpiguard formats)")] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping", help="column-mapping YAML for a file no format knows (docs/mapping.md)")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="first day a range report covers (YYYY-MM-DD)")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="last day a range report covers (YYYY-MM-DD)")] = None,
    skip_bad_rows: Annotated[bool, typer.Option("--skip-bad-rows", help="import the good rows, list the rejected ones")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Import report files; say what was understood, rejected and why. / 导入报表文件"""
    period = _period(date_from, date_to)
    results: list[dict[str, object]] = []
    failed = False
    for path in files:
        try:
            result = _import_one(path, store, format_key, period, skip_bad_rows, json_out, mapping)
            results.append(result.to_dict())
            if not json_out:
                _print_result(result)
        except UserError as exc:
            failed = True
            results.append({"file": str(path.name), "status": "failed", "error": exc.message,
                            "findings": [f.to_dict() for f in exc.findings]})
            if not json_out:
                err_console.print(_failure_line(path.name, exc.message), highlight=False)
                if exc.findings:
                    err_console.print(findings_table(exc.findings))
    if json_out:
        print_json(results)
    if failed:
        raise typer.Exit(2)


def _failure_line(name: str, message: str) -> str:
    """The red line for a file that failed: its name once (most messages start with it)."""
    if message.startswith(name):
        return f"[bold red]✗ {escape(name)}[/]{escape(message[len(name):])}"
    return f"[bold red]✗ {escape(name)}[/]: {escape(message)}"


def _import_one(path: Path, store: str | None, format_key: str | None, period: tuple[date, date] | None,
                skip_bad_rows: bool, quiet: bool, mapping: Path | None = None) -> ImportResult:
    if mapping is not None and format_key is not None:
        raise InputError("--format and --mapping exclude each other", [Finding(
            "option.conflict", "give either --format (a built-in format) or --mapping (your own)",
            column="--format/--mapping", hint="a mapping replaces format detection; drop --format")])
    if quiet or not path.exists() or path.stat().st_size < LARGE_FILE:
        return import_file(STATE.workspace, path, store, format_key=format_key, period=period,
                           skip_bad_rows=skip_bad_rows, mapping=mapping)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err_console, transient=True) as bar:
        task = bar.add_task(f"{path.name}: starting")
        return import_file(STATE.workspace, path, store, format_key=format_key, period=period,
                           skip_bad_rows=skip_bad_rows, mapping=mapping,
                           progress=lambda stage: bar.update(task, description=f"{path.name}: {stage}"))


def _period(date_from: str | None, date_to: str | None) -> tuple[date, date] | None:
    if date_from is None and date_to is None:
        return None
    problems = []
    parsed: list[date | None] = []
    for flag, value in (("--from", date_from), ("--to", date_to)):
        try:
            parsed.append(date.fromisoformat(value) if value else None)
        except ValueError:
            parsed.append(None)
            problems.append(Finding("option.date", f"{flag} {value!r} is not a date", column=flag, hint="use YYYY-MM-DD"))
    if problems:
        raise InputError("bad date range", problems)
    start, end = parsed
    if start is None or end is None or end < start:
        raise InputError("bad date range", [Finding("option.range", "give both --from and --to, --from first",
                                                     column="--from/--to", hint="e.g. --from 2026-10-01 --to 2026-10-31")])
    return start, end


def _print_result(r: ImportResult) -> None:
    if r.status == "already_imported":
        console.print(f"[yellow]= {r.file}[/]: already imported (import {r.import_id}, store {r.store_id}); nothing added")
        return
    console.print(f"[green]✓ {r.file}[/]: {r.format_title} [{r.format_version}, {r.locale}, {r.encoding}] "
                  f"→ {r.table} of store {r.store_id or '(all stores)'}", highlight=False)
    span = f"{r.date_from} … {r.date_to}" if r.date_from else "no dates"
    console.print(f"  rows accepted {r.rows_accepted}, rejected {r.rows_rejected}, skipped {r.rows_skipped}; "
                  f"dates {span}; currency {', '.join(r.currencies) or '-'}", highlight=False)
    for reason, n in r.skipped_reasons.items():
        console.print(f"  skipped {n}: {reason}", highlight=False)
    if r.findings:
        console.print(findings_table([Finding(**f) for f in r.findings], title="Rejected rows"))  # type: ignore[arg-type]


def formats_command(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the report formats kpiguard recognises. / 支持的报表格式"""
    known = registry.formats()
    if json_out:
        print_json([{"key": f.key, "title": f.title, "title_zh": f.title_zh, "table": f.table,
                     "platforms": list(f.platforms), "needs_period": f.needs_period} for f in known.values()])
        return
    table = Table("key", "report", "报表", "table", "platforms")
    for f in sorted(known.values(), key=lambda f: f.key):
        table.add_row(f.key, f.title, f.title_zh, f.table, ", ".join(f.platforms) or "any")
    console.print(table)
