"""``kpiguard alerts ...`` and ``kpiguard webhook ...``: early warnings, the inbox, the robots.

Thin: parse options, call ``kpiguard.alerts`` (``service``, ``inbox``, ``webhooks``,
``delivery``), print. ``register(app)`` adds both groups to the main command in one line.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.table import Table

from kpiguard.alerts import delivery, inbox, service, text, webhooks
from kpiguard.alerts.model import StoredAlert
from kpiguard.cli.output import console, print_json
from kpiguard.cli.state import STATE
from kpiguard.errors import Finding, InputError, UserError
from kpiguard.ingest.load import current_actor

alerts_app = typer.Typer(help="Early warnings (预警): check a plan, the inbox, acknowledge.", no_args_is_help=True)
webhook_app = typer.Typer(help="Webhooks for alerts: generic JSON, DingTalk, Feishu/Lark, WeCom.",
                          no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]
LangOpt = Annotated[str, typer.Option("--lang", help="en or zh-CN")]


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(webhook_app, name="webhook")


def _zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


def _as_of(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--as-of {value!r} is not a date / 日期无效", [Finding(
            "option.date", f"{value!r} is not a date", column="--as-of", value=value,
            hint="use YYYY-MM-DD, e.g. --as-of 2026-10-15")]) from exc


def _alert_table(items: list[StoredAlert], zh: bool) -> Table:
    head = ("编号", "级别", "状态", "指标", "店铺", "日期", "次数", "标题") if zh else \
        ("id", "severity", "status", "metric", "store", "as of", "seen", "title")
    table = Table(*head, title_justify="left")
    for s in items:
        a = s.alert
        status = {"open": "未处理", "acknowledged": "已确认"}.get(s.status, s.status) if zh else s.status
        table.add_row(str(s.alert_id), text.SEVERITY[a.severity].get("zh" if zh else "en"), status,
                      text.metric_name(a.metric).get("zh" if zh else "en"), ", ".join(a.stores),
                      str(a.day or a.as_of), str(s.seen_count), a.title.get("zh" if zh else "en"))
    return table


@alerts_app.command("check")
def check_command(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN_ID", help="plan id (kpiguard plan list)")],
    as_of: Annotated[str, typer.Option("--as-of", help="the day to check, YYYY-MM-DD")],
    lang: LangOpt = "en", json_out: JsonOpt = False,
) -> None:
    """Pace a plan, raise alerts, file them in the inbox and push them to every webhook. / 预警检查"""
    result = service.check(STATE.workspace, plan_id, _as_of(as_of), current_actor())
    if json_out:
        print_json({**result.to_dict(), "ids": result.recorded.ids})
        return
    zh, d = _zh(lang), result.delivery
    n, new = len(result.alerts), len(result.recorded.created)
    console.print(f"plan {plan_id} v{result.report.version} as of {result.report.as_of}: {n} alert(s), {new} new, "
                  f"{n - new} seen before / {n}条预警，新增{new}条，重复{n - new}条", highlight=False)
    if n:
        shown = [s for s in inbox.list_alerts(STATE.workspace, include_all=True, plan_id=plan_id)
                 if s.alert_id in set(result.recorded.ids)]
        console.print(_alert_table(shown, zh))
    sent, failed, skipped, held = d.count("sent"), d.count("failed"), d.count("skipped"), len(d.suppressed)
    console.print(f"webhooks: {sent} message(s) sent, {failed} failed, {skipped} not tried (webhook down), "
                  f"{held} alert(s) held back by the hourly limit / Webhook：发送{sent}条，失败{failed}条，"
                  f"未尝试{skipped}条（Webhook无响应），因频率限制暂缓{held}条", highlight=False)
    for m in d.messages:
        if m.status == "failed":
            console.print(f"  [red]✗[/] {m.webhook}: {m.error} ({m.attempts} attempt(s))", highlight=False)


@alerts_app.command("list")
def list_command(
    include_all: Annotated[bool, typer.Option("--all", help="acknowledged alerts too")] = False,
    plan_id: Annotated[str | None, typer.Option("--plan", help="only this plan's alerts")] = None,
    lang: LangOpt = "en", json_out: JsonOpt = False,
) -> None:
    """The inbox: open alerts, most severe first. / 预警列表"""
    items = inbox.list_alerts(STATE.workspace, include_all, plan_id)
    if json_out:
        print_json([s.to_dict() for s in items])
        return
    if not items:
        console.print("no open alerts / 没有未处理的预警" if not include_all else "no alerts / 没有预警")
        return
    console.print(_alert_table(items, _zh(lang)))


@alerts_app.command("show")
def show_command(alert_id: Annotated[int, typer.Argument(metavar="ID")], lang: LangOpt = "en",
                 json_out: JsonOpt = False) -> None:
    """One alert with its numbers and where it was sent. / 查看预警"""
    s = inbox.get(STATE.workspace, alert_id)
    if json_out:
        print_json(s.to_dict())
        return
    a, zh = s.alert, _zh(lang)
    console.print(f"[bold]#{s.alert_id} {a.title.get(lang)}[/] ({text.SEVERITY[a.severity].get(lang)}, {s.status})",
                  highlight=False)
    console.print(a.body.get(lang), highlight=False)
    for key, value in a.numbers_json().items():
        console.print(f"  {key}: {value if value is not None else '—'}", highlight=False)
    for hook, status in s.deliveries.items():
        console.print(f"  {'推送' if zh else 'webhook'} {hook}: {status}", highlight=False)


@alerts_app.command("ack")
def ack_command(alert_id: Annotated[int, typer.Argument(metavar="ID", help="alert id (kpiguard alerts list)")],
                json_out: JsonOpt = False) -> None:
    """Acknowledge an alert: seen, being handled (recorded in the ledger). / 确认预警"""
    s = inbox.acknowledge(STATE.workspace, alert_id, current_actor(), datetime.now(UTC))
    if json_out:
        print_json(s.to_dict())
        return
    console.print(f"alert #{alert_id} acknowledged by {s.acknowledged_by} / 预警已确认", highlight=False)


@webhook_app.command("add")
def webhook_add_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="a name for this webhook")],
    kind: Annotated[str, typer.Option("--kind", help="generic, dingtalk, feishu or wecom")],
    url: Annotated[str, typer.Option("--url", help="the robot's webhook address")],
    secret: Annotated[str | None, typer.Option("--secret", help="signing secret (DingTalk 加签, Feishu 签名校验, generic HMAC)")] = None,
    max_per_hour: Annotated[int, typer.Option("--max-per-hour", help="messages an hour; the rest are summed up")] = webhooks.DEFAULT_MAX_PER_HOUR,
    json_out: JsonOpt = False,
) -> None:
    """Add a webhook that every alert check pushes to. / 添加Webhook"""
    hook = webhooks.add(STATE.workspace, name, kind.lower(), url, secret, current_actor(), max_per_hour)
    if json_out:
        print_json(hook.to_dict())
        return
    console.print(f"webhook {hook.name} ({hook.kind}) added; try it with: kpiguard webhook test {hook.name} / "
                  "Webhook已添加", highlight=False)


def _last_text(m: dict[str, object] | None) -> str:
    if m is None:
        return "—"
    when = m["created_at_utc"]
    stamp = f"{when:%Y-%m-%d %H:%M}" if isinstance(when, datetime) else str(when)
    return f"{m['status']} {stamp}" + (f" ({m['error']})" if m["error"] else "")


@webhook_app.command("list")
def webhook_list_command(json_out: JsonOpt = False) -> None:
    """Webhooks (URLs masked) and their last message. / Webhook列表"""
    hooks = webhooks.list_webhooks(STATE.workspace)
    last: dict[str, dict[str, object]] = {}
    for m in delivery.messages(STATE.workspace):
        last.setdefault(str(m["webhook"]), m)
    if json_out:
        print_json([{**h.to_dict(), "last_message": last.get(h.name)} for h in hooks])
        return
    table = Table("name", "kind", "url", "signed", "max/hour", "last message")
    for h in hooks:
        table.add_row(h.name, h.kind, webhooks.mask_url(h.url), "yes" if h.secret else "no", str(h.max_per_hour),
                      _last_text(last.get(h.name)))
    console.print(table)


@webhook_app.command("test")
def webhook_test_command(name: Annotated[str, typer.Argument(metavar="NAME")], json_out: JsonOpt = False) -> None:
    """Send a test message to a webhook and say whether it arrived. / 测试Webhook"""
    result = delivery.send_test(STATE.workspace, name, datetime.now(UTC))
    if json_out:
        print_json(result.to_dict())
        if result.status != "sent":
            raise typer.Exit(2)
        return
    if result.status != "sent":
        raise UserError(f"webhook {name}: the test message was not accepted / 测试消息发送失败", [Finding(
            "webhook.test", f"{result.error} after {result.attempts} attempt(s)", column="NAME",
            hint="check the URL and the secret (kpiguard webhook remove, then add again)")])
    console.print(f"[green]✓[/] webhook {name}: test message accepted (HTTP {result.http_status}) / 测试消息已送达",
                  highlight=False)


@webhook_app.command("remove")
def webhook_remove_command(name: Annotated[str, typer.Argument(metavar="NAME")]) -> None:
    """Stop pushing alerts to a webhook. / 删除Webhook"""
    webhooks.remove(STATE.workspace, name, current_actor())
    console.print(f"webhook {name} removed / Webhook已删除", highlight=False)
