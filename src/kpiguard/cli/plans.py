"""``kpiguard plan ...``: KPI plans from template to signature, amendment and close.

Thin: parse options, call ``plans.templates``/``plans.suggest``/``plans.store``, print. Every
command that changes a plan prints the version and status it leaves; ``--json`` gives machines
the same in one object. ``plan lint`` is ``cli/plan_lint.py``'s command, registered here.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kpiguard import stores
from kpiguard.cli.output import console, print_json
from kpiguard.cli.plan_export import export_command
from kpiguard.cli.plan_lint import lint_command
from kpiguard.cli.state import STATE
from kpiguard.errors import Finding, InputError
from kpiguard.ingest.load import current_actor
from kpiguard.metrics import catalog
from kpiguard.periods import parse_period
from kpiguard.plans import decomposition, io, store, suggest, templates
from kpiguard.plans.model import Period, Plan

app = typer.Typer(help="KPI plans (考核方案): templates, signatures, amendments.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]
LangOpt = Annotated[str, typer.Option("--lang", help="en or zh-CN")]
PlanArg = Annotated[str, typer.Argument(metavar="PLAN_ID", help="plan id (kpiguard plan list)")]
DEFAULT_SCHEMA = Path("docs/plan.schema.json")
STATUS_ZH = {"draft": "草稿", "proposed": "待签署", "signed": "已签署", "active": "已生效", "closed": "已关闭",
             "superseded": "已被取代"}


def _zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


def _read_plan(path: Path) -> tuple[Plan, str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path} / 无法读取文件", [Finding(
            "plan.file", f"cannot read {path}: {exc}", file=str(path), hint="a plan YAML file saved as UTF-8")]) from exc
    return io.load(text, str(path))[0], text


def _changed(sp: store.StoredPlan, en: str, zh: str, json_out: bool) -> None:
    if json_out:
        print_json(sp.to_dict())
    else:
        console.print(f"plan [bold]{sp.plan_id}[/] v{sp.version}: {en} / {zh} — status [bold]{sp.status}[/]",
                      highlight=False)


def _store_currency(store_ids: list[str]) -> str:
    known = {s.store_id: s for s in stores.list_stores(STATE.workspace)}
    missing = [s for s in store_ids if s not in known]
    if missing:
        raise InputError(f"unknown store {', '.join(missing)} / 店铺不存在", [Finding(
            "store.unknown", f"store {s!r} does not exist", column="--store", hint="see kpiguard store list")
            for s in missing])
    currencies = {known[s].currency for s in store_ids}
    return currencies.pop() if len(currencies) == 1 else "USD"


@app.command("new")
def new_command(
    template: Annotated[str, typer.Option("--template", help="mode/stage, e.g. full_service/growth")],
    store_ids: Annotated[list[str], typer.Option("--store", help="store id; repeat for several")],
    period: Annotated[str, typer.Option("--period", help="2026Q4, 2026-11 or 2026")],
    plan_id: Annotated[str | None, typer.Option("--id", help="plan id (default STORE-PERIOD)")] = None,
    seller: Annotated[str | None, typer.Option("--seller", help="seller's name (default: the store)")] = None,
    provider: Annotated[str, typer.Option("--provider", help="agency's or team's name")] = "provider / 服务商",
    currency: Annotated[str | None, typer.Option("--currency", help="plan currency (default: the stores')")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="also write the draft's YAML to this file")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Draft a plan from a template, targets suggested from history. / 按模板起草方案"""
    start, end = parse_period(period)
    cur = (currency or _store_currency(store_ids)).upper()
    pid = plan_id or f"{store_ids[0]}-{period}".lower().replace("..", "-")
    plan = templates.instantiate(templates.load(template), pid, seller or store_ids[0], provider, store_ids,
                                 Period(start=start, end=end), cur)
    drafted = suggest.draft(STATE.workspace, plan)
    sp = store.create(STATE.workspace, drafted.plan, current_actor())
    if out:
        out.write_text(sp.yaml_text, encoding="utf-8")
    if json_out:
        print_json({**sp.to_dict(), "suggestions": [n.__dict__ for n in drafted.notes]})
        return
    _changed(sp, f"draft from template {template}", f"已按模板 {template} 生成草稿", False)
    for n in drafted.notes:
        console.print(f"  {'✓' if n.suggested else '!'} {n.en}\n    {n.zh}", highlight=False)
    console.print("suggested targets are marked suggested: true; confirm or change them before proposing / "
                  "建议目标值标记为 suggested: true，提交签署前请确认或修改", highlight=False)
    if out:
        console.print(f"wrote {out}; after editing: kpiguard plan edit {out}", highlight=False)


