"""Options given before the subcommand, shared by every command of one invocation."""

from __future__ import annotations

from dataclasses import dataclass, field

from kpiguard.workspace import Workspace, default_home


@dataclass
class CliState:
    workspace: Workspace = field(default_factory=lambda: Workspace(default_home()))
    debug: bool = False


STATE = CliState()
