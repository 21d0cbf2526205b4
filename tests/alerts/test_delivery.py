"""Delivery on a real workspace and a real loopback server: once per alert, limited, failures kept."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

from kpiguard.alerts import delivery, inbox, service, webhooks
from kpiguard.alerts.transport import RetryPolicy
from kpiguard.workspace import Workspace
from tests.alerts.receiver import Receiver
from tests.alerts.reports import guardrail, kpi, report

T0 = datetime(2026, 10, 15, 1, 0, tzinfo=UTC)
BELOW = kpi(forecast="84000")


def _states(ws: Workspace) -> list[tuple[int, str, str, int]]:
    with ws.connect() as con:
        return [tuple(r) for r in con.execute(
            "SELECT alert_id, webhook, status, tries FROM alert_deliveries ORDER BY webhook, alert_id").fetchall()]


def test_same_alert_twice_one_row_count_two_one_delivery(ws: Workspace, receiver: Receiver,
                                                         policy: RetryPolicy) -> None:
    webhooks.add(ws, "json", "generic", receiver.url("/hook"), None, "ops")
    first = service.run(ws, report([BELOW]), "ops", T0, policy=policy)
    second = service.run(ws, report([BELOW]), "ops", T0 + timedelta(hours=3), policy=policy)
    assert (first.recorded.created, second.recorded.updated) == ([1], [1])
    [s] = inbox.list_alerts(ws)
    assert s.seen_count == 2 and s.deliveries == {"json": "sent"}
    assert len(receiver.at("/hook")) == 1 and second.delivery.messages == []


def test_rate_limit_summary_then_suppressed_then_sent_next_hour(ws: Workspace, receiver: Receiver,
                                                                 policy: RetryPolicy) -> None:
    webhooks.add(ws, "ding", "dingtalk", receiver.url("/ding?access_token=t"), None, "ops", max_per_hour=3)
    five = [kpi(m, forecast="84000") for m in ("gmv", "net_sales", "orders", "sessions", "units")]
    r1 = service.run(ws, report(five), "ops", T0, policy=policy)
    # 5 pending, 3 messages an hour: alerts 1 and 2 alone, the 3rd message sums up alerts 3, 4, 5
    assert [(m.kind, m.alert_ids) for m in r1.delivery.messages] == [
        ("alert", (1,)), ("alert", (2,)), ("summary", (3, 4, 5))]
    summary = receiver.at("/ding")[2].json()["markdown"]
    assert "另有 3 条预警" in summary["title"] and "3 more alerts" in summary["title"]
    assert "#3" in summary["text"] and "#5" in summary["text"] and "每小时最多发送 3 条" in summary["text"]

    two_more = [*five, kpi("aov", forecast="84000")]
    r2 = service.run(ws, report(two_more, [guardrail(actual="0.06")]), "ops", T0 + timedelta(minutes=10),
                     policy=policy)
    # 3 messages in the last hour already: the 2 new alerts (6 aov, 7 refund_rate) are held back
    assert r2.delivery.messages == [] and r2.delivery.suppressed == [("ding", 7), ("ding", 6)]
    assert len(receiver.requests) == 3
    assert (6, "ding", "suppressed", 0) in _states(ws) and (7, "ding", "suppressed", 0) in _states(ws)

    r3 = service.run(ws, report(two_more, [guardrail(actual="0.06")]), "ops", T0 + timedelta(minutes=61),
                     policy=policy)
    # T0 is now more than an hour ago: budget 3 again, 2 pending -> 2 single messages, critical first
    assert [(m.kind, m.alert_ids) for m in r3.delivery.messages] == [("alert", (7,)), ("alert", (6,))]
    assert len(receiver.requests) == 5
    assert {status for _, _, status, _ in _states(ws)} == {"sent"}


def test_http_500_is_retried_then_recorded_and_retried_on_later_runs(ws: Workspace, receiver: Receiver,
                                                                    policy: RetryPolicy, waits: list[float]) -> None:
    receiver.replies["/down"] = [(500, '{"error":"boom"}')]
    webhooks.add(ws, "down", "generic", receiver.url("/down"), None, "ops")
    webhooks.add(ws, "up", "generic", receiver.url("/up"), None, "ops")
    r = service.run(ws, report([BELOW]), "ops", T0, policy=policy)
    failed = [m for m in r.delivery.messages if m.webhook == "down"][0]
    assert (failed.status, failed.attempts, failed.http_status) == ("failed", 3, 500)
    assert failed.error is not None and "HTTP 500" in failed.error
    assert waits == [0.5, 1.0]  # back-off before the 2nd and 3rd attempt, not slept in the test
    assert _states(ws) == [(1, "down", "failed", 1), (1, "up", "sent", 1)]
    for hours in (1, 2, 3):  # later checks try again, up to MAX_TRIES (3) messages in all
        service.run(ws, report([BELOW]), "ops", T0 + timedelta(hours=hours), policy=policy)
    assert len(receiver.at("/down")) == 3 * 3 and len(receiver.at("/up")) == 1
    assert _states(ws)[0] == (1, "down", "failed", 3)
    log = delivery.messages(ws, "down")
    assert len(log) == 3 and {m["status"] for m in log} == {"failed"}


def test_connection_refused_and_timeout_are_recorded_not_raised(ws: Workspace, receiver: Receiver,
                                                                waits: list[float]) -> None:
    with socket.socket() as s:  # a port nobody listens on: bound, then closed
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    webhooks.add(ws, "gone", "wecom", f"http://127.0.0.1:{closed_port}/cgi-bin/webhook/send?key=k", None, "ops")
    receiver.slow["/slow"] = 1.0
    webhooks.add(ws, "slow", "generic", receiver.url("/slow"), None, "ops")
    quick = RetryPolicy(attempts=2, timeout=0.2, backoff=0.5, sleep=waits.append)
    r = service.run(ws, report([BELOW]), "ops", T0, policy=quick)
    by_hook = {m.webhook: m for m in r.delivery.messages}
    assert by_hook["gone"].status == "failed" and by_hook["gone"].http_status is None
    assert by_hook["gone"].error is not None and "cannot connect" in by_hook["gone"].error
    assert by_hook["slow"].status == "failed" and by_hook["slow"].attempts == 2
    assert by_hook["slow"].error is not None and "0.2s" in by_hook["slow"].error
    assert inbox.list_alerts(ws)[0].deliveries == {"gone": "failed", "slow": "failed"}


def test_a_dead_webhook_costs_one_message_not_one_per_alert(ws: Workspace, receiver: Receiver,
                                                            policy: RetryPolicy) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    webhooks.add(ws, "gone", "generic", f"http://127.0.0.1:{closed_port}/x", None, "ops")
    webhooks.add(ws, "json", "generic", receiver.url("/hook"), None, "ops")
    two = report([kpi(forecast="84000"), kpi("orders", unit="count", forecast="840", low="800", high="880",
                                             floor="900", target="1000", stretch="1200")])
    r = service.run(ws, two, "ops", T0, policy=policy)
    gone = [(m.alert_ids, m.status, m.attempts) for m in r.delivery.messages if m.webhook == "gone"]
    # alert 2 (orders: even the optimistic 880 misses the floor 900) is critical and goes first; once it
    # got no answer, alert 1's message is not tried
    assert gone == [((2,), "failed", 3), ((1,), "skipped", 0)]
    assert len(receiver.at("/hook")) == 2  # other webhooks are not held up
    assert _states(ws)[:2] == [(1, "gone", "failed", 0), (2, "gone", "failed", 1)]  # no try used by alert 1
    r2 = service.run(ws, two, "ops", T0 + timedelta(minutes=5), policy=policy)
    # budget: 1 message counted in the hour (the skipped one is not), 2 pending, both tried again
    assert [m.status for m in r2.delivery.messages] == ["failed", "skipped"]


def test_platform_refusal_in_a_200_answer_is_a_failure(ws: Workspace, receiver: Receiver,
                                                       policy: RetryPolicy) -> None:
    receiver.replies["/robot/send"] = [(200, '{"errcode":310000,"errmsg":"sign not match"}')]
    webhooks.add(ws, "ding", "dingtalk", receiver.url("/robot/send?access_token=t"), "SECwrong", "ops")
    [m] = service.run(ws, report([BELOW]), "ops", T0, policy=policy).delivery.messages
    assert (m.status, m.attempts, m.error) == ("failed", 1, "errcode 310000: sign not match")  # not retried


def test_fail_twice_then_succeed_within_one_delivery(ws: Workspace, receiver: Receiver, policy: RetryPolicy) -> None:
    receiver.replies["/flaky"] = [(503, "{}"), (502, "{}"), (200, "{}")]
    webhooks.add(ws, "flaky", "generic", receiver.url("/flaky"), None, "ops")
    [m] = service.run(ws, report([BELOW]), "ops", T0, policy=policy).delivery.messages
    assert (m.status, m.attempts, m.http_status) == ("sent", 3, 200)


def test_interrupted_send_counts_as_failed_after_a_while(ws: Workspace, receiver: Receiver,
                                                         policy: RetryPolicy) -> None:
    webhooks.add(ws, "json", "generic", receiver.url("/hook"), None, "ops")
    inbox.record(ws, service.rules.evaluate(report([BELOW])), "ops", T0)
    with ws.connect() as con:  # what a kill -9 between claim and record leaves behind
        con.execute("INSERT INTO webhook_messages VALUES (1, 'json', 'alert', '[1]', 'sending', 0, NULL, NULL, ?, NULL)",
                    [T0])
        con.execute("INSERT INTO alert_deliveries VALUES (1, 'json', 'sending', 1, 0, NULL, ?)", [T0])
    assert delivery.deliver(ws, T0 + timedelta(minutes=5), policy=policy).messages == []  # still in flight
    r = delivery.deliver(ws, T0 + timedelta(minutes=16), policy=policy)
    assert [(m.message_id, m.status) for m in r.messages] == [(2, "sent")]
    assert delivery.messages(ws)[1]["error"] == "interrupted before an answer"
