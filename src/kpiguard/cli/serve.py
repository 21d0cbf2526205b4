"""``kpiguard serve``: the web app on this machine (127.0.0.1 by default)."""

from __future__ import annotations

from typing import Annotated

import typer

from kpiguard.cli.output import console
from kpiguard.cli.scoring import parse_day
from kpiguard.cli.state import STATE


def serve_command(
    host: Annotated[str, typer.Option("--host", help="address to listen on (127.0.0.1: this machine only)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    today: Annotated[str | None, typer.Option("--today", help="pin 'today' (demos, reviews of a past month)")] = None,
    workers_note: Annotated[bool, typer.Option("--quiet", help="no access log")] = False,
) -> None:
    """Serve the pages and the JSON API. / 启动网页服务"""
    import uvicorn

    from kpiguard.web.app import create_app

    STATE.workspace.require()
    app = create_app(STATE.workspace.home, parse_day(today, "--today"))
    console.print(f"kpiguard serving {STATE.workspace.home} at http://{host}:{port}/ (API: /api/, /openapi.json)",
                  highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=not workers_note)
