"""The in-app inbox (预警收件箱): alerts stored once per open problem, acknowledged by a person.

``record`` files the alerts of a check. An alert whose dedupe key matches an *open* alert is
not new: the open row's last-seen time, count, numbers and texts are brought up to date. Once
acknowledged, the same problem seen again is a new alert (someone looked, and it is back).
Creating and acknowledging write a ledger entry in the same transaction, so who was warned of
what, and when, is part of the workspace's tamper-evident history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import duckdb

from kpiguard import ledger
from kpiguard.alerts.db import next_id, reading, writing
from kpiguard.alerts.model import Alert, Bilingual, StoredAlert
from kpiguard.errors import Finding, NotFoundError, UserError
from kpiguard.workspace import Workspace

_COLUMNS = (
    "alert_id, dedupe_key, rule, severity, plan_id, plan_version, stores_json, metric, period_start, "
    "period_end, as_of, day, numbers_json, title_en, title_zh, body_en, body_zh, status, seen_count, "
    "first_seen_utc, last_seen_utc, acknowledged_by, acknowledged_at_utc"
)


@dataclass
class RecordResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # the inbox id of each recorded alert, in order


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _from_row(r: tuple[Any, ...], deliveries: dict[str, str] | None = None) -> StoredAlert:
    numbers = {k: (None if v is None else Decimal(v)) for k, v in json.loads(r[12]).items()}
    alert = Alert(rule=r[2], severity=r[3], plan_id=r[4], plan_version=int(r[5]),
                  stores=tuple(json.loads(r[6])), metric=r[7], period_start=r[8], period_end=r[9],
                  as_of=r[10], day=r[11], numbers=numbers, title=Bilingual(r[13], r[14]),
                  body=Bilingual(r[15], r[16]), dedupe_key=r[1])
    first, last = _utc(r[19]), _utc(r[20])
    assert first is not None and last is not None
    return StoredAlert(alert_id=int(r[0]), alert=alert, status=r[17], seen_count=int(r[18]),
                       first_seen_utc=first, last_seen_utc=last, acknowledged_by=r[21],
                       acknowledged_at_utc=_utc(r[22]), deliveries=deliveries or {})


def _ledger_payload(alert_id: int, a: Alert) -> dict[str, Any]:
    return {"alert_id": alert_id, "rule": a.rule, "severity": a.severity, "plan_id": a.plan_id,
            "plan_version": a.plan_version, "stores": list(a.stores), "metric": a.metric,
            "as_of": a.as_of.isoformat(), "day": a.day.isoformat() if a.day else None,
            "dedupe_key": a.dedupe_key, "numbers": a.numbers_json()}


def record(ws: Workspace, alerts: list[Alert], actor: str, now: datetime) -> RecordResult:
    """File a check's alerts: new problems become rows (and ledger entries), repeats bump a count."""
    result = RecordResult()
    with writing(ws) as con:
        for a in alerts:
            open_row = con.execute(
                "SELECT alert_id, as_of FROM alerts WHERE dedupe_key = ? AND status = 'open'", [a.dedupe_key]
            ).fetchone()
            if open_row is not None:
                _refresh(con, int(open_row[0]), a, now, newer=a.as_of >= open_row[1])
                result.updated.append(int(open_row[0]))
                result.ids.append(int(open_row[0]))
                continue
            alert_id = next_id(con, "alerts", "alert_id")
            con.execute(
                f"INSERT INTO alerts ({_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 1, ?, ?, NULL, NULL)",
                [alert_id, a.dedupe_key, a.rule, a.severity, a.plan_id, a.plan_version,
                 json.dumps(list(a.stores)), a.metric, a.period_start, a.period_end, a.as_of, a.day,
                 json.dumps(a.numbers_json(), sort_keys=True), a.title.en, a.title.zh, a.body.en,
                 a.body.zh, now, now],
            )
            ledger.append(con, actor, "alert.created", _ledger_payload(alert_id, a))
            result.created.append(alert_id)
            result.ids.append(alert_id)
    return result


