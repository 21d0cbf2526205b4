"""The request's workspace, user, language and the plans and stores that user may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from kpiguard.accounts import permissions
from kpiguard.accounts.model import User
from kpiguard.accounts.permissions import Access, NotVisible
from kpiguard.metrics import definitions
from kpiguard.plans import store as plan_store
from kpiguard.plans.store import StoredPlan
from kpiguard.web import i18n
from kpiguard.web.identities import identities_of
from kpiguard.web.runtime import ResultCache, ServerWorkspace
from kpiguard.web.security import LANG_COOKIE, csrf_token
from kpiguard.workspace import Workspace


def workspace(request: Request) -> ServerWorkspace:
    ws: ServerWorkspace = request.app.state.workspace
    return ws


def cache(request: Request) -> ResultCache:
    result: ResultCache = request.app.state.cache
    return result


def today(request: Request) -> date:
    day: date = request.app.state.clock.now()
    return day


def lang(request: Request, user: User | None) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    return i18n.normalize(chosen or (user.lang if user else None))


def plan_for(request: Request, user: User, plan_id: str) -> StoredPlan:
    """The plan, if every one of its stores is visible to the user; else 404, as if it did not exist."""
    sp = plans_by_id(request).get(plan_id)
    if sp is None or not Access(user, frozenset(visible_stores(request, user))).sees_plan(sp):
        raise NotVisible(f"no plan {plan_id} / 没有该方案")
    return sp


def visible_stores(request_or_ws: Request | Workspace, user: User) -> list[str]:
    """The user's stores (every page needs them), remembered while the catalog is unchanged: a
    revoked grant or a removed assignment counts from the next request (web/identities.py)."""
    if not isinstance(request_or_ws, Request):
        return permissions.visible_stores(request_or_ws, user)
    ws = workspace(request_or_ws)
    return identities_of(request_or_ws.app.state).stores(ws, user, lambda: permissions.visible_stores(ws, user))


def all_plans(request: Request) -> list[StoredPlan]:
    """Every plan's latest version; parsed once per workspace generation (plan texts are YAML)."""
    ws = workspace(request)
    return cache(request).get(("plans", ws.generation()), lambda: plan_store.list_plans(ws))


def plans_by_id(request: Request) -> dict[str, StoredPlan]:
    ws = workspace(request)
    return cache(request).get(("plans-by-id", ws.generation()), lambda: {sp.plan_id: sp for sp in all_plans(request)})


def require_plan(request: Request, user: User, action: str, plan_id: str) -> StoredPlan:
    """``permissions.require_plan`` for the latest version, on the plans and stores read once per
    generation instead of parsing the plan's YAML on every request: the same answers, a 404 for a
    plan that is not the user's (or does not exist), a 403 for a role without the action."""
    acc = Access(user, frozenset(visible_stores(request, user)))
    return permissions.plan_allowed(acc, action, plan_id, plans_by_id(request).get(plan_id))


def visible_plans(request: Request, user: User) -> list[StoredPlan]:
    mine = set(visible_stores(request, user))
    return [sp for sp in all_plans(request) if set(sp.plan.stores) <= mine]


def stores_for(request: Request, user: User, wanted: list[str] | None) -> tuple[str, ...]:
    """The stores asked for (all visible ones by default); one that is not visible is a 404."""
    mine = visible_stores(request, user)
    if not wanted:
        return tuple(mine)
    hidden = [s for s in wanted if s not in mine]
    if hidden:
        raise NotVisible(f"no store {', '.join(hidden)}")
    return tuple(wanted)


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def page_context(request: Request, user: User, **extra: Any) -> dict[str, Any]:
    chosen = lang(request, user)
    return {"request": request, "user": user, "lang": chosen, "t": lambda key: i18n.t(key, chosen),
            "csrf": csrf_token(request), "extra_nav": request.app.state.extra_nav, **extra}


def definition_sets(request: Request, user: User) -> list[dict[str, Any]]:
    """The definition sets, naming only the plans the user may see among those that froze each."""
    mine = {sp.plan_id for sp in visible_plans(request, user)}
    out = []
    for s in definitions.list_sets(workspace(request)):
        frozen = [p for p in (s.get("frozen_by") or "").split(", ") if p]
        out.append({**s, "frozen": bool(frozen), "frozen_by": ", ".join(p for p in frozen if p in mine) or None})
    return out
