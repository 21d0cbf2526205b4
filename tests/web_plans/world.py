"""The web-plans test world: the golden store with its signed plan, the demo accounts, a rival seller.

    gold-us (tests/scoring/golden.py)    owned by trailco; granted to bluewave; the operator's store
      gold-us-2026q4   signed by both parties (approval: both; events stockout, suspension, outage)
      gold-us-draft    a draft (the golden text with another id), for the permission tests
    rival-us           owned by rival (another seller organisation), nobody else's
      rival-us-draft   a draft on it: every trailco and bluewave user must get 404 for it

Users: the five demo accounts (``kpiguard.accounts.demo``), passwords from ``demo.password_of``.
"""

from __future__ import annotations

from pathlib import Path

from kpiguard.accounts import access, demo, orgs
from kpiguard.plans import io
from kpiguard.plans import store as plan_store
from kpiguard.workspace import Workspace
from tests.conftest import add_store
from tests.scoring.golden import PLAN_ID, PLAN_YAML, STORE, build

SIGNED = PLAN_ID  # gold-us-2026q4
DRAFT = "gold-us-draft"
RIVAL_STORE = "rival-us"
RIVAL_DRAFT = "rival-us-draft"
SELLER = "seller@trailco.example"
VIEWER = "viewer@trailco.example"
AUDITOR = "auditor@trailco.example"
MANAGER = "manager@bluewave.example"
OPERATOR = "operator@bluewave.example"


def text_for(plan_id: str, stores: str = STORE) -> str:
    """The golden plan's text under another id (and store): same terms, so the same lint findings."""
    return PLAN_YAML.replace(f"plan_id: {PLAN_ID}", f"plan_id: {plan_id}").replace(
        f"stores: [{STORE}]", f"stores: [{stores}]")


def create_world(home: Path) -> Workspace:
    ws = Workspace(home)
    ws.init()
    build(ws, home.parent / "files")
    add_store(ws, RIVAL_STORE, "amazon", "US")
    demo.seed(ws, [STORE])  # one store: granted to the agency and assigned to its operator
    orgs.add(ws, "rival", "Rival Goods Ltd", "seller", "test", name_zh="对手商贸")
    access.assign_owner(ws, RIVAL_STORE, "rival", "test")
    for plan_id, store in ((DRAFT, STORE), (RIVAL_DRAFT, RIVAL_STORE)):
        text = text_for(plan_id, store)
        plan_store.create(ws, io.load(text, plan_id)[0], "test", text)
    return ws