def _kpi_table(sp: store.StoredPlan, zh: bool) -> Table:
    cat = catalog.load()
    known = set(cat.keys())
    table = Table(*(("指标", "类型", "责任岗位", "权重", "底线", "目标", "挑战", "建议值") if zh else
                    ("KPI", "kind", "owner", "weight", "floor", "target", "stretch", "suggested")), title_justify="left")
    for k in sp.plan.kpis:
        name = cat.metric(k.metric).name.get("zh" if zh else "en") if k.metric in known else k.metric
        table.add_row(name, k.kind or "", k.owner or "", str(k.weight), *(str(v) if v is not None else "—"
                      for v in (k.floor, k.target, k.stretch)), "✓" if k.suggested else "")
    return table


@app.command("show")
def show_command(plan_id: PlanArg, version: Annotated[int | None, typer.Option("--version", help="default: latest")] = None,
                 lang: LangOpt = "en", yaml_out: Annotated[bool, typer.Option("--yaml", help="print the stored YAML")] = False,
                 json_out: JsonOpt = False) -> None:
    """Show a plan version, its status and signatures. / 查看方案"""
    sp = store.get(STATE.workspace, plan_id, version)
    if json_out:
        print_json(sp.to_dict())
        return
    if yaml_out:
        typer.echo(sp.yaml_text, nl=False)
        return
    zh, p = _zh(lang), sp.plan
    status = STATUS_ZH.get(sp.status, sp.status) if zh else sp.status
    console.print(f"[bold]{p.title.zh if zh else p.title.en}[/] ({sp.plan_id} v{sp.version}, {status})", highlight=False)
    console.print(f"{'卖家' if zh else 'seller'}: {p.seller.name} · {'服务方' if zh else 'provider'}: {p.provider.name} · "
                  f"{'店铺' if zh else 'stores'}: {', '.join(p.stores)} · {p.period.start}..{p.period.end} · {p.currency} · "
                  f"{p.definition_set}", highlight=False)
    if sp.reason:
        console.print(f"{'修订原因' if zh else 'amendment reason'}: {sp.reason}", highlight=False)
    console.print(_kpi_table(sp, zh))
    for s in sp.signatures:
        console.print(f"{'签署' if zh else 'signed'}: {s.role} {s.name} {s.signed_at:%Y-%m-%d %H:%M} UTC "
                      f"sha256 {s.plan_hash[:16]}… ({'账本' if zh else 'ledger'} #{s.ledger_seq})", highlight=False)
    console.print(f"sha256 {sp.plan_hash}", highlight=False)


@app.command("list")
def list_command(json_out: JsonOpt = False) -> None:
    """Every plan with its latest version and status. / 方案列表"""
    plans = store.list_plans(STATE.workspace)
    if json_out:
        print_json([{k: v for k, v in sp.to_dict().items() if k != "plan"} for sp in plans])
        return
    table = Table("plan", "version", "status", "mode/stage", "stores", "period", "signatures")
    for sp in plans:
        table.add_row(sp.plan_id, str(sp.version), sp.status, f"{sp.plan.cooperation_mode}/{sp.plan.stage}",
                      ", ".join(sp.plan.stores), f"{sp.plan.period.start}..{sp.plan.period.end}",
                      ", ".join(f"{s.role}: {s.name}" for s in sp.signatures))
    console.print(table)


