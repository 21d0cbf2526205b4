"""What the operations pages show, as plain data: the HTML page and its ``/api/`` twin render the same dict.

Imports, pacing, alerts, reconciliation, the audit log and settlement statements. Every number
comes from the service the CLI calls (``pacing.pace`` and ``pacing.export.to_dict`` as
``kpiguard pace --json``, ``alerts.inbox``, ``metrics.reconcile``, ``accounts.audit``,
``settlement.statements``, ``verify``); this module only selects what the user may see and puts it
in the shape a page needs. Permission checks happen in the routes (``pages_ops``, ``api_ops``).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from kpiguard import ledger
from kpiguard.accounts import audit as audit_log
from kpiguard.accounts.model import User
from kpiguard.alerts import inbox
from kpiguard.errors import InputError, NotFoundError
from kpiguard.ingest.load import ImportResult
from kpiguard.metrics.reconcile import ReconcileRequest, reconcile
from kpiguard.pacing import pace as pace_report
from kpiguard.pacing.export import to_dict as pace_dict
from kpiguard.plans.model import Plan
from kpiguard.settlement.statements import statements
from kpiguard.verify import verify
from kpiguard.web.ops_archive import archived
from kpiguard.web.runtime import ResultCache, ServerWorkspace

IMPORT_COLUMNS = ("import_id, raw_sha256, file_name, file_bytes, store_id, format_key, format_version, "
                  "target_table, rows_accepted, rows_rejected, rows_skipped, date_from, date_to, currencies, "
                  "imported_by, imported_at_utc, summary_json")

BAD_ROWS = re.compile(r"(\d+) row\(s\) cannot be imported")
FILE_LEVEL = ("file.", "format.", "header.", "import.", "store.", "mapping.", "upload.")


# -- imports -----------------------------------------------------------------------------------------
def imports(ws: ServerWorkspace, store_ids: list[str], limit: int = 200, before_id: int | None = None) -> dict[str, Any]:
    """The imports of these stores, newest first (``before_id`` pages back)."""
    if not store_ids:
        return {"imports": [], "next_before": None}
    marks = ", ".join("?" for _ in store_ids)
    with ws.connect() as con:
        rows = con.execute(f"SELECT {IMPORT_COLUMNS} FROM imports WHERE store_id IN ({marks}) AND import_id < ? "
                           "ORDER BY import_id DESC LIMIT ?",
                           [*store_ids, before_id if before_id is not None else 2**62, limit]).fetchall()
        frozen = archived(con, store_ids)
    items = [_import_row(tuple(r), frozen) for r in rows]
    return {"imports": items, "next_before": items[-1]["import_id"] if len(items) == limit else None}


def import_detail(ws: ServerWorkspace, import_id: int) -> dict[str, Any]:
    """One import with its summary (formats, reasons rows were skipped or rejected) and lake parts."""
    with ws.connect() as con:
        row = con.execute(f"SELECT {IMPORT_COLUMNS} FROM imports WHERE import_id = ?", [import_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no import {import_id} / 没有该导入记录")
        parts = con.execute("SELECT table_name, path, row_count, sha256 FROM lake_parts WHERE import_id = ? "
                            "ORDER BY path", [import_id]).fetchall()
        seq = con.execute("SELECT max(seq) FROM ledger WHERE kind = 'import' AND "
                          "json_extract(payload_json, '$.import_id')::BIGINT = ?", [import_id]).fetchone()
        frozen = archived(con, [str(row[4])] if row[4] else [])
    item = _import_row(tuple(row), frozen)
    summary = json.loads(row[16])
    return item | {"summary": summary, "ledger_seq": int(seq[0]) if seq and seq[0] is not None else None,
                   "parts": [{"table": p[0], "path": p[1], "rows": int(p[2]), "sha256": p[3]} for p in parts]}


def _import_row(r: tuple[Any, ...], frozen: dict[str, dict[str, Any]]) -> dict[str, Any]:
    summary = json.loads(r[16])
    return {"import_id": int(r[0]), "raw_sha256": r[1], "file": r[2], "bytes": int(r[3]), "store_id": r[4],
            "format_key": r[5], "format_title": summary.get("format_title"), "format_version": r[6], "table": r[7],
            "rows_accepted": int(r[8]), "rows_rejected": int(r[9]), "rows_skipped": int(r[10]),
            "date_from": str(r[11]) if r[11] else None, "date_to": str(r[12]) if r[12] else None,
            "currencies": [c for c in (r[13] or "").split(",") if c], "imported_by": r[14],
            "imported_at_utc": _iso(r[15]), "archived": frozen.get(r[1])}


def upload_result(result: ImportResult, size: int, skip_bad_rows: bool) -> dict[str, Any]:
    """An accepted upload: the importer's result plus what the page shows first."""
    return {**result.to_dict(), "stored": result.status == "imported", "bytes": size, "skip_bad_rows": skip_bad_rows,
            "error": None}


