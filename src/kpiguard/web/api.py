"""The JSON API: every page's data under /api/, the same dicts the pages render.

Authentication by session cookie (with the X-CSRF-Token header for changes) or by
``Authorization: Bearer <token>`` (``kpiguard token create``). Described at /openapi.json.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from kpiguard import stores as stores_mod
from kpiguard.accounts.model import User
from kpiguard.metrics import catalog as catalog_mod
from kpiguard.web import views
from kpiguard.web.access import (
    cache,
    definition_sets,
    plan_for,
    stores_for,
    today,
    visible_plans,
    visible_stores,
    workspace,
)
from kpiguard.web.auth import current_user
from kpiguard.web.pages import _range

router = APIRouter(prefix="/api", tags=["api"])
UserDep = Annotated[User, Depends(current_user)]
JsonObject = dict[str, Any]


@router.get("/me")
def me(user: UserDep) -> JsonObject:
    """Who is signed in, in which organisation and role."""
    return {"email": user.email, "name": user.name, "org_id": user.org_id, "org_name": user.org_name,
            "org_kind": user.org_kind, "role": user.role, "lang": user.lang}


@router.get("/stores")
def stores(request: Request, user: UserDep) -> list[JsonObject]:
    """The stores the user may see."""
    ws = workspace(request)
    mine = set(visible_stores(request, user))
    return [s.to_dict() for s in stores_mod.list_stores(ws) if s.store_id in mine]


@router.get("/portfolio")
def portfolio(request: Request, user: UserDep) -> JsonObject:
    """Every visible store's latest month and every visible plan's latest score with its traffic light."""
    ws = workspace(request)
    return views.portfolio(ws, cache(request), visible_stores(request, user), visible_plans(request, user), today(request))


@router.get("/plans")
def plans(request: Request, user: UserDep) -> list[JsonObject]:
    """The latest version of every visible plan."""
    return [{"plan_id": sp.plan_id, "version": sp.version, "status": sp.status, "stores": list(sp.plan.stores),
             "title": {"en": sp.plan.title.en, "zh-CN": sp.plan.title.zh}, "plan_hash": sp.plan_hash,
             "periods": views.scoring_periods(sp.plan, today(request))}
            for sp in visible_plans(request, user)]


@router.get("/plans/{plan_id}")
def plan(request: Request, user: UserDep, plan_id: str) -> JsonObject:
    """One plan: its terms, status and signatures."""
    return plan_for(request, user, plan_id).to_dict()


@router.get("/plans/{plan_id}/score")
def plan_score(request: Request, user: UserDep, plan_id: str,
               period: Annotated[str | None, Query(description="2026-10 (or 2026Q4); default the latest")] = None) -> JsonObject:
    """The scorecard: the same object as ``kpiguard score PLAN --period P --json``."""
    sp = plan_for(request, user, plan_id)
    chosen = period or views.latest_period(sp.plan, today(request)) or f"{sp.plan.period.start:%Y-%m}"
    return views.scorecard(workspace(request), cache(request), plan_id, chosen, today(request))


@router.get("/explain/{metric}")
def explain(request: Request, user: UserDep, metric: str,
            store: Annotated[list[str] | None, Query()] = None,
            date_from: Annotated[date | None, Query(alias="from")] = None,
            date_to: Annotated[date | None, Query(alias="to")] = None,
            period: str | None = None, currency: str | None = None,
            definitions_key: Annotated[str, Query(alias="definitions")] = "standard@1",
            limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> JsonObject:
    """A metric's formula, policies, SQL, contributing rows and raw files."""
    start, end = _range(str(date_from) if date_from else None, str(date_to) if date_to else None, period,
                        today(request))
    return views.drilldown(workspace(request), metric, stores_for(request, user, store), start, end, currency,
                           definitions_key, limit)


@router.get("/definitions")
def definitions(request: Request, user: UserDep) -> JsonObject:
    """The metric catalog and the definition sets (统计口径); frozen_by names only one's own plans."""
    return {"sets": definition_sets(request, user),
            "metrics": [m.model_dump(by_alias=True) for m in catalog_mod.load().metrics]}
