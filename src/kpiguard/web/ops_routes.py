"""Wiring the operations pages into the app: their routers (HTML and ``/api/``) and nav links."""

from __future__ import annotations

from fastapi import FastAPI

from kpiguard.web import api_ops, pages_ops


def install(app: FastAPI) -> None:
    """Include the operations routers and add their pages to the navigation (``app.state.extra_nav``)."""
    app.include_router(api_ops.router)
    app.include_router(pages_ops.router)
    app.state.extra_nav.extend(pages_ops.NAV)