def rejected(name: str, store_id: str, size: int, skip_bad_rows: bool, exc: InputError) -> dict[str, Any]:
    """A refused upload: nothing was stored; every finding says where (file, row, column) and what to do.

    ``rows_rejected``: the importer's own count of bad rows (its message; the findings may be capped),
    else the distinct rows the row-level findings name; 0 when the file as a whole was refused."""
    findings = [f.to_dict() for f in exc.findings]
    counted = BAD_ROWS.search(exc.message)
    bad_rows = int(counted[1]) if counted else len(
        {f.row for f in exc.findings if f.row is not None and not f.code.startswith(FILE_LEVEL)})
    return {"file": name, "status": "rejected", "stored": False, "store_id": store_id, "bytes": size,
            "skip_bad_rows": skip_bad_rows, "error": exc.message, "findings": findings, "format_key": None,
            "format_title": None, "import_id": None, "raw_sha256": None, "rows_accepted": 0,
            "rows_rejected": bad_rows, "rows_skipped": 0}


# -- pacing ------------------------------------------------------------------------------------------
def default_as_of(plan: Plan, today: date) -> date:
    """Today, kept inside the plan's period (a finished plan is paced on its last day)."""
    return min(max(today, plan.period.start), plan.period.end)


def pace(ws: ServerWorkspace, cache: ResultCache, plan_id: str, as_of: date) -> dict[str, Any]:
    """``kpiguard pace PLAN --as-of DAY --json``, cached by the workspace generation (it takes seconds)."""
    return cache.get(("pace", plan_id, as_of, ws.generation()), lambda: pace_dict(pace_report(ws, plan_id, as_of)))


def pace_chart(data: dict[str, Any]) -> dict[str, Any]:
    """Chart data: each KPI with a target as a share of that target (100 = on target), so money,
    counts and rates share one axis. Expected: where the target puts the KPI by ``as_of`` (the
    store's own shape for additive KPIs; the target rate itself for ratios); actual: to date, then
    the forecast for the period's end with its 80% interval."""
    start, as_of, end = data["period_start"], data["as_of"], data["period_end"]
    series = []
    for k in data["kpis"]:
        target = _dec(k["target"])
        if not target:
            continue

        def pct(v: str | None, t: Decimal = target) -> float | None:  # a float only to draw it
            return None if v is None else float(Decimal(v) / t * 100)
        additive = k["method"] == "additive"
        expected_x = [start, as_of, end] if additive else [start, end]
        expected_y = [0.0, pct(k["expected_to_date"]), 100.0] if additive else [100.0, 100.0]
        actual_x = ([start] if additive else []) + [as_of, end]
        actual_y = ([0.0] if additive else []) + [pct(k["actual_to_date"]), pct(k["forecast"])]
        low, high, fc = pct(k["forecast_low"]), pct(k["forecast_high"]), pct(k["forecast"])
        band = None if low is None or high is None or fc is None else {"plus": high - fc, "minus": fc - low}
        series.append({"metric": k["metric"], "direction": k["direction"], "expected_x": expected_x,
                       "expected_y": expected_y, "actual_x": actual_x, "actual_y": actual_y, "band": band})
    return {"series": series, "as_of": as_of}


