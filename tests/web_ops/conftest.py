"""The operations pages' world: the golden store, a second store, the demo accounts, one alert check.

    gold-us    the golden store of tests/scoring/golden.py (every October figure worked out by hand
               there), its signed plan gold-us-2026q4, the stockout of 10-14 October approved
    other-us   Amazon US, no data, a draft plan other-us-2026q4 (the golden terms on this store)
    accounts   kpiguard.accounts.demo.seed: TrailCo (seller) owns both stores; BlueWave (agency) is
               granted gold-us only (the last store is kept back); its operator is assigned gold-us
    alerts     ``alerts check`` of gold-us-2026q4 as of 2026-10-15 (the inbox starts with its alerts)
    tokens     an API token per demo user (bearer calls need no CSRF token)

Built once per run (Argon2 and the imports take most of a minute; under ``pytest -n 2`` the first
worker builds it under a file lock and the other reuses it); each test works on its own copy.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kpiguard.accounts import demo, tokens
from kpiguard.alerts import service
from kpiguard.events import store as events
from kpiguard.plans import io
from kpiguard.plans import store as plan_store
from kpiguard.web.app import create_app
from kpiguard.workspace import Workspace
from tests.conftest import add_store, built_once
from tests.scoring import golden

TODAY = date(2026, 11, 10)  # October is scored provisionally (refunds stay open 60 days)
CHECKED = date(2026, 10, 15)  # the day of the alert check
OTHER = "other-us"
OTHER_PLAN = "other-us-2026q4"
SELLER, VIEWER, AUDITOR = "seller@trailco.example", "viewer@trailco.example", "auditor@trailco.example"
MANAGER, OPERATOR = "manager@bluewave.example", "operator@bluewave.example"
USERS = (SELLER, VIEWER, AUDITOR, MANAGER, OPERATOR)


@dataclass(frozen=True)
class OpsWorld:
    home: Path
    tokens: dict[str, str]

    def bearer(self, email: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[email]}"}


def build(root: Path) -> OpsWorld:
    ws = Workspace(root / "ws")
    ws.init()
    golden.build(ws, root / "files")
    add_store(ws, OTHER, "amazon", "US")
    plan, _ = io.load(golden.PLAN_YAML.replace(golden.PLAN_ID, OTHER_PLAN).replace("[gold-us]", f"[{OTHER}]"),
                      "other.yaml")
    plan_store.create(ws, plan, "test")
    demo.seed(ws, [golden.STORE, OTHER])
    e = events.propose(ws, events.Proposal(golden.PLAN_ID, "stockout", (golden.STORE,), *golden.STOCKOUT,
                                           "hero SKU out of stock", "provider", "Anna Smith", None))
    events.approve(ws, e.event_id, "seller", "Li Wei", "checked")
    service.check(ws, golden.PLAN_ID, CHECKED, "test", datetime(2026, 10, 16, 8, 0, tzinfo=UTC))
    return OpsWorld(ws.home, {email: tokens.create(ws, email, "tests", "test")[1] for email in USERS})


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> OpsWorld:
    def build_and_save(root: Path) -> None:
        built = build(root)
        (root / "world.json").write_text(json.dumps({"home": str(built.home), "tokens": built.tokens}))

    data = json.loads(built_once(tmp_path_factory, "web-ops-world", build_and_save).read_text())
    return OpsWorld(Path(data["home"]), data["tokens"])


@pytest.fixture
def world(template: OpsWorld, tmp_path: Path) -> OpsWorld:
    """A private copy of the workspace, free to change."""
    home = tmp_path / "ws"
    shutil.copytree(template.home, home)
    return OpsWorld(home, template.tokens)


@pytest.fixture
def app(world: OpsWorld) -> Iterator[FastAPI]:
    application = create_app(world.home, TODAY)
    yield application
    application.state.workspace.close()


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


def sign_in(app: FastAPI, email: str) -> tuple[TestClient, str]:
    """A browser-like client signed in as ``email`` (the real form), and its session's CSRF token."""
    browser = TestClient(app)
    form = browser.get("/login").text
    reply = browser.post("/login", data={"csrf_token": csrf_of(form), "email": email,
                                         "password": demo.password_of(email), "next": "/"}, follow_redirects=False)
    assert reply.status_code == 303, reply.text
    return browser, csrf_of(browser.get("/alerts").text)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found[1]
