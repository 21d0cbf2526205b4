"""The inbox on a real workspace: dedupe while open, acknowledge, and both in the ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kpiguard import ledger
from kpiguard.alerts import inbox, rules
from kpiguard.errors import NotFoundError, UserError
from kpiguard.workspace import Workspace
from tests.alerts.reports import guardrail, kpi, report

T0 = datetime(2026, 10, 15, 1, 0, tzinfo=UTC)


def _kinds(ws: Workspace) -> list[str]:
    with ws.connect() as con:
        return [e.kind for e in ledger.entries(con)]


def test_same_problem_twice_is_one_row_seen_twice(ws: Workspace) -> None:
    first = rules.evaluate(report([kpi(forecast="84000")]))
    again = rules.evaluate(report([kpi(forecast="83000")]))  # next day: still below the floor, new numbers
    r1 = inbox.record(ws, first, "ops", T0)
    r2 = inbox.record(ws, again, "ops", T0 + timedelta(days=1))
    assert (r1.created, r1.updated, r2.created, r2.updated) == ([1], [], [], [1])
    [s] = inbox.list_alerts(ws)
    assert s.seen_count == 2 and s.first_seen_utc == T0 and s.last_seen_utc == T0 + timedelta(days=1)
    assert s.alert.numbers["forecast"] == 83000  # the latest numbers
    older = rules.evaluate(report([kpi(forecast="99")], as_of=report().as_of.replace(day=5)))
    inbox.record(ws, older, "ops", T0 + timedelta(days=2))  # a re-check of an earlier day
    [s] = inbox.list_alerts(ws)
    assert s.seen_count == 3 and s.alert.numbers["forecast"] == 83000 and str(s.alert.as_of) == "2026-10-15"
    assert _kinds(ws).count("alert.created") == 1  # a repeat is not a new ledger entry
    with ws.connect() as con:
        assert ledger.chain_problems(con) == []


def test_acknowledge_then_the_problem_comes_back_as_a_new_alert(ws: Workspace) -> None:
    alerts = rules.evaluate(report([kpi(forecast="84000")], [guardrail(actual="0.06")]))
    inbox.record(ws, alerts, "ops", T0)
    ids = [s.alert_id for s in inbox.list_alerts(ws)]
    assert ids == [2, 1]  # the critical guardrail breach first
    acked = inbox.acknowledge(ws, 2, "lead@agency", T0 + timedelta(hours=1))
    assert (acked.status, acked.acknowledged_by) == ("acknowledged", "lead@agency")
    assert [s.alert_id for s in inbox.list_alerts(ws)] == [1]
    assert [s.alert_id for s in inbox.list_alerts(ws, include_all=True)] == [2, 1]
    again = inbox.record(ws, alerts, "ops", T0 + timedelta(days=1))
    assert again.created == [3] and again.updated == [1]  # the acknowledged breach is back: new alert 3
    kinds = _kinds(ws)
    assert kinds.count("alert.created") == 3 and kinds.count("alert.acknowledged") == 1
    with ws.connect() as con:
        ack = [e for e in ledger.entries(con) if e.kind == "alert.acknowledged"][0]
    assert ack.actor == "lead@agency" and ack.payload["alert_id"] == 2


def test_acknowledge_errors_are_user_errors(ws: Workspace) -> None:
    inbox.record(ws, rules.evaluate(report([kpi(forecast="84000")])), "ops", T0)
    with pytest.raises(NotFoundError):
        inbox.acknowledge(ws, 99, "ops", T0)
    inbox.acknowledge(ws, 1, "ops", T0)
    with pytest.raises(UserError, match="already acknowledged"):
        inbox.acknowledge(ws, 1, "ops", T0)
