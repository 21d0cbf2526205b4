"""Plan pages to read: the list, one plan, a new draft from a template, decomposition, contract export.

The pages that change a plan after it exists (edit, propose, sign, amend, activate) are in
``pages_plan_edit.py``. Every page renders the dict its /api/ twin returns (``plan_views``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from kpiguard.accounts import permissions
from kpiguard.accounts.model import User
from kpiguard.accounts.permissions import PermissionDenied, can_role
from kpiguard.errors import Finding, InputError
from kpiguard.plans import templates
from kpiguard.reports import contract_export
from kpiguard.web import plan_actions, plan_decompose, plan_views
from kpiguard.web.access import (
    lang,
    page_context,
    render,
    require_plan,
    visible_plans,
    visible_stores,
    workspace,
)
from kpiguard.web.auth import check_csrf, current_user

router = APIRouter(include_in_schema=False)
UserDep = Annotated[User, Depends(current_user)]
PlanId = Annotated[str, Path(pattern=plan_actions.PLAN_ID)]
MEDIA = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}


def error_rows(exc: InputError) -> list[dict[str, Any]]:
    """The rows a form shows under its heading: the lint rows when lint refused, else the findings."""
    if isinstance(exc, plan_actions.LintRefused):
        return exc.rows
    return [{"code": f.code, "severity": f.severity, "line": f.row, "path": f.column or "", "message": f.message,
             "hint": f.hint} for f in exc.findings]


def plan_page(request: Request, user: User, plan_id: str, error: InputError | None = None) -> Response:
    """One plan, with the refusal of the last action (and its findings) when there was one."""
    sp = require_plan(request, user, "read", plan_id)
    detail = plan_views.plan_detail(request, user, sp)
    return render(request, "plan_view.html.j2", page_context(
        request, user, plan=detail, error=error.message if error else None,
        errors=error_rows(error) if error else []), status_code=400 if error else 200)


@router.get("/plans", response_class=HTMLResponse)
def plans_page(request: Request, user: UserDep) -> Response:
    data = plan_views.plan_list(request, user, visible_plans(request, user))
    return render(request, "plan_list.html.j2", page_context(request, user, data=data))


def _new_form(request: Request, user: User, values: dict[str, Any], error: InputError | None = None) -> Response:
    choices = [{"key": k, "title": templates.load(k).title(lang(request, user))} for k in templates.available()]
    return render(request, "plan_new.html.j2", page_context(
        request, user, choices=choices, stores=visible_stores(request, user), values=values,
        error=error.message if error else None, errors=error_rows(error) if error else []),
        status_code=400 if error else 200)


def _require_drafting(user: User) -> None:
    if not can_role(user, "plan_edit"):
        raise PermissionDenied(f"your role {user.role} may not draft plans / 当前角色无权起草方案", [Finding(
            "access.denied", f"the role {user.role} may not draft plans", hint="ask an agency manager or seller admin")])


@router.get("/plans/new", response_class=HTMLResponse)
def new_plan_form(request: Request, user: UserDep) -> Response:
    _require_drafting(user)
    return _new_form(request, user, {"template": "full_service/growth", "stores": [], "period": "", "plan_id": "",
                                     "seller": "", "provider": ""})


@router.post("/plans/new", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def new_plan_submit(request: Request, user: UserDep, template: Annotated[str, Form(max_length=50)],
                    period: Annotated[str, Form(max_length=30)],
                    store: Annotated[list[str] | None, Form(max_length=20)] = None,
                    plan_id: Annotated[str, Form(max_length=63)] = "",
                    seller: Annotated[str, Form(max_length=200)] = "",
                    provider: Annotated[str, Form(max_length=200)] = "") -> Response:
    _require_drafting(user)
    values = {"template": template, "stores": store or [], "period": period, "plan_id": plan_id, "seller": seller,
              "provider": provider}
    try:
        form = plan_actions.NewPlan.model_validate({**values, "plan_id": plan_id or None})
    except ValidationError as exc:
        return _new_form(request, user, values, InputError("check the form / 请检查表单", [
            Finding("form.invalid", e["msg"], column=".".join(str(x) for x in e["loc"]),
                    hint="choose a template, at least one store and a period like 2026-12") for e in exc.errors()]))
    try:
        created = plan_actions.create(request, user, form)
    except InputError as exc:
        return _new_form(request, user, values, exc)
    return RedirectResponse(f"/plans/{created.plan.plan_id}/edit", status_code=303)


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_view_page(request: Request, user: UserDep, plan_id: PlanId) -> Response:
    return plan_page(request, user, plan_id)


def parse_target(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < Decimal("0.01") or value > Decimal("1e15"):
        raise InputError(f"{text!r} is not an amount / 目标金额无效", [Finding(
            "decompose.target", f"{text!r} is not a positive amount", column="target", value=text,
            hint="e.g. ?target=1000000")])
    return value


@router.get("/plans/{plan_id}/decompose", response_class=HTMLResponse)
def decompose_page(request: Request, user: UserDep, plan_id: PlanId,
                   target: Annotated[str | None, Query(max_length=30)] = None) -> Response:
    sp = require_plan(request, user, "read", plan_id)
    data = plan_decompose.view(request, sp, parse_target(target))
    return render(request, "plan_decompose.html.j2", page_context(request, user, d=data, plan_id=plan_id))


@router.get("/plans/{plan_id}/contract.{fmt}")
def contract_file(request: Request, user: UserDep, plan_id: PlanId, fmt: Literal["html", "pdf", "md"],
                  lang_: Annotated[str | None, Query(alias="lang", max_length=10)] = None,
                  version: Annotated[int | None, Query(ge=1, le=10_000)] = None) -> Response:
    """The plan as a contract document (the same file as ``kpiguard plan export``)."""
    ws = workspace(request)
    permissions.require_plan(ws, user, "read", plan_id, version)  # a version that does not exist is a 404 too
    fmt_, tag = contract_export.check_options(fmt, lang_ or lang(request, user))
    source = contract_export.from_store(ws, plan_id, version)
    name = contract_export.default_name(source, fmt_, tag)
    disposition = "inline" if fmt_ == "html" else "attachment"
    return Response(contract_export.export(source, fmt_, tag), media_type=MEDIA[fmt_],
                    headers={"Content-Disposition": f'{disposition}; filename="{name}"'})
