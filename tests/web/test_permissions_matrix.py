"""Every route of the app x every role: allowed, 403 or 404, and nothing of another organisation.

The routes are read from the app itself (``app.routes``, routers included): a route without a
line in ``CASES`` fails ``test_every_route_has_an_expectation``, so a new page cannot ship without
someone deciding who may use it. The expectations are written by hand from the role definitions
in ``kpiguard/accounts/model.py`` (``ROLE_ACTIONS``):

    seller_admin     everything on trailco's stores
    seller_viewer    read
    agency_manager   read, import, plan_edit, plan_propose, plan_sign, event_propose, event_decide
    agency_operator  read, import, plan_edit (only gold-us, the store assigned to it)
    auditor          read, audit_read
    anonymous        nothing: pages answer 303 to /login, /api/ answers 401

Actions by route: reading a store, plan, event, import or statement needs ``read``; uploading
``import``; drafting and editing ``plan_edit``; proposing and amending ``plan_propose``; signing,
activating, issuing a statement and acknowledging an alert ``plan_sign`` (acting for a party);
proposing an event ``event_propose``, deciding one ``event_decide``; archiving ``archive_raw``;
the audit log and verifying the workspace ``audit_read``.

Each route is called with the path filled three ways:

* own: gold-us and its objects, which all five users see: the table's answer ("ok" is 2xx/3xx);
* withheld: trail-us and its draft plan, trailco's store the agency was not granted: 404 for the
  agency's two users, as if it did not exist (403 or 404 for a change);
* other: northpeak's store, plan, event, import, alert, statement and token: 404 for every read,
  403 or 404 for every change, never 2xx, and no page or list ever names northpeak's things.

Reads and the probes that must fail run on one server; each role's own changes run on its own
copy of the world, in the table's order (a draft is proposed after it was edited ...).
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kpiguard.accounts import sessions, users
from kpiguard.accounts.db import writing
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine
from kpiguard.web.app import create_app
from tests.scoring.golden import HERO
from tests.web.conftest import copy_world
from tests.web.matrix_world import MatrixObjects, add, plan_text
from tests.web.pages import app_routes, csrf_of
from tests.web.world import (
    DRAFT_PLAN,
    OTHER_ADMIN,
    OTHER_PLAN,
    OTHER_STORE,
    PLAN,
    ROLE_USERS,
    SECOND_STORE,
    STORE,
    TODAY,
    World,
)

ROLES = tuple(ROLE_USERS)
AGENCY = ("agency_manager", "agency_operator")
OK = "ok"  # 2xx or 3xx, and not a redirect to the sign-in page
LOGIN = "login"  # anonymous: 303 to /login on a page, 401 on /api/
VISIBLE = "visible"  # the user sees the thing: ok, or 400 when its state refuses the action
Expected = str | int
OTHER_MARKERS = ("peak-us", "northpeak", "NorthPeak", OTHER_ADMIN)
OWN_MARKERS = ("gold-us", "trail-us", "trailco", "TrailCo", "bluewave", "BlueWave")


def allow(*roles: str) -> dict[str, Expected]:
    """OK for ``roles``, 403 for the others (they see the thing; their role lacks the action)."""
    return {r: OK if r in roles else 403 for r in ROLES}


EVERYONE = allow(*ROLES)
PLAN_EDIT = allow("seller_admin", "agency_manager", "agency_operator")  # and import: the same three
PLAN_PROPOSE = allow("seller_admin", "agency_manager")  # plan_sign, event_propose, event_decide: the same two
AUDIT_READ = allow("seller_admin", "auditor")
ARCHIVE = allow("seller_admin")


@dataclass(frozen=True)
class Fill:
    """The objects a route's path and body name, for one role: its own, withheld or another's."""

    kind: str  # own | withheld | other
    plan: str  # a signed plan: scores, events, settlement
    store: str
    drafts: dict[str, str]
    proposed: dict[str, str]
    signed: dict[str, str]
    hashes: dict[str, str]
    decide_api: int
    decide_page: int
    evidence_event: int
    import_id: int
    alerts: dict[str, int]
    seq: int
    token: int

    def text(self, plan_id: str) -> str:
        return plan_text(plan_id, self.store)


Url = Callable[[Fill], str]
Body = Callable[[Fill], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # as the app declares it
    url: Url
    expect: dict[str, Expected]  # with the own objects, by role
    scope: str = ""  # the organisation's thing the path names: plan, store, event, import, alert, token
    body: Body | None = None
    anonymous: Expected = LOGIN


@functools.cache
def upload() -> bytes:
    """Two small November orders of the hero bottle: the file both import routes send."""
    at = datetime(2026, 11, 3, 20, 0, tzinfo=UTC)
    lines = [OrderLine(f"114-77{n:05d}-0000001", 1, at, at, "shipped", HERO, 1, D("20.00"), "USD") for n in (1, 2)]
    with tempfile.TemporaryDirectory() as folder:
        return amazon_all_orders.write(Path(folder) / "orders.txt", lines, version="sp-api").read_bytes()


def _event_form(f: Fill) -> dict[str, Any]:
    return {"data": {"type": "stockout", "from": "2026-11-02", "to": "2026-11-03", "store": f.store,
                     "note": "inbound shipment delayed"},
            "files": {"evidence": ("carrier-notice.txt", b"carrier notice: 2 days late\n", "text/plain")}}


def _new_plan(f: Fill, use: str) -> dict[str, Any]:
    """A new draft from a template: the form names one store per field, the API takes a list."""
    stores: dict[str, Any] = {"store": f.store} if use == "page" else {"stores": [f.store]}
    return {"template": "full_service/growth", **stores, "period": "2027-02", "plan_id": f"{f.store}-new-{use}"}


CASES: list[Case] = [
    # -- public: the schema, the docs, Plotly, the sign-in form, the language switch ----------------
    Case("GET", "/openapi.json", lambda f: "/openapi.json", EVERYONE, anonymous=OK),
    Case("GET", "/static/plotly.min.js", lambda f: "/static/plotly.min.js", EVERYONE, anonymous=OK),
    Case("GET", "/static/favicon.svg", lambda f: "/static/favicon.svg", EVERYONE, anonymous=OK),
    Case("GET", "/favicon.ico", lambda f: "/favicon.ico", EVERYONE, anonymous=OK),  # browsers ask by themselves
    Case("GET", "/login", lambda f: "/login", EVERYONE, anonymous=OK),  # signed in: 303 to /
    Case("GET", "/lang/{code}", lambda f: "/lang/en", EVERYONE, anonymous=OK),
    # -- the core pages and their API: everyone who sees the store reads them ------------------------
    Case("GET", "/api/tokens", lambda f: "/api/tokens", EVERYONE),
    Case("GET", "/api/me", lambda f: "/api/me", EVERYONE),
    Case("GET", "/api/stores", lambda f: "/api/stores", EVERYONE),
    Case("GET", "/api/portfolio", lambda f: "/api/portfolio", EVERYONE),
    Case("GET", "/api/plans", lambda f: "/api/plans", EVERYONE),
    Case("GET", "/api/plans/{plan_id}", lambda f: f"/api/plans/{f.plan}", EVERYONE, "plan"),
    Case("GET", "/api/plans/{plan_id}/score", lambda f: f"/api/plans/{f.plan}/score?period=2026-10", EVERYONE, "plan"),
    Case("GET", "/api/explain/{metric}", lambda f: f"/api/explain/gmv?store={f.store}&period=2026-10", EVERYONE,
         "store"),
    Case("GET", "/api/definitions", lambda f: "/api/definitions", EVERYONE),
    Case("GET", "/", lambda f: "/", EVERYONE),
    Case("GET", "/plans/{plan_id}/score", lambda f: f"/plans/{f.plan}/score?period=2026-10", EVERYONE, "plan"),
    Case("GET", "/explain/{metric}", lambda f: f"/explain/gmv?store={f.store}&period=2026-10", EVERYONE, "store"),
    Case("GET", "/definitions", lambda f: "/definitions", EVERYONE),
    # -- operations: imports, pacing, alerts, reconciliation, audit, settlement ------------------------
    Case("GET", "/api/imports", lambda f: f"/api/imports?store={f.store}", EVERYONE, "store"),
    Case("GET", "/api/imports/{import_id}", lambda f: f"/api/imports/{f.import_id}", EVERYONE, "import"),
    Case("GET", "/api/plans/{plan_id}/pace", lambda f: f"/api/plans/{f.plan}/pace", EVERYONE, "plan"),
    Case("GET", "/api/alerts", lambda f: "/api/alerts?all=true", EVERYONE),
    Case("GET", "/api/reconcile", lambda f: f"/api/reconcile?store={f.store}&period=2026-10", EVERYONE, "store"),
    Case("GET", "/api/audit", lambda f: "/api/audit", AUDIT_READ),
    Case("GET", "/api/verify", lambda f: "/api/verify", AUDIT_READ),
    Case("GET", "/api/plans/{plan_id}/settlement", lambda f: f"/api/plans/{f.plan}/settlement?period=2026-10",
         EVERYONE, "plan"),
    Case("GET", "/api/plans/{plan_id}/settlement/{seq}/export",
         lambda f: f"/api/plans/{f.plan}/settlement/{f.seq}/export?period=2026-10&format=md&lang=en", EVERYONE, "plan"),
    Case("GET", "/imports", lambda f: f"/imports?store={f.store}", EVERYONE, "store"),
    Case("GET", "/imports/{import_id}", lambda f: f"/imports/{f.import_id}", EVERYONE, "import"),
    Case("GET", "/plans/{plan_id}/pace", lambda f: f"/plans/{f.plan}/pace", EVERYONE, "plan"),
    Case("GET", "/alerts", lambda f: "/alerts?all=true", EVERYONE),
    Case("GET", "/reconcile", lambda f: f"/reconcile?store={f.store}&period=2026-10", EVERYONE, "store"),
    Case("GET", "/audit", lambda f: "/audit", AUDIT_READ),
    Case("GET", "/plans/{plan_id}/settlement", lambda f: f"/plans/{f.plan}/settlement?period=2026-10", EVERYONE,
         "plan"),
    # -- plans and events: reading -------------------------------------------------------------------
    Case("GET", "/api/plan-list", lambda f: "/api/plan-list", EVERYONE),
    Case("GET", "/api/plan-templates", lambda f: "/api/plan-templates", EVERYONE),
    Case("GET", "/api/plans/{plan_id}/view", lambda f: f"/api/plans/{f.plan}/view", EVERYONE, "plan"),
    Case("GET", "/api/plans/{plan_id}/lint", lambda f: f"/api/plans/{f.plan}/lint", EVERYONE, "plan"),
    Case("GET", "/api/plans/{plan_id}/decompose", lambda f: f"/api/plans/{f.plan}/decompose", EVERYONE, "plan"),
    Case("GET", "/api/events", lambda f: f"/api/events?plan={f.plan}", EVERYONE, "plan"),
    Case("GET", "/api/events/{event_id}", lambda f: f"/api/events/{f.evidence_event}", EVERYONE, "event"),
    Case("GET", "/plans", lambda f: "/plans", EVERYONE),
    Case("GET", "/plans/new", lambda f: "/plans/new", PLAN_EDIT),
    Case("GET", "/plans/{plan_id}", lambda f: f"/plans/{f.plan}", EVERYONE, "plan"),
    Case("GET", "/plans/{plan_id}/decompose", lambda f: f"/plans/{f.plan}/decompose", EVERYONE, "plan"),
    Case("GET", "/plans/{plan_id}/contract.{fmt}", lambda f: f"/plans/{f.plan}/contract.md", EVERYONE, "plan"),
    Case("GET", "/plans/{plan_id}/edit", lambda f: f"/plans/{f.drafts['page']}/edit", PLAN_EDIT, "plan"),
    Case("GET", "/plans/{plan_id}/amend", lambda f: f"/plans/{f.signed['page']}/amend", PLAN_PROPOSE, "plan"),
    Case("GET", "/events", lambda f: f"/events?plan={f.plan}", EVERYONE, "plan"),
    Case("GET", "/plans/{plan_id}/events/new", lambda f: f"/plans/{f.plan}/events/new", PLAN_PROPOSE, "plan"),
    Case("GET", "/events/{event_id}/evidence", lambda f: f"/events/{f.evidence_event}/evidence", EVERYONE, "event"),
    # -- changes, in the order one role makes them on its own copy -----------------------------------
    Case("POST", "/api/plans/{plan_id}/lint", lambda f: f"/api/plans/{f.plan}/lint", EVERYONE, "plan",
         lambda f: {"json": {"yaml": f.text(f.plan)}}),  # lints a text, saves nothing: a read
    Case("POST", "/api/plans/lint", lambda f: "/api/plans/lint", EVERYONE, "",
         lambda f: {"json": {"yaml": f.text("any-plan")}}),
    Case("PUT", "/api/plans/{plan_id}/draft", lambda f: f"/api/plans/{f.drafts['api']}/draft", PLAN_EDIT, "plan",
         lambda f: {"json": {"yaml": f.text(f.drafts["api"]).replace("notice_days: 30", "notice_days: 45")}}),
    Case("POST", "/api/plans/{plan_id}/propose", lambda f: f"/api/plans/{f.drafts['api']}/propose", PLAN_PROPOSE,
         "plan"),
    Case("POST", "/plans/{plan_id}/edit", lambda f: f"/plans/{f.drafts['page']}/edit", PLAN_EDIT, "plan",
         lambda f: {"data": {"yaml": f.text(f.drafts["page"]).replace("notice_days: 30", "notice_days: 45")}}),
    Case("POST", "/plans/{plan_id}/propose", lambda f: f"/plans/{f.drafts['page']}/propose", PLAN_PROPOSE, "plan"),
    Case("POST", "/api/plans/{plan_id}/sign", lambda f: f"/api/plans/{f.proposed['api']}/sign", PLAN_PROPOSE, "plan",
         lambda f: {"json": {"plan_hash": f.hashes[f.proposed["api"]]}}),
    Case("POST", "/plans/{plan_id}/sign", lambda f: f"/plans/{f.proposed['page']}/sign", PLAN_PROPOSE, "plan",
         lambda f: {"data": {"plan_hash": f.hashes[f.proposed["page"]]}}),
    Case("POST", "/api/plans/{plan_id}/activate", lambda f: f"/api/plans/{f.signed['api']}/activate", PLAN_PROPOSE,
         "plan"),
    Case("POST", "/api/plans/{plan_id}/amend", lambda f: f"/api/plans/{f.signed['api']}/amend", PLAN_PROPOSE, "plan",
         lambda f: {"json": {"yaml": f.text(f.signed["api"]).replace("notice_days: 30", "notice_days: 60"),
                             "reason": "longer notice"}}),
    Case("POST", "/plans/{plan_id}/activate", lambda f: f"/plans/{f.signed['page']}/activate", PLAN_PROPOSE, "plan"),
    Case("POST", "/plans/{plan_id}/amend", lambda f: f"/plans/{f.signed['page']}/amend", PLAN_PROPOSE, "plan",
         lambda f: {"data": {"yaml": f.text(f.signed["page"]).replace("notice_days: 30", "notice_days: 60"),
                             "reason": "longer notice"}}),
    Case("POST", "/api/plans/{plan_id}/events", lambda f: f"/api/plans/{f.plan}/events", PLAN_PROPOSE, "plan",
         _event_form),
    Case("POST", "/plans/{plan_id}/events/new", lambda f: f"/plans/{f.plan}/events/new", PLAN_PROPOSE, "plan",
         _event_form),
    Case("POST", "/api/events/{event_id}/{outcome}", lambda f: f"/api/events/{f.decide_api}/approve", PLAN_PROPOSE,
         "event", lambda f: {"json": {"note": "checked the inventory history"}}),
    Case("POST", "/events/{event_id}/{outcome}", lambda f: f"/events/{f.decide_page}/reject", PLAN_PROPOSE, "event",
         lambda f: {"data": {"note": "no evidence of a delay"}}),
    Case("POST", "/api/plans/{plan_id}/settlement", lambda f: f"/api/plans/{f.plan}/settlement?period=2026-10",
         PLAN_PROPOSE, "plan"),
    Case("POST", "/plans/{plan_id}/settlement", lambda f: f"/plans/{f.plan}/settlement", PLAN_PROPOSE, "plan",
         lambda f: {"data": {"period": "2026-10"}}),
    Case("POST", "/api/alerts/{alert_id}/ack", lambda f: f"/api/alerts/{f.alerts['api']}/ack", PLAN_PROPOSE,
         "alert"),
    Case("POST", "/alerts/{alert_id}/ack", lambda f: f"/alerts/{f.alerts['page']}/ack", PLAN_PROPOSE, "alert"),
    Case("POST", "/api/imports", lambda f: f"/api/imports?store={f.store}", PLAN_EDIT, "store",
         lambda f: {"files": {"file": ("orders.txt", upload(), "text/plain")}}),
    Case("POST", "/imports", lambda f: "/imports", PLAN_EDIT, "store",
         lambda f: {"data": {"store": f.store}, "files": {"file": ("orders.txt", upload(), "text/plain")}}),
    Case("POST", "/api/plans", lambda f: "/api/plans", PLAN_EDIT, "store", lambda f: {"json": _new_plan(f, "api")}),
    Case("POST", "/plans/new", lambda f: "/plans/new", PLAN_EDIT, "store", lambda f: {"data": _new_plan(f, "page")}),
    Case("POST", "/api/stores/{store_id}/archive", lambda f: f"/api/stores/{f.store}/archive", ARCHIVE, "store"),
    Case("POST", "/stores/{store_id}/archive", lambda f: f"/stores/{f.store}/archive", ARCHIVE, "store"),
    Case("POST", "/api/tokens", lambda f: "/api/tokens", EVERYONE, "", lambda f: {"json": {"name": "matrix"}}),
    Case("DELETE", "/api/tokens/{token_id}", lambda f: f"/api/tokens/{f.token}", EVERYONE, "token"),
    # a wrong password is a wrong password for everyone; signing out is last
    Case("POST", "/login", lambda f: "/login", dict.fromkeys(ROLES, 401), "",
         lambda f: {"data": {"email": "seller@trailco.example", "password": "not-the-password", "next": "/"}},
         anonymous=401),
    Case("POST", "/logout", lambda f: "/logout", dict.fromkeys(ROLES, 303), anonymous=303),  # to /login
]
SAFE = {"GET"}
CHANGES = [c for c in CASES if c.method not in SAFE]


# -- the world, the apps, the clients -----------------------------------------------------------------
@dataclass
class Matrix:
    template: World
    objects: MatrixObjects
    root: Path
    clients: list[TestClient] = field(default_factory=list)


@pytest.fixture(scope="module")
def matrix(world: World, tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    """This module's world with the objects every route acts on (no connection left open)."""
    root = tmp_path_factory.mktemp("matrix")
    return Matrix(world, add(world, root), root)


