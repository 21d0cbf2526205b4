"""Platform-neutral records of what happened in a store, which writers render as real exports.

The demo generator simulates a store's life as these records; tests build a handful by hand. A
writer per report layout (``reportgen/<platform>_<report>.py``) turns them into the exact file a
seller downloads: the platform's headers (any version or locale), its value formats, encoding,
preamble, description rows and quirks. Amounts are ``Decimal`` in the record's currency; times are
time-zone aware.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Product:
    sku: str
    asin: str  # platform product id (ASIN, item number, SKU ID)
    title: str
    parent_asin: str = ""
    fnsku: str = ""
    unit_cost: Decimal = Decimal("0")  # purchase cost per unit, store currency
    first_leg: Decimal = Decimal("0")  # inbound freight per unit


@dataclass(frozen=True)
class OrderLine:
    order_id: str
    line_no: int  # 1-based within the order
    purchased_at: datetime
    updated_at: datetime
    status: str  # pending | unshipped | shipped | delivered | cancelled
    product: Product
    quantity: int
    unit_price: Decimal  # list price per unit before discounts, without tax
    currency: str
    tax: Decimal = Decimal("0")  # line tax
    shipping: Decimal = Decimal("0")  # shipping charged on this line
    discount: Decimal = Decimal("0")  # promotion discount on this line (positive)
    buyer: str = ""  # e-mail or username
    postal_code: str = ""
    country: str = ""
    fulfillment: str = "platform"  # platform (FBA, FBT ...) | merchant
    business: bool = False
    order_item_id: str = ""

    @property
    def line_total(self) -> Decimal:
        """item-price as Amazon writes it: the line total before discounts, without tax."""
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Refund:
    refund_id: str
    order_id: str
    product: Product
    refunded_at: datetime
    quantity: int
    amount: Decimal  # positive: money back to the buyer
    currency: str
    reason: str = "UNWANTED_ITEM"
    disposition: str = "SELLABLE"


@dataclass(frozen=True)
class TrafficRow:
    """Business-report traffic for one product over [start, end] (one day when start == end)."""

    start: date
    end: date
    product: Product
    sessions: int
    page_views: int
    units_ordered: int
    ordered_sales: Decimal
    order_items: int
    currency: str
    buy_box_pct: Decimal = Decimal("1")  # fraction
    sessions_b2b: int = 0
    units_ordered_b2b: int = 0
    ordered_sales_b2b: Decimal = Decimal("0")


@dataclass(frozen=True)
class AdRow:
    """Sponsored-ads performance for one product or search term over [start, end]."""

    start: date
    end: date
    campaign: str
    ad_group: str
    product: Product
    impressions: int
    clicks: int
    spend: Decimal
    sales: Decimal  # attributed sales within the window
    orders: int
    units: int
    currency: str
    targeting: str = ""
    match_type: str = ""
    search_term: str = ""
    portfolio: str = ""
    attribution_days: int = 7


@dataclass(frozen=True)
class FeeLine:
    """One settlement/transaction amount (long form: one row per amount component)."""

    settlement_id: str
    posted_at: datetime
    transaction_type: str  # Order | Refund | ServiceFee | Transfer | Adjustment
    order_id: str
    sku: str
    quantity: int
    amount_type: str  # ItemPrice | ItemFees | Promotion | ItemWithheldTax | ...
    amount_description: str  # Principal | Tax | Shipping | Commission | FBAPerUnitFulfillmentFee ...
    amount: Decimal  # signed: negative = paid by the seller
    currency: str


@dataclass(frozen=True)
class Settlement:
    settlement_id: str
    start: datetime
    end: datetime
    deposit: datetime
    total: Decimal
    currency: str
    lines: tuple[FeeLine, ...] = ()


@dataclass(frozen=True)
class InventoryRow:
    product: Product
    fulfillable: int
    reserved: int = 0
    unsellable: int = 0
    inbound: int = 0
    price: Decimal = Decimal("0")

    @property
    def total(self) -> int:
        return self.fulfillable + self.reserved + self.unsellable


@dataclass(frozen=True)
class ReviewSnapshot:
    day: date
    product: Product
    review_count: int
    avg_rating: Decimal


@dataclass(frozen=True)
class ServiceEvent:
    event_id: str
    order_id: str
    kind: str  # a_to_z_claim | negative_feedback | chargeback | complaint
    occurred_at: datetime
    status: str = "open"
    detail: str = ""


@dataclass(frozen=True)
class FxRate:
    day: date
    from_currency: str
    to_currency: str
    rate: Decimal


@dataclass
class StoreHistory:
    """Everything one simulated store produced; writers pick what their report shows."""

    store_id: str
    platform: str
    marketplace: str
    currency: str
    timezone: str
    products: list[Product] = field(default_factory=list)
    orders: list[OrderLine] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    traffic: list[TrafficRow] = field(default_factory=list)
    ads: list[AdRow] = field(default_factory=list)
    settlements: list[Settlement] = field(default_factory=list)
    inventory: dict[date, list[InventoryRow]] = field(default_factory=dict)
    reviews: list[ReviewSnapshot] = field(default_factory=list)
    service_events: list[ServiceEvent] = field(default_factory=list)
