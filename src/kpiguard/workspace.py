"""Where a workspace's data lives, and how it is opened safely.

    <home>/
      workspace.json     identity: format version, the salt used to hash buyer identifiers
      catalog.duckdb     stores, imports, the ledger (hash chain) and later plans and users
      raw/ab/abcdef...   every imported file, byte for byte, named by its SHA-256
      lake/<table>/store=<id>/import-<n>.parquet   canonical rows, one part per import and store
      staging/<n>/       an import's files while it runs; moved into lake/ after it commits
      .lock              held by the process that writes

Crash safety: an import writes its raw copy and Parquet parts under ``staging/<n>/`` and commits
the catalog (import row, lake parts, ledger entry) in one DuckDB transaction. Only then are the
files moved into ``raw/`` and ``lake/``. ``recover()`` runs whenever a workspace is opened for
writing: staging folders whose import committed are rolled forward, the rest (a killed import) are
deleted. So a ``kill -9`` at any moment leaves the lake and catalog as they were, or as they will
be once the import is rolled forward.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from kpiguard.catalog import ensure_schema
from kpiguard.errors import WorkspaceError

FORMAT_VERSION = 1
DEFAULT_HOME = "./kpiguard-data"


def default_home() -> Path:
    return Path(os.environ.get("KPIGUARD_HOME", DEFAULT_HOME))


class Workspace:
    """A workspace folder. Cheap to construct; ``connect()`` opens the catalog."""

    def __init__(self, home: Path | str) -> None:
        self.home = Path(home)
        self.last_recovery: list[str] = []  # what the last write_lock() found and fixed

    # -- paths -------------------------------------------------------------------------------
    @property
    def catalog_path(self) -> Path:
        return self.home / "catalog.duckdb"

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def lake_dir(self) -> Path:
        return self.home / "lake"

    @property
    def staging_dir(self) -> Path:
        return self.home / "staging"

    def raw_path(self, sha256: str) -> Path:
        return self.raw_dir / sha256[:2] / sha256

    def table_dir(self, table: str) -> Path:
        return self.lake_dir / table

    def table_glob(self, table: str) -> str:
        return str(self.table_dir(table) / "**" / "*.parquet")

    def has_table_data(self, table: str) -> bool:
        return any(self.table_dir(table).rglob("*.parquet"))

    # -- identity ----------------------------------------------------------------------------
    @property
    def exists(self) -> bool:
        return (self.home / "workspace.json").exists()

    def init(self) -> None:
        """Create the folder layout and catalog; harmless on an existing workspace."""
        for d in (self.home, self.raw_dir, self.lake_dir, self.staging_dir):
            d.mkdir(parents=True, exist_ok=True)
        meta = self.home / "workspace.json"
        if not meta.exists():
            info = {"format_version": FORMAT_VERSION, "hash_salt": secrets.token_hex(16)}
            tmp = meta.with_suffix(".tmp")
            tmp.write_text(json.dumps(info, indent=2))
            os.replace(tmp, meta)
        with self.connect() as con:
            ensure_schema(con)

    def require(self) -> None:
        if not self.exists:
            raise WorkspaceError(
                f"no kpiguard workspace at {self.home}; create one with "
                f"'kpiguard --workspace {self.home} init' or run 'kpiguard demo'"
            )

    @property
    def hash_salt(self) -> str:
        return str(json.loads((self.home / "workspace.json").read_text())["hash_salt"])

    # -- connections -------------------------------------------------------------------------
    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        try:
            con = duckdb.connect(str(self.catalog_path), read_only=read_only)
        except duckdb.IOException as exc:
            raise WorkspaceError(
                f"cannot open the catalog {self.catalog_path}: {exc}. "
                "Is another kpiguard process writing to this workspace?"
            ) from exc
        try:
            con.execute("SET TimeZone = 'UTC'")
            con.execute("SET enable_progress_bar = false")  # never printed into a command's output
            yield con
        finally:
            con.close()

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer at a time; a second one is told, not made to wait forever."""
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.home / ".lock", "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise WorkspaceError(
                    f"the workspace {self.home} is being written by another kpiguard process; "
                    "wait for it to finish and try again"
                ) from exc
            try:
                self.last_recovery = self.recover()
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- crash recovery ----------------------------------------------------------------------
    def recover(self) -> list[str]:
        """Roll committed staging folders forward and uncommitted ones back. Returns actions."""
        if not self.staging_dir.exists() or not self.catalog_path.exists():
            return []
        actions: list[str] = []
        with self.connect() as con:
            ensure_schema(con)
            committed = {r[0] for r in con.execute("SELECT import_id FROM imports").fetchall()}
        for folder in sorted(self.staging_dir.iterdir()):
            if not folder.is_dir() or not folder.name.isdigit():
                if folder.is_dir():
                    shutil.rmtree(folder, ignore_errors=True)
                else:
                    folder.unlink()
                continue
            import_id = int(folder.name)
            if import_id in committed:
                publish_staged(folder, self)
                actions.append(f"completed import {import_id}")
            else:
                shutil.rmtree(folder)
                actions.append(f"rolled back unfinished import {import_id}")
        return actions


def publish_staged(folder: Path, ws: Workspace) -> None:
    """Move an import's staged raw file and Parquet parts into place; safe to repeat."""
    raw_folder = folder / "raw"
    if raw_folder.exists():
        for raw in raw_folder.iterdir():
            if len(raw.name) == 64:
                target = ws.raw_path(raw.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists():
                    raw.unlink()
                else:
                    os.replace(raw, target)
                    target.chmod(0o444)
    tables_root = folder / "lake"
    if tables_root.exists():
        for part in sorted(tables_root.rglob("*.parquet")):
            target = ws.lake_dir / part.relative_to(tables_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(part, target)
    shutil.rmtree(folder)
