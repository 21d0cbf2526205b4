"""Compile a table's measures into Ibis aggregates under the query's frame and policies.

Two shapes come back, because they combine differently:
- additive (sums and counts, money included): grouped by store, [sku], local day and currency,
  so that money is converted at the day's rate and days roll up into any period exactly;
- distinct (count distinct, repeat buyers, listed SKUs, reviews): grouped by the output
  dimensions and period bucket in SQL, since they cannot be added across days or stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
from ibis.expr.types import DateValue, StringValue, Table

from kpiguard.metrics.catalog import Measure
from kpiguard.metrics.definitions import Policies
from kpiguard.metrics.rowsets import (
    DATE_ROLES,
    ROW_FILTERS,
    StoreChoices,
    counted_lines,
    value_expr,
)
from kpiguard.metrics.tables import LakeReader

ADDITIVE_AGGS = ("sum", "count")
ADDITIVE_CUSTOM = ("cogs", "inventory_unit_days", "stockout_days", "tracked_days")
INVENTORY_CUSTOM = {"inventory_unit_days": "inventory_unit_days", "stockout_days": "stockout_sku_days",
                    "tracked_days": "tracked_sku_days"}


@dataclass(frozen=True)
class Frame:
    stores: tuple[str, ...]
    dims: tuple[str, ...]  # of: store, platform, marketplace, sku
    grain: str | None
    date_from: date
    date_to: date
    policies: Policies
    choices: StoreChoices
    store_rows: tuple[tuple[str, str, str], ...]  # store_id, platform, marketplace

    @property
    def by_sku(self) -> bool:
        return "sku" in self.dims

    def dim_columns(self) -> list[str]:
        return ["store_id" if d == "store" else d for d in self.dims]

    def store_attribute(self, t: Table, name: str) -> StringValue:
        """A store's platform or marketplace as a column (a CASE on store_id, not a join)."""
        at = {"platform": 1, "marketplace": 2}[name]
        return t.store_id.cases(*((row[0], row[at]) for row in self.store_rows), else_=None)

    def stores_sql(self) -> str:
        """The stores as an SQL relation ``(VALUES ...) st(store_id, platform, marketplace)``."""
        def q(text: str) -> str:
            return "'" + text.replace("'", "''") + "'"
        rows = ", ".join(f"({q(a)}, {q(b)}, {q(c)})" for a, b, c in self.store_rows) or "(NULL, NULL, NULL)"
        return f"(VALUES {rows}) st(store_id, platform, marketplace)"


def is_additive(m: Measure) -> bool:
    return m.agg in ADDITIVE_AGGS or (m.custom in ADDITIVE_CUSTOM)


def dated(reader: LakeReader, m: Measure, frame: Frame) -> Table:
    """The measure's table, current rows of the frame's stores, with ``_day`` (and the store's
    platform and marketplace when the query groups by them)."""
    t = reader.current(m.table, frame.stores)
    if m.date == "refund_date" and frame.policies.refunds_booked_on == "order_period":
        t = _refunds_on_order_day(reader, t, frame)
        day: DateValue = t._order_day
    else:
        day = DATE_ROLES[m.date](t, frame.policies)
    t = t.mutate(_day=day, **{d: frame.store_attribute(t, d) for d in ("platform", "marketplace") if d in frame.dims})
    # the stores' parts may include shared rows (store=_all): keep the frame's stores only
    return t.filter(t.store_id.isin(list(frame.stores)) & (t._day >= frame.date_from) & (t._day <= frame.date_to))


def _refunds_on_order_day(reader: LakeReader, refunds: Table, frame: Frame) -> Table:
    orders = reader.current("order_lines", frame.stores)
    first_day = orders.group_by(["store_id", "order_id"]).aggregate(
        _order_day=DATE_ROLES["order_date"](orders, frame.policies).min())
    joined = refunds.left_join(first_day, ["store_id", "order_id"]).drop("store_id_right", "order_id_right")
    return joined.mutate(_order_day=joined._order_day.fill_null(DATE_ROLES["refund_date"](joined, frame.policies)))


def additive(reader: LakeReader, table: str, measures: list[Measure], frame: Frame) -> Table | None:
    """Sums and counts per store, [sku,] local day and currency: the rows money conversion needs."""
    plain = [m for m in measures if m.agg in ADDITIVE_AGGS]
    if not plain:
        return None
    t = dated(reader, plain[0], frame)
    keys = ["store_id", "_day"] + (["sku"] if frame.by_sku else [])
    currency = t.currency if "currency" in t.columns else ibis.null().cast("string")
    t = t.mutate(_currency=currency)
    aggs = {}
    for m in plain:
        keep = ROW_FILTERS[m.rows](t, frame.policies, frame.choices)
        value = value_expr(t, m.value, frame.policies)
        aggs[m.key] = value.sum(where=keep) if m.agg == "sum" else value.count(where=keep)
    return t.group_by([*keys, "_currency"]).aggregate(**aggs)


