"""The operations pages' requests, shared by the HTML routes and their ``/api/`` twins.

Each function takes the request and the signed-in user, checks what the user may do (404 for what
is not theirs to see, 403 for what their role may not do), calls the domain service and, after a
change, writes the audit log. The routes only choose HTML or JSON.

Acting for a party (acknowledging an alert, issuing a settlement statement) needs ``plan_sign``:
the people who commit their organisation to a plan, seller admins and agency managers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from kpiguard.accounts.audit import Origin
from kpiguard.accounts.model import User
from kpiguard.accounts.permissions import (
    NotVisible,
    PermissionDenied,
    access,
    can_role,
    require,
    require_in,
)
from kpiguard.alerts import inbox
from kpiguard.errors import Finding, InputError, NotFoundError
from kpiguard.ingest.load import import_file
from kpiguard.plans.store import StoredPlan
from kpiguard.reports import statement_export
from kpiguard.scoring.scorecard import scoring_period
from kpiguard.settlement.statements import settle, statements
from kpiguard.stores import STORE_ID
from kpiguard.web import ops_upload, ops_views, views
from kpiguard.web.access import cache, plan_for, stores_for, today, visible_plans, workspace
from kpiguard.web.auth import audit
from kpiguard.web.ops_archive import archive_store
from kpiguard.web.security import client_ip

PARTY_ACTION = "plan_sign"
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"  # plan and store ids (plans/model.py, stores.py)
PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])|Q[1-4])$"  # a scoring period: 2026-10 or 2026Q4
EXPORT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "md": "text/markdown; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
TRUE = ("1", "true", "on", "yes")
MAX_RECONCILE_DAYS = 366


# -- imports -----------------------------------------------------------------------------------------
async def upload(request: Request, user: User, store_query: str | None) -> tuple[int, dict[str, Any]]:
    """Receive the file (streamed to disk, capped), import it, and say what happened.

    The store may come as ``?store=`` (checked before one byte of the body is read) or as the
    form field ``store``. Returns the HTTP status (201 imported, 200 already imported, 400
    rejected) and the result; raises for a bad form (``UploadError``), 403/404 and CSRF."""
    ws = workspace(request)
    if store_query is not None:
        _check_store_id(store_query)
        require(ws, user, "import", store_query)
    received = await ops_upload.receive(request)
    try:
        fields = received.fields
        store = (fields.get("store") or "").strip() or store_query
        if store is None:
            raise InputError("choose the store the report is from / 请选择店铺", [Finding(
                "upload.store_missing", "the form has no store", column="store", hint="pick one of your stores")])
        if store_query is not None and store != store_query:
            raise InputError("two different stores were given / 店铺参数不一致", [Finding(
                "upload.store_conflict", f"?store={store_query} but the form says {store}", column="store",
                value=store, hint="send the store once")])
        _check_store_id(store)
        require(ws, user, "import", store)
        if received.path is None or received.filename is None:
            raise InputError("choose a file to upload / 请选择要上传的文件", [Finding(
                "upload.no_file", "the form has no file", column="file", hint="pick the report file you downloaded")])
        skip = fields.get("skip_bad_rows", "").strip().lower() in TRUE
        period = _period_fields(fields.get("date_from"), fields.get("date_to"))
        try:
            result = await run_in_threadpool(
                import_file, ws, received.path, store, period=period, skip_bad_rows=skip, actor=user.email,
                display_name=received.filename)
        except InputError as exc:
            return 400, ops_views.rejected(received.filename, store, received.size, skip, exc)
        if result.status == "imported":
            audit(request, user, "import.upload", f"import:{result.import_id}", {
                "file": result.file, "raw_sha256": result.raw_sha256, "format": result.format_key,
                "rows_accepted": result.rows_accepted, "rows_rejected": result.rows_rejected,
                "rows_skipped": result.rows_skipped, "skip_bad_rows": skip, "bytes": received.size}, [store])
        return (201 if result.status == "imported" else 200), ops_views.upload_result(result, received.size, skip)
    finally:
        received.cleanup()


def imports(request: Request, user: User, store: str | None, limit: int, before: int | None) -> dict[str, Any]:
    stores = list(stores_for(request, user, [store] if store else None))
    data = ops_views.imports(workspace(request), stores, limit, before)
    acc = access(workspace(request), user)
    return data | {"stores": stores, "import_stores": [s for s in stores if acc.can("import", s)],
                   "archive_stores": [s for s in stores if acc.can("archive_raw", s)]}


def import_detail(request: Request, user: User, import_id: int) -> dict[str, Any]:
    try:
        item = ops_views.import_detail(workspace(request), import_id)
    except NotFoundError:
        item = None
    if item is None or not item["store_id"] or item["store_id"] not in stores_for(request, user, None):
        raise NotVisible(f"no import {import_id} / 没有该导入记录", [Finding(
            "access.not_found", f"there is no import {import_id} you can see", hint="see the list at /imports")])
    return item


def archive(request: Request, user: User, store_id: str) -> dict[str, Any]:
    """Mark the store's raw files archived (seller admins only); the audit entry commits with it."""
    ws = workspace(request)
    require(ws, user, "archive_raw", store_id)
    return archive_store(ws, store_id, Origin.of(user, client_ip(request)))


