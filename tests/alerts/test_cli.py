"""The ``alerts`` and ``webhook`` commands: in-process through the real Typer app (fast), and the
two error paths through the installed entry point in a subprocess (exit 2, no traceback)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner, Result

from kpiguard.alerts import inbox, rules, webhooks
from kpiguard.cli.main import app
from kpiguard.workspace import Workspace
from tests.alerts.receiver import Receiver
from tests.alerts.reports import guardrail, kpi, report
from tests.conftest import run_cli

T0 = datetime(2026, 10, 15, 1, 0, tzinfo=UTC)


def cli(ws: Workspace, *args: str, env: dict[str, str] | None = None) -> Result:
    from kpiguard.cli import output

    output.console.width = 200  # the console is made once per process; COLUMNS alone comes too late
    return CliRunner().invoke(app, ["--workspace", str(ws.home), *args], env={"COLUMNS": "200", **(env or {})})


def test_webhook_add_list_and_test(ws: Workspace, receiver: Receiver) -> None:
    url = receiver.url("/robot/send?access_token=tok1234567890abcdef")
    added = cli(ws, "webhook", "add", "ding", "--kind", "dingtalk", "--url", url, "--secret", "SECxyz987", "--json")
    assert added.exit_code == 0, added.output
    listed = cli(ws, "webhook", "list", "--json")
    [hook] = json.loads(listed.stdout)
    assert hook["url"].endswith("/robot/send?access_token=tok1…") and hook["signed"] is True
    assert "tok1234567890abcdef" not in listed.stdout and "SECxyz987" not in listed.stdout  # never printed

    tested = cli(ws, "webhook", "test", "ding", "--json")
    assert tested.exit_code == 0 and json.loads(tested.stdout)["status"] == "sent"
    [req] = receiver.at("/robot/send")
    text = req.json()["markdown"]["text"]
    assert req.json()["msgtype"] == "markdown" and "测试消息" in text and "test message" in text
    assert "last message" in cli(ws, "webhook", "list").stdout  # the table shows the test went out


@pytest.mark.slow  # two runs of the installed entry point: ~4 s of imports each
def test_bad_webhook_and_failed_test_exit_2_without_traceback(ws: Workspace, receiver: Receiver) -> None:
    bad = run_cli(ws, "webhook", "add", "wx", "--kind", "wecom", "--url", "ftp://example", "--secret", "s", "--json")
    assert bad.code == 2 and "Traceback" not in bad.err
    codes = sorted(f["code"] for f in json.loads(bad.out)["findings"])
    assert codes == ["webhook.secret", "webhook.url"]  # both problems in one pass

    receiver.replies["/fail"] = [(500, "{}")]
    webhooks.add(ws, "j", "generic", receiver.url("/fail"), None, "ops")
    failed = run_cli(ws, "webhook", "test", "j")
    assert failed.code == 2 and "Traceback" not in failed.err and "HTTP 500" in failed.err
    assert len(receiver.at("/fail")) == 3  # the bounded retry, then a message, not a crash


def test_alerts_list_show_ack_in_both_languages(ws: Workspace) -> None:
    inbox.record(ws, rules.evaluate(report([kpi(forecast="84000")], [guardrail(actual="0.06")])), "ops", T0)
    listed = json.loads(cli(ws, "alerts", "list", "--json").stdout)
    assert [(a["id"], a["severity"], a["metric"], a["count"]) for a in listed] == [
        (2, "critical", "refund_rate", 1), (1, "warning", "gmv", 1)]
    zh = cli(ws, "alerts", "list", "--lang", "zh-CN").stdout
    assert "严重" in zh and "退款率" in zh and "预测低于底线值" in zh
    shown = cli(ws, "alerts", "show", "1").stdout
    assert "GMV forecast below floor" in shown and "84,000.00 USD" in shown

    acked = cli(ws, "alerts", "ack", "2", "--json", env={"KPIGUARD_USER": "lead"})
    assert acked.exit_code == 0 and json.loads(acked.stdout)["acknowledged_by"] == "lead"
    assert [a["id"] for a in json.loads(cli(ws, "alerts", "list", "--json").stdout)] == [1]
    assert len(json.loads(cli(ws, "alerts", "list", "--all", "--json").stdout)) == 2
    again = cli(ws, "alerts", "ack", "2")
    assert again.exit_code != 0 and "already acknowledged" in str(again.exception)
