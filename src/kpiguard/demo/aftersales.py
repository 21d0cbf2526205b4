"""What happens after a sale: refunds and returns, and customer-service events.

A refund gives back what the buyer paid for the line (price less promotion, plus tax). Amazon's
reason and disposition codes are used for every store, as the returns report writes them.
Service events follow an order by days to weeks; older ones are closed, recent ones still open.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kpiguard.reportgen.model import OrderLine, Refund, ServiceEvent

if TYPE_CHECKING:
    from kpiguard.demo.world import StoreWorld

REASONS = ("UNWANTED_ITEM", "UNWANTED_ITEM", "DEFECTIVE", "NOT_AS_DESCRIBED", "ORDERED_WRONG_ITEM",
           "NOT_COMPATIBLE")
DISPOSITIONS = ("SELLABLE", "SELLABLE", "SELLABLE", "CUSTOMER_DAMAGED", "DEFECTIVE", "DAMAGED")
EVENT_KINDS = {
    "amazon": ("negative_feedback", "negative_feedback", "a_to_z_claim", "complaint", "chargeback"),
    "lingxing": ("negative_feedback", "negative_feedback", "a_to_z_claim", "complaint"),
}
OTHER_KINDS = ("complaint", "complaint", "negative_feedback", "chargeback")
DETAILS = {
    "negative_feedback": ("lid leaks after a week", "arrived dented", "colour differs from the photos"),
    "a_to_z_claim": ("item not received", "return not refunded"),
    "complaint": ("late delivery", "wrong colour sent", "missing straw lid"),
    "chargeback": ("card holder disputes the charge",),
}


def refund_for(world: StoreWorld, line: OrderLine, at: datetime, quick: bool = False) -> Refund:
    rng = world.rng
    amount = line.line_total - line.discount + line.tax
    reason = "UNWANTED_ITEM" if quick else rng.choice(REASONS)
    disposition = "SELLABLE" if quick else rng.choice(DISPOSITIONS)
    return Refund(world.ids.refund(), line.order_id, line.product, at, line.quantity, amount, line.currency,
                  reason, disposition)


def service_event(world: StoreWorld, line: OrderLine) -> ServiceEvent:
    rng = world.rng
    kind = rng.choice(EVENT_KINDS.get(world.spec.channel, OTHER_KINDS))
    at = line.updated_at + timedelta(minutes=rng.randrange(3 * 1440, 20 * 1440))
    status = "closed" if at + timedelta(days=10) < world.end_utc else "open"
    return ServiceEvent(f"CS-{line.order_id.lstrip('#')}-{line.line_no}", line.order_id, kind, at, status,
                        rng.choice(DETAILS[kind]))
