"""Explain a number: its formula and policies, the SQL that ran, the rows and raw files behind it.

``explain`` is what a seller opens when an agency's figure looks wrong: every measure in the
metric's formula, with the definition set's policies that shaped it, how many canonical rows it
counted, which imported files (hash, name, import time) those rows came from, and, on request,
the rows themselves with their file row numbers. The web app calls the same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis

from kpiguard.metrics import catalog as catalog_mod
from kpiguard.metrics import engine
from kpiguard.metrics.catalog import Measure
from kpiguard.metrics.definitions import Policies
from kpiguard.metrics.measures import Frame, additive, dated, distinct
from kpiguard.metrics.rowsets import ROW_FILTERS
from kpiguard.metrics.tables import LakeReader
from kpiguard.workspace import Workspace

ROW_KEYS = {
    "order_lines": ["order_id", "line_id", "order_date_local", "order_status", "sku", "quantity", "currency",
                    "item_price_minor", "promotion_discount_minor"],
    "refunds": ["refund_id", "order_id", "kind", "refund_date_local", "sku", "quantity", "currency", "amount_minor"],
    "traffic": ["period_start_local", "period_end_local", "product_id", "sku", "sessions", "page_views"],
    "ad_performance": ["period_start_local", "campaign", "ad_group", "sku", "impressions", "clicks", "currency",
                       "spend_minor", "sales_minor", "orders", "attribution_days"],
    "fees": ["posted_date_local", "transaction_type", "order_id", "sku", "category", "currency", "amount_minor"],
    "cs_events": ["event_id", "order_id", "kind", "event_date_local"],
    "inventory_snapshots": ["snapshot_date_local", "sku", "fulfillable_qty", "total_qty"],
    "reviews": ["snapshot_date_local", "product_id", "review_count", "avg_rating"],
}
LINEAGE = ["store_id", "source", "raw_sha256", "raw_row", "import_id"]


@dataclass(frozen=True)
class ExplainRequest:
    metric: str
    date_from: date
    date_to: date
    stores: tuple[str, ...] | None = None
    definition_set: str = "standard@1"
    currency: str | None = None
    with_rows: bool = False
    row_limit: int = 200


def policies_for(m: Measure, p: Policies) -> dict[str, Any]:
    """The policies that change this measure's value, as the set states them."""
    out: dict[str, Any] = {}
    if m.date in ("order_date", "refund_date", "posted_date", "event_date"):
        out["day_timezone"] = p.day_timezone
    if m.date == "refund_date":
        out["refunds_booked_on"] = p.refunds_booked_on
    if m.rows == "counted_lines":
        out.update(cancelled_lines=p.cancelled_lines, pending_lines=p.pending_lines, b2b=p.b2b,
                   order_sources=p.order_sources)
    if m.value == "gmv_line_amount":
        out.update(gmv_source=p.gmv_source, gmv_includes_tax=p.gmv_includes_tax,
                   gmv_includes_shipping=p.gmv_includes_shipping, gmv_includes_gift_wrap=p.gmv_includes_gift_wrap)
    if m.table == "traffic":
        out["traffic_level"] = p.traffic_level
    if m.table == "ad_performance":
        out.update(ad_attribution_days=p.ad_attribution_days, ad_sales_capped_at_gmv=p.ad_sales_capped_at_gmv)
    if m.money:
        out["fx"] = p.fx.model_dump()
    return out


def explain(ws: Workspace, req: ExplainRequest) -> dict[str, Any]:
    cat = catalog_mod.load()
    q = engine.Query((req.metric,), req.date_from, req.date_to, req.stores, (), req.currency, req.definition_set)
    engine.validate(q, cat)
    metric = cat.metric(req.metric)
    reader = LakeReader(ws, full_rows=True)
    (value,) = engine.run(ws, q, reader)
    defs = engine.resolve(ws, req.definition_set)
    stores = engine.load_stores(ws, req.stores)
    wanted = engine.measures_for(cat, [metric], defs)
    frame = engine.build_frame(reader, q, defs, stores, wanted)
    files = _import_index(ws)
    return {
        "metric": metric.key, "name": metric.name.model_dump(by_alias=True), "unit": metric.unit,
        "formula": metric.formula, "description": metric.description.model_dump(by_alias=True),
        "definition_set": defs.key, "period_start": str(req.date_from), "period_end": str(req.date_to),
        "stores": list(frame.stores), "value": value.get(metric.key), "currency": value.get("currency"),
        "status": value["status"],
        "measures": [_measure(reader, m, frame, files, req) for m in wanted.values()],
    }


def _measure(reader: LakeReader, m: Measure, frame: Frame, files: dict[str, dict[str, Any]],
             req: ExplainRequest) -> dict[str, Any]:
    t = dated(reader, m, frame)
    t = t.filter(ROW_FILTERS[m.rows](t, frame.policies, frame.choices))
    agg = additive(reader, m.table, [m], frame) if m.agg in ("sum", "count") else distinct(reader, m.table, [m], frame)
    sources = t.group_by("raw_sha256").aggregate(rows=t.count()).to_pyarrow().to_pylist()
    out: dict[str, Any] = {
        "measure": m.key, "table": m.table, "formula": m.formula,
        "policies": policies_for(m, frame.policies),
        "sql": ibis.to_sql(agg if agg is not None else t),
        "contributing_rows": sum(int(s["rows"]) for s in sources),
        "raw_files": sorted(({"sha256": s["raw_sha256"], "rows": int(s["rows"]), **files.get(s["raw_sha256"], {})}
                             for s in sources), key=lambda f: (str(f.get("imported_at", "")), f["sha256"])),
    }
    if req.with_rows:
        cols = [c for c in ROW_KEYS.get(m.table, []) + LINEAGE if c in t.columns]
        rows = t.select(*cols).order_by(["raw_sha256", "raw_row"]).limit(req.row_limit)
        out["rows"] = [{k: _plain(v) for k, v in r.items()} for r in rows.to_pyarrow().to_pylist()]
    return out


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, int | str | bool) else str(value)


def _import_index(ws: Workspace) -> dict[str, dict[str, Any]]:
    with ws.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT raw_sha256, file_name, import_id, format_key, imported_at_utc, imported_by FROM imports").fetchall()
    return {r[0]: {"file": r[1], "import_id": r[2], "format": r[3], "imported_at": str(r[4]), "imported_by": r[5]}
            for r in rows}
