"""The plan workflow as JSON: the same dicts the plan pages render, the same actions their forms post.

Changes need the session's ``X-CSRF-Token`` header (or a bearer token). Refusals are one JSON
shape, ``{"error", "findings"}``: 400 with findings (each with ``row``, the line in the plan text)
when the plan cannot move (lint errors on propose, a draft that is not a draft), 403 when the role
may not, 404 when the plan is not the user's. ``/api/plans/{id}/lint`` answers 200 with findings
even for text that cannot be read: the editor shows them while the user types.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from kpiguard.accounts.model import User
from kpiguard.plans import templates
from kpiguard.web import plan_actions, plan_decompose, plan_views
from kpiguard.web.access import lang, require_plan, visible_plans, visible_stores
from kpiguard.web.auth import check_csrf, current_user
from kpiguard.web.pages_plans import parse_target

router = APIRouter(prefix="/api", tags=["plans"])
UserDep = Annotated[User, Depends(current_user)]
PlanId = Annotated[str, Path(pattern=plan_actions.PLAN_ID, description="plan id, e.g. amazon-us-202605")]
JsonObject = dict[str, Any]
CHANGE = [Depends(check_csrf)]
REFUSALS: dict[int | str, dict[str, Any]] = {
    400: {"description": "the plan cannot move this way; findings say why (with the line)"},
    403: {"description": "your role may not do this"}, 404: {"description": "no such plan of yours"}}


class PlanText(BaseModel):
    yaml: str = Field(max_length=plan_actions.MAX_TEXT, description="the whole plan in YAML")


class Amendment(PlanText):
    reason: str = Field(min_length=1, max_length=2000, description="why the terms change")


class SignRequest(BaseModel):
    plan_hash: str | None = Field(None, pattern=r"^[0-9a-f]{64}$",
                                  description="the hash you read; refused if the plan moved since")


@router.get("/plan-list")
def plan_list(request: Request, user: UserDep) -> JsonObject:
    """Every visible plan with its version, status, signatures and what you may do to it (the /plans page)."""
    return plan_views.plan_list(request, user, visible_plans(request, user))


@router.get("/plan-templates")
def plan_templates(user: UserDep) -> list[JsonObject]:
    """The shipped plan templates (mode/stage) a new draft starts from."""
    return [{"template": k, "title": {"en": templates.load(k).title("en"), "zh-CN": templates.load(k).title("zh-CN")}}
            for k in templates.available()]


@router.post("/plans", status_code=201, dependencies=CHANGE, responses=REFUSALS)
def create_plan(request: Request, user: UserDep, body: plan_actions.NewPlan) -> JsonObject:
    """A draft from a template, targets suggested from history (as ``kpiguard plan new``)."""
    created = plan_actions.create(request, user, body)
    return {"plan": plan_views.plan_detail(request, user, created.plan), "suggestions": created.notes}


@router.get("/plans/{plan_id}/view", responses=REFUSALS)
def plan_view(request: Request, user: UserDep, plan_id: PlanId) -> JsonObject:
    """One plan as its page shows it: terms, KPIs, guardrails, clauses, signatures, periods, events."""
    return plan_views.plan_detail(request, user, require_plan(request, user, "read", plan_id))


@router.get("/plans/{plan_id}/lint", responses=REFUSALS)
def plan_lint_stored(request: Request, user: UserDep, plan_id: PlanId) -> JsonObject:
    """The stored version's lint findings (what proposing and signing check)."""
    sp = require_plan(request, user, "read", plan_id)
    return plan_views.stored_lint(request, sp, lang(request, user))


@router.post("/plans/{plan_id}/lint", dependencies=CHANGE, responses=REFUSALS)
def plan_lint_text(request: Request, user: UserDep, plan_id: PlanId, body: PlanText) -> JsonObject:
    """Lint a text for this plan as the editor holds it; nothing is saved."""
    require_plan(request, user, "read", plan_id)
    return plan_views.lint_text(request, body.yaml, lang(request, user),
                                set(visible_stores(request, user)), plan_id)


@router.post("/plans/lint", dependencies=CHANGE, responses=REFUSALS)
def lint_any(request: Request, user: UserDep, body: PlanText) -> JsonObject:
    """Lint any plan text against the history of your stores; nothing is saved."""
    return plan_views.lint_text(request, body.yaml, lang(request, user), set(visible_stores(request, user)))


@router.put("/plans/{plan_id}/draft", dependencies=CHANGE, responses=REFUSALS)
def save_draft(request: Request, user: UserDep, plan_id: PlanId, body: PlanText) -> JsonObject:
    """Replace the draft's text (a draft with lint findings can be saved; it cannot be proposed)."""
    return plan_views.plan_detail(request, user, plan_actions.save_draft(request, user, plan_id, body.yaml))


@router.post("/plans/{plan_id}/propose", dependencies=CHANGE, responses=REFUSALS)
def propose(request: Request, user: UserDep, plan_id: PlanId) -> JsonObject:
    """Put the draft to both parties; refused with the findings while lint has errors."""
    return plan_views.plan_detail(request, user, plan_actions.propose(request, user, plan_id))


@router.post("/plans/{plan_id}/sign", dependencies=CHANGE, responses=REFUSALS)
def sign(request: Request, user: UserDep, plan_id: PlanId,
         body: Annotated[SignRequest | None, Body()] = None) -> JsonObject:
    """Sign the proposed version as your party (seller admin: seller; agency manager: provider)."""
    seen = body.plan_hash if body else None
    return plan_views.plan_detail(request, user, plan_actions.sign(request, user, plan_id, seen))


@router.post("/plans/{plan_id}/amend", status_code=201, dependencies=CHANGE, responses=REFUSALS)
def amend(request: Request, user: UserDep, plan_id: PlanId, body: Amendment) -> JsonObject:
    """A new version of a proposed or signed plan, as a draft, to be proposed and signed again."""
    return plan_views.plan_detail(request, user, plan_actions.amend(request, user, plan_id, body.yaml, body.reason))


@router.post("/plans/{plan_id}/activate", dependencies=CHANGE, responses=REFUSALS)
def activate(request: Request, user: UserDep, plan_id: PlanId) -> JsonObject:
    """Start scoring a plan both parties signed."""
    return plan_views.plan_detail(request, user, plan_actions.activate(request, user, plan_id))


@router.get("/plans/{plan_id}/decompose", responses=REFUSALS)
def decompose(request: Request, user: UserDep, plan_id: PlanId,
              target: Annotated[str | None, Query(max_length=30, description="GMV for the whole period; "
                                                  "default the plan's GMV target")] = None) -> JsonObject:
    """What the GMV target asks of sessions, conversion and AOV, against the stores' own history."""
    sp = require_plan(request, user, "read", plan_id)
    return plan_decompose.view(request, sp, parse_target(target))
