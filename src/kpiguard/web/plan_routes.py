"""The contract workflow's routes in one place: plan and event pages and their JSON twins.

``create_app`` calls ``install(app)`` once; the order matters only within a router (``/plans/new``
is declared before ``/plans/{plan_id}``).
"""

from __future__ import annotations

from fastapi import FastAPI

from kpiguard.web import api_events, api_plans, pages_events, pages_plan_edit, pages_plans


def install(app: FastAPI) -> None:
    for router in (api_plans.router, api_events.router, pages_plans.router, pages_plan_edit.router,
                   pages_events.router):
        app.include_router(router)
