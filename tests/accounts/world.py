"""The accounts test world: two sellers, two agencies, one user per role, plans on their stores.

    trailco (seller, the demo's)    owns trail-us, trail-de, trail-jp
    bluewave (agency, the demo's)   granted trail-us and trail-de (not trail-jp, the last store)
      operator@bluewave             assigned trail-us
    northpeak (seller, unrelated)   owns peak-us
    redfox (agency, unrelated)      granted peak-us

Plans: p-us (trail-us), p-usde (trail-us + trail-de), p-jp (trail-jp), p-peak (peak-us).
Every user also has an API token (``tokens[email]``) for the HTTP tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kpiguard.accounts import access, demo, orgs, tokens, users
from kpiguard.accounts.model import User
from kpiguard.plans import io
from kpiguard.plans import store as plan_store
from kpiguard.workspace import Workspace
from tests.conftest import add_store

TRAILCO_STORES = ["trail-us", "trail-de", "trail-jp"]
PEAK_STORE = "peak-us"
SELLER = "seller@trailco.example"
VIEWER = "viewer@trailco.example"
AUDITOR = "auditor@trailco.example"
MANAGER = "manager@bluewave.example"
OPERATOR = "operator@bluewave.example"
PEAK_ADMIN = "admin@northpeak.example"
FOX_MANAGER = "manager@redfox.example"
PASSWORDS = {**{u[0]: u[4] for u in demo.DEMO_USERS},
             PEAK_ADMIN: "northpeak-admin-pass", FOX_MANAGER: "redfox-manager-pass"}
PLANS = {"p-us": ["trail-us"], "p-usde": ["trail-us", "trail-de"], "p-jp": ["trail-jp"], "p-peak": [PEAK_STORE]}
CLEAN_PLAN = Path(__file__).parents[1] / "plans" / "fixtures" / "clean_plan.yaml"


@dataclass
class World:
    ws: Workspace
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, email: str) -> User:
        return users.by_email(self.ws, email)


def build(home: Path) -> World:
    ws = Workspace(home)
    ws.init()
    for store_id in [*TRAILCO_STORES, PEAK_STORE]:
        add_store(ws, store_id, "amazon", store_id.split("-")[1].upper())
    demo.seed(ws, TRAILCO_STORES)
    orgs.add(ws, "northpeak", "NorthPeak Gear Co", "seller", "test", name_zh="北峰装备")
    orgs.add(ws, "redfox", "RedFox Digital", "agency", "test", name_zh="赤狐数字")
    users.add(ws, PEAK_ADMIN, "Ada Peak", "northpeak", "seller_admin", PASSWORDS[PEAK_ADMIN], "test", lang="en")
    users.add(ws, FOX_MANAGER, "Rex Fox", "redfox", "agency_manager", PASSWORDS[FOX_MANAGER], "test")
    access.assign_owner(ws, PEAK_STORE, "northpeak", "test")
    access.grant(ws, PEAK_STORE, "redfox", "test")
    template, _ = io.load(CLEAN_PLAN.read_text(encoding="utf-8"), "clean_plan.yaml")
    for plan_id, stores in PLANS.items():
        plan_store.create(ws, template.model_copy(update={"plan_id": plan_id, "stores": stores}), "test")
    world = World(ws)
    for email in PASSWORDS:
        world.tokens[email] = tokens.create(ws, email, "tests", "test")[1]
    return world
