"""Fixtures of the accounts tests: the world is built once (Argon2 is slow on purpose), copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from kpiguard.workspace import Workspace
from tests.accounts.world import World, build


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world, read-only. One catalog connection stays open meanwhile, as in a server: DuckDB then
    reuses the open database for every ``ws.connect()`` instead of reopening the file (~100 ms)."""
    home = tmp_path_factory.mktemp("accounts") / "ws"
    Workspace(home).init()
    building = duckdb.connect(str(Workspace(home).catalog_path))
    built = build(home)
    building.close()  # the last connection: DuckDB checkpoints, so the folder can be copied
    keep_open = duckdb.connect(str(built.ws.catalog_path))
    yield built
    keep_open.close()


@pytest.fixture
def world_files(world_template: World, tmp_path: Path) -> World:
    """A fresh copy of the world, free to change, with no connection open (for CLI subprocesses)."""
    home = tmp_path / "ws"
    shutil.copytree(world_template.ws.home, home)
    return World(Workspace(home), dict(world_template.tokens))


@pytest.fixture
def world(world_files: World) -> Iterator[World]:
    """A fresh copy of the world, free to change, its catalog kept open meanwhile (see above)."""
    keep_open = duckdb.connect(str(world_files.ws.catalog_path))
    yield world_files
    keep_open.close()


class FakeClock:
    """Now, as the tests say; ``advance`` moves it forward."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 10, 1, 9, 0, 0, tzinfo=UTC))