# -- pacing ------------------------------------------------------------------------------------------
def pace(request: Request, user: User, plan_id: str, as_of: date | None) -> dict[str, Any]:
    sp = plan_for(request, user, plan_id)
    day = as_of or ops_views.default_as_of(sp.plan, today(request))
    return ops_views.pace(workspace(request), cache(request), plan_id, day)


# -- alerts ------------------------------------------------------------------------------------------
def alerts(request: Request, user: User, include_all: bool) -> dict[str, Any]:
    ws = workspace(request)
    plans = visible_plans(request, user)
    acc = access(ws, user)
    items = ops_views.alerts(ws, {p.plan_id for p in plans}, set(acc.stores), include_all)
    may = can_role(user, PARTY_ACTION)
    return {"alerts": [a | {"can_ack": may and a["status"] == "open"} for a in items], "can_ack": may,
            "include_all": include_all}


def acknowledge(request: Request, user: User, alert_id: int) -> dict[str, Any]:
    ws = workspace(request)
    try:
        stored = inbox.get(ws, alert_id)
    except NotFoundError:
        stored = None
    visible = {p.plan_id for p in visible_plans(request, user)}
    if stored is None or stored.alert.plan_id not in visible:
        raise NotVisible(f"no alert {alert_id} / 没有该预警", [Finding(
            "access.not_found", f"there is no alert {alert_id} you can see", hint="see the inbox at /alerts")])
    require_in(access(ws, user), PARTY_ACTION, stored.alert.stores, f"the alerts of plan {stored.alert.plan_id}")
    done = inbox.acknowledge(ws, alert_id, user.email, datetime.now(UTC)).to_dict()
    audit(request, user, "alert.acknowledge", f"alert:{alert_id}",
          {"plan_id": stored.alert.plan_id, "rule": stored.alert.rule, "metric": stored.alert.metric},
          stored.alert.stores)
    return done


# -- reconciliation ----------------------------------------------------------------------------------
def reconcile(request: Request, user: User, store: str | None, start: date, end: date, metric: str) -> dict[str, Any]:
    if store is not None:
        _check_store_id(store)
    mine = stores_for(request, user, [store] if store else None)
    if not mine:
        raise NotVisible("you can see no store yet / 暂无可查看的店铺")
    if (end - start).days + 1 > MAX_RECONCILE_DAYS:
        raise InputError("the range is too long / 日期范围过长", [Finding(
            "reconcile.range", f"{start} .. {end} is more than {MAX_RECONCILE_DAYS} days", column="from/to",
            hint="reconcile one month (?period=2026-10) or up to a year")])
    if end < start:
        raise InputError("the range ends before it starts / 结束日期早于开始日期", [Finding(
            "reconcile.range", f"{start} is after {end}", column="from/to", hint="swap the dates")])
    chosen = store or mine[0]
    data = ops_views.reconciliation(workspace(request), cache(request), chosen, start, end, metric)
    return data | {"stores": list(mine)}


# -- audit log ---------------------------------------------------------------------------------------
def verification(request: Request, user: User) -> dict[str, Any]:
    """``kpiguard verify`` for a seller's auditor or admin (``audit_read`` in a seller organisation)."""
    ws = workspace(request)
    acc = access(ws, user)
    acc.require("audit_read")
    if user.org_kind != "seller":
        raise PermissionDenied("verifying the workspace is for the seller / 工作区校验仅限卖家", [Finding(
            "access.denied", "the seller who owns the raw data verifies it", hint="ask the seller's auditor")])
    return ops_views.verification(ws, set(acc.stores))


