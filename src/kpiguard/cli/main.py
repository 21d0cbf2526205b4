"""The ``kpiguard`` command. Thin: parse options, call one service, print, map errors.

Every command takes ``--workspace DIR`` before the subcommand (default ``$KPIGUARD_HOME`` or
``./kpiguard-data``). A ``UserError`` prints its findings and exits 2; anything else is a bug,
printed as one line unless ``--debug``.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from kpiguard.cli import (
    accounts,
    alerts,
    attribution,
    catalogs,
    demo,
    events,
    importing,
    pacing,
    plans,
    querying,
    scoring,
    serve,
    settlement,
    stores,
    verifying,
)
from kpiguard.cli.output import err_console, report_user_error
from kpiguard.cli.state import STATE
from kpiguard.errors import UserError
from kpiguard.workspace import Workspace, default_home

app = typer.Typer(
    name="kpiguard",
    help="KPI plans that seller and agency both sign / 卖家与服务商共同签署的KPI考核方案",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(stores.app, name="store")
app.command("import")(importing.import_command)
app.command("formats")(importing.formats_command)
app.command("verify")(verifying.verify_command)
app.command("demo")(demo.demo_command)
app.command("query")(querying.query_command)
app.command("explain")(querying.explain_command)
app.command("reconcile")(querying.reconcile_command)
app.add_typer(catalogs.metrics_app, name="metrics")
app.add_typer(catalogs.definitions_app, name="definitions")
app.add_typer(plans.app, name="plan")
app.command("score")(scoring.score_command)
app.command("settle")(settlement.settle_command)
app.command("serve")(serve.serve_command)
app.command("attribute")(attribution.attribute_command)
app.add_typer(events.app, name="event")
app.add_typer(events.dependency_app, name="dependency")
app.command("pace")(pacing.pace_command)  # cli/pacing.py: pacing with forecasts (进度追踪)
alerts.register(app)  # cli/alerts.py: the `alerts` and `webhook` groups
accounts.register(app)  # cli/accounts.py: `org`, `user`, `access`, `token` groups and `grant`


@app.callback()
def main(
    workspace: Annotated[Path | None, typer.Option("--workspace", "-w", help="workspace folder (default $KPIGUARD_HOME or ./kpiguard-data)")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="show tracebacks of internal errors")] = False,
) -> None:
    STATE.workspace = Workspace(workspace or default_home())
    STATE.debug = debug


@app.command("init")
def init_command() -> None:
    """Create an empty workspace (harmless if it exists). / 创建工作区"""
    STATE.workspace.init()
    err_console.print(f"workspace ready at {STATE.workspace.home}")


def run() -> None:
    as_json = "--json" in sys.argv
    try:
        # without standalone mode click returns a command's typer.Exit code instead of exiting
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except UserError as exc:
        report_user_error(exc, as_json)
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the one place a bug is turned into a message
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # a usage error from the CLI parser
            exc.show()
            sys.exit(2)
        if STATE.debug:
            traceback.print_exc()
        else:
            err_console.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}. "
                              "Run again with --debug for details and report it.", highlight=False)
        sys.exit(1)
