"""The ``kpiguard`` command. Thin: parse options, call one service, print, map errors.

Every command takes ``--workspace DIR`` before the subcommand (default ``$KPIGUARD_HOME`` or
``./kpiguard-data``). A ``UserError`` prints its findings and exits 2; anything else is a bug,
printed as one line unless ``--debug``.

Command groups are registered lazily: ``kpiguard import`` loads the importer's modules and not
the web app's, Ibis or openpyxl, which the other groups pull in (loading every group took ~2.2 s
of a command's start-up). Only ``kpiguard --help``, an unknown command and ``app`` (for tests)
register them all.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Annotated

import typer

from kpiguard.cli.output import err_console, report_user_error
from kpiguard.cli.state import STATE
from kpiguard.errors import UserError
from kpiguard.workspace import Workspace, default_home

Registrar = Callable[[typer.Typer, str], None]  # adds the command or group ``name`` to the app


def _command(module: str, function: str) -> Registrar:
    def register(app: typer.Typer, name: str) -> None:
        app.command(name)(getattr(import_module(f"kpiguard.cli.{module}"), function))
    return register


def _group(module: str, attribute: str = "app") -> Registrar:
    def register(app: typer.Typer, name: str) -> None:
        app.add_typer(getattr(import_module(f"kpiguard.cli.{module}"), attribute), name=name)
    return register


def _own_register(module: str) -> Registrar:
    """A module that registers several names itself (``register(app)``)."""
    def register(app: typer.Typer, _name: str) -> None:
        import_module(f"kpiguard.cli.{module}").register(app)
    return register


_ALERTS = _own_register("alerts")  # cli/alerts.py: the `alerts` and `webhook` groups
_ACCOUNTS = _own_register("accounts")  # cli/accounts.py: `org`, `user`, `access`, `token` groups and `grant`

COMMANDS: dict[str, Registrar] = {  # command name -> how to register it (in the order help lists them)
    "store": _group("stores"),
    "import": _command("importing", "import_command"),
    "formats": _command("importing", "formats_command"),
    "verify": _command("verifying", "verify_command"),
    "demo": _command("demo", "demo_command"),
    "query": _command("querying", "query_command"),
    "explain": _command("querying", "explain_command"),
    "reconcile": _command("querying", "reconcile_command"),
    "metrics": _group("catalogs", "metrics_app"),
    "definitions": _group("catalogs", "definitions_app"),
    "plan": _group("plans"),
    "score": _command("scoring", "score_command"),
    "settle": _command("settlement", "settle_command"),
    "serve": _command("serve", "serve_command"),
    "attribute": _command("attribution", "attribute_command"),
    "event": _group("events"),
    "dependency": _group("events", "dependency_app"),
    "pace": _command("pacing", "pace_command"),  # cli/pacing.py: pacing with forecasts (进度追踪)
    "alerts": _ALERTS, "webhook": _ALERTS,
    "org": _ACCOUNTS, "user": _ACCOUNTS, "access": _ACCOUNTS, "token": _ACCOUNTS, "grant": _ACCOUNTS,
}
GLOBAL_OPTIONS_WITH_VALUE = ("--workspace", "-w")


def main(
    workspace: Annotated[Path | None, typer.Option("--workspace", "-w", help="workspace folder (default $KPIGUARD_HOME or ./kpiguard-data)")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="show tracebacks of internal errors")] = False,
) -> None:
    STATE.workspace = Workspace(workspace or default_home())
    STATE.debug = debug


def init_command() -> None:
    """Create an empty workspace (harmless if it exists). / 创建工作区"""
    STATE.workspace.init()
    err_console.print(f"workspace ready at {STATE.workspace.home}")


def build(only: str | None = None) -> typer.Typer:
    """The command with every group, or with just ``only`` (and ``init``) when it is a known name."""
    app = typer.Typer(
        name="kpiguard",
        help="KPI plans that seller and agency both sign / 卖家与服务商共同签署的KPI考核方案",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    app.callback()(main)
    names = [only] if only in COMMANDS else list(COMMANDS)
    done: set[Registrar] = set()
    for name in names:
        if COMMANDS[name] not in done:  # a module that registers several names does so once
            COMMANDS[name](app, name)
            done.add(COMMANDS[name])
    app.command("init")(init_command)
    return app


def command_name(args: list[str]) -> str | None:
    """The subcommand ``args`` name (after the global options), or None (help, no command)."""
    rest = iter(args)
    for arg in rest:
        if arg in GLOBAL_OPTIONS_WITH_VALUE:
            next(rest, None)
        elif arg.startswith("-"):  # --debug, --workspace=DIR, -wDIR; --help asks for every command
            if arg in ("--help", "-h"):
                return None
        else:
            return arg
    return None


def __getattr__(name: str) -> typer.Typer:
    """``from kpiguard.cli.main import app``: the command with every group (tests invoke it)."""
    if name == "app":
        return build()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run() -> None:
    as_json = "--json" in sys.argv
    app = build(command_name(sys.argv[1:]))
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
