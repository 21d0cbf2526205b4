"""The operations pages as JSON: imports (with upload), pacing, alerts, reconciliation, audit log,
workspace verification, settlement statements and archiving raw data.

Each route returns the same dict its page renders (``ops_actions``), which for pacing, alerts,
reconciliation and verification is what the CLI's ``--json`` prints. Changes need the session's
``X-CSRF-Token`` header, or a bearer token.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from kpiguard.accounts.model import User
from kpiguard.web import ops_actions, ops_views
from kpiguard.web.access import today, workspace
from kpiguard.web.auth import check_csrf, current_user
from kpiguard.web.ops_actions import EXPORT_TYPES, ID_PATTERN, PERIOD_PATTERN
from kpiguard.web.ops_upload import MAX_UPLOAD_BYTES, UploadError
from kpiguard.web.pages import _range

router = APIRouter(prefix="/api", tags=["operations"])
UserDep = Annotated[User, Depends(current_user)]
JsonObject = dict[str, Any]
PlanId = Annotated[str, Path(pattern=ID_PATTERN, description="plan id, e.g. acme-us-2026q4")]
StoreId = Annotated[str, Path(pattern=ID_PATTERN, description="store id, e.g. acme-us")]
Period = Annotated[str, Query(pattern=PERIOD_PATTERN, description="scoring period: 2026-10 or 2026Q4")]
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "bad input; the findings say where and what to do"},
    401: {"description": "not signed in"},
    403: {"description": "your role may not do this, or the CSRF token is missing"},
    404: {"description": "not found, or not yours to see"},
}
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "the report as downloaded"},
        "store": {"type": "string", "pattern": ID_PATTERN, "description": "the store (or ?store=)"},
        "skip_bad_rows": {"type": "boolean", "description": "keep the good rows, skip the bad ones"},
        "date_from": {"type": "string", "format": "date", "description": "for reports without a date column"},
        "date_to": {"type": "string", "format": "date"},
    }}}}}}


@router.get("/imports", responses=ERRORS)
def list_imports(request: Request, user: UserDep,
                 store: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 200,
                 before: Annotated[int | None, Query(ge=1, le=2**53, description="page: imports before this id")] = None,
                 ) -> JsonObject:
    """Imports of the stores you may see, newest first: file, format, rows accepted/rejected/skipped,
    who, when, the raw file's SHA-256 and whether it is archived."""
    return ops_actions.imports(request, user, store, limit, before)


@router.post("/imports", status_code=201, openapi_extra=UPLOAD_BODY, responses={
    **ERRORS, 200: {"description": "this exact file was imported before; nothing added"},
    400: {"description": "the file was rejected (nothing stored): every finding with file, row, column, value, "
                         "message and hint"},
    413: {"description": f"the file is larger than the limit ({MAX_UPLOAD_BYTES // 1024 // 1024} MB)"},
    415: {"description": "not a multipart/form-data body"}})
async def upload_import(request: Request, user: UserDep,
                        store: Annotated[str | None, Query(pattern=ID_PATTERN, description="the store")] = None,
                        ) -> JSONResponse:
    """Upload a report file into a store (``import`` permission): streamed to disk, the format detected
    from its headers. All or nothing unless ``skip_bad_rows``. Answers 201 with rows accepted,
    rejected and skipped and the format detected, or 400 with every finding."""
    try:
        status, result = await ops_actions.upload(request, user, store)
    except UploadError as exc:
        return JSONResponse({"error": exc.message, "findings": [f.to_dict() for f in exc.findings]}, exc.status)
    return JSONResponse(result, status)


@router.get("/imports/{import_id}", responses=ERRORS)
def get_import(request: Request, user: UserDep, import_id: Annotated[int, Path(ge=1, le=2**53)]) -> JsonObject:
    """One import: its summary (skipped and rejected reasons), lake parts and ledger entry."""
    return ops_actions.import_detail(request, user, import_id)


@router.post("/stores/{store_id}/archive", dependencies=[Depends(check_csrf)], responses=ERRORS)
def archive_raw(request: Request, user: UserDep, store_id: StoreId) -> JsonObject:
    """Archive the store's raw files (seller admins only): marked archived with a ledger record; no
    byte is deleted. Files archived before are left as they are."""
    return ops_actions.archive(request, user, store_id)


