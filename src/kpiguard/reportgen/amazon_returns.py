"""Write the Amazon FBA customer returns report (TSV), one row per returned unit.

Each ``Refund`` record is one returned unit; its ``refund_id`` is written as the unit's
``license-plate-number`` (LPN), the id Amazon's warehouse gives the returned parcel. Dates are
ISO 8601 in UTC (``2026-03-12T19:44:02+00:00``); ``customer-comments`` use ``|`` separators.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from kpiguard.reportgen.model import Refund

HEADER = [
    "return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity",
    "fulfillment-center-id", "detailed-disposition", "reason", "status",
    "license-plate-number", "customer-comments",
]
STATUS = {"SELLABLE": "Unit returned to inventory"}  # damaged units are usually reimbursed or disposed
COMMENTS = {"UNWANTED_ITEM": "Changed mind|color", "DEFECTIVE": "Leaks at the lid", "NOT_AS_DESCRIBED": "Smaller than shown"}


def row(refund: Refund) -> list[str]:
    return [
        refund.refunded_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        refund.order_id,
        refund.product.sku,
        refund.product.asin,
        refund.product.fnsku,
        refund.product.title,
        str(refund.quantity),
        "PHX7",
        refund.disposition,
        refund.reason,
        STATUS.get(refund.disposition, "Reimbursed"),
        refund.refund_id,
        COMMENTS.get(refund.reason, ""),
    ]


def write(path: Path, refunds: list[Refund]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(HEADER) + "\n")
        for refund in refunds:
            fh.write("\t".join(row(refund)) + "\n")
    return path
