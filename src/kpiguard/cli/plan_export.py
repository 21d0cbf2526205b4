"""``kpiguard plan export PLAN``: the plan as a contract document (HTML, PDF or Markdown).

Thin: check the options, load the plan (a stored version, or a YAML file as an unsigned draft),
call ``reports.contract_export.export``, write the file and say where it is. Registered under
``plan`` by ``cli/plans.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpiguard.cli.output import console, print_json
from kpiguard.cli.state import STATE
from kpiguard.errors import Finding, InputError
from kpiguard.plans.io import plan_hash
from kpiguard.reports import contract_export


def export_command(
    plan: Annotated[str, typer.Argument(metavar="PLAN", help="plan id in the workspace, or a plan YAML file "
                                        "(exported as an unsigned draft)")],
    format: Annotated[str, typer.Option("--format", "-f", help="html, pdf or md")] = "html",
    lang: Annotated[str, typer.Option("--lang", help="zh-CN or en")] = "zh-CN",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="file to write (default: "
                                             "PLAN-vN.LANG.FORMAT in the current folder)")] = None,
    version: Annotated[int | None, typer.Option("--version", help="plan version (default: the latest)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Export the plan as a contract: terms, formulas, sources, clauses, signatures. / 导出考核方案合同文本"""
    fmt, tag = contract_export.check_options(format, lang)
    if contract_export.looks_like_file(plan):
        if version is not None:
            raise InputError("--version is for plans stored in the workspace / --version 仅适用于已保存的方案", [
                Finding("option.version", f"{plan} is a file", column="--version",
                        hint="drop --version, or give the plan id")])
        source = contract_export.from_file(STATE.workspace, Path(plan))
    else:
        source = contract_export.from_store(STATE.workspace, plan, version)
    target = out or Path(contract_export.default_name(source, fmt, tag))
    data = contract_export.export(source, fmt, tag)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    if json_out:
        print_json({"file": str(target), "format": fmt, "lang": tag, "plan_id": source.plan.plan_id,
                    "version": source.version, "status": source.status if source.version is not None else "draft",
                    "signatures": len(source.signatures), "plan_hash": plan_hash(source.plan), "bytes": len(data)})
        return
    state = f"v{source.version} {source.status}" if source.version is not None else "unsigned draft / 未签署草案"
    console.print(f"wrote {target} ({fmt}, {tag}; plan {source.plan.plan_id} {state}) / 已导出", highlight=False)
