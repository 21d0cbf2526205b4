"""A net-profit gap split into sales, margin, ad-spend and fee effects (净销售额/毛利率/广告花费/平台费用影响).

The metric catalog (``metrics/catalog.yaml``) defines, over the same counted order lines:

    net_sales         = gmv - promotion discounts - refunds
    gross_profit      = net_sales - cogs
    gross_margin_rate = gross_profit / net_sales
    net_profit        = gross_profit - platform_fees - ad_spend

so net_profit = net_sales x gross_margin_rate - ad_spend - platform_fees. The gross-profit change
is split between net sales and margin by the two-factor Shapley value

    sales  = d(net_sales) x (margin_before + margin_after) / 2
    margin = d(margin) x (net_sales_before + net_sales_after) / 2

and ad spend and fees count as their own changes, with the sign that profit feels:
ad_spend effect = -(ad_after - ad_before), fees effect = -(fees_after - fees_before). The four
parts are rounded with ``apportion.py``; ad spend and fees are exact differences of money, so the
rounding correction only ever goes to sales or margin, and

    sales + margin + ad_spend + fees == gap    (net_profit after - before, rounded) exactly.

Zero case: with no net sales on a side, its margin is undefined. If that side's gross profit is
0 too, its margin is taken from the other side (the product is 0 either way, so the change is a
sales effect); if it has a gross profit without net sales (costs of goods that were all
refunded), the whole gross-profit change is the margin effect and ``note`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from kpiguard.attribution.apportion import apportion
from kpiguard.attribution.gmv import CENT
from kpiguard.attribution.shapley import PRECISION, shapley

FACTORS: tuple[str, ...] = ("sales", "margin", "ad_spend", "fees")


@dataclass(frozen=True)
class ProfitSide:
    """Net sales, gross profit, ad spend and platform fees (costs positive), and net profit.

    ``net_profit`` defaults to gross_profit - ad_spend - platform_fees; give the metric engine's
    figure to anchor the gap on what ``kpiguard query net_profit`` shows."""

    net_sales: Decimal
    gross_profit: Decimal
    ad_spend: Decimal
    platform_fees: Decimal
    net_profit: Decimal | None = None

    @property
    def profit(self) -> Decimal:
        if self.net_profit is not None:
            return self.net_profit
        return self.gross_profit - self.ad_spend - self.platform_fees

    @property
    def margin(self) -> Decimal | None:
        """Gross margin rate; None without net sales."""
        if self.net_sales == 0:
            return None
        with localcontext(prec=PRECISION):
            return self.gross_profit / self.net_sales


@dataclass(frozen=True)
class ProfitSplit:
    gap: Decimal
    sales: Decimal
    margin: Decimal
    ad_spend: Decimal
    fees: Decimal
    note: str | None = None  # undefined_margin

    def parts(self) -> dict[str, Decimal]:
        return {"sales": self.sales, "margin": self.margin, "ad_spend": self.ad_spend, "fees": self.fees}


def _gross_parts(before: ProfitSide, after: ProfitSide) -> tuple[list[Decimal], str | None]:
    m0, m1 = before.margin, after.margin
    if (m0 is None and before.gross_profit != 0) or (m1 is None and after.gross_profit != 0):
        return [Decimal(0), after.gross_profit - before.gross_profit], "undefined_margin"
    fill0 = m0 if m0 is not None else (m1 if m1 is not None else Decimal(0))
    fill1 = m1 if m1 is not None else fill0
    return shapley([before.net_sales, fill0], [after.net_sales, fill1]), None


def split_profit(before: ProfitSide, after: ProfitSide, quantum: Decimal = CENT) -> ProfitSplit:
    """The net-profit gap in four parts that sum to it exactly (see the module docstring)."""
    gap = after.profit.quantize(quantum) - before.profit.quantize(quantum)
    (sales, margin), note = _gross_parts(before, after)
    ad = -(after.ad_spend - before.ad_spend)
    fees = -(after.platform_fees - before.platform_fees)
    exact = [ad.quantize(quantum) == ad, fees.quantize(quantum) == fees]
    s, m, a, f = apportion([sales, margin, ad, fees], gap, quantum, [True, True, not exact[0], not exact[1]])
    return ProfitSplit(gap, s, m, a, f, note)
