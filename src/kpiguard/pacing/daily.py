"""Daily values of the measures behind metrics, per store: the raw material of pacing.

The metric engine answers *metrics*; pacing also needs their *parts* day by day. ACoS is ad spend
over ad sales, and the refund rate is refunded units over units ordered, a numerator no catalog
metric names. So this module runs the engine's own pipeline (the same measure compilation, row
choices, FX conversion at each day's rate and empty-day rule as ``engine.run``) grouped by store
and day, and hands back the measure values instead of a formula over them. A forecast is then made
of exactly the amounts the scorecard will add up.

It calls the engine's steps (``measures_for``, ``build_frame``, ``collect``) rather than ``run``
because it needs the measure values per store and day, before formulas turn them into metrics.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kpiguard.metrics import catalog as catalog_mod
from kpiguard.metrics import engine, measures
from kpiguard.metrics.catalog import Measure
from kpiguard.metrics.definitions import resolve
from kpiguard.metrics.tables import LakeReader
from kpiguard.workspace import Workspace

# (store, measure) -> day -> value in major units (money in the requested currency, or the store's)
Daily = dict[tuple[str, str], dict[date, Decimal]]


def day_additive(m: Measure) -> bool:
    """Whether a day's values add up to the period's: sums and counts, and distinct orders (an
    order has one purchase day, so distinct orders per day sum to distinct orders per period)."""
    return measures.is_additive(m) or (m.agg == "count_distinct" and m.value == "order_id")


def metric_measures(metric_key: str) -> set[str]:
    return catalog_mod.load().metric(metric_key).measures()


def pacable(metric_key: str) -> bool:
    """A metric can be forecast from daily parts when every measure in its formula is additive."""
    cat = catalog_mod.load()
    return all(day_additive(cat.measures[name]) for name in metric_measures(metric_key))


def load(ws: Workspace, stores: tuple[str, ...], metric_keys: tuple[str, ...], start: date, end: date,
         currency: str | None, definition_set: str, reader: LakeReader | None = None) -> Daily:
    """Every measure of ``metric_keys``, per store and local day over [start, end].

    A day without rows is 0 when the store has any data in the measure's table (as the engine
    says), and absent when it has none; ``currency=None`` keeps each store's own currency.
    """
    cat = catalog_mod.load()
    defs = resolve(ws, definition_set)
    rows = engine.load_stores(ws, stores)
    metrics = [cat.metric(k) for k in metric_keys]
    wanted = engine.measures_for(cat, metrics, defs)
    q = engine.Query(metric_keys, start, end, stores, ("store", "day"), currency, definition_set)
    reader = reader or LakeReader(ws)
    frame = engine.build_frame(reader, q, defs, rows, wanted)
    groups = engine.collect(reader, frame, wanted, rows, q, defs)
    with_data = {(m.table, s.store_id) for m in wanted.values() for s in rows if reader.has_data(m.table, s.store_id)}
    capped = defs.policies.ad_sales_capped_at_gmv
    out: Daily = {}
    for g in groups.values():
        store = str(g.key[0])
        values = dict(g.values)
        if capped and values.get("ad_sales_amount") is not None and values.get("gmv_amount") is not None:
            values["ad_sales_amount"] = min(values["ad_sales_amount"], values["gmv_amount"])  # type: ignore[type-var]
        for name, m in wanted.items():
            if (m.table, store) not in with_data:
                continue
            value = values.get(name)
            out.setdefault((store, name), {})[g.start] = Decimal(0) if value is None else value
    return out
