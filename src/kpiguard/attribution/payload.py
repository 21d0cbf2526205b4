"""The attribution report as JSON: decimal strings (never floats), every table with its comparison.

Rounding for people: money to the currency's minor unit, cvr and margins to 6 places, measured
sessions and orders as counted, target sessions rounded up to whole visits (as the plan's target
decomposition shows them) and target orders to 2 places. The effects and gaps are the exact
rounded parts of ``gmv.split_gmv`` / ``profit.split_profit``: they add up to the gap.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kpiguard.attribution.actuals import Measured
from kpiguard.attribution.gmv import GmvSide
from kpiguard.attribution.labels import note_text
from kpiguard.attribution.report import GmvRow, ProfitRow, Report
from kpiguard.money import exponent
from kpiguard.plans.decomposition import RATIO_PLACES, round_driver


def _s(value: Decimal | None, places: Decimal) -> str | None:
    return None if value is None else str(value.quantize(places, rounding=ROUND_HALF_UP))


def _count(value: Decimal | None, target: bool) -> str | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(round_driver("sessions", value)) if target else str(value.quantize(Decimal("0.01")))


def gmv_side(side: GmvSide, money: Decimal, target: bool) -> dict[str, str | None]:
    return {"sessions": _count(side.sessions, target), "orders": _count(side.order_count(), False),
            "cvr": _s(side.cvr, RATIO_PLACES), "aov": _s(side.aov, money), "gmv": _s(side.gmv, money)}


def gmv_row(row: GmvRow, money: Decimal, target: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"key": row.key, "base": gmv_side(row.base, money, target),
                           "actual": gmv_side(row.actual, money, False), "gap": str(row.split.gap)}
    out.update({k: str(v) for k, v in row.split.parts().items()})
    out["notes"] = [note_text(n) for n in row.notes]
    if row.sources is not None:
        out["target_sources"] = row.sources
    if row.members:
        out["members"] = list(row.members)
    return out


def profit_side(m: Measured, money: Decimal) -> dict[str, str | None]:
    margin = None if not m.net_sales or m.gross_profit is None else m.gross_profit / m.net_sales
    return {"net_sales": _s(m.net_sales, money), "gross_profit": _s(m.gross_profit, money),
            "gross_margin_rate": _s(margin, RATIO_PLACES), "ad_spend": _s(m.ad_spend, money),
            "platform_fees": _s(m.platform_fees, money), "net_profit": _s(m.net_profit, money)}


def profit_row(row: ProfitRow, money: Decimal) -> dict[str, Any]:
    out: dict[str, Any] = {"key": row.key, "base": profit_side(row.base, money),
                           "actual": profit_side(row.actual, money)}
    if row.split is None:
        out.update({"gap": None, "sales": None, "margin": None, "ad_spend": None, "fees": None,
                    "missing": list(row.missing)})
        return out
    out["gap"] = str(row.split.gap)
    out.update({k: str(v) for k, v in row.split.parts().items()})
    out["notes"] = [note_text(row.split.note)] if row.split.note else []
    return out


def to_dict(r: Report) -> dict[str, Any]:
    money = Decimal(1).scaleb(-exponent(r.currency))
    target = r.gmv_comparison.against == "target"
    return {
        "plan": r.plan_id, "version": r.version, "status": r.status, "period": {"start": str(r.start),
                                                                            "end": str(r.end)},
        "currency": r.currency, "definition_set": r.definition_set, "by": r.by, "method": "shapley",
        "gmv": {"comparison": r.gmv_comparison.to_dict(), "rows": [gmv_row(x, money, target) for x in r.gmv_rows]},
        "profit": {"comparison": r.profit_comparison.to_dict(), "rows": [profit_row(x, money) for x in r.profit_rows]},
        "notes": [note_text(n) for n in r.notes],
    }
