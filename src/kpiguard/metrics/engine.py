"""Answer a metric query: which metrics, which stores, which days, grouped how, in what currency.

The flow: resolve the definition set; choose per store which sources count (``rowsets.choose``);
compile each table's measures to Ibis and execute them (``measures``); roll additive day rows up
into period buckets, converting money at each day's rate (``fx``); evaluate each metric's formula
with Decimal; mark each bucket provisional or final by the set's restatement windows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kpiguard.errors import Finding, InputError, NotFoundError
from kpiguard.metrics import catalog as catalog_mod
from kpiguard.metrics import formula, measures, snapshot_measures
from kpiguard.metrics.catalog import Measure, Metric
from kpiguard.metrics.definitions import DefinitionSet, resolve
from kpiguard.metrics.fx import FxConverter
from kpiguard.metrics.rowsets import choose
from kpiguard.metrics.tables import LakeReader
from kpiguard.money import exponent
from kpiguard.periods import GRAINS, bucket_end, bucket_start
from kpiguard.workspace import Workspace

DIMS = ("store", "platform", "marketplace", "sku")
RATIO_PLACES = Decimal("0.000001")
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Query:
    metrics: tuple[str, ...]
    date_from: date
    date_to: date
    stores: tuple[str, ...] | None = None
    by: tuple[str, ...] = ()
    currency: str | None = None
    definition_set: str = "standard@1"
    as_of: date | None = None


@dataclass
class StoreRow:
    store_id: str
    platform: str
    marketplace: str
    currency: str
    timezone: str


@dataclass
class Group:
    key: tuple[Any, ...]
    start: date
    values: dict[str, Decimal | None] = field(default_factory=dict)
    stores: set[str] = field(default_factory=set)


def load_stores(ws: Workspace, wanted: tuple[str, ...] | None) -> list[StoreRow]:
    ws.require()
    with ws.connect(read_only=True) as con:
        rows = [StoreRow(*r) for r in con.execute(
            "SELECT store_id, platform, marketplace, currency, timezone FROM stores ORDER BY 1").fetchall()]
    if wanted is None:
        return rows
    known = {r.store_id for r in rows}
    missing = [s for s in wanted if s not in known]
    if missing:
        raise NotFoundError(f"unknown store {', '.join(missing)}", [Finding(
            "store.unknown", f"store {s!r} does not exist", column="--store", hint="see kpiguard store list")
            for s in missing])
    return [r for r in rows if r.store_id in wanted]


def validate(q: Query, cat: catalog_mod.Catalog) -> None:
    problems = [Finding("query.metric", f"unknown metric {m!r}", column="metrics",
                        hint="see kpiguard metrics list") for m in q.metrics if m not in set(cat.keys())]
    problems += [Finding("query.by", f"cannot group by {b!r}", column="--by",
                         hint=f"use {', '.join(DIMS + GRAINS)}") for b in q.by if b not in DIMS + GRAINS]
    if sum(1 for b in q.by if b in GRAINS) > 1:
        problems.append(Finding("query.by", "give at most one of day, week, month, quarter", column="--by"))
    if q.date_to < q.date_from:
        problems.append(Finding("query.range", "--to is before --from", column="--to"))
    if problems:
        raise InputError("the query cannot run", problems)


def run(ws: Workspace, q: Query, reader: LakeReader | None = None) -> list[dict[str, Any]]:
    cat = catalog_mod.load()
    validate(q, cat)
    defs = resolve(ws, q.definition_set)
    stores = load_stores(ws, q.stores)
    metrics = [cat.metric(k) for k in q.metrics]
    wanted = measures_for(cat, metrics, defs)
    reader = reader or LakeReader(ws)
    frame = build_frame(reader, q, defs, stores, wanted)
    groups = collect(reader, frame, wanted, stores, q, defs)
    with_data = {t: {s.store_id for s in stores if reader.has_data(t, s.store_id)}
                 for t in {m.table for m in wanted.values()}}
    return [_row(g, frame, metrics, wanted, stores, q, defs, with_data)
            for g in sorted(groups.values(), key=_sort_key)]


def _sort_key(g: Group) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in g.key) + (str(g.start),)


def measures_for(cat: catalog_mod.Catalog, metrics: list[Metric], defs: DefinitionSet) -> dict[str, Measure]:
    """Every measure the metrics need, with GMV switched to settlement principal if the set says so."""
    out: dict[str, Measure] = {}
    for metric in metrics:
        for name in metric.measures():
            m = cat.measures[name]
            if name == "gmv_amount" and defs.policies.gmv_source == "settlement":
                m = cat.measures["settlement_principal_amount"].model_copy(update={"key": "gmv_amount"})
            out[name] = m
    if defs.policies.ad_sales_capped_at_gmv and "ad_sales_amount" in out and "gmv_amount" not in out:
        out["gmv_amount"] = cat.measures["gmv_amount"]
    return out


def build_frame(reader: LakeReader, q: Query, defs: DefinitionSet, stores: list[StoreRow],
                wanted: dict[str, Measure]) -> measures.Frame:
    """The query's stores, dimensions, period grain and policies, with the per-store choices."""
    ids = tuple(s.store_id for s in stores)
    tables = {m.table for m in wanted.values()} | ({"order_lines"} if _needs_orders(wanted) else set())
    grain = next((b for b in q.by if b in GRAINS), None)
    dims = tuple(d for d in DIMS if d in q.by)
    return measures.Frame(ids, dims, grain, q.date_from, q.date_to, defs.policies,
                          choose(reader, ids, defs.policies, tables),
                          tuple((s.store_id, s.platform, s.marketplace) for s in stores))