# -- alerts ------------------------------------------------------------------------------------------
def alerts(ws: ServerWorkspace, plan_ids: set[str], stores: set[str], include_all: bool = False) -> list[dict[str, Any]]:
    """Open alerts (or all) of the plans the user may see, most severe first, as ``kpiguard alerts list --json``."""
    return [a.to_dict() for a in inbox.list_alerts(ws, include_all)
            if a.alert.plan_id in plan_ids and set(a.alert.stores) <= stores]


def alert(ws: ServerWorkspace, alert_id: int) -> dict[str, Any]:
    return inbox.get(ws, alert_id).to_dict()


# -- reconciliation ----------------------------------------------------------------------------------
def reconciliation(ws: ServerWorkspace, cache: ResultCache, store: str, start: date, end: date,
                   metric: str) -> dict[str, Any]:
    """``kpiguard reconcile --json``: the figure from each source by day, gaps and their likely cause."""
    return cache.get(("reconcile", store, start, end, metric, ws.generation()),
                     lambda: reconcile(ws, ReconcileRequest(store, start, end, metric)))


# metrics.reconcile names likely causes in English; the page shows them in the reader's language
CAUSES_ZH = (
    (re.compile(r"time zone shift: a gap of the same size on (\S+) .*"), r"时区差异：\1 有同样大小的差额（各来源按不同时区划分日期）"),
    (re.compile(r"pending orders counted on one side only \((.*)\)"), r"待处理订单只计入一方（\1）"),
    (re.compile(r"tax included on one side \((.*)\)"), r"一方含税（\1）"),
    (re.compile(r"refunds booked on a different date \((.*)\)"), r"退款入账日期不同（\1）"),
    (re.compile(r"unexplained: .*"), "原因不明：请在数据溯源中查看明细"),
)


def cause_text(text: str, lang: str) -> str:
    """A likely cause of a reconciliation gap in ``lang`` (English as written when unknown)."""
    if lang.lower().startswith("zh"):
        for pattern, zh in CAUSES_ZH:
            if pattern.fullmatch(text):
                return pattern.sub(zh, text)
    return text


# -- audit log and ledger ----------------------------------------------------------------------------
def audit(ws: ServerWorkspace, user: User, limit: int, before_id: int | None) -> dict[str, Any]:
    """The audit rows the user may read (``accounts.audit.entries`` checks ``audit_read``) and the ledger head."""
    rows = [e.to_dict() for e in audit_log.entries(ws, user, limit, before_id)]
    return {"entries": rows, "next_before": rows[-1]["audit_id"] if len(rows) == limit else None,
            "ledger": ledger_head(ws)}


def ledger_head(ws: ServerWorkspace) -> dict[str, Any]:
    """The last ledger entry: its number and hash, which the parties write into signed documents."""
    with ws.connect() as con:
        seq, digest = ledger.head(con)
        row = con.execute("SELECT at_utc FROM ledger WHERE seq = ?", [seq]).fetchone()
    return {"entries": seq, "head_hash": digest, "at_utc": _iso(row[0]) if row else None}


def verification(ws: ServerWorkspace, visible: set[str]) -> dict[str, Any]:
    """``kpiguard verify``: the ledger chain, every raw file and lake part hashed again.

    The workspace may hold other sellers' stores; their problems name their files, so the
    problem texts are shown only to a user who sees every store with imports (else just the count)."""
    report = verify(ws).to_dict()
    with ws.connect() as con:
        stores = {str(r[0]) for r in con.execute("SELECT DISTINCT store_id FROM imports WHERE store_id IS NOT NULL")
                  .fetchall()}
    whole = stores <= visible
    problems = list(report["problems"]) if whole else []  # type: ignore[call-overload]
    return report | {"problem_count": len(report["problems"]), "problems": problems,  # type: ignore[arg-type]
                     "problems_shown": whole, "checked_at_utc": datetime.now(UTC).isoformat()}


# -- settlement --------------------------------------------------------------------------------------
def settlement(ws: ServerWorkspace, plan_id: str, period: str, periods: list[str]) -> dict[str, Any]:
    """Every statement issued for the period, oldest first; the last one is the one in force."""
    issued = statements(ws, plan_id, period)
    return {"plan_id": plan_id, "period": period, "periods": periods, "statements": issued,
            "current": issued[-1] if issued else None}


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
