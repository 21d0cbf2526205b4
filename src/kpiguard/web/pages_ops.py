"""The operations pages (HTML): imports with upload, pacing, alerts inbox, reconciliation, audit log,
settlement statements, archiving raw data.

Each page renders the dict its ``/api/`` twin returns (``ops_actions``). Forms post with the
``csrf_token`` field and come back with a 303 to the page; the upload form is sent by the page's
script to ``POST /api/imports`` (progress bar, result table) and falls back to ``POST /imports``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kpiguard.accounts.model import User
from kpiguard.accounts.permissions import can_role
from kpiguard.web import i18n, ops_actions, ops_views, views
from kpiguard.web.access import cache, lang, page_context, plan_for, render, today, workspace
from kpiguard.web.auth import check_csrf, current_user
from kpiguard.web.jsonsafe import script_json
from kpiguard.web.ops_actions import ID_PATTERN, PERIOD_PATTERN
from kpiguard.web.ops_upload import UploadError, upload_limit
from kpiguard.web.pages import _range

router = APIRouter(include_in_schema=False)
UserDep = Annotated[User, Depends(current_user)]
PlanId = Annotated[str, Path(pattern=ID_PATTERN)]
SCRIPT_LABELS = ("ops_file", "ops_format", "ops_accepted", "ops_rejected", "ops_skipped", "ops_row", "ops_column",
                 "ops_value", "ops_message", "ops_hint", "ops_uploading", "ops_processing", "ops_upload_failed",
                 "ops_too_large", "ops_status_imported", "ops_status_already_imported", "ops_status_rejected")
NAV = [{"href": "/imports", "key": "imports"}, {"href": "/alerts", "key": "alerts"},
       {"href": "/reconcile", "key": "reconcile"}, {"href": "/audit", "key": "audit"}]


# -- imports -----------------------------------------------------------------------------------------
@router.get("/imports", response_class=HTMLResponse)
def imports_page(request: Request, user: UserDep, store: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
                 before: Annotated[int | None, Query(ge=1, le=2**53)] = None,
                 archived: Annotated[int | None, Query(ge=0, le=10**9)] = None) -> Response:
    return _imports(request, user, store, before, None, 200, archived)


@router.post("/imports", response_class=HTMLResponse)
async def upload_form(request: Request, user: UserDep) -> Response:
    """The upload form without its script: the same import, the result shown on the page."""
    try:
        status, result = await ops_actions.upload(request, user, None)
    except UploadError as exc:
        status, result = exc.status, {"status": "rejected", "stored": False, "error": exc.message,
                                      "findings": [f.to_dict() for f in exc.findings], "rows_accepted": 0,
                                      "rows_rejected": 0, "rows_skipped": 0}
    return _imports(request, user, result.get("store_id"), None, result, status, None)


def _imports(request: Request, user: User, store: str | None, before: int | None, result: dict[str, object] | None,
             status: int, archived: int | None) -> Response:
    data = ops_actions.imports(request, user, store, 200, before)
    chosen = lang(request, user)
    labels = {k: i18n.t(k, chosen) for k in SCRIPT_LABELS}
    return render(request, "ops_imports.html.j2", page_context(
        request, user, data=data, store=store, result=result, max_bytes=upload_limit(request),
        archived_now=archived, labels_json=script_json(labels)), status_code=status)


@router.get("/imports/{import_id}", response_class=HTMLResponse)
def import_page(request: Request, user: UserDep, import_id: Annotated[int, Path(ge=1, le=2**53)]) -> Response:
    item = ops_actions.import_detail(request, user, import_id)
    return render(request, "ops_import.html.j2", page_context(request, user, item=item))


@router.post("/stores/{store_id}/archive", dependencies=[Depends(check_csrf)])
def archive_form(request: Request, user: UserDep, store_id: Annotated[str, Path(pattern=ID_PATTERN)]) -> Response:
    done = ops_actions.archive(request, user, store_id)
    return RedirectResponse(f"/imports?store={store_id}&archived={done['archived']}", status_code=303)


# -- pacing ------------------------------------------------------------------------------------------
@router.get("/plans/{plan_id}/pace", response_class=HTMLResponse)
def pace_page(request: Request, user: UserDep, plan_id: PlanId, as_of: date | None = None) -> Response:
    sp = plan_for(request, user, plan_id)
    data = ops_actions.pace(request, user, plan_id, as_of)
    chosen = lang(request, user)
    return render(request, "ops_pace.html.j2", page_context(
        request, user, p=data, plan_title=sp.plan.title.zh if chosen == "zh-CN" else sp.plan.title.en,
        names=views.metric_names(chosen), chart_json=script_json(ops_views.pace_chart(data)),
        names_json=views.metric_names_json(chosen),
        effects=views.guardrail_effects(views.plan_as_scored(workspace(request), cache(request), sp, data["version"]),
                                        data, chosen)))


# -- alerts ------------------------------------------------------------------------------------------
@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, user: UserDep,
                include_all: Annotated[bool, Query(alias="all")] = False) -> Response:
    data = ops_actions.alerts(request, user, include_all)
    return render(request, "ops_alerts.html.j2", page_context(request, user, data=data,
                                                               names=views.metric_names(lang(request, user))))


@router.post("/alerts/{alert_id}/ack", dependencies=[Depends(check_csrf)])
def ack_form(request: Request, user: UserDep, alert_id: Annotated[int, Path(ge=1, le=2**53)]) -> Response:
    ops_actions.acknowledge(request, user, alert_id)
    return RedirectResponse("/alerts", status_code=303)


# -- reconciliation ----------------------------------------------------------------------------------
@router.get("/reconcile", response_class=HTMLResponse)
def reconcile_page(request: Request, user: UserDep, store: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
                   period: Annotated[str | None, Query(max_length=40)] = None,
                   date_from: Annotated[date | None, Query(alias="from")] = None,
                   date_to: Annotated[date | None, Query(alias="to")] = None,
                   metric: Literal["gmv", "ad_spend"] = "gmv") -> Response:
    start, end = _range(str(date_from) if date_from else None, str(date_to) if date_to else None, period,
                        today(request))
    data = ops_actions.reconcile(request, user, store, start, end, metric)
    chosen = lang(request, user)
    return render(request, "ops_reconcile.html.j2", page_context(
        request, user, r=data, period=period or "", cause=lambda text: ops_views.cause_text(text, chosen)))


# -- audit log ---------------------------------------------------------------------------------------
@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: UserDep, before: Annotated[int | None, Query(ge=1, le=2**53)] = None,
               verify: bool = False) -> Response:
    data = ops_views.audit(workspace(request), user, 200, before)
    checked = ops_actions.verification(request, user) if verify else None
    may_verify = can_role(user, "audit_read") and user.org_kind == "seller"
    return render(request, "ops_audit.html.j2", page_context(request, user, data=data, checked=checked,
                                                              may_verify=may_verify))


# -- settlement --------------------------------------------------------------------------------------
@router.get("/plans/{plan_id}/settlement", response_class=HTMLResponse)
def settlement_page(request: Request, user: UserDep, plan_id: PlanId,
                    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None) -> Response:
    sp = plan_for(request, user, plan_id)
    data = ops_actions.settlement(request, user, plan_id, period)
    chosen = lang(request, user)
    return render(request, "ops_settlement.html.j2", page_context(
        request, user, s=data, plan_title=sp.plan.title.zh if chosen == "zh-CN" else sp.plan.title.en))


@router.post("/plans/{plan_id}/settlement", dependencies=[Depends(check_csrf)])
def issue_form(request: Request, user: UserDep, plan_id: PlanId,
               period: Annotated[str, Form(pattern=PERIOD_PATTERN)]) -> Response:
    _, statement = ops_actions.issue(request, user, plan_id, period)
    return RedirectResponse(f"/plans/{plan_id}/settlement?period={statement['period']}", status_code=303)
