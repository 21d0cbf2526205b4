"""Fixtures: the world is built once (imports and Argon2 are slow), copied for every test, and served
in-process by the real app (``create_app``) through FastAPI's TestClient, signed in per user."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kpiguard.accounts import demo
from kpiguard.web.app import create_app
from kpiguard.workspace import Workspace
from tests.web_plans.world import create_world

TODAY = date(2026, 11, 27)  # October 2026 is scored; November has started


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("web-plans") / "ws"
    create_world(home)
    return home


@pytest.fixture
def app(world_template: Path, tmp_path: Path) -> Iterator[FastAPI]:
    home = tmp_path / "ws"
    shutil.copytree(world_template, home)
    served = create_app(home, TODAY)
    yield served
    served.state.workspace.close()


@pytest.fixture
def ws(app: FastAPI) -> Workspace:
    """The served workspace (the server's one open catalog connection, as in production)."""
    served: Workspace = app.state.workspace
    return served


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


@pytest.fixture
def client_for(app: FastAPI) -> Callable[[str], TestClient]:
    """A browser signed in as a demo user (the sign-in form, its CSRF cookie and the session cookie)."""
    def sign_in(email: str) -> TestClient:
        client = TestClient(app)
        token = csrf_of(client.get("/login").text)
        answer = client.post("/login", data={"email": email, "password": demo.password_of(email),
                                             "csrf_token": token, "next": "/plans"}, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        return client
    return sign_in


def csrf(client: TestClient, page: str = "/plans") -> str:
    """The session's CSRF token, as a page of the app carries it."""
    return csrf_of(client.get(page).text)