@router.get("/plans/{plan_id}/pace", responses=ERRORS)
def plan_pace(request: Request, user: UserDep, plan_id: PlanId,
              as_of: Annotated[date | None, Query(description="the day to pace on; default today")] = None,
              ) -> JsonObject:
    """Pacing (进度追踪): each KPI to date, expected, forecast with its 80% interval, likelihoods, weekly
    need and status; guardrails. The same object as ``kpiguard pace PLAN --as-of DAY --json``."""
    return ops_actions.pace(request, user, plan_id, as_of)


@router.get("/alerts", responses=ERRORS)
def list_alerts(request: Request, user: UserDep,
                include_all: Annotated[bool, Query(alias="all", description="acknowledged ones too")] = False,
                ) -> JsonObject:
    """The alert inbox (预警) of the plans you may see, most severe first."""
    return ops_actions.alerts(request, user, include_all)


@router.post("/alerts/{alert_id}/ack", dependencies=[Depends(check_csrf)], responses=ERRORS)
def acknowledge_alert(request: Request, user: UserDep, alert_id: Annotated[int, Path(ge=1, le=2**53)]) -> JsonObject:
    """Acknowledge an open alert (seller admins and agency managers); the ledger records who and when."""
    return ops_actions.acknowledge(request, user, alert_id)


@router.get("/reconcile", responses=ERRORS)
def reconcile(request: Request, user: UserDep,
              store: Annotated[str | None, Query(pattern=ID_PATTERN, description="default: your first store")] = None,
              period: Annotated[str | None, Query(max_length=40, description="2026-10 (or from and to)")] = None,
              date_from: Annotated[date | None, Query(alias="from")] = None,
              date_to: Annotated[date | None, Query(alias="to")] = None,
              metric: Annotated[Literal["gmv", "ad_spend"], Query()] = "gmv") -> JsonObject:
    """Reconciliation (对账): the same figure from each source by day, the gaps flagged with their likely
    cause. The same object as ``kpiguard reconcile --json``."""
    start, end = _range(str(date_from) if date_from else None, str(date_to) if date_to else None, period,
                        today(request))
    return ops_actions.reconcile(request, user, store, start, end, metric)


@router.get("/audit", responses=ERRORS)
def audit_log(request: Request, user: UserDep,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200,
              before: Annotated[int | None, Query(ge=1, le=2**53, description="page: entries before this id")] = None,
              ) -> JsonObject:
    """The audit log (审计日志) you may read (``audit_read``: auditors and seller admins), newest first,
    with the ledger's head (entries and head hash)."""
    return ops_views.audit(workspace(request), user, limit, before)


@router.get("/verify", responses=ERRORS)
def verify_workspace(request: Request, user: UserDep) -> JsonObject:
    """``kpiguard verify`` for the seller: the ledger's hash chain, every raw file and lake part hashed again."""
    return ops_actions.verification(request, user)


@router.get("/plans/{plan_id}/settlement", responses=ERRORS)
def plan_settlement(request: Request, user: UserDep, plan_id: PlanId,
                    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN,
                                                        description="2026-10 or 2026Q4; default the latest")] = None,
                    ) -> JsonObject:
    """Settlement statements (结算单) issued for the period, oldest first, with amounts and true-up."""
    return ops_actions.settlement(request, user, plan_id, period)


@router.post("/plans/{plan_id}/settlement", status_code=201, dependencies=[Depends(check_csrf)], responses={
    **ERRORS, 200: {"description": "nothing changed since the last statement: the one recorded"}})
def issue_statement(request: Request, user: UserDep, plan_id: PlanId, period: Period) -> JSONResponse:
    """Issue the period's statement as of today (seller admins and agency managers): 201 with a new
    statement (with the true-up against the last one), or 200 with the recorded one if nothing changed."""
    created, statement = ops_actions.issue(request, user, plan_id, period)
    return JSONResponse(statement, 201 if created else 200)


@router.get("/plans/{plan_id}/settlement/{seq}/export", response_class=Response, responses={
    **ERRORS, 200: {"description": "the statement file", "content": {t: {} for t in EXPORT_TYPES.values()}}})
def export_statement(request: Request, user: UserDep, plan_id: PlanId, seq: Annotated[int, Path(ge=1, le=10**6)],
                     period: Period, fmt: Annotated[Literal["html", "pdf", "xlsx", "md"], Query(alias="format")] = "pdf",
                     lang: Annotated[Literal["zh-CN", "en"], Query()] = "zh-CN") -> Response:
    """A recorded statement as a file to sign: HTML, PDF, XLSX or Markdown, in zh-CN or English."""
    body, media, name = ops_actions.export(request, user, plan_id, period, seq, fmt, lang)
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