def party_of(role: str) -> str:
    return "provider" if role in AGENCY else "seller"


def fill(m: Matrix, kind: str, role: str | None) -> Fill:
    o, w = m.objects, m.template
    token = o.spare_tokens[ROLE_USERS[role]] if role else 1
    if kind == "own":
        party = party_of(role or "seller_admin")
        return Fill("own", PLAN, STORE, o.drafts, o.proposed, o.signed, o.hashes, o.decide[(party, "api")],
                    o.decide[(party, "page")], o.evidence_event, w.imports["own"], o.alerts, o.seq, token)
    if kind == "withheld":  # trailco's trail-us and its draft: objects of the same seller, not granted
        own = fill(m, "own", role)
        both = {"api": DRAFT_PLAN, "page": DRAFT_PLAN}
        return replace(own, kind="withheld", plan=DRAFT_PLAN, store=SECOND_STORE, drafts=both, proposed=both,
                       signed=both)
    both = {"api": OTHER_PLAN, "page": OTHER_PLAN}
    return Fill("other", OTHER_PLAN, OTHER_STORE, both, both, both, o.hashes, m.template.events["other"],
                m.template.events["other"], m.template.events["other"], w.imports["other"],
                {"api": o.alerts["other"], "page": o.alerts["other"]}, o.seq, o.spare_tokens[OTHER_ADMIN])


