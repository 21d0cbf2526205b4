"""Amazon pays a seller every 14 days: the fee lines of each order and refund, and the settlement.

Lines are posted when an order ships or a refund is issued (long form, one line per amount
component, as the V2 settlement file lists them). A settlement closes every 14 days and holds the
lines posted in its window; lines posted later wait for the next one. Its total is what reaches the
bank, deposited three days after the close.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from operator import itemgetter

from kpiguard.demo.catalog import quantize
from kpiguard.reportgen.model import FeeLine, OrderLine, Refund, Settlement

COMMISSION = Decimal("0.15")  # Amazon's referral fee for kitchen/outdoor goods
FBA_FEE = {"USD": Decimal("3.86"), "EUR": Decimal("3.40"), "JPY": Decimal("434"), "GBP": Decimal("3.10")}
SUBSCRIPTION = {"USD": Decimal("39.99"), "EUR": Decimal("39.00"), "JPY": Decimal("4900"), "GBP": Decimal("25.00")}
WINDOW = timedelta(days=14)
# (posted_at, type, order, sku, qty, amount type, description, amount): a FeeLine once settled
OpenLine = tuple[datetime, str, str, str, int, str, str, Decimal]


class Payouts:
    def __init__(self, currency: str, withheld_tax: bool, period_start: datetime, store_no: int) -> None:
        self.currency = currency
        self.withheld_tax = withheld_tax  # US marketplace-facilitator tax is collected and withheld
        # the first settlement began before the simulated period, at Amazon's usual odd time of day
        self.window_start = (period_start - timedelta(days=11)).replace(hour=8, minute=14, second=51)
        self.open: list[OpenLine] = []
        self.number = 20411873305 + 1009 * store_no

    def _line(self, at: datetime, kind: str, order_id: str, sku: str, qty: int, amount_type: str,
              description: str, amount: Decimal) -> None:
        self.open.append((at, kind, order_id, sku, qty, amount_type, description, amount))

    def order_line(self, line: OrderLine) -> None:
        """The lines Amazon posts when an order line ships."""
        at, oid, sku, qty = line.updated_at, line.order_id, line.product.sku, line.quantity
        principal = line.line_total
        self._line(at, "Order", oid, sku, qty, "ItemPrice", "Principal", principal)
        if line.tax:
            self._line(at, "Order", oid, sku, qty, "ItemPrice", "Tax", line.tax)
            if self.withheld_tax:
                self._line(at, "Order", oid, sku, qty, "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal",
                           -line.tax)
        if line.discount:
            self._line(at, "Order", oid, sku, qty, "Promotion", "Principal", -line.discount)
        commission = quantize((principal - line.discount) * COMMISSION, self.currency)
        self._line(at, "Order", oid, sku, qty, "ItemFees", "Commission", -commission)
        if line.fulfillment == "platform":
            fee = FBA_FEE.get(self.currency, Decimal("3")) * qty
            self._line(at, "Order", oid, sku, qty, "ItemFees", "FBAPerUnitFulfillmentFee", -fee)

    def refund(self, refund: Refund, tax: Decimal) -> None:
        """Principal and tax go back to the buyer; Amazon returns the commission less its admin fee."""
        at, oid, sku, qty = refund.refunded_at, refund.order_id, refund.product.sku, refund.quantity
        principal = refund.amount - tax  # the line's price less its promotion: what commission was taken on
        self._line(at, "Refund", oid, sku, qty, "ItemPrice", "Principal", -principal)
        if tax:
            self._line(at, "Refund", oid, sku, qty, "ItemPrice", "Tax", -tax)
            if self.withheld_tax:
                self._line(at, "Refund", oid, sku, qty, "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", tax)
        commission = quantize(principal * COMMISSION, self.currency)
        if commission:
            admin = min(quantize(commission * Decimal("0.2"), self.currency), FBA_FEE.get(self.currency, commission))
            self._line(at, "Refund", oid, sku, qty, "ItemFees", "Commission", commission)
            self._line(at, "Refund", oid, sku, qty, "ItemFees", "RefundCommission", -admin)

    def monthly_fees(self, first_of_month: datetime, storage: Decimal) -> None:
        self._line(first_of_month, "ServiceFee", "", "", 0, "other-transaction", "Subscription Fee",
                   -SUBSCRIPTION.get(self.currency, Decimal("40")))
        self._line(first_of_month + timedelta(days=6), "ServiceFee", "", "", 0, "other-transaction",
                   "Storage Fee", -storage)

    def close_due(self, upto: datetime) -> list[Settlement]:
        """Every settlement whose window and deposit lie before ``upto``."""
        closed = []
        while self.window_start + WINDOW + timedelta(days=3) <= upto:
            end = self.window_start + WINDOW
            inside = [f for f in self.open if f[0] < end]
            self.open = [f for f in self.open if f[0] >= end]
            closed.append(self._settle(self.window_start, end, inside))
            self.window_start = end
        return closed

    def _settle(self, start: datetime, end: datetime, lines: list[OpenLine]) -> Settlement:
        self.number += 1
        sid = str(self.number)
        lines.sort(key=itemgetter(0, 2))  # stable: an order's lines keep their posting order
        stamped = tuple(FeeLine(sid, at, kind, oid, sku, qty, atype, desc, amount, self.currency)
                        for at, kind, oid, sku, qty, atype, desc, amount in lines)
        total = sum((f[7] for f in lines), Decimal(0))
        return Settlement(sid, start.astimezone(UTC), end.astimezone(UTC), (end + timedelta(days=3)).astimezone(UTC),
                          total, self.currency, stamped)