def _refresh(con: duckdb.DuckDBPyConnection, alert_id: int, a: Alert, now: datetime, newer: bool) -> None:
    """The problem is still there: keep one row, with the latest numbers and when it was seen.

    A re-check of an earlier day (``newer`` False) counts as seen but keeps the later numbers.
    """
    if not newer:
        con.execute("UPDATE alerts SET seen_count = seen_count + 1, last_seen_utc = ? WHERE alert_id = ?",
                    [now, alert_id])
        return
    con.execute(
        "UPDATE alerts SET seen_count = seen_count + 1, last_seen_utc = ?, as_of = ?, severity = ?, "
        "plan_version = ?, numbers_json = ?, title_en = ?, title_zh = ?, body_en = ?, body_zh = ? "
        "WHERE alert_id = ?",
        [now, a.as_of, a.severity, a.plan_version, json.dumps(a.numbers_json(), sort_keys=True),
         a.title.en, a.title.zh, a.body.en, a.body.zh, alert_id],
    )


def _deliveries(con: duckdb.DuckDBPyConnection) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for alert_id, webhook, status in con.execute(
            "SELECT alert_id, webhook, status FROM alert_deliveries ORDER BY webhook").fetchall():
        found.setdefault(int(alert_id), {})[webhook] = status
    return found


def list_alerts(ws: Workspace, include_all: bool = False, plan_id: str | None = None) -> list[StoredAlert]:
    """Open alerts (or every alert), most severe first, then newest first."""
    where, params = ["true"], []
    if not include_all:
        where.append("status = 'open'")
    if plan_id is not None:
        where.append("plan_id = ?")
        params.append(plan_id)
    with reading(ws) as con:
        rows = con.execute(
            f"SELECT {_COLUMNS} FROM alerts WHERE {' AND '.join(where)} ORDER BY "
            "CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, alert_id DESC",
            params).fetchall()
        sent = _deliveries(con)
    return [_from_row(tuple(r), sent.get(int(r[0]))) for r in rows]


def get(ws: Workspace, alert_id: int) -> StoredAlert:
    with reading(ws) as con:
        return _get(con, alert_id)


def _get(con: duckdb.DuckDBPyConnection, alert_id: int) -> StoredAlert:
    row = con.execute(f"SELECT {_COLUMNS} FROM alerts WHERE alert_id = ?", [alert_id]).fetchone()
    if row is None:
        raise NotFoundError(f"no alert {alert_id} / 没有该预警", [Finding(
            "alert.unknown", f"alert {alert_id} does not exist", column="ID",
            hint="see kpiguard alerts list --all")])
    return _from_row(tuple(row), _deliveries(con).get(alert_id))


def acknowledge(ws: Workspace, alert_id: int, actor: str, now: datetime) -> StoredAlert:
    """Mark an open alert as seen by ``actor``; the ledger records who and when."""
    with writing(ws) as con:
        current = _get(con, alert_id)
        if current.status != "open":
            raise UserError(f"alert {alert_id} is already acknowledged / 该预警已确认", [Finding(
                "alert.acknowledged", f"alert {alert_id} was acknowledged by {current.acknowledged_by} "
                f"at {current.acknowledged_at_utc:%Y-%m-%d %H:%M} UTC", column="ID",
                hint="see kpiguard alerts list for the open ones")])
        con.execute("UPDATE alerts SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at_utc = ? "
                    "WHERE alert_id = ?", [actor, now, alert_id])
        ledger.append(con, actor, "alert.acknowledged",
                      {"alert_id": alert_id, "dedupe_key": current.alert.dedupe_key, "by": actor})
        return _get(con, alert_id)


def open_for_plan(con: duckdb.DuckDBPyConnection, plan_id: str | None) -> list[StoredAlert]:
    """Open alerts (of one plan, or all) for the delivery step, inside its transaction."""
    sql = f"SELECT {_COLUMNS} FROM alerts WHERE status = 'open'"
    params: list[object] = []
    if plan_id is not None:
        sql += " AND plan_id = ?"
        params.append(plan_id)
    rows = con.execute(sql + " ORDER BY alert_id", params).fetchall()
    return [_from_row(tuple(r)) for r in rows]