class Client:
    """A TestClient signed in as a user (a real session row and cookie) or anonymous, sending the
    CSRF token as the X-CSRF-Token header on every change, as the app's pages and scripts do."""

    def __init__(self, app: FastAPI, email: str | None) -> None:
        self.http = TestClient(app, follow_redirects=False)
        if email is None:
            self.csrf = csrf_of(self.http.get("/login").text)  # the pre-sign-in token (double submit)
        else:
            ws = app.state.workspace
            user = users.by_email(ws, email)
            with writing(ws) as con:
                raw, session = sessions.open_in(con, user.user_id, "testclient", datetime.now(UTC))
            self.http.cookies.set("kpiguard_session", raw)
            self.csrf = session.csrf_token

    def call(self, case: Case, f: Fill) -> httpx.Response:
        extra = case.body(f) if case.body else {}
        headers = {"X-CSRF-Token": self.csrf} if case.method not in SAFE else {}
        return self.http.request(case.method, case.url(f), headers=headers, **extra)


def served(home: Path) -> FastAPI:
    return create_app(home, TODAY)


@pytest.fixture(scope="module")
def reader(matrix: Matrix) -> Iterator[FastAPI]:
    """One server for every read and every probe that must fail (nothing it does changes a thing)."""
    world = copy_world(matrix.template, matrix.root / "reads")
    app = served(world.home)
    yield app
    app.state.workspace.close()


