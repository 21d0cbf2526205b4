"""Pushing open alerts to every webhook: once each, within the hourly limit, failures recorded.

Three steps, so no lock or catalog connection is held while a robot answers slowly:

1. *claim* (one transaction): for each webhook, the open alerts not yet sent to it (never sent,
   failed fewer than ``MAX_TRIES`` times, or held back by the limit) and how many messages the
   webhook took in the last hour. Within the limit, one message per alert, most severe first;
   beyond it, the last free message is one summary of the rest; with no message left, the rest
   are recorded ``suppressed`` and go out (one by one, or as a summary) on a later run. Claimed
   messages are written as ``sending``.
2. *send*: each message once over HTTP, with the transport's timeout and bounded retry. Once a
   webhook gives no HTTP answer at all, its other messages of the run are ``skipped`` (not
   tried, no try used, not counted by the limit): a dead robot costs one timeout, not twenty.
3. *record* (one transaction): every message's outcome, and each alert's state on the webhook.

An alert ``sent`` (or being sent) to a webhook is never sent to it again: the dedupe. A process
killed between 1 and 3 leaves ``sending`` rows; after ``STALE_AFTER`` they count as failed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import duckdb

from kpiguard.alerts import inbox, notices
from kpiguard.alerts.channels import CHANNELS
from kpiguard.alerts.db import next_id, reading, writing
from kpiguard.alerts.model import SEVERITY_RANK, StoredAlert
from kpiguard.alerts.notices import Notice
from kpiguard.alerts.transport import RetryPolicy, post
from kpiguard.alerts.webhooks import Webhook, all_in, get_in
from kpiguard.workspace import Workspace

MAX_TRIES = 3  # failed messages carrying one alert to one webhook before it is given up
STALE_AFTER = timedelta(minutes=15)
WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Claimed:
    message_id: int
    webhook: Webhook
    notice: Notice


@dataclass(frozen=True)
class MessageResult:
    message_id: int
    webhook: str
    kind: str
    alert_ids: tuple[int, ...]
    status: str  # sent | failed | skipped (not tried: the webhook was down earlier in the run)
    attempts: int
    http_status: int | None
    error: str | None

    def to_dict(self) -> dict[str, object]:
        return {"message_id": self.message_id, "webhook": self.webhook, "kind": self.kind,
                "alert_ids": list(self.alert_ids), "status": self.status, "attempts": self.attempts,
                "http_status": self.http_status, "error": self.error}


@dataclass
class DeliveryReport:
    messages: list[MessageResult] = field(default_factory=list)
    suppressed: list[tuple[str, int]] = field(default_factory=list)  # (webhook, alert_id)

    def count(self, status: str) -> int:
        return sum(1 for m in self.messages if m.status == status)

    def to_dict(self) -> dict[str, object]:
        return {"messages": [m.to_dict() for m in self.messages],
                "suppressed": [{"webhook": w, "alert_id": a} for w, a in self.suppressed]}


def deliver(ws: Workspace, now: datetime, plan_id: str | None = None,
            policy: RetryPolicy | None = None) -> DeliveryReport:
    """Send every open alert (of ``plan_id``, or all) to every webhook that has not had it."""
    report = DeliveryReport()
    with writing(ws) as con:
        _expire_stale(con, now)
        open_alerts = inbox.open_for_plan(con, plan_id)
        claimed: list[Claimed] = []
        for hook in all_in(con):
            claimed.extend(_claim_for(con, hook, open_alerts, now, report))
    down: set[str] = set()  # webhooks that gave no HTTP answer in this run: their other messages wait
    for c in claimed:
        if c.webhook.name in down:
            report.messages.append(_skipped(c))
            continue
        result = _send(c, now, policy)
        if result.status == "failed" and result.http_status is None:
            down.add(c.webhook.name)
        report.messages.append(result)
    _record(ws, report.messages, now)
    return report


def send_test(ws: Workspace, name: str, now: datetime, policy: RetryPolicy | None = None) -> MessageResult:
    """One test message to a webhook, asked for by a person: sent even when over the limit."""
    with writing(ws) as con:
        hook = get_in(con, name)
        claimed = _new_message(con, hook, notices.test(name, now), now)
    result = _send(claimed, now, policy)
    _record(ws, [result], now)
    return result


def _expire_stale(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    cutoff = now - STALE_AFTER
    con.execute("UPDATE webhook_messages SET status = 'failed', error = 'interrupted before an answer', "
                "finished_at_utc = ? WHERE status = 'sending' AND created_at_utc < ?", [now, cutoff])
    con.execute("UPDATE alert_deliveries SET status = 'failed', tries = tries + 1, "
                "last_error = 'interrupted before an answer', updated_at_utc = ? "
                "WHERE status = 'sending' AND updated_at_utc < ?", [now, cutoff])


def _claim_for(con: duckdb.DuckDBPyConnection, hook: Webhook, open_alerts: list[StoredAlert],
               now: datetime, report: DeliveryReport) -> list[Claimed]:
    states = {int(a): (str(s), int(t)) for a, s, t in con.execute(
        "SELECT alert_id, status, tries FROM alert_deliveries WHERE webhook = ?", [hook.name]).fetchall()}
    pending = [s for s in open_alerts
               if states.get(s.alert_id, ("new", 0))[0] not in ("sent", "sending")
               and states.get(s.alert_id, ("new", 0))[1] < MAX_TRIES]
    if not pending:
        return []
    pending.sort(key=lambda s: (SEVERITY_RANK.get(s.alert.severity, 9), s.alert_id))
    used_row = con.execute("SELECT count(*) FROM webhook_messages WHERE webhook = ? AND created_at_utc > ? "
                           "AND status <> 'skipped'", [hook.name, now - WINDOW]).fetchone()
    budget = hook.max_per_hour - (int(used_row[0]) if used_row else 0)
    if budget <= 0:
        note = f"held back: {hook.max_per_hour} messages already sent in the last hour"
        for s in pending:
            _set_state(con, s.alert_id, hook.name, "suppressed", None, now, note, count_try=False)
            report.suppressed.append((hook.name, s.alert_id))
        return []
    if len(pending) <= budget:
        singles, rest = pending, []
    else:
        singles, rest = pending[: budget - 1], pending[budget - 1:]
    claimed = [_new_message(con, hook, notices.for_alert(s), now) for s in singles]
    if rest:
        claimed.append(_new_message(con, hook, notices.summary(rest, hook.max_per_hour), now))
    return claimed


def _new_message(con: duckdb.DuckDBPyConnection, hook: Webhook, notice: Notice, now: datetime) -> Claimed:
    message_id = next_id(con, "webhook_messages", "message_id")
    con.execute("INSERT INTO webhook_messages VALUES (?, ?, ?, ?, 'sending', 0, NULL, NULL, ?, NULL)",
                [message_id, hook.name, notice.kind, json.dumps(list(notice.alert_ids)), now])
    for alert_id in notice.alert_ids:
        _set_state(con, alert_id, hook.name, "sending", message_id, now, None, count_try=False)
    return Claimed(message_id, hook, notice)


def _set_state(con: duckdb.DuckDBPyConnection, alert_id: int, webhook: str, status: str,
               message_id: int | None, now: datetime, error: str | None, count_try: bool) -> None:
    con.execute(
        "INSERT INTO alert_deliveries VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id, webhook) DO UPDATE SET "
        "status = excluded.status, message_id = coalesce(excluded.message_id, alert_deliveries.message_id), "
        "tries = alert_deliveries.tries + ?, last_error = excluded.last_error, updated_at_utc = excluded.updated_at_utc",
        [alert_id, webhook, status, message_id, 1 if count_try else 0, error, now, 1 if count_try else 0])


def _send(c: Claimed, now: datetime, policy: RetryPolicy | None) -> MessageResult:
    channel = CHANNELS[c.webhook.kind]
    request = channel.build(c.notice, c.webhook.url, c.webhook.secret, now)
    outcome = post(request, policy)
    error = outcome.error if outcome.error is not None else channel.rejected(outcome.body)
    return MessageResult(c.message_id, c.webhook.name, c.notice.kind, c.notice.alert_ids,
                         "sent" if error is None else "failed", outcome.attempts, outcome.status, error)


def _skipped(c: Claimed) -> MessageResult:
    """Not tried: the webhook did not answer this run's previous message, so this one would not
    be answered either, and each try would cost a timeout and the retries."""
    return MessageResult(c.message_id, c.webhook.name, c.notice.kind, c.notice.alert_ids, "skipped", 0, None,
                         f"not tried: {c.webhook.name} did not answer the message before it")


def _record(ws: Workspace, results: list[MessageResult], now: datetime) -> None:
    if not results:
        return
    with writing(ws) as con:
        for r in results:
            con.execute("UPDATE webhook_messages SET status = ?, attempts = ?, http_status = ?, error = ?, "
                        "finished_at_utc = ? WHERE message_id = ?",
                        [r.status, r.attempts, r.http_status, r.error, now, r.message_id])
            for alert_id in r.alert_ids:
                # a skipped message was never tried: the alert waits as failed, without using a try
                _set_state(con, alert_id, r.webhook, "failed" if r.status == "skipped" else r.status,
                           r.message_id, now, r.error, count_try=r.status != "skipped")


def messages(ws: Workspace, webhook: str | None = None) -> list[dict[str, object]]:
    """The message log, newest first (for ``webhook list`` and tests)."""
    sql = ("SELECT message_id, webhook, kind, alert_ids_json, status, attempts, http_status, error, "
           "created_at_utc, finished_at_utc FROM webhook_messages")
    params: list[object] = []
    if webhook is not None:
        sql += " WHERE webhook = ?"
        params.append(webhook)
    with reading(ws) as con:
        rows = con.execute(sql + " ORDER BY message_id DESC", params).fetchall()
    keys = ("message_id", "webhook", "kind", "alert_ids", "status", "attempts", "http_status", "error",
            "created_at_utc", "finished_at_utc")
    out = [dict(zip(keys, r, strict=True)) for r in rows]
    for m in out:
        m["alert_ids"] = json.loads(str(m["alert_ids"]))
    return out
