"""The command registers only the group a command line names, and every group for help."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main

from kpiguard.cli import main


@pytest.mark.parametrize(("args", "expected"), [
    (["import", "f.txt", "--store", "s"], "import"),
    (["--workspace", "/tmp/ws", "plan", "list"], "plan"),
    (["-w", "ws", "--debug", "score", "p"], "score"),
    (["--workspace=ws", "verify"], "verify"),
    (["--debug"], None),
    (["--help"], None),
    (["-w", "ws", "--help", "import"], None),  # help before a command: the whole list
    ([], None),
])
def test_command_name_skips_the_global_options(args: list[str], expected: str | None) -> None:
    assert main.command_name(args) == expected


def test_the_whole_command_has_every_name() -> None:
    group = typer.main.get_group(main.build())
    assert set(group.commands) == set(main.COMMANDS) | {"init"}


def test_one_command_loads_only_its_own_modules() -> None:
    # a fresh interpreter: `kpiguard import` must not load the web app, Ibis or openpyxl
    probe = ("import sys; from kpiguard.cli import main; import typer.main; "
             "g = typer.main.get_group(main.build('import')); "
             "print(sorted(g.commands), [m for m in ('ibis', 'openpyxl', 'kpiguard.web.app', 'fastapi') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "['import', 'init'] []"