# -- settlement --------------------------------------------------------------------------------------
def settlement(request: Request, user: User, plan_id: str, period: str | None) -> dict[str, Any]:
    sp = plan_for(request, user, plan_id)
    key = _period_key(sp, period, today(request))
    periods = views.scoring_periods(sp.plan, sp.plan.period.end)
    data = ops_views.settlement(workspace(request), plan_id, key, periods)
    acc = access(workspace(request), user)
    return data | {"can_issue": acc.can(PARTY_ACTION) and all(acc.can(PARTY_ACTION, s) for s in sp.plan.stores),
                   "status": sp.status, "formats": sorted(EXPORT_TYPES)}


def issue(request: Request, user: User, plan_id: str, period: str) -> tuple[bool, dict[str, Any]]:
    """Issue (or re-issue) the period's statement as of the app's today: (True, the new statement), or
    (False, the statement already recorded) when nothing changed since."""
    sp = plan_for(request, user, plan_id)
    require_in(access(workspace(request), user), PARTY_ACTION, sp.plan.stores, f"plan {plan_id}")
    key = _period_key(sp, period, today(request))
    before = len(statements(workspace(request), plan_id, key))
    statement = settle(workspace(request), plan_id, key, today(request))
    created = statement["seq"] > before  # an unchanged statement comes back as recorded
    if created:
        audit(request, user, "settlement.issue", f"plan:{plan_id}", {
            "period": key, "seq": statement["seq"], "status": statement["status"],
            "payable": statement["amounts"]["payable"],
            "true_up": statement["true_up"]["due"] if statement["true_up"] else None}, sp.plan.stores)
    return created, statement


def export(request: Request, user: User, plan_id: str, period: str, seq: int, fmt: str,
           lang: str) -> tuple[bytes, str, str]:
    """A recorded statement rendered as ``fmt``: (bytes, media type, file name)."""
    data = settlement(request, user, plan_id, period)
    found = next((s for s in data["statements"] if s["seq"] == seq), None)
    if found is None:
        raise NotFoundError(f"no statement {seq} for {plan_id} {data['period']} / 没有该结算单", [Finding(
            "settlement.unknown", f"statement {seq} was not issued for {data['period']}", column="seq",
            hint=f"see /plans/{plan_id}/settlement?period={data['period']}")])
    body = statement_export.export(found, fmt, lang)
    return body, EXPORT_TYPES[fmt], f"{plan_id}-{data['period']}-statement-{seq}-{lang}.{fmt}"


# -- helpers -----------------------------------------------------------------------------------------
def _period_key(sp: StoredPlan, period: str | None, day: date) -> str:
    """The period asked for, else the latest one that has ended by ``day`` (what is settled next),
    else the plan's first."""
    if period:
        return scoring_period(sp.plan, period).key
    started = views.scoring_periods(sp.plan, day) or views.scoring_periods(sp.plan, sp.plan.period.end)[:1]
    ended = [p for p in started if scoring_period(sp.plan, p).end < day]
    return scoring_period(sp.plan, (ended or started)[-1]).key


def _check_store_id(store: str) -> None:
    if not STORE_ID.match(store):
        raise InputError(f"{store!r} is not a store id / 店铺编号无效", [Finding(
            "store.id", f"store id {store!r} is not allowed", column="store", value=store[:80],
            hint="lower-case letters, digits, - and _ (see /api/stores)")])


def _period_fields(date_from: str | None, date_to: str | None) -> tuple[date, date] | None:
    given = [(n, v.strip()) for n, v in (("date_from", date_from), ("date_to", date_to)) if v and v.strip()]
    if not given:
        return None
    if len(given) == 1:
        raise InputError("give both dates or none / 请同时填写起止日期", [Finding(
            "upload.period", "only one end of the report's date range was given", column=given[0][0],
            hint="reports without a date column need both: the range chosen when downloading")])
    try:
        start, end = date.fromisoformat(given[0][1]), date.fromisoformat(given[1][1])
    except ValueError as exc:
        raise InputError("a date cannot be read / 日期格式错误", [Finding(
            "upload.period", f"cannot read {given[0][1]!r} .. {given[1][1]!r} as dates", column="date_from/date_to",
            hint="use YYYY-MM-DD")]) from exc
    if end < start:
        raise InputError("the range ends before it starts / 结束日期早于开始日期", [Finding(
            "upload.period", f"{start} is after {end}", column="date_from/date_to", hint="swap the dates")])
    return start, end

