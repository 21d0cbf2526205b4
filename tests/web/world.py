"""The web tests' world: the golden store and plan, the demo accounts, and an unrelated seller.

    trailco (seller, the demo's)   owns gold-us (tests/scoring/golden.py: hand-known October) and
                                   trail-us (no data; a draft plan)
    bluewave (agency, the demo's)  granted gold-us only (accounts.demo.seed grants all but the last
                                   store); its operator is assigned gold-us
    northpeak (seller, unrelated)  owns peak-us, with one import, a signed plan and an event;
                                   its admin admin@northpeak.example is the only user who sees them

Plans: gold-us-2026q4 (signed, the golden plan), trail-us-2026q4 (a draft on trail-us, the seller's
store the agency was not granted), peak-us-2026q4 (signed, northpeak's). Events: #1 a proposed
stockout on gold-us-2026q4 (a proposal moves no number until it is approved: the golden October
scorecard is unchanged), #2 a proposed stockout on peak-us-2026q4. Every user has an API token.

``build`` takes about half a minute (imports, and Argon2 for six passwords on purpose), so the
conftest builds it once for the whole run (all xdist workers) and every module works on a copy.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

from kpiguard.accounts import access, demo, orgs, tokens, users
from kpiguard.events import store as events
from kpiguard.ingest.load import import_file
from kpiguard.plans import io
from kpiguard.plans import store as plan_store
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine, Product
from kpiguard.workspace import Workspace
from tests.conftest import add_store
from tests.scoring import golden

TODAY = date(2026, 11, 10)  # October is provisional (refunds stay open 60 days), as in the golden test
PLAN = golden.PLAN_ID  # gold-us-2026q4
STORE = golden.STORE  # gold-us
SECOND_STORE = "trail-us"  # trailco's, not granted to the agency
DRAFT_PLAN = "trail-us-2026q4"
OTHER_STORE = "peak-us"
OTHER_PLAN = "peak-us-2026q4"
OTHER_ORG = "northpeak"

SELLER = "seller@trailco.example"
VIEWER = "viewer@trailco.example"
AUDITOR = "auditor@trailco.example"
MANAGER = "manager@bluewave.example"
OPERATOR = "operator@bluewave.example"
OTHER_ADMIN = "admin@northpeak.example"
OTHER_PASSWORD = "northpeak-admin-pass"
ROLE_USERS = {"seller_admin": SELLER, "seller_viewer": VIEWER, "agency_manager": MANAGER,
              "agency_operator": OPERATOR, "auditor": AUDITOR}

# golden October (golden.py): 22 weekdays x 20.00 + 9 weekend days x 50.00 = 890.00, less the five
# stockout days (Sat 10 .. Wed 14: 50 + 50 + 20 + 20 + 20 = 160.00) = 730.00 from 31 - 5 = 26 orders
OCTOBER_ORDERS = 26
OCTOBER_GMV = D("730.00")
PEAK_PRODUCT = Product("PEAK-1", "B0PEAK0001", "Peak tent", unit_cost=D("40.00"))


@dataclass
class World:
    home: Path
    tokens: dict[str, str] = field(default_factory=dict)  # e-mail -> API token
    imports: dict[str, int] = field(default_factory=dict)  # "own" / "other" -> an import id
    events: dict[str, int] = field(default_factory=dict)  # "own" / "other" -> an event id
    files: Path = Path()

    @property
    def ws(self) -> Workspace:
        return Workspace(self.home)

    def save(self, path: Path) -> None:
        data = {**asdict(self), "home": str(self.home), "files": str(self.files)}
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: Path, home: Path | None = None) -> World:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(home or Path(data["home"]), data["tokens"], data["imports"], data["events"], Path(data["files"]))

    def moved(self, home: Path) -> World:
        return World(home, dict(self.tokens), dict(self.imports), dict(self.events), self.files)


def password(email: str) -> str:
    return OTHER_PASSWORD if email == OTHER_ADMIN else demo.password_of(email)


def _plan_like_golden(plan_id: str, store_id: str) -> str:
    return golden.PLAN_YAML.replace(f"plan_id: {golden.PLAN_ID}", f"plan_id: {plan_id}").replace(
        f"stores: [{golden.STORE}]", f"stores: [{store_id}]")


def _add_plan(ws: Workspace, plan_id: str, store_id: str, signed: bool) -> None:
    text = _plan_like_golden(plan_id, store_id)
    plan, _ = io.load(text, f"{plan_id}.yaml")
    plan_store.create(ws, plan, "test", text)
    if signed:
        plan_store.propose(ws, plan_id, "test")
        plan_store.sign(ws, plan_id, "seller", "Li Wei")
        plan_store.sign(ws, plan_id, "provider", "Anna Smith")


def _stockout(ws: Workspace, plan_id: str, store_id: str) -> int:
    proposed = events.propose(ws, events.Proposal(plan_id, "stockout", (store_id,), *golden.STOCKOUT,
                                                  "hero SKU out of stock: inbound shipment delayed", "provider",
                                                  "Anna Smith"))
    return proposed.event_id


def peak_orders() -> list[OrderLine]:
    """Three orders of northpeak's store in October: 3 x 120.00."""
    out = []
    for n, day in enumerate((3, 12, 21), start=1):
        at = datetime(2026, 10, day, 18, 0, tzinfo=UTC)
        out.append(OrderLine(f"113-000000{n}-0000001", 1, at, at, "shipped", PEAK_PRODUCT, 1, D("120.00"), "USD"))
    return out


def build(root: Path) -> World:
    """Build the world under ``root`` (``root/ws`` the workspace, ``root/files`` the report files)."""
    files = root / "files"
    ws = Workspace(root / "ws")
    ws.init()
    golden.build(ws, files / "golden")
    own_import = min(_import_ids(ws))  # the All Orders report, the first import
    add_store(ws, SECOND_STORE, "amazon", "US")
    add_store(ws, OTHER_STORE, "amazon", "US")
    demo.seed(ws, [STORE, SECOND_STORE])  # the agency gets gold-us, not trail-us; the operator gold-us
    orgs.add(ws, OTHER_ORG, "NorthPeak Gear Co", "seller", "test", name_zh="北峰装备")
    users.add(ws, OTHER_ADMIN, "Ada Peak", OTHER_ORG, "seller_admin", OTHER_PASSWORD, "test", lang="en")
    access.assign_owner(ws, OTHER_STORE, OTHER_ORG, "test")
    files.mkdir(parents=True, exist_ok=True)
    other = import_file(ws, amazon_all_orders.write(files / "peak-orders.txt", peak_orders(), version="sp-api"),
                        OTHER_STORE)
    assert other.import_id is not None and other.rows_accepted == 3
    _add_plan(ws, DRAFT_PLAN, SECOND_STORE, signed=False)
    _add_plan(ws, OTHER_PLAN, OTHER_STORE, signed=True)
    world = World(root / "ws", files=files)
    world.events = {"own": _stockout(ws, PLAN, STORE), "other": _stockout(ws, OTHER_PLAN, OTHER_STORE)}
    world.imports = {"own": own_import, "other": other.import_id}
    for email in [*ROLE_USERS.values(), OTHER_ADMIN]:
        world.tokens[email] = tokens.create(ws, email, "web tests", "test")[1]
    return world


def _import_ids(ws: Workspace) -> list[int]:
    with ws.connect(read_only=True) as con:
        return [int(r[0]) for r in con.execute("SELECT import_id FROM imports ORDER BY import_id").fetchall()]