def bucket(day: DateValue, frame: Frame) -> DateValue:
    if frame.grain is None:
        return ibis.literal(frame.date_from)
    unit = {"day": None, "week": "W", "month": "M", "quarter": "Q"}[frame.grain]
    start = day if unit is None else day.truncate(unit)
    return ibis.greatest(start, ibis.literal(frame.date_from))


def distinct(reader: LakeReader, table: str, measures: list[Measure], frame: Frame) -> Table | None:
    """Distinct counts per output dimensions and period bucket (they do not add across days)."""
    plain = [m for m in measures if m.agg == "count_distinct"]
    if not plain:
        return None
    t = dated(reader, plain[0], frame)
    t = t.mutate(_bucket=bucket(t._day, frame))
    aggs = {}
    for m in plain:
        keep = ROW_FILTERS[m.rows](t, frame.policies, frame.choices)
        if m.value == "sku":
            keep &= t.quantity > 0
        aggs[m.key] = t[m.value].nunique(where=keep)
    return t.group_by([*frame.dim_columns(), "_bucket"]).aggregate(**aggs)


def repeat_buyers(reader: LakeReader, m: Measure, frame: Frame) -> Table:
    t = dated(reader, m, frame)
    t = t.mutate(_bucket=bucket(t._day, frame))
    t = t.filter(counted_lines(t, frame.policies, frame.choices) & t.buyer_hash.notnull())
    per_buyer = t.group_by([*frame.dim_columns(), "_bucket", "buyer_hash"]).aggregate(_orders=t.order_id.nunique())
    return per_buyer.group_by([*frame.dim_columns(), "_bucket"]).aggregate(
        **{m.key: per_buyer.buyer_hash.count(where=per_buyer._orders >= 2)})


def cogs(reader: LakeReader, m: Measure, frame: Frame) -> Table:
    """Units x (unit cost + first leg) at the cost row valid on the order day, in the cost's currency."""
    lines = dated(reader, m, frame)
    lines = lines.filter(counted_lines(lines, frame.policies, frame.choices)).mutate(_line=ibis.row_number())
    costs = reader.current("product_costs", None)
    costs = costs.select(c_store=costs.store_id, c_sku=costs.sku, c_from=costs.valid_from,
                         c_currency=costs.currency, c_unit=costs.unit_cost_minor, c_leg=costs.first_leg_minor)
    joined = lines.join(costs, [lines.sku == costs.c_sku, lines._day >= costs.c_from,
                                (costs.c_store.isnull() | (costs.c_store == lines.store_id))])
    latest = ibis.window(group_by=joined._line, order_by=[ibis.desc(joined.c_from), joined.c_store.isnull()])
    picked = joined.mutate(_rank=ibis.row_number().over(latest))
    picked = picked.filter(picked._rank == 0)
    amount = picked.quantity * (picked.c_unit.fill_null(0) + picked.c_leg.fill_null(0))
    keys = ["store_id", "_day"] + (["sku"] if frame.by_sku else [])
    return picked.mutate(_currency=picked.c_currency, _amount=amount).group_by([*keys, "_currency"]).aggregate(
        **{m.key: ibis._._amount.sum()})


def inventory_days(reader: LakeReader, frame: Frame, wanted: list[Measure]) -> Table:
    """Each SKU's latest snapshot on or before each day, carried forward (ASOF join)."""
    snaps = reader.current("inventory_snapshots", frame.stores)
    snaps = snaps.filter(snaps.snapshot_date_local <= frame.date_to)
    name = reader.con.create_view("kg_inventory_snaps", snaps, overwrite=True).get_name()
    sku_col = ", g.sku" if frame.by_sku else ""
    cols = {"inventory_unit_days": "sum(s.total_qty)",
            "stockout_sku_days": "count(*) FILTER (WHERE s.fulfillable_qty = 0)",
            "tracked_sku_days": "count(*)"}
    selects = ", ".join(f"{cols[INVENTORY_CUSTOM[str(m.custom)]]} AS {m.key}" for m in wanted)
    sql = f"""
        WITH skus AS (SELECT DISTINCT store_id, sku FROM {name}),
        cal AS (SELECT CAST(unnest(range(DATE '{frame.date_from}', DATE '{frame.date_to}' + INTERVAL 1 DAY,
                                          INTERVAL 1 DAY)) AS DATE) AS day),
        grid AS (SELECT * FROM skus CROSS JOIN cal)
        SELECT g.store_id, g.day AS _day{sku_col}, CAST(NULL AS VARCHAR) AS _currency, {selects}
        FROM grid g ASOF JOIN {name} s
          ON g.store_id = s.store_id AND g.sku = s.sku AND s.snapshot_date_local <= g.day
        GROUP BY ALL"""
    return reader.con.sql(sql)
