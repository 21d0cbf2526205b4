"""Force-majeure events as JSON: the list the /events page shows, propose (multipart, with an
optional evidence file), approve and reject as the user's party."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from pydantic import BaseModel, Field

from kpiguard.accounts.model import User
from kpiguard.plans import store as plan_store
from kpiguard.web import event_actions, plan_actions
from kpiguard.web.access import visible_plans, workspace
from kpiguard.web.api_plans import REFUSALS
from kpiguard.web.auth import check_csrf, current_user

router = APIRouter(prefix="/api", tags=["events"])
UserDep = Annotated[User, Depends(current_user)]
PlanId = Annotated[str, Path(pattern=plan_actions.PLAN_ID)]
EventId = Annotated[int, Path(ge=1, le=2**31)]
JsonObject = dict[str, Any]
CHANGE = [Depends(check_csrf)]


class Decision(BaseModel):
    note: str = Field("", max_length=4000, description="why / 理由")


def _row(request: Request, user: User, e: Any) -> JsonObject:
    plans = {sp.plan_id: sp for sp in visible_plans(request, user)}
    if e.plan_id not in plans:  # just changed: the cached list may be one generation old
        plans[e.plan_id] = plan_store.get(workspace(request), e.plan_id)
    return event_actions.event_row(user, e, plans)


@router.get("/events", responses=REFUSALS)
def events(request: Request, user: UserDep,
           plan: Annotated[str | None, Query(pattern=plan_actions.PLAN_ID)] = None,
           status: Literal["proposed", "approved", "rejected"] | None = None) -> JsonObject:
    """The events of your plans: who proposed, who decides, who decided, the evidence."""
    return event_actions.listing(request, user, plan, status)


@router.get("/events/{event_id}", responses=REFUSALS)
def event(request: Request, user: UserDep, event_id: EventId) -> JsonObject:
    """One event of a plan of yours."""
    return _row(request, user, event_actions.visible_event(request, user, event_id))


@router.post("/plans/{plan_id}/events", status_code=201, dependencies=CHANGE, responses=REFUSALS)
async def propose_event(request: Request, user: UserDep, plan_id: PlanId,
                        event_type: Annotated[str, Form(alias="type", max_length=40,
                                                        description="a type the plan's clause lists")],
                        date_from: Annotated[date, Form(alias="from")],
                        date_to: Annotated[date, Form(alias="to")],
                        note: Annotated[str, Form(max_length=4000)],
                        store: Annotated[list[str], Form(max_length=20)],
                        evidence: Annotated[UploadFile | None, File()] = None) -> JsonObject:
    """Propose an event for your party; the other party (or the one the clause names) decides."""
    e = await event_actions.propose(request, user, plan_id, event_type, store, date_from, date_to, note, evidence)
    return _row(request, user, e)


@router.post("/events/{event_id}/{outcome}", dependencies=CHANGE, responses=REFUSALS)
def decide(request: Request, user: UserDep, event_id: EventId, outcome: Literal["approve", "reject"],
           body: Decision | None = None) -> JsonObject:
    """Approve or reject an event as your party (the clause says which party decides)."""
    e = event_actions.decide(request, user, event_id, outcome, body.note if body else "")
    return _row(request, user, e)
