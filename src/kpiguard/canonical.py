"""The canonical tables every platform's reports map into.

One schema per table, as (column, DuckDB type) pairs. Conventions the metric layer relies on:
- money is ``*_minor`` BIGINT in the row's ``currency`` (see ``money.py``); discounts and refunds
  are stored as positive amounts, fees as signed amounts (negative = the seller pays);
- ``*_utc`` columns are TIMESTAMPTZ in UTC, ``*_local`` columns are DATE in the store's time zone;
- every row carries its lineage: ``raw_sha256`` (the imported file), ``raw_row`` (1-based row in
  that file), ``import_id`` and ``source`` (the report format's key);
- ``natural_key`` lists the columns that identify the same fact across overlapping exports; when
  two imports carry the same key, the row with the latest ``source_updated_utc`` wins (then the
  later import), and the superseded rows stay in the lake for audit.
"""

from __future__ import annotations

from dataclasses import dataclass

LINEAGE: tuple[tuple[str, str], ...] = (
    ("store_id", "VARCHAR"),
    ("source", "VARCHAR"),
    ("source_updated_utc", "TIMESTAMPTZ"),
    ("import_id", "BIGINT"),
    ("raw_sha256", "VARCHAR"),
    ("raw_row", "BIGINT"),
)


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[tuple[str, str], ...]
    natural_key: tuple[str, ...]
    partition_date: str | None  # the local date a row belongs to (an import's date range, months with data)
    description: str

    @property
    def all_columns(self) -> tuple[tuple[str, str], ...]:
        return self.columns + LINEAGE

    def column_names(self) -> list[str]:
        return [name for name, _ in self.all_columns]


ORDER_LINES = TableSpec(
    "order_lines",
    (
        ("order_id", "VARCHAR"),
        ("line_id", "VARCHAR"),
        ("purchased_at_utc", "TIMESTAMPTZ"),
        ("order_date_local", "DATE"),
        ("order_status", "VARCHAR"),  # pending | unshipped | shipped | delivered | cancelled
        ("status_raw", "VARCHAR"),
        ("sku", "VARCHAR"),
        ("product_id", "VARCHAR"),  # ASIN, eBay item number, TikTok SKU ID ...
        ("product_name", "VARCHAR"),
        ("quantity", "BIGINT"),
        ("currency", "VARCHAR"),
        ("item_price_minor", "BIGINT"),  # line total before promotion discounts, without tax
        ("item_tax_minor", "BIGINT"),
        ("shipping_minor", "BIGINT"),
        ("shipping_tax_minor", "BIGINT"),
        ("gift_wrap_minor", "BIGINT"),
        ("promotion_discount_minor", "BIGINT"),  # positive = the buyer paid less
        ("fulfillment_channel", "VARCHAR"),  # platform | merchant
        ("sales_channel", "VARCHAR"),
        ("is_business_order", "BOOLEAN"),
        ("buyer_hash", "VARCHAR"),
        ("ship_postal_hash", "VARCHAR"),
        ("ship_country", "VARCHAR"),
    ),
    natural_key=("store_id", "source", "order_id", "line_id"),
    partition_date="order_date_local",
    description="One row per order line (item) as the order report shows it.",
)

REFUNDS = TableSpec(
    "refunds",
    (
        ("refund_id", "VARCHAR"),
        ("order_id", "VARCHAR"),
        ("sku", "VARCHAR"),
        ("product_id", "VARCHAR"),
        ("kind", "VARCHAR"),  # refund (money back) | return (goods back)
        ("refunded_at_utc", "TIMESTAMPTZ"),
        ("refund_date_local", "DATE"),
        ("quantity", "BIGINT"),
        ("currency", "VARCHAR"),
        ("amount_minor", "BIGINT"),  # positive = money returned to the buyer; NULL for returns
        ("reason", "VARCHAR"),
        ("disposition", "VARCHAR"),
    ),
    natural_key=("store_id", "source", "refund_id"),
    partition_date="refund_date_local",
    description="Refunds (money) and returns (goods), each on the date it happened.",
)

TRAFFIC = TableSpec(
    "traffic",
    (
        ("period_start_local", "DATE"),
        ("period_end_local", "DATE"),  # inclusive; equals the start for daily rows
        ("product_id", "VARCHAR"),  # child ASIN, or NULL for store-level rows
        ("parent_product_id", "VARCHAR"),
        ("sku", "VARCHAR"),
        ("sessions", "BIGINT"),
        ("page_views", "BIGINT"),
        ("units_ordered", "BIGINT"),
        ("order_items", "BIGINT"),
        ("currency", "VARCHAR"),
        ("ordered_sales_minor", "BIGINT"),
        ("buy_box_pct", "DECIMAL(9,6)"),  # a fraction, 0.9840
        ("sessions_b2b", "BIGINT"),
        ("units_ordered_b2b", "BIGINT"),
        ("ordered_sales_b2b_minor", "BIGINT"),
    ),
    natural_key=("store_id", "source", "period_start_local", "period_end_local", "product_id"),
    partition_date="period_start_local",
    description="Sessions and page views by day (or by reported period) and product.",
)

