"""Plan pages that change a plan: edit a draft (with live lint), propose, sign, amend, activate.

Forms post here and, when the change is made, are sent back to the plan (303, so a reload does
not post twice). A refusal the user can act on (lint errors, a moved plan hash, a draft that is
not a draft any more) is shown on the same page with status 400, its findings listed with their
line numbers; a role without the action gets 403, another organisation's plan 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kpiguard.accounts.model import User
from kpiguard.errors import Finding, InputError
from kpiguard.web import plan_actions, plan_views
from kpiguard.web.access import lang, page_context, render, require_plan
from kpiguard.web.auth import check_csrf, current_user
from kpiguard.web.pages_plans import error_rows, plan_page

router = APIRouter(include_in_schema=False)
UserDep = Annotated[User, Depends(current_user)]
PlanId = Annotated[str, Path(pattern=plan_actions.PLAN_ID)]
Text = Annotated[str, Form(max_length=plan_actions.MAX_TEXT)]


def _back(plan_id: str, suffix: str = "") -> Response:
    return RedirectResponse(f"/plans/{plan_id}{suffix}", status_code=303)


def _editor(request: Request, user: User, plan_id: str, mode: str, text: str | None = None,
            reason: str = "", error: InputError | None = None, saved: bool = False) -> Response:
    """The YAML editor of a draft (``mode`` edit) or of an amendment (``mode`` amend)."""
    action = "plan_edit" if mode == "edit" else "plan_propose"
    sp = require_plan(request, user, action, plan_id)
    if mode == "edit" and sp.status != "draft":
        raise InputError(f"plan {plan_id} version {sp.version} is {sp.status}: only a draft can be edited / "
                         "只有草稿可以编辑", [Finding(f"plan.{sp.status}", "not a draft", column="status",
                                               value=sp.status, hint="amend it: a new version signed again by both")])
    body = sp.yaml_text if text is None else text
    findings = (plan_views.lint_text(request, body, lang(request, user), set(sp.plan.stores), plan_id)
                if text is not None else plan_views.stored_lint(request, sp, lang(request, user)))
    return render(request, "plan_edit.html.j2", page_context(
        request, user, plan_id=plan_id, version=sp.version, status=sp.status, mode=mode, text=body,
        reason=reason, lint=findings, saved=saved, error=error.message if error else None,
        errors=error_rows(error) if error else []), status_code=400 if error else 200)


@router.get("/plans/{plan_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, user: UserDep, plan_id: PlanId, saved: bool = False) -> Response:
    return _editor(request, user, plan_id, "edit", saved=saved)


@router.post("/plans/{plan_id}/edit", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def edit_submit(request: Request, user: UserDep, plan_id: PlanId, yaml: Text) -> Response:
    try:
        plan_actions.save_draft(request, user, plan_id, yaml)
    except InputError as exc:
        return _editor(request, user, plan_id, "edit", yaml, error=exc)
    return _back(plan_id, "/edit?saved=true")


@router.post("/plans/{plan_id}/propose", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def propose_submit(request: Request, user: UserDep, plan_id: PlanId) -> Response:
    try:
        plan_actions.propose(request, user, plan_id)
    except InputError as exc:
        return plan_page(request, user, plan_id, exc)
    return _back(plan_id)


@router.post("/plans/{plan_id}/sign", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def sign_submit(request: Request, user: UserDep, plan_id: PlanId,
                plan_hash: Annotated[str, Form(pattern=r"^[0-9a-f]{64}$")]) -> Response:
    try:
        plan_actions.sign(request, user, plan_id, plan_hash)
    except InputError as exc:
        return plan_page(request, user, plan_id, exc)
    return _back(plan_id)


@router.post("/plans/{plan_id}/activate", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def activate_submit(request: Request, user: UserDep, plan_id: PlanId) -> Response:
    try:
        plan_actions.activate(request, user, plan_id)
    except InputError as exc:
        return plan_page(request, user, plan_id, exc)
    return _back(plan_id)


@router.get("/plans/{plan_id}/amend", response_class=HTMLResponse)
def amend_page(request: Request, user: UserDep, plan_id: PlanId) -> Response:
    return _editor(request, user, plan_id, "amend")


@router.post("/plans/{plan_id}/amend", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def amend_submit(request: Request, user: UserDep, plan_id: PlanId, yaml: Text,
                 reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    try:
        plan_actions.amend(request, user, plan_id, yaml, reason)
    except InputError as exc:
        return _editor(request, user, plan_id, "amend", yaml, reason, exc)
    return _back(plan_id)