# -- judging answers ------------------------------------------------------------------------------------
def verdict(expected: Expected, case: Case, response: httpx.Response) -> bool:
    status = response.status_code
    to_login = status == 303 and response.headers.get("location", "").startswith("/login")
    if expected == OK:
        return 200 <= status < 400 and not to_login
    if expected == VISIBLE:
        return (200 <= status < 400 and not to_login) or status == 400
    if expected == LOGIN:
        return status == 401 if case.path.startswith("/api/") else to_login
    return status == expected


def hidden(case: Case) -> Expected:
    """What another organisation's thing answers: a read 404 (its existence is not confirmed); a change
    404, or 403 where a role that may never do it is stopped before the lookup."""
    return 404 if case.method in SAFE else "hidden"


def judge(expected: Expected, case: Case, response: httpx.Response) -> bool:
    if expected == "hidden":
        return response.status_code in (403, 404)
    return verdict(expected, case, response)


def show(role: str, kind: str, case: Case, url: str, expected: Expected, response: httpx.Response) -> str:
    return (f"{role:16} {kind:8} {case.method} {url} -> {response.status_code} (expected {expected}): "
            f"{response.text[:160]!r}")


def withheld_expectation(case: Case) -> Expected:
    """trail-us, trailco's store the agency was not granted, does not exist for the agency."""
    return 404 if case.method in SAFE else "hidden"


