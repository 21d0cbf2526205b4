"""Shared fixtures: a real workspace on disk, stores, a helper to run the real CLI, and worlds built
once per run (``built_once``)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from kpiguard import stores
from kpiguard.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """``<shared tmp>/<name>/world.json``, made by ``build(folder)`` once for the whole run.

    Under ``pytest -n 2`` every xdist worker has its own session: the first to get here builds in
    the run's shared temporary folder under a file lock, the others wait and reuse it. ``build``
    writes ``world.json`` last, so a folder without it is a build that failed half-way."""
    base = factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = shared / name
    saved = root / "world.json"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits here while the first one builds
        try:
            if not saved.exists():
                if root.exists():
                    shutil.rmtree(root)
                build(root)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return saved


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace(tmp_path / "ws")
    workspace.init()
    return workspace


def add_store(ws: Workspace, store_id: str, platform: str, market: str, **kw: str) -> stores.Store:
    store = stores.validate(store_id, platform, market, kw.get("currency"), kw.get("timezone"))
    return stores.add(ws, store, "test")


def rows(ws: Workspace, table: str, where: str = "true", order: str = "raw_row") -> list[dict]:
    """Every stored row of a canonical table (all versions, superseded included)."""
    if not ws.has_table_data(table):
        return []
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{ws.table_glob(table)}') WHERE {where} ORDER BY {order}")
    cols = rel.columns
    return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


def run_cli(ws: Workspace | Path, *args: str, env: dict[str, str] | None = None) -> CliResult:
    """Run the installed ``kpiguard`` in a subprocess, exactly as a user would."""
    home = ws.home if isinstance(ws, Workspace) else ws
    proc = subprocess.run(
        [sys.executable, "-m", "kpiguard", "--workspace", str(home), *args],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "200", **(env or {})}, timeout=600,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli() -> Iterator[object]:
    yield run_cli


def current_rows(ws: Workspace, table: str, order: str = "raw_row") -> list[dict]:
    """The current version of each row (latest state per natural key), as dicts."""
    from kpiguard.lake import current_sql

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    rel = con.sql(f"SELECT * FROM ({current_sql(ws, table)}) ORDER BY {order}")
    cols = rel.columns
    return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]