AD_PERFORMANCE = TableSpec(
    "ad_performance",
    (
        ("period_start_local", "DATE"),
        ("period_end_local", "DATE"),
        ("ad_type", "VARCHAR"),  # SP | SB | SD
        ("report_kind", "VARCHAR"),  # advertised_product | search_term
        ("campaign", "VARCHAR"),
        ("ad_group", "VARCHAR"),
        ("sku", "VARCHAR"),
        ("product_id", "VARCHAR"),
        ("targeting", "VARCHAR"),
        ("match_type", "VARCHAR"),
        ("search_term", "VARCHAR"),
        ("impressions", "BIGINT"),
        ("clicks", "BIGINT"),
        ("currency", "VARCHAR"),
        ("spend_minor", "BIGINT"),
        ("sales_minor", "BIGINT"),
        ("orders", "BIGINT"),
        ("units", "BIGINT"),
        ("attribution_days", "INTEGER"),
    ),
    natural_key=(
        "store_id", "source", "period_start_local", "period_end_local", "campaign", "ad_group",
        "sku", "product_id", "targeting", "match_type", "search_term",
    ),
    partition_date="period_start_local",
    description="Advertising by day or period, campaign, ad group and product or search term.",
)

FEES = TableSpec(
    "fees",
    (
        ("settlement_id", "VARCHAR"),
        ("posted_at_utc", "TIMESTAMPTZ"),
        ("posted_date_local", "DATE"),
        ("transaction_type", "VARCHAR"),  # order | refund | service_fee | adjustment | transfer ...
        ("order_id", "VARCHAR"),
        ("sku", "VARCHAR"),
        ("quantity", "BIGINT"),
        ("category", "VARCHAR"),  # principal | tax | shipping | promotion | commission | fulfillment_fee | other_fee | ...
        ("amount_type", "VARCHAR"),  # as the report names it
        ("amount_description", "VARCHAR"),
        ("currency", "VARCHAR"),
        ("amount_minor", "BIGINT"),  # signed as the report signs it: negative = paid by the seller
        ("line_key", "VARCHAR"),
    ),
    natural_key=("store_id", "source", "line_key"),
    partition_date="posted_date_local",
    description="Settlement and transaction lines: principal, fees, promotions, refunds, payouts.",
)

INVENTORY_SNAPSHOTS = TableSpec(
    "inventory_snapshots",
    (
        ("snapshot_at_utc", "TIMESTAMPTZ"),
        ("snapshot_date_local", "DATE"),
        ("sku", "VARCHAR"),
        ("product_id", "VARCHAR"),
        ("fulfillable_qty", "BIGINT"),
        ("reserved_qty", "BIGINT"),
        ("unsellable_qty", "BIGINT"),
        ("inbound_qty", "BIGINT"),
        ("total_qty", "BIGINT"),
        ("currency", "VARCHAR"),
        ("price_minor", "BIGINT"),
    ),
    natural_key=("store_id", "source", "snapshot_date_local", "sku"),
    partition_date="snapshot_date_local",
    description="Stock on hand per SKU as of a snapshot date.",
)

PRODUCT_COSTS = TableSpec(
    "product_costs",
    (
        ("sku", "VARCHAR"),
        ("valid_from", "DATE"),
        ("currency", "VARCHAR"),
        ("unit_cost_minor", "BIGINT"),  # purchase cost per unit
        ("first_leg_minor", "BIGINT"),  # 头程: inbound freight per unit
    ),
    natural_key=("store_id", "sku", "valid_from"),
    partition_date="valid_from",
    description="Cost of goods per SKU from a date on (user-supplied).",
)

FX_RATES = TableSpec(
    "fx_rates",
    (
        ("rate_date", "DATE"),
        ("from_currency", "VARCHAR"),
        ("to_currency", "VARCHAR"),
        ("rate", "DECIMAL(18,8)"),  # 1 from_currency = rate to_currency
        ("rate_table", "VARCHAR"),
    ),
    natural_key=("rate_table", "rate_date", "from_currency", "to_currency"),
    partition_date="rate_date",
    description="Exchange rates by day (user-supplied).",
)

REVIEWS = TableSpec(
    "reviews",
    (
        ("snapshot_date_local", "DATE"),
        ("product_id", "VARCHAR"),
        ("sku", "VARCHAR"),
        ("review_count", "BIGINT"),
        ("avg_rating", "DECIMAL(4,2)"),
    ),
    natural_key=("store_id", "source", "snapshot_date_local", "product_id"),
    partition_date="snapshot_date_local",
    description="Review count and average rating per product as of a date.",
)

CS_EVENTS = TableSpec(
    "cs_events",
    (
        ("event_id", "VARCHAR"),
        ("order_id", "VARCHAR"),
        ("kind", "VARCHAR"),  # a_to_z_claim | negative_feedback | chargeback | complaint
        ("occurred_at_utc", "TIMESTAMPTZ"),
        ("event_date_local", "DATE"),
        ("status", "VARCHAR"),
        ("detail", "VARCHAR"),
    ),
    natural_key=("store_id", "source", "event_id"),
    partition_date="event_date_local",
    description="Customer-service events: claims, negative feedback, chargebacks, complaints.",
)

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        ORDER_LINES, REFUNDS, TRAFFIC, AD_PERFORMANCE, FEES, INVENTORY_SNAPSHOTS, PRODUCT_COSTS,
        FX_RATES, REVIEWS, CS_EVENTS,
    )
}


def table(name: str) -> TableSpec:
    return TABLES[name]