@app.command("edit")
def edit_command(plan_file: Annotated[Path, typer.Argument(metavar="FILE", help="the whole plan in YAML")],
                 json_out: JsonOpt = False) -> None:
    """Replace a draft with the plan in FILE (plan_id from the file). / 用文件替换草稿"""
    plan, text = _read_plan(plan_file)
    _changed(store.update_draft(STATE.workspace, plan.plan_id, plan, current_actor(), text),
             "draft replaced", "草稿已更新", json_out)


@app.command("propose")
def propose_command(plan_id: PlanArg, json_out: JsonOpt = False) -> None:
    """Put the draft to both parties; its text is fixed from now on. / 提交双方签署"""
    _changed(store.propose(STATE.workspace, plan_id, current_actor()), "proposed for signature", "已提交签署", json_out)


@app.command("sign")
def sign_command(plan_id: PlanArg,
                 role: Annotated[str, typer.Option("--as", help="seller or provider")],
                 name: Annotated[str, typer.Option("--name", help="the signer's name")],
                 json_out: JsonOpt = False) -> None:
    """Sign the proposed version as seller or provider (refused with lint errors). / 签署方案"""
    sp = store.sign(STATE.workspace, plan_id, role, name)
    _changed(sp, f"signed by the {role} ({name})", f"{role}（{name}）已签署", json_out)


@app.command("amend")
def amend_command(plan_file: Annotated[Path, typer.Argument(metavar="FILE", help="the amended plan in YAML")],
                  reason: Annotated[str, typer.Option("--reason", help="why the terms change")],
                  json_out: JsonOpt = False) -> None:
    """A new version of a proposed or signed plan, to be signed again by both. / 提交修订版本"""
    plan, text = _read_plan(plan_file)
    _changed(store.amend(STATE.workspace, plan.plan_id, plan, reason, current_actor(), text),
             "amendment drafted; propose it and sign again", "已生成修订草稿，须重新提交并双方签署", json_out)


@app.command("activate")
def activate_command(plan_id: PlanArg, json_out: JsonOpt = False) -> None:
    """Start scoring a signed plan. / 方案生效"""
    _changed(store.activate(STATE.workspace, plan_id, current_actor()), "active", "已生效", json_out)


@app.command("close")
def close_command(plan_id: PlanArg, reason: Annotated[str, typer.Option("--reason")] = "",
                  json_out: JsonOpt = False) -> None:
    """Close a signed or active plan. / 关闭方案"""
    _changed(store.close(STATE.workspace, plan_id, current_actor(), reason), "closed", "已关闭", json_out)


@app.command("verify")
def verify_command(plan_id: PlanArg, json_out: JsonOpt = False) -> None:
    """Check every version's text against its signatures and the ledger. / 校验方案签名"""
    report = store.verify_plan(STATE.workspace, plan_id)
    if json_out:
        print_json({"plan_id": plan_id, "ok": report.ok, "versions": report.versions,
                    "signatures": report.signatures, "problems": report.problems})
    elif report.ok:
        console.print(f"[green]✓[/] plan {plan_id}: {report.versions} version(s), {report.signatures} signature(s) "
                      "verified / 校验通过", highlight=False)
    else:
        for problem in report.problems:
            console.print(f"[red]✗[/] {problem}", highlight=False)
    if not report.ok:
        raise typer.Exit(2)


