"""Exporting a settlement statement to a file: the format comes from the file's suffix.

The contract's formats (HTML, PDF, Markdown) plus XLSX, registered the same way as
``contract_export.RENDERERS`` so another format is one more entry. Options are checked before
anything is settled, so a typo in ``--export`` or ``--lang`` never issues a statement.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kpiguard.errors import Finding, InputError
from kpiguard.reports.contract_export import RENDERERS as CONTRACT_RENDERERS
from kpiguard.reports.contract_export import checked_lang
from kpiguard.reports.document import Document
from kpiguard.reports.render_xlsx import render_xlsx
from kpiguard.reports.statement import build_statement

RENDERERS: dict[str, Callable[[Document], bytes]] = {**CONTRACT_RENDERERS, "xlsx": render_xlsx}


def check_options(path: Path, lang: str) -> tuple[str, str]:
    """The format (from the suffix) and the language tag, or one error naming every bad option."""
    findings = []
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in RENDERERS:
        findings.append(Finding("option.export", f"cannot tell the format from {path.name!r}", column="--export",
                                value=str(path), hint="end the file name with " + ", ".join(
                                    f".{k}" for k in sorted(RENDERERS))))
    tag = checked_lang(lang, findings)
    if findings:
        raise InputError("cannot export the statement with these options / 结算单导出选项无效", findings)
    return fmt, tag


def export(statement: dict[str, Any], fmt: str, lang: str) -> bytes:
    return RENDERERS[fmt](build_statement(statement, lang))


def write(statement: dict[str, Any], path: Path, lang: str) -> dict[str, Any]:
    """Render and write the file; returns what was written (file, format, lang, bytes)."""
    fmt, tag = check_options(path, lang)
    data = export(statement, fmt, tag)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write {path} / 无法写入文件", [Finding(
            "export.write", f"cannot write {path}: {exc}", file=str(path),
            hint="choose a folder you can write to")]) from exc
    return {"file": str(path), "format": fmt, "lang": tag, "bytes": len(data)}