# The metric definitions (口径) page names the plans that froze each definition set: only one's own.
DEFINITIONS = ("/api/definitions", "/definitions")


def leaks(response: httpx.Response, markers: tuple[str, ...]) -> list[str]:
    if not (200 <= response.status_code < 300):
        return []
    text = response.text
    return [m for m in markers if m in text]


# -- the tests ---------------------------------------------------------------------------------------
def test_every_route_has_an_expectation(reader: FastAPI) -> None:
    declared = {(c.method, c.path) for c in CASES}
    served_routes = set(app_routes(reader))
    assert sorted(served_routes - declared) == [], "routes without an expectation: add them to CASES"
    assert sorted(declared - served_routes) == [], "expectations for routes the app no longer has"
    assert len(CASES) == len(declared)  # one line per route


def test_reads_of_every_role_and_nothing_of_another_organisation(matrix: Matrix, reader: FastAPI) -> None:
    wrong: list[str] = []
    for role, email in ROLE_USERS.items():
        client = Client(reader, email)
        for case in CASES:
            kinds = ["own", "withheld", "other"] if case.method in SAFE else ["withheld", "other"]
            for kind in kinds:
                if kind == "withheld" and (case.scope not in ("plan", "store") or role not in AGENCY):
                    continue  # for trailco's users trail-us is theirs like gold-us
                if kind == "other" and not case.scope:
                    continue
                f = fill(matrix, kind, role)
                expected = (case.expect[role] if kind == "own" else withheld_expectation(case)
                            if kind == "withheld" else hidden(case))
                response = client.call(case, f)
                if response.status_code >= 500 or not judge(expected, case, response):
                    wrong.append(show(role, kind, case, case.url(f), expected, response))
                found = leaks(response, OTHER_MARKERS)
                if found:
                    wrong.append(f"{role} {kind} {case.method} {case.url(f)} shows {found}")
    assert wrong == [], "\n".join(wrong)


