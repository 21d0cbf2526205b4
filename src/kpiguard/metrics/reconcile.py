"""Reconciliation: the same figure from different sources, side by side per day, gaps explained.

GMV can be read from the order report, the business report (ordered product sales), the
settlement or transaction report (order principal) and an ERP export; ad spend from the ads
report and from the settlement's advertising charges. They never agree to the cent, for known
reasons; this module names the likely one for each gap instead of leaving a seller to guess:
time zone shift (the gap moves to the neighbouring day), pending orders, tax included on one
side, refunds timing, and currency.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import ibis
from ibis.expr.types import Table

from kpiguard.metrics.engine import load_stores
from kpiguard.metrics.tables import LakeReader
from kpiguard.money import exponent
from kpiguard.workspace import Workspace

Series = dict[str, dict[date, Decimal]]  # source name -> day -> amount (major units)


@dataclass(frozen=True)
class ReconcileRequest:
    store: str
    date_from: date
    date_to: date
    metric: str = "gmv"  # gmv | ad_spend
    tolerance: Decimal = Decimal("0.01")  # relative gap flagged above this share (1%)


def _daily(t: Table, day: Any, amount: Any, currency: str, name_col: str | None = None) -> Series:
    grouped = t.mutate(_d=day, _a=amount, _n=t[name_col] if name_col else ibis.literal("x"))
    rows = grouped.group_by(["_n", "_d"]).aggregate(v=grouped._a.sum()).to_pyarrow().to_pylist()
    out: Series = defaultdict(dict)
    for r in rows:
        if r["v"] is not None:
            out[str(r["_n"])][r["_d"]] = Decimal(r["v"]).scaleb(-exponent(currency))
    return out


def gmv_sources(reader: LakeReader, store: str, start: date, end: date, currency: str) -> tuple[Series, Series]:
    """GMV by source, and the side series used to explain gaps (pending, tax, refunds)."""
    o = reader.current("order_lines", (store,))
    o = o.filter((o.order_date_local >= start) & (o.order_date_local <= end))
    counted = o.filter((o.order_status != "cancelled") & o.item_price_minor.notnull())
    series = {f"orders:{k}": v for k, v in
              _daily(counted, counted.order_date_local, counted.item_price_minor, currency, "source").items()}
    tr = reader.current("traffic", (store,))
    tr = tr.filter((tr.period_start_local >= start) & (tr.period_start_local <= end)
                   & (tr.period_start_local == tr.period_end_local))
    level = tr.filter(tr.product_id.isnull())
    business = _daily(level, level.period_start_local, level.ordered_sales_minor, currency)
    if "x" in business:
        series["business_report"] = business["x"]
    fees = reader.current("fees", (store,))
    fees = fees.filter((fees.posted_date_local >= start) & (fees.posted_date_local <= end)
                       & (fees.category == "principal") & (fees.transaction_type == "order"))
    series.update({f"settlement:{k}": v for k, v in
                   _daily(fees, fees.posted_date_local, fees.amount_minor, currency, "source").items()})
    side: Series = {}
    pending = o.filter(o.order_status == "pending")
    side["pending"] = _daily(pending, pending.order_date_local, pending.item_price_minor.fill_null(0), currency).get("x", {})
    side["tax"] = _daily(counted, counted.order_date_local, counted.item_tax_minor.fill_null(0), currency).get("x", {})
    refunds = reader.current("refunds", (store,))
    refunds = refunds.filter((refunds.kind == "refund") & (refunds.refund_date_local >= start)
                             & (refunds.refund_date_local <= end))
    side["refunds"] = _daily(refunds, refunds.refund_date_local, refunds.amount_minor, currency).get("x", {})
    return series, side


def ad_spend_sources(reader: LakeReader, store: str, start: date, end: date, currency: str) -> tuple[Series, Series]:
    ads = reader.current("ad_performance", (store,))
    ads = ads.filter((ads.period_start_local >= start) & (ads.period_start_local <= end)
                     & (ads.period_start_local == ads.period_end_local) & (ads.report_kind == "advertised_product"))
    series: Series = {}
    report = _daily(ads, ads.period_start_local, ads.spend_minor, currency)
    if "x" in report:
        series["ads_report"] = report["x"]
    fees = reader.current("fees", (store,))
    fees = fees.filter((fees.posted_date_local >= start) & (fees.posted_date_local <= end)
                       & (fees.category == "advertising"))
    charged = _daily(fees, fees.posted_date_local, -fees.amount_minor, currency)
    if "x" in charged:
        series["settlement_advertising"] = charged["x"]
    return series, {}


def reconcile(ws: Workspace, req: ReconcileRequest) -> dict[str, Any]:
    (store,) = load_stores(ws, (req.store,))
    reader = LakeReader(ws)
    build = gmv_sources if req.metric == "gmv" else ad_spend_sources
    series, side = build(reader, store.store_id, req.date_from, req.date_to, store.currency)
    days = [req.date_from + timedelta(days=i) for i in range((req.date_to - req.date_from).days + 1)]
    names = sorted(series)
    rows = [_day_row(d, names, series, side, req.tolerance) for d in days]
    return {"store": store.store_id, "metric": req.metric, "currency": store.currency,
            "period_start": str(req.date_from), "period_end": str(req.date_to), "sources": names,
            "tolerance": str(req.tolerance), "days": rows,
            "totals": {n: str(sum(series[n].values(), Decimal(0))) for n in names},
            "flagged_days": sum(1 for r in rows if r["flagged"])}


def _day_row(day: date, names: list[str], series: Series, side: Series, tolerance: Decimal) -> dict[str, Any]:
    values = {n: series[n].get(day, Decimal(0)) for n in names}
    present = [v for n, v in values.items() if series[n]]
    gap = (max(present) - min(present)) if len(present) > 1 else Decimal(0)
    base = max((abs(v) for v in present), default=Decimal(0))
    flagged = bool(base) and gap > base * tolerance
    causes = _causes(day, gap, values, series, side) if flagged else []
    return {"day": str(day), **{n: str(v) for n, v in values.items()}, "gap": str(gap),
            "flagged": flagged, "likely_causes": causes}


def _causes(day: date, gap: Decimal, values: dict[str, Decimal], series: Series, side: Series) -> list[str]:
    causes = []
    near = lambda a, b: abs(a - b) <= max(Decimal("0.01"), abs(b) * Decimal("0.02"))  # noqa: E731
    for neighbour in (day - timedelta(days=1), day + timedelta(days=1)):
        shifted = [series[n].get(neighbour, Decimal(0)) for n in values if series[n]]
        if len(shifted) > 1 and near(max(shifted) - min(shifted), gap):
            causes.append(f"time zone shift: a gap of the same size on {neighbour} (sources bucket days in different zones)")
            break
    for name, label in (("pending", "pending orders counted on one side only"),
                        ("tax", "tax included on one side"),
                        ("refunds", "refunds booked on a different date")):
        amount = side.get(name, {}).get(day, Decimal(0))
        if amount and near(amount, gap):
            causes.append(f"{label} ({amount})")
    return causes or ["unexplained: open the rows with kpiguard explain"]