def _target(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value <= 0:
        raise InputError(f"--target {text!r} is not an amount / 目标金额无效", [Finding(
            "option.target", f"{text!r} is not a positive amount", column="--target", hint="e.g. --target 1000000")])
    return value


@app.command("decompose")
def decompose_command(
    store_ids: Annotated[list[str], typer.Option("--store", help="store id; repeat for several")],
    target: Annotated[str, typer.Option("--target", help="GMV target for the whole period")],
    period: Annotated[str, typer.Option("--period", help="2026Q4 or 2026-11 (whole months)")],
    currency: Annotated[str | None, typer.Option("--currency", help="default: the stores' currency")] = None,
    definitions: Annotated[str, typer.Option("--definitions", help="definition set")] = "standard@1",
    lang: LangOpt = "en", json_out: JsonOpt = False,
) -> None:
    """GMV target = sessions x conversion x AOV: the path and its precedent. / 目标拆解"""
    amount, (start, end) = _target(target), parse_period(period)
    try:
        months = decomposition.period_months(start, end)
    except ValueError as exc:
        raise InputError(f"{period} is not whole months / 周期须为整月", [Finding(
            "option.period", str(exc), column="--period", hint="use 2026-11 or 2026Q4")]) from exc
    cur = (currency or _store_currency(store_ids)).upper()
    result = suggest.decompose_for(STATE.workspace, store_ids, amount, start, end, cur, definitions)
    if result is None:
        raise InputError("no history to decompose against / 没有可拆解的历史数据", [Finding(
            "decompose.history", f"no month before {start} has sessions and orders for {', '.join(store_ids)}",
            column="--store", hint="import the traffic (business report) and order reports of the last months")])
    if json_out:
        print_json({"period": period, "months": months, "currency": cur, **decomposition.to_dict(result)})
        return
    _print_decomposition(result, amount, months, cur, _zh(lang))


def _print_decomposition(d: decomposition.Decomposition, amount: Decimal, months: int, cur: str, zh: bool) -> None:
    data = decomposition.to_dict(d)
    r = data["recent"]
    assert isinstance(r, dict)
    console.print(f"{'GMV目标' if zh else 'GMV target'} {amount} {cur} = {data['target_gmv']} "
                  f"{'每月' if zh else 'a month'} × {months}; {'近' if zh else 'recent'} {d.recent_months} "
                  f"{'个月' if zh else 'month(s)'}: {r['sessions']} × {r['cvr']} × {r['aov']} = {r['gmv']} "
                  f"→ ×{data['gmv_growth']}", highlight=False)
    table = Table(*(("路径", "访问量", "转化率", "客单价", "所需增长", "历史达成") if zh else
                    ("path", "sessions", "cvr", "aov", "growth needed", "history achieved")))
    for p in d.paths:
        lv = {k: decomposition.round_driver(k, p.level.get(k)) for k in decomposition.DRIVERS}
        need = ", ".join(f"{x.driver} ×{x.required.quantize(Decimal('0.01'))}" for x in p.precedents) or "—"
        seen = ", ".join(f"{x.driver} {x.achieved}/{x.changes}" for x in p.precedents) or "—"
        if p.impossible:
            seen = "转化率超过100%，不可能" if zh else "impossible: conversion above 100%"
        table.add_row(p.name if p.name == "even" else f"{p.name} {'单独' if zh else 'alone'}",
                      str(lv["sessions"]), str(lv["cvr"]), str(lv["aov"]), need, seen)
    console.print(table)
    verdict = {True: ("history has months with such growth", "历史上有过这样的增长"),
               False: ("no month in history grew that much: the promise is not backed by the store's record",
                       "历史上从未有过这样的增长：该承诺缺乏店铺历史支撑"),
               None: ("too little history to compare month-over-month growth", "历史数据太少，无法比较环比增长")}
    console.print(verdict[d.feasible_by_history][1 if zh else 0], highlight=False)


@app.command("templates")
def templates_command(lang: LangOpt = "en", json_out: JsonOpt = False) -> None:
    """The shipped plan templates (mode/stage). / 方案模板列表"""
    rows = [{"template": k, "title": templates.load(k).title(lang)} for k in templates.available()]
    if json_out:
        print_json(rows)
        return
    table = Table("template", "title")
    for row in rows:
        table.add_row(row["template"], row["title"])
    console.print(table)


def schema_text() -> str:
    """The JSON Schema of a plan file, as docs/plan.schema.json holds it."""
    return json.dumps(Plan.model_json_schema(by_alias=True), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


@app.command("schema")
def schema_command(out: Annotated[Path, typer.Option("--out", help="file to write")] = DEFAULT_SCHEMA) -> None:
    """Write the plan file's JSON Schema (for editors and docs). / 生成方案JSON Schema"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(schema_text(), encoding="utf-8")
    console.print(f"wrote {out}")


app.command("lint")(lint_command)  # cli/plan_lint.py: the linter's own command, under `plan`
app.command("export")(export_command)  # cli/plan_export.py: the plan as a contract document