def _needs_orders(wanted: dict[str, Measure]) -> bool:
    return any(m.custom == "listed_skus" for m in wanted.values())


def collect(reader: LakeReader, frame: measures.Frame, wanted: dict[str, Measure], stores: list[StoreRow],
            q: Query, defs: DefinitionSet) -> dict[tuple[Any, ...], Group]:
    """Run each table's queries and fold their rows into groups (one per output row)."""
    by_table: dict[str, list[Measure]] = defaultdict(list)
    for m in wanted.values():
        by_table[m.table].append(m)
    info = {s.store_id: s for s in stores}
    groups = _seed(frame, stores)
    money = {k for k, m in wanted.items() if m.money}
    fx = _converter(reader, defs) if money else None
    for table, ms in by_table.items():
        for expr in _day_exprs(reader, table, ms, frame):
            _add_day_rows(expr.to_pyarrow().to_pylist(), groups, frame, info, money, fx, q)
        for expr in _bucket_exprs(reader, table, ms, frame):
            _add_bucket_rows(expr.to_pyarrow().to_pylist(), groups, frame, [m.key for m in ms])
    return groups


def _day_exprs(reader: LakeReader, table: str, ms: list[Measure], frame: measures.Frame) -> list[Any]:
    exprs = [measures.additive(reader, table, ms, frame)]
    exprs += [measures.cogs(reader, m, frame) for m in ms if m.custom == "cogs"]
    inventory = [m for m in ms if m.custom in measures.INVENTORY_CUSTOM]
    if inventory:
        exprs.append(measures.inventory_days(reader, frame, inventory))
    return [e for e in exprs if e is not None]


def _bucket_exprs(reader: LakeReader, table: str, ms: list[Measure], frame: measures.Frame) -> list[Any]:
    exprs = [measures.distinct(reader, table, ms, frame)]
    exprs += [measures.repeat_buyers(reader, m, frame) for m in ms if m.custom == "repeat_buyers"]
    exprs += [snapshot_measures.listed_skus(reader, m, frame) for m in ms if m.custom == "listed_skus"]
    review = [m for m in ms if m.custom in ("review_gain", "rating_average")]
    if review:
        exprs.append(snapshot_measures.reviews(reader, review, frame, _buckets(frame)))
    return [e for e in exprs if e is not None]


def _buckets(frame: measures.Frame) -> list[tuple[str, str]]:
    out, day = [], frame.date_from
    while day <= frame.date_to:
        start = bucket_start(day, frame.grain, frame.date_from)
        end = bucket_end(start, frame.grain, frame.date_to)
        out.append((str(start), str(end)))
        day = end + timedelta(days=1)
    return out


def _seed(frame: measures.Frame, stores: list[StoreRow]) -> dict[tuple[Any, ...], Group]:
    """Every (store dims x bucket) gets a row even with no data, so a zero is shown as zero."""
    groups: dict[tuple[Any, ...], Group] = {}
    if frame.by_sku:
        return groups
    for start, _end in _buckets(frame):
        for s in stores:
            key = _dim_key(frame, s.store_id, s.platform, s.marketplace, None)
            g = groups.setdefault(key + (start,), Group(key, date.fromisoformat(start)))
            g.stores.add(s.store_id)
    return groups


def _dim_key(frame: measures.Frame, store: str | None, platform: str | None, market: str | None,
             sku: str | None) -> tuple[Any, ...]:
    values = {"store": store, "platform": platform, "marketplace": market, "sku": sku}
    return tuple(values[d] for d in frame.dims)


def _group(groups: dict[tuple[Any, ...], Group], key: tuple[Any, ...], start: date) -> Group:
    return groups.setdefault(key + (str(start),), Group(key, start))


