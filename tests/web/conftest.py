"""Fixtures of the web tests: one world for the whole run, a copy per module, a real server.

The world (``world.py``) takes about half a minute to build, so it is built ONCE per run: under
``pytest -n 2`` every xdist worker has its own session, so the first worker to get here builds it
in the run's shared temporary folder under a file lock and the others wait and reuse it. Modules
never touch that template: each copies the workspace folder (small, a fraction of a second) and
works on its copy, so a test that uploads a file or signs a plan changes nothing for another.

``LiveServer`` runs uvicorn with ``create_app(home, TODAY)`` in a background thread on a free port
of 127.0.0.1: the real HTTP stack a browser talks to. Stopping it closes the app's catalog
connection, so the folder can be copied or used by the CLI again.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from kpiguard.web.app import create_app
from tests.conftest import built_once
from tests.web.world import TODAY, World, build

ARTIFACTS = Path(__file__).parents[1] / "artifacts" / "web"


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The world, built once for every xdist worker of the run; never changed (copy it)."""
    return World.load(built_once(tmp_path_factory, "web-world", lambda root: build(root).save(root / "world.json")))


def copy_world(template: World, dest: Path) -> World:
    """A private copy of the template's workspace under ``dest`` (the report files are shared)."""
    home = dest / "ws"
    shutil.copytree(template.home, home)
    return template.moved(home)


@pytest.fixture(scope="module")
def world(world_template: World, tmp_path_factory: pytest.TempPathFactory) -> World:
    """This module's own copy of the world, free to change."""
    return copy_world(world_template, tmp_path_factory.mktemp("web"))


class LiveServer:
    """uvicorn serving ``app`` on 127.0.0.1 in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        with contextlib.suppress(OSError):
            self.sock.close()
        self.app.state.workspace.close()  # release the catalog for copies and the CLI


@contextlib.contextmanager
def live_server(home: Path) -> Iterator[LiveServer]:
    server = LiveServer(create_app(home, TODAY)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def server(world: World) -> Iterator[LiveServer]:
    """A real server on this module's copy of the world, today pinned to 2026-11-10."""
    with live_server(world.home) as running:
        yield running


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (tests/artifacts is git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
