"""Measures over snapshot tables (inventory, reviews) that need "the latest value as of a day".

Snapshots are not additive over time: the review count on the 31st already contains the 30th's.
So these measures look at each product's last snapshot in a bucket, and at the last one before
the bucket began, in SQL through the query's Ibis connection.
"""

from __future__ import annotations

from ibis.expr.types import Table

from kpiguard.metrics.catalog import Measure
from kpiguard.metrics.measures import Frame, dated
from kpiguard.metrics.rowsets import counted_lines
from kpiguard.metrics.tables import LakeReader


def bucket_sql(column: str, frame: Frame) -> str:
    if frame.grain is None:
        return f"DATE '{frame.date_from}'"
    start = column if frame.grain == "day" else f"CAST(date_trunc('{frame.grain}', {column}) AS DATE)"
    return f"greatest({start}, DATE '{frame.date_from}')"


def _dims_sql(frame: Frame, alias: str) -> str:
    """The select list of the output dimensions, joined from the stores table."""
    parts = []
    for d in frame.dims:
        parts.append(f"{alias}.store_id" if d == "store" else (f"{alias}.sku" if d == "sku" else f"st.{d}"))
    names = ["store_id" if d == "store" else d for d in frame.dims]
    return "".join(f"{p} AS {n}, " for p, n in zip(parts, names, strict=True))


def listed_skus(reader: LakeReader, m: Measure, frame: Frame) -> Table:
    """SKUs tracked by an inventory snapshot on a day of the bucket, or sold in it."""
    snaps = reader.current("inventory_snapshots", frame.stores)
    snaps = snaps.filter(snaps.snapshot_date_local <= frame.date_to)
    inv = reader.con.create_view("kg_listed_snaps", snaps, overwrite=True).get_name()
    sold_rows = Measure(key="_", table="order_lines", agg="sum", value="quantity", rows="counted_lines",
                        date="order_date", formula="")
    lines = dated(reader, sold_rows, frame)
    lines = lines.filter(counted_lines(lines, frame.policies, frame.choices) & (lines.quantity > 0))
    sold = reader.con.create_view("kg_listed_sold", lines.select("store_id", "sku", "_day"), overwrite=True).get_name()
    select = _dims_sql(frame, "u")
    sql = f"""
        WITH skus AS (SELECT DISTINCT store_id, sku FROM {inv}),
        cal AS (SELECT CAST(unnest(range(DATE '{frame.date_from}', DATE '{frame.date_to}' + INTERVAL 1 DAY,
                                          INTERVAL 1 DAY)) AS DATE) AS day),
        carried AS (SELECT g.store_id, g.sku, g.day FROM (SELECT * FROM skus CROSS JOIN cal) g
                    ASOF JOIN {inv} s ON g.store_id = s.store_id AND g.sku = s.sku AND s.snapshot_date_local <= g.day),
        u AS (SELECT store_id, sku, day FROM carried UNION ALL SELECT store_id, sku, _day FROM {sold})
        SELECT {select}{bucket_sql('u.day', frame)} AS _bucket, count(DISTINCT u.sku) AS {m.key}
        FROM u JOIN {frame.stores_sql()} ON st.store_id = u.store_id
        GROUP BY ALL"""
    return reader.con.sql(sql)


def reviews(reader: LakeReader, wanted: list[Measure], frame: Frame, buckets: list[tuple[str, str]]) -> Table:
    """Review gain and weighted rating per bucket from each product's last snapshot."""
    snaps = reader.current("reviews", frame.stores)
    snaps = snaps.filter(snaps.snapshot_date_local <= frame.date_to)
    name = reader.con.create_view("kg_review_snaps", snaps, overwrite=True).get_name()
    values = ", ".join(f"(DATE '{a}', DATE '{b}')" for a, b in buckets)
    select = _dims_sql(frame, "e")
    cols = {"review_gain": "sum(e.end_count - coalesce(e.start_count, e.first_count))",
            "rating_average": "sum(e.end_rating * e.end_count) / nullif(sum(e.end_count), 0)"}
    selects = ", ".join(f"{cols[str(m.custom)]} AS {m.key}" for m in wanted)
    sql = f"""
        WITH b(_bucket, _end) AS (VALUES {values}),
        e AS (
          SELECT b._bucket, s.store_id, s.product_id, any_value(s.sku) AS sku,
                 arg_max(s.review_count, s.snapshot_date_local) FILTER (WHERE s.snapshot_date_local >= b._bucket) AS end_count,
                 arg_max(s.avg_rating, s.snapshot_date_local) FILTER (WHERE s.snapshot_date_local >= b._bucket) AS end_rating,
                 arg_min(s.review_count, s.snapshot_date_local) FILTER (WHERE s.snapshot_date_local >= b._bucket) AS first_count,
                 arg_max(s.review_count, s.snapshot_date_local) FILTER (WHERE s.snapshot_date_local < b._bucket) AS start_count
          FROM b JOIN {name} s ON s.snapshot_date_local <= b._end
          GROUP BY b._bucket, s.store_id, s.product_id)
        SELECT {select}e._bucket AS _bucket, {selects}
        FROM e JOIN {frame.stores_sql()} ON st.store_id = e.store_id
        WHERE e.end_count IS NOT NULL
        GROUP BY ALL"""
    return reader.con.sql(sql)
