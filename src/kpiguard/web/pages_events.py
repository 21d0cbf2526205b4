"""Force-majeure event pages: the list, the proposal form (with an evidence upload), approve and
reject buttons for the deciding party, and the evidence download.

The evidence is sent as an attachment with its type left opaque, so a file someone uploaded
(an HTML page, an SVG) is never rendered inside the app's own origin.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from kpiguard.accounts.model import User
from kpiguard.errors import InputError
from kpiguard.web import event_actions, plan_actions
from kpiguard.web.access import page_context, render, require_plan
from kpiguard.web.auth import check_csrf, current_user
from kpiguard.web.pages_plans import error_rows

router = APIRouter(include_in_schema=False)
UserDep = Annotated[User, Depends(current_user)]
PlanId = Annotated[str, Path(pattern=plan_actions.PLAN_ID)]
EventId = Annotated[int, Path(ge=1, le=2**31)]
Status = Literal["proposed", "approved", "rejected"]


def _list(request: Request, user: User, plan: str | None, status: str | None,
          error: InputError | None = None) -> Response:
    data = event_actions.listing(request, user, plan, status)
    return render(request, "event_list.html.j2", page_context(
        request, user, data=data, plan_filter=plan, status_filter=status,
        error=error.message if error else None, errors=error_rows(error) if error else []),
        status_code=400 if error else 200)


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, user: UserDep,
                plan: Annotated[str | None, Query(pattern=plan_actions.PLAN_ID)] = None,
                status: Status | None = None) -> Response:
    return _list(request, user, plan, status)


def _form(request: Request, user: User, plan_id: str, values: dict[str, Any],
          error: InputError | None = None) -> Response:
    sp = require_plan(request, user, "event_propose", plan_id)
    clause = sp.plan.adjustments
    return render(request, "event_new.html.j2", page_context(
        request, user, plan_id=plan_id, types=list(clause.events) if clause else [], stores=list(sp.plan.stores),
        approval=clause.approval if clause else None, period=sp.plan.period, values=values,
        error=error.message if error else None, errors=error_rows(error) if error else []),
        status_code=400 if error else 200)


@router.get("/plans/{plan_id}/events/new", response_class=HTMLResponse)
def new_event_form(request: Request, user: UserDep, plan_id: PlanId) -> Response:
    return _form(request, user, plan_id, {"type": "", "stores": [], "from": "", "to": "", "note": ""})


@router.post("/plans/{plan_id}/events/new", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def new_event_submit(request: Request, user: UserDep, plan_id: PlanId,
                           event_type: Annotated[str, Form(alias="type", max_length=40)],
                           date_from: Annotated[date, Form(alias="from")],
                           date_to: Annotated[date, Form(alias="to")],
                           note: Annotated[str, Form(max_length=4000)] = "",
                           store: Annotated[list[str] | None, Form(max_length=20)] = None,
                           evidence: Annotated[UploadFile | None, File()] = None) -> Response:
    try:
        e = await event_actions.propose(request, user, plan_id, event_type, store or [], date_from, date_to, note,
                                        evidence)
    except InputError as exc:
        return _form(request, user, plan_id, {"type": event_type, "stores": store or [], "from": str(date_from),
                                              "to": str(date_to), "note": note}, exc)
    return RedirectResponse(f"/events?plan={e.plan_id}", status_code=303)


@router.post("/events/{event_id}/{outcome}", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def decide_submit(request: Request, user: UserDep, event_id: EventId, outcome: Literal["approve", "reject"],
                  note: Annotated[str, Form(max_length=4000)] = "") -> Response:
    try:
        e = event_actions.decide(request, user, event_id, outcome, note)
    except InputError as exc:
        return _list(request, user, None, None, exc)
    return RedirectResponse(f"/events?plan={e.plan_id}", status_code=303)


@router.get("/events/{event_id}/evidence")
def evidence_download(request: Request, user: UserDep, event_id: EventId) -> Response:
    path, name = event_actions.evidence_file(request, user, event_id)
    return FileResponse(path, media_type="application/octet-stream", filename=name,
                        headers={"Cache-Control": "private, no-store"})