def test_anonymous_gets_the_sign_in_page_or_401(matrix: Matrix, reader: FastAPI) -> None:
    client = Client(reader, None)
    wrong = []
    for case in CASES:
        f = fill(matrix, "own", "seller_admin")
        response = client.call(case, f)
        if not verdict(case.anonymous, case, response):
            wrong.append(show("anonymous", "own", case, case.url(f), case.anonymous, response))
    assert wrong == [], "\n".join(wrong)


def test_another_sellers_admin_sees_none_of_trailcos_things(matrix: Matrix, reader: FastAPI) -> None:
    """northpeak's admin, on every page and list and on its own plan and store: no trailco name, and
    trailco's objects are 404 to it (the reverse of the 'other' column above)."""
    client = Client(reader, OTHER_ADMIN)
    mine = fill(matrix, "other", None)
    theirs = fill(matrix, "own", "seller_admin")
    wrong = []
    for case in CASES:
        if case.method not in SAFE:
            continue
        response = client.call(case, mine)
        if response.status_code >= 500:
            wrong.append(show("northpeak", "own", case, case.url(mine), "no 5xx", response))
        found = leaks(response, OWN_MARKERS)
        if found:
            wrong.append(f"northpeak {case.url(mine)} shows {found}")
        if case.scope:
            response = client.call(case, theirs)
            if response.status_code != 404:
                wrong.append(show("northpeak", "trailco", case, case.url(theirs), 404, response))
    assert wrong == [], "\n".join(wrong)


