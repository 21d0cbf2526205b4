"""Write the Amazon "Manage FBA Inventory" report (TSV), current 21 or MWS-era 18 columns.

Quantities as Amazon reports them: ``afn-warehouse-quantity`` = fulfillable + unsellable +
reserved; ``afn-total-quantity`` adds what is inbound (all of it written as shipped); the MFN
quantity is blank for these FBA-only SKUs. Prices are plain decimals (``19.95``).
"""

from __future__ import annotations

from pathlib import Path

from kpiguard.reportgen.model import InventoryRow

CURRENT = [
    "sku", "fnsku", "asin", "product-name", "condition", "your-price", "mfn-listing-exists",
    "mfn-fulfillable-quantity", "afn-listing-exists", "afn-warehouse-quantity",
    "afn-fulfillable-quantity", "afn-unsellable-quantity", "afn-reserved-quantity",
    "afn-total-quantity", "per-unit-volume", "afn-inbound-working-quantity",
    "afn-inbound-shipped-quantity", "afn-inbound-receiving-quantity",
    "afn-researching-quantity", "afn-reserved-future-supply", "afn-future-supply-buyable",
]
OLD_18 = CURRENT[: CURRENT.index("afn-inbound-receiving-quantity") + 1]
VERSIONS = {"current": CURRENT, "old18": OLD_18}


def row(item: InventoryRow) -> dict[str, str]:
    return {
        "sku": item.product.sku, "fnsku": item.product.fnsku, "asin": item.product.asin,
        "product-name": item.product.title, "condition": "New", "your-price": f"{item.price:.2f}",
        "mfn-listing-exists": "No", "mfn-fulfillable-quantity": "", "afn-listing-exists": "Yes",
        "afn-warehouse-quantity": str(item.total), "afn-fulfillable-quantity": str(item.fulfillable),
        "afn-unsellable-quantity": str(item.unsellable), "afn-reserved-quantity": str(item.reserved),
        "afn-total-quantity": str(item.total + item.inbound), "per-unit-volume": "0.09",
        "afn-inbound-working-quantity": "0", "afn-inbound-shipped-quantity": str(item.inbound),
        "afn-inbound-receiving-quantity": "0",
    }


def write(path: Path, rows: list[InventoryRow], version: str = "current") -> Path:
    columns = VERSIONS[version]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(columns) + "\n")
        for item in rows:
            values = row(item)
            fh.write("\t".join(values.get(c, "0") for c in columns) + "\n")
    return path
