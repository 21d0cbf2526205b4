"""Order-level amounts split over an order's lines, in SQL, exactly and deterministically.

Several exports carry some amounts per order, not per line: Shopify's ``Discount Amount``,
``Shipping`` and ``Taxes`` (first row of the order only), TikTok's ``Shipping Fee After Discount``
(repeated on every line), eBay's ``Shipping And Handling`` on the summary row of a multi-item
order. The canonical ``order_lines`` table is per line, so those amounts are allocated:

- pro rata by a weight (the line total), in minor units, rounding each share toward zero;
- the last line of the order (by file row) takes the remainder,

so the lines of an order always sum to the order's amount exactly, and the same file always
gives the same split. Integer arithmetic only (HUGEINT), never floats.
"""

from __future__ import annotations


def allocated(relation: str, order_key: str, weight: str, amounts: dict[str, str]) -> str:
    """A relation: ``relation`` plus one column per ``amounts`` entry, split over the order.

    ``amounts`` maps the new column's name to SQL giving the order's amount in minor units (the
    same value on every line of the order, e.g. a filled-forward or first-row value); ``weight``
    is SQL giving the line's weight (its line total in minor units).
    """
    totals = ", ".join(f"({expr}) AS _tot_{name}" for name, expr in amounts.items())
    level1 = (
        f"SELECT *, coalesce({weight}, 0) AS _w, "
        f"sum(coalesce({weight}, 0)) OVER (PARTITION BY {order_key}) AS _wsum, "
        f"row_number() OVER (PARTITION BY {order_key} ORDER BY _row DESC) = 1 AS _last, {totals} "
        f"FROM {relation}"
    )
    shares = ", ".join(
        f"CASE WHEN _tot_{n} IS NULL THEN NULL WHEN _wsum = 0 THEN 0 "
        f"ELSE sign(_tot_{n}) * (CAST(abs(_tot_{n}) AS HUGEINT) * _w // _wsum) END AS _sh_{n}"
        for n in amounts
    )
    level2 = f"SELECT *, {shares} FROM ({level1}) AS _a1"
    finals = ", ".join(
        f"CAST(CASE WHEN _last THEN _tot_{n} - (sum(_sh_{n}) OVER (PARTITION BY {order_key}) - _sh_{n}) "
        f"ELSE _sh_{n} END AS BIGINT) AS {n}"
        for n in amounts
    )
    return f"(SELECT *, {finals} FROM ({level2}) AS _a2) AS _alloc"


def first_in_order(expr: str, order_key: str) -> str:
    """SQL: the first non-empty value of ``expr`` among the order's rows (by file row)."""
    return (
        f"first_value({expr} IGNORE NULLS) OVER (PARTITION BY {order_key} ORDER BY _row "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
    )


def filled_forward(expr: str, order_key: str) -> str:
    """SQL: ``expr`` filled forward within the order: the last non-empty value up to this row."""
    return (
        f"last_value({expr} IGNORE NULLS) OVER (PARTITION BY {order_key} ORDER BY _row "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    )


def line_number_by(key_expr: str, order_key: str) -> str:
    """SQL: a line id from ``key_expr`` (e.g. the SKU), numbered when it repeats in the order."""
    n = f"row_number() OVER (PARTITION BY {order_key}, {key_expr} ORDER BY _row)"
    return f"({key_expr} || CASE WHEN {n} > 1 THEN '#' || {n} ELSE '' END)"
