"""Exporting a plan as a contract file: where the plan comes from, and the format registry.

A plan comes either from the workspace (a stored version with its status and signatures) or
from a YAML file on disk (always an unsigned draft, whatever it says). Formats register in
``RENDERERS`` the way a plug-in would, so the CLI and the web serve whatever is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from pathlib import Path

from kpiguard.errors import Finding, InputError
from kpiguard.metrics import catalog, definitions
from kpiguard.plans import io, store
from kpiguard.reports.contract import ContractInput, Signature, build, normalize_lang
from kpiguard.reports.document import Document
from kpiguard.reports.render_html import render_html
from kpiguard.reports.render_md import render_md
from kpiguard.reports.render_pdf import render_pdf
from kpiguard.workspace import Workspace

RENDERERS: dict[str, Callable[[Document], bytes]] = {
    "html": lambda doc: render_html(doc).encode("utf-8"),
    "md": lambda doc: render_md(doc).encode("utf-8"),
    "pdf": render_pdf,
}


def looks_like_file(plan: str) -> bool:
    """Plan ids are ``[a-z0-9_-]``: anything with a dot or a slash, or an existing file, is a path."""
    return "." in plan or "/" in plan or "\\" in plan or Path(plan).is_file()


def from_store(ws: Workspace, plan_id: str, version: int | None = None) -> ContractInput:
    sp = store.get(ws, plan_id, version)
    signatures = tuple(Signature(s.role, s.name, f"{s.signed_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC", s.plan_hash,
                                 s.ledger_seq)
                       for s in sp.signatures)
    return ContractInput(sp.plan, definitions.resolve(ws, sp.plan.definition_set), catalog.load(), signatures,
                         sp.version, sp.status)


def from_file(ws: Workspace | None, path: Path) -> ContractInput:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path} / 无法读取文件", [Finding(
            "plan.file", f"cannot read {path}: {exc}", file=str(path),
            hint="give a plan id (kpiguard plan list) or the path of a plan YAML file saved as UTF-8")]) from exc
    plan, _ = io.load(text, str(path))
    return ContractInput(plan, definitions.resolve(ws, plan.definition_set), catalog.load())


def checked_lang(lang: str, findings: list[Finding]) -> str:
    """The language tag for ``lang`` (zh-CN or en); an unknown one adds a finding and gives ''."""
    try:
        return normalize_lang(lang)
    except ValueError:
        findings.append(Finding("option.lang", f"unknown language {lang!r}", column="--lang", value=lang,
                                hint="use zh-CN or en"))
        return ""


def check_options(fmt: str, lang: str) -> tuple[str, str]:
    """The format and the language tag, or one error naming every bad option."""
    findings = []
    if fmt.lower() not in RENDERERS:
        findings.append(Finding("option.format", f"unknown format {fmt!r}", column="--format", value=fmt,
                                hint="use " + ", ".join(sorted(RENDERERS))))
    tag = checked_lang(lang, findings)
    if findings:
        raise InputError("cannot export with these options / 导出选项无效", findings)
    return fmt.lower(), tag


def default_name(source: ContractInput, fmt: str, lang: str) -> str:
    version = f"-v{source.version}" if source.version is not None else "-draft"
    return f"{source.plan.plan_id}{version}.{lang}.{fmt}"


def export(source: ContractInput, fmt: str, lang: str) -> bytes:
    return RENDERERS[fmt](build(source, lang))
