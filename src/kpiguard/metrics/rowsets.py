"""Which rows a measure counts, and which day they fall on, under a definition set's policies.

Each named row filter and date role of ``catalog.yaml`` is one function here. Per-store choices
(which order report counts when a store has both the platform's export and an ERP export; store-
level or product-level traffic; the advertised-product or the search-term ads report) are made
once per query from what the lake holds, so the same order is never counted from two sources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import ibis
from ibis.expr.types import BooleanValue, DateValue, Table, Value

from kpiguard.metrics import partstats
from kpiguard.metrics.definitions import Policies
from kpiguard.metrics.tables import LakeReader, local_time

FEE_CATEGORIES = ("commission", "fulfillment_fee", "storage_fee", "other_fee", "service_fee")
DEFECT_KINDS = ("a_to_z_claim", "chargeback", "negative_feedback")
COMPLAINT_KINDS = ("complaint", *DEFECT_KINDS)


@dataclass
class StoreChoices:
    """Per store: the order source, traffic level and ads report kind that count."""

    order_source: dict[str, str] = field(default_factory=dict)
    store_level_traffic: set[str] = field(default_factory=set)
    ad_report_kind: dict[str, str] = field(default_factory=dict)


def choose(reader: LakeReader, stores: tuple[str, ...], policies: Policies, tables: set[str]) -> StoreChoices:
    """Per store: the order source, traffic level and ads report kind that count (from part footers)."""
    choices = StoreChoices()
    if "order_lines" in tables:
        present = partstats.column_values(reader, "order_lines", stores, "source")
        for store in stores:
            sources = {s for s in present.get(store, set()) if s is not None}
            ranked = [s for s in policies.order_sources if s in sources] + sorted(sources - set(policies.order_sources))
            if ranked:
                choices.order_source[store] = ranked[0]
    if "traffic" in tables and policies.traffic_level == "store_if_present":
        levels = partstats.null_presence(reader, "traffic", stores, "product_id")
        choices.store_level_traffic = {s for s, found in levels.items() if None in found}
    if "ad_performance" in tables:
        kinds = partstats.column_values(reader, "ad_performance", stores, "report_kind")
        for store, values in kinds.items():
            found = {k for k in values if k is not None}
            if found:
                choices.ad_report_kind[store] = "advertised_product" if "advertised_product" in found else sorted(found)[0]
    return choices


def _pairs_filter(t: Table, column: str, chosen: dict[str, str]) -> BooleanValue:
    """Rows of a chosen (store, value) pair: one comparison per row when every store chose the same."""
    if not chosen:
        return ibis.literal(False)
    values = set(chosen.values())
    if len(values) == 1:
        return t.store_id.isin(list(chosen)) & (t[column] == values.pop())
    return t.store_id.cases(*chosen.items(), else_=None) == t[column]


RowFilter = Callable[[Table, Policies, StoreChoices], BooleanValue]


def counted_lines(t: Table, p: Policies, c: StoreChoices) -> BooleanValue:
    keep = _pairs_filter(t, "source", c.order_source)
    if p.cancelled_lines == "exclude":
        keep &= t.order_status != "cancelled"
    if p.pending_lines == "exclude":
        keep &= t.order_status != "pending"
    elif p.pending_lines == "exclude_unpriced":
        keep &= ~((t.order_status == "pending") & t.item_price_minor.isnull())
    if p.b2b == "exclude":
        keep &= ~t.is_business_order.fill_null(False)
    return keep


def traffic_rows(t: Table, p: Policies, c: StoreChoices) -> BooleanValue:
    if p.traffic_level == "product":
        return t.product_id.notnull()
    store_level = list(c.store_level_traffic) or ["(none)"]
    return t.store_id.isin(store_level).ifelse(t.product_id.isnull(), t.product_id.notnull())


def ad_rows(t: Table, p: Policies, c: StoreChoices) -> BooleanValue:
    keep = _pairs_filter(t, "report_kind", c.ad_report_kind)
    window = ibis.cases(*[(t.ad_type.fill_null("SP") == k, v) for k, v in p.ad_attribution_days.items()], else_=7)
    return keep & (t.attribution_days.fill_null(window) == window)


ROW_FILTERS: dict[str, RowFilter] = {
    "counted_lines": counted_lines,
    "refund_rows": lambda t, p, c: t.kind == "refund",
    "return_rows": lambda t, p, c: t.kind == "return",
    "traffic_rows": traffic_rows,
    "ad_rows": ad_rows,
    "fee_rows": lambda t, p, c: t.category.isin(FEE_CATEGORIES),
    "principal_rows": lambda t, p, c: (t.category == "principal") & (t.transaction_type == "order"),
    "complaint_events": lambda t, p, c: t.kind.isin(COMPLAINT_KINDS),
    "defect_events": lambda t, p, c: t.kind.isin(DEFECT_KINDS),
    "all_rows": lambda t, p, c: ibis.literal(True),
}


def _zoned(local: DateValue, moment: Value, p: Policies) -> DateValue:
    if p.day_timezone == "marketplace":
        return local
    return local_time(p.day_timezone, moment).date()  # type: ignore[no-any-return]


DATE_ROLES: dict[str, Callable[[Table, Policies], DateValue]] = {
    "order_date": lambda t, p: _zoned(t.order_date_local, t.purchased_at_utc, p),
    "refund_date": lambda t, p: _zoned(t.refund_date_local, t.refunded_at_utc, p),
    "posted_date": lambda t, p: _zoned(t.posted_date_local, t.posted_at_utc, p),
    "event_date": lambda t, p: _zoned(t.event_date_local, t.occurred_at_utc, p),
    "traffic_date": lambda t, p: t.period_start_local,
    "ad_date": lambda t, p: t.period_start_local,
    "snapshot_date": lambda t, p: t.snapshot_date_local,
}


def value_expr(t: Table, value: str, p: Policies) -> Value:
    """A measure's value column; two are computed under the policies."""
    if value == "gmv_line_amount":
        amount = t.item_price_minor.fill_null(0)
        if p.gmv_includes_tax:
            amount += t.item_tax_minor.fill_null(0)
        if p.gmv_includes_shipping:
            amount += t.shipping_minor.fill_null(0)
        if p.gmv_includes_gift_wrap:
            amount += t.gift_wrap_minor.fill_null(0)
        return amount
    if value == "fee_amount":
        return -t.amount_minor
    return t[value]