def test_definitions_name_only_ones_own_plans(reader: FastAPI) -> None:
    seen = {}
    for email, markers in ((ROLE_USERS["seller_admin"], OTHER_MARKERS), (OTHER_ADMIN, OWN_MARKERS)):
        client = Client(reader, email)
        for path in DEFINITIONS:
            text = client.http.get(path).text
            seen[(email, path)] = [m for m in markers if m in text]
    assert seen == {key: [] for key in seen}


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_own_changes(matrix: Matrix, role: str) -> None:
    """Every change route with gold-us's objects, on a copy of the world for this role alone."""
    world = copy_world(matrix.template, matrix.root / f"changes-{role}")
    app = served(world.home)
    try:
        client = Client(app, ROLE_USERS[role])
        f = fill(matrix, "own", role)
        wrong = []
        for case in CHANGES:
            response = client.call(case, f)
            if not verdict(case.expect[role], case, response):
                wrong.append(show(role, "own", case, case.url(f), case.expect[role], response))
        assert wrong == [], "\n".join(wrong)
    finally:
        app.state.workspace.close()


def test_the_table_follows_the_role_definitions() -> None:
    """A check of the table against model.py's matrix: a route allowed to a role whose actions do
    not include the route's action would be a hole (the routes grouped by action by hand above)."""
    from kpiguard.accounts.permissions import ROLE_ACTIONS

    by_action = {"import": PLAN_EDIT, "plan_edit": PLAN_EDIT, "plan_propose": PLAN_PROPOSE, "plan_sign": PLAN_PROPOSE,
                 "event_propose": PLAN_PROPOSE, "event_decide": PLAN_PROPOSE, "audit_read": AUDIT_READ,
                 "archive_raw": ARCHIVE, "read": EVERYONE}
    for action, table in by_action.items():
        assert {r for r, e in table.items() if e == OK} == {r for r in ROLES if action in ROLE_ACTIONS[r]}, action
    assert sorted(ROLES) == sorted(ROLE_ACTIONS)