def _add_day_rows(rows: list[dict[str, Any]], groups: dict[tuple[Any, ...], Group], frame: measures.Frame,
                  info: dict[str, StoreRow], money: set[str], fx: FxConverter | None, q: Query) -> None:
    for r in rows:
        store = info[r["store_id"]]
        key = _dim_key(frame, store.store_id, store.platform, store.marketplace, r.get("sku"))
        g = _group(groups, key, bucket_start(r["_day"], frame.grain, frame.date_from))
        g.stores.add(store.store_id)
        for name, value in r.items():
            if name in ("store_id", "_day", "sku", "_currency") or value is None:
                continue
            amount = Decimal(value)
            if name in money:
                amount = _to_target(amount, r["_currency"] or store.currency, r["_day"], g, frame, info, fx, q)
            g.values[name] = (g.values.get(name) or Decimal(0)) + amount


def _to_target(minor: Decimal, currency: str, day: date, g: Group, frame: measures.Frame,
               info: dict[str, StoreRow], fx: FxConverter | None, q: Query) -> Decimal:
    major = minor.scaleb(-exponent(currency))
    target = target_currency(q, frame, g, info)
    if target == currency or fx is None:
        return major
    return fx.convert(major, currency, target, day)


def target_currency(q: Query, frame: measures.Frame, g: Group, info: dict[str, StoreRow]) -> str:
    if q.currency:
        return q.currency
    currencies = {info[s].currency for s in (g.stores or info)}
    if len(currencies) == 1:
        return currencies.pop()
    raise InputError("the stores in one result use different currencies", [Finding(
        "query.currency", f"stores use {', '.join(sorted(currencies))}; money cannot be added across them",
        column="--currency", hint="give --currency USD (or CNY, EUR ...) or group --by store")])


def _add_bucket_rows(rows: list[dict[str, Any]], groups: dict[tuple[Any, ...], Group], frame: measures.Frame,
                     keys: list[str]) -> None:
    for r in rows:
        key = tuple(r.get("store_id" if d == "store" else d) for d in frame.dims)
        g = _group(groups, key, r["_bucket"])
        if "store_id" in r:
            g.stores.add(r["store_id"])
        for name in keys:
            if name in r and r[name] is not None:
                g.values[name] = Decimal(r[name])


def _converter(reader: LakeReader, defs: DefinitionSet) -> FxConverter:
    fx = defs.policies.fx
    t = reader.current("fx_rates", None)
    t = t.filter(t.rate_table.fill_null("default") == fx.rate_table)
    rows = t.select("rate_date", "from_currency", "to_currency", "rate").to_pyarrow().to_pylist()
    return FxConverter([(r["rate_date"], r["from_currency"], r["to_currency"], r["rate"]) for r in rows],
                       fx.method, fx.max_age_days)


def _row(g: Group, frame: measures.Frame, metrics: list[Metric], wanted: dict[str, Measure],
         stores: list[StoreRow], q: Query, defs: DefinitionSet, with_data: dict[str, set[str]]) -> dict[str, Any]:
    info = {s.store_id: s for s in stores}
    end = bucket_end(g.start, frame.grain, frame.date_to)
    out: dict[str, Any] = {}
    if "store" not in frame.dims and len(stores) == 1:
        out["store"] = stores[0].store_id  # a one-store query names its store, grouped or not
    out.update(zip(frame.dims, g.key, strict=True))
    out["period_start"], out["period_end"] = str(g.start), str(end)
    values = {k: g.values[k] if k in g.values else _empty(wanted[k], g, with_data) for k in wanted}
    cap = values.get("gmv_amount")
    if defs.policies.ad_sales_capped_at_gmv and values.get("ad_sales_amount") is not None and cap is not None:
        values["ad_sales_amount"] = min(values["ad_sales_amount"], cap)  # type: ignore[type-var]
    currency = target_currency(q, frame, g, info) if any(m.unit == "money" for m in metrics) else None
    if currency:
        out["currency"] = currency
    out["status"] = status(end, {m.table for m in wanted.values()}, defs, q.as_of)
    for metric in metrics:
        out[metric.key] = render(formula.evaluate(metric.formula, values), metric.unit, currency)
    return out


def _empty(m: Measure, g: Group, with_data: dict[str, set[str]]) -> Decimal | None:
    """No rows in the bucket: zero if the group's stores have any data in that table, else unknown."""
    return Decimal(0) if g.stores & with_data.get(m.table, set()) else None


def status(period_end: date, tables: set[str], defs: DefinitionSet, as_of: date | None) -> str:
    today = as_of or datetime.now(UTC).date()
    window = max((defs.policies.restatement_days.get(t, 0) for t in tables), default=0)
    return "final" if today > period_end + timedelta(days=window) else "provisional"


def render(value: Decimal | None, unit: str, currency: str | None) -> str | None:
    if value is None:
        return None
    if unit == "money" and currency:
        return str(value.quantize(Decimal(1).scaleb(-exponent(currency)), rounding=ROUND_HALF_UP))
    if unit == "count":
        return str(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if unit == "ratio":
        return str(value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP))
    return str(value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP))

