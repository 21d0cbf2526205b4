"""``kpiguard metrics list|show|docs`` and ``kpiguard definitions list|show|add``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kpiguard.cli.output import console, print_json
from kpiguard.cli.state import STATE
from kpiguard.errors import Finding, InputError
from kpiguard.ingest.load import current_actor
from kpiguard.metrics import catalog, definitions, docs

metrics_app = typer.Typer(help="The metric catalog (指标目录).", no_args_is_help=True)
definitions_app = typer.Typer(help="Definition sets (统计口径).", no_args_is_help=True)
LangOpt = Annotated[str, typer.Option("--lang", help="en or zh-CN")]


@metrics_app.command("list")
def list_metrics(lang: LangOpt = "en", json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List every metric. / 指标列表"""
    cat = catalog.load()
    if json_out:
        print_json([m.model_dump(by_alias=True) for m in cat.metrics])
        return
    table = Table("key", "name", "unit", "better", "kind", "formula")
    for m in cat.metrics:
        table.add_row(m.key, m.name.get(lang), m.unit, m.direction, m.kind, m.formula)
    console.print(table)


@metrics_app.command("show")
def show_metric(key: str, lang: LangOpt = "en", json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show one metric with its measures. / 指标详情"""
    cat = catalog.load()
    try:
        metric = cat.metric(key)
    except KeyError as exc:
        raise InputError(f"unknown metric {key!r}", [Finding("metric.unknown", f"no metric {key!r}",
                                                             hint="see kpiguard metrics list")]) from exc
    if json_out:
        print_json({**metric.model_dump(by_alias=True),
                    "measures": {n: cat.measures[n].model_dump() for n in sorted(metric.measures())}})
        return
    console.print(docs.metric_markdown(metric, cat, lang), highlight=False)


@metrics_app.command("docs")
def write_docs(out: Annotated[Path, typer.Option("--out", help="file to write")] = Path("docs/metrics.md")) -> None:
    """Regenerate the metric catalog page. / 生成指标文档"""
    out.write_text(docs.catalog_markdown(), encoding="utf-8")
    console.print(f"wrote {out}")


@definitions_app.command("list")
def list_sets(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List definition sets. / 口径列表"""
    sets = definitions.list_sets(STATE.workspace)
    if json_out:
        print_json(sets)
        return
    table = Table("set", "extends", "built in", "frozen by signed plans")
    for s in sets:
        table.add_row(s["key"], s.get("extends") or "", "yes" if s["builtin"] else "", s.get("frozen_by") or "")
    console.print(table)


@definitions_app.command("show")
def show_set(key: str) -> None:
    """Show a set with everything it extends merged in. / 查看口径"""
    ws = STATE.workspace if STATE.workspace.exists else None
    print_json(definitions.resolve(ws, key).model_dump())


@definitions_app.command("add")
def add_set(file: Annotated[Path, typer.Argument(help="YAML: name, version, extends, policies")]) -> None:
    """Add a definition set to the workspace. / 新增口径"""
    if not file.is_file():
        raise InputError(f"{file}: no such file", [Finding("file.missing", "the file does not exist", file=str(file))])
    added = definitions.add(STATE.workspace, file.read_text(encoding="utf-8"), file.name, current_actor())
    console.print(f"definition set {added.key} stored")
