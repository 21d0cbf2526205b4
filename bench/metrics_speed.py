"""Benchmark: 10 metrics by store and month over >= 10 million order lines.

Side by side in one run, on the same Parquet lake:
- kpiguard's metric engine (Ibis over DuckDB, definition set standard@1);
- one hand-written DuckDB SQL query that computes the same numbers (latest version per natural
  key, the same filters);
- a straightforward pandas implementation.
It checks that all three agree, then reports wall times, ratios and peak memory (each runs in its
own child process so peak RSS is its own).

The lake is written directly as canonical Parquet by DuckDB (this measures computation, not
import; import speed is measured by import_speed.py). 3% of order lines appear twice (a later
export with a newer state), so latest-state resolution is part of the work.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

HERE = Path(__file__).parent
DATA = HERE / "data" / "metrics-ws"
STORES = [("m-us", "US", "USD"), ("m-de", "DE", "EUR"), ("m-uk", "UK", "GBP"),
          ("m-jp", "JP", "JPY"), ("m-ca", "CA", "CAD"), ("m-us2", "US", "USD")]
METRICS = ("gmv", "units", "orders", "aov", "promotion_discounts", "buyers", "net_sales", "refund_rate",
           "acos", "tacos")
FROM, TO = date(2025, 10, 1), date(2026, 9, 30)
LINES_PER_STORE = int(os.environ.get("KPIGUARD_BENCH_LINES", "10200000")) // len(STORES)


def build_lake() -> Path:
    """Write the workspace once (cached under bench/data); returns its folder."""
    from kpiguard import stores
    from kpiguard.workspace import Workspace

    marker = DATA / f".built-{LINES_PER_STORE}"
    if marker.exists():
        return DATA
    if DATA.exists():
        import shutil

        shutil.rmtree(DATA)
    ws = Workspace(DATA)
    ws.init()
    for store_id, market, _ in STORES:
        stores.add(ws, stores.validate(store_id, "amazon", market, None, None), "bench")
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    for store_id, _, currency in STORES:
        _write_store(con, ws.lake_dir, store_id, currency)
    marker.write_text("ok")
    return DATA


def _write_store(con: duckdb.DuckDBPyConnection, lake: Path, store: str, currency: str) -> None:
    n, days = LINES_PER_STORE, (TO - FROM).days + 1
    lines = f"""
        SELECT i, 'O-' || (i // 2) AS order_id, CAST(i % 2 AS VARCHAR) AS line_id,
               TIMESTAMPTZ '{FROM}' + to_seconds(CAST((i * 7919) % ({days} * 86400) AS BIGINT)) AS purchased_at_utc,
               CASE WHEN i % 50 = 0 THEN 'cancelled' WHEN i % 97 = 0 THEN 'pending' ELSE 'shipped' END AS order_status,
               'SKU-' || (i % 40) AS sku, 1 + i % 3 AS quantity, 500 + (i * 31) % 9000 AS item_price_minor,
               CASE WHEN i % 5 = 0 THEN 100 ELSE 0 END AS promotion_discount_minor,
               'buyer-' || ((i * 13) % {max(n // 3, 1)}) AS buyer_hash
        FROM range({n}) t(i)"""
    order_cols = f"""order_id, line_id, purchased_at_utc, CAST(purchased_at_utc AS DATE) AS order_date_local,
        order_status, order_status AS status_raw, sku, 'B-' || sku AS product_id, 'Item' AS product_name,
        quantity, '{currency}' AS currency, CASE WHEN order_status = 'pending' THEN NULL ELSE item_price_minor END AS item_price_minor,
        0 AS item_tax_minor, 0 AS shipping_minor, 0 AS shipping_tax_minor, 0 AS gift_wrap_minor,
        promotion_discount_minor, 'platform' AS fulfillment_channel, 'Amazon' AS sales_channel, false AS is_business_order,
        buyer_hash, NULL AS ship_postal_hash, 'US' AS ship_country, '{store}' AS store_id, 'amazon_all_orders' AS source"""
    first = f"SELECT {order_cols}, purchased_at_utc AS source_updated_utc, 1 AS import_id, 'a' AS raw_sha256, i + 2 AS raw_row FROM ({lines})"
    # 3% of lines again, from a later export in which the order shipped: the newer state must win
    later = (f"SELECT * REPLACE ('shipped' AS order_status, 500 AS item_price_minor), purchased_at_utc + INTERVAL 2 DAY "
             f"AS source_updated_utc, 2 AS import_id, 'b' AS raw_sha256, i + 2 AS raw_row FROM (SELECT {order_cols}, i FROM ({lines})) "
             "WHERE i % 33 = 0")
    later = later.replace("SELECT * REPLACE", "SELECT * EXCLUDE (i) REPLACE")
    _copy(con, f"{first} UNION ALL {later}", lake / "order_lines" / f"store={store}", "order_date_local")
    refunds = f"""SELECT 'R-' || i AS refund_id, order_id, sku, 'B-' || sku AS product_id, 'refund' AS kind,
        purchased_at_utc + INTERVAL 9 DAY AS refunded_at_utc, CAST(purchased_at_utc + INTERVAL 9 DAY AS DATE) AS refund_date_local,
        quantity, '{currency}' AS currency, item_price_minor AS amount_minor, 'x' AS reason, NULL AS disposition,
        '{store}' AS store_id, 'amazon_date_range' AS source, purchased_at_utc AS source_updated_utc, 3 AS import_id,
        'c' AS raw_sha256, i AS raw_row FROM ({lines}) WHERE i % 31 = 0 AND order_status = 'shipped'"""
    _copy(con, refunds, lake / "refunds" / f"store={store}", "refund_date_local")
    ads = f"""SELECT DATE '{FROM}' + CAST(d AS INTEGER) AS period_start_local, DATE '{FROM}' + CAST(d AS INTEGER) AS period_end_local,
        'SP' AS ad_type, 'advertised_product' AS report_kind, 'C' || (s % 5) AS campaign, 'G' AS ad_group, 'SKU-' || s AS sku,
        'B-SKU-' || s AS product_id, NULL AS targeting, NULL AS match_type, NULL AS search_term, 1000 + s AS impressions,
        20 + s % 7 AS clicks, '{currency}' AS currency, 1500 + s * 10 AS spend_minor, 6000 + s * 25 AS sales_minor,
        3 AS orders, 3 AS units, 7 AS attribution_days, '{store}' AS store_id, 'amazon_ads_advertised_product' AS source,
        TIMESTAMPTZ '{TO}' AS source_updated_utc, 4 AS import_id, 'd' AS raw_sha256, s AS raw_row
        FROM range({days}) a(d), range(40) b(s)"""
    _copy(con, ads, lake / "ad_performance" / f"store={store}", "period_start_local")


def _copy(con: duckdb.DuckDBPyConnection, sql: str, folder: Path, date_col: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT *, strftime({date_col}, '%Y-%m') AS month FROM ({sql})) TO '{folder}' "
                "(FORMAT PARQUET, PARTITION_BY (month), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'bench-{i}')")


def run_engine(ws_path: Path) -> list[dict]:
    from kpiguard.metrics.engine import Query, run
    from kpiguard.workspace import Workspace

    return run(Workspace(ws_path), Query(METRICS, FROM, TO, None, ("store", "month")))


HAND_SQL = """
WITH o AS (
  SELECT * FROM read_parquet('{lake}/order_lines/**/*.parquet', hive_partitioning = false)
  QUALIFY row_number() OVER (PARTITION BY store_id, source, order_id, line_id
                             ORDER BY source_updated_utc DESC, import_id DESC, raw_row DESC) = 1),
ol AS (SELECT store_id, date_trunc('month', order_date_local) AS m, * EXCLUDE (store_id) FROM o
       WHERE order_status <> 'cancelled' AND NOT (order_status = 'pending' AND item_price_minor IS NULL)
         AND order_date_local BETWEEN DATE '{f}' AND DATE '{t}'),
ord AS (SELECT store_id, m, sum(coalesce(item_price_minor, 0)) AS gmv, sum(quantity) AS units,
               count(DISTINCT order_id) AS orders, sum(promotion_discount_minor) AS promo,
               count(DISTINCT buyer_hash) AS buyers FROM ol GROUP BY ALL),
r AS (SELECT store_id, date_trunc('month', refund_date_local) AS m, sum(amount_minor) AS refund_amount,
             sum(quantity) AS refund_units FROM (
        SELECT * FROM read_parquet('{lake}/refunds/**/*.parquet', hive_partitioning = false)
        QUALIFY row_number() OVER (PARTITION BY store_id, source, refund_id
                                   ORDER BY source_updated_utc DESC, import_id DESC, raw_row DESC) = 1)
      WHERE kind = 'refund' AND refund_date_local BETWEEN DATE '{f}' AND DATE '{t}' GROUP BY ALL),
a AS (SELECT store_id, date_trunc('month', period_start_local) AS m, sum(spend_minor) AS spend, sum(sales_minor) AS ad_sales
      FROM read_parquet('{lake}/ad_performance/**/*.parquet', hive_partitioning = false)
      WHERE period_start_local BETWEEN DATE '{f}' AND DATE '{t}' GROUP BY ALL)
SELECT ord.store_id, CAST(ord.m AS DATE) AS m, gmv, units, orders, gmv / orders AS aov, promo, buyers,
       gmv - promo - coalesce(refund_amount, 0) AS net_sales, coalesce(refund_units, 0) / units AS refund_rate,
       spend / ad_sales AS acos, spend / gmv AS tacos
FROM ord LEFT JOIN r USING (store_id, m) LEFT JOIN a USING (store_id, m) ORDER BY 1, 2
"""


def run_hand_sql(ws_path: Path) -> list[tuple]:
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    return con.execute(HAND_SQL.format(lake=ws_path / "lake", f=FROM, t=TO)).fetchall()


def run_pandas(ws_path: Path) -> object:
    import pandas as pd

    lake = ws_path / "lake"
    def read(table: str) -> pd.DataFrame:
        return pd.concat([pd.read_parquet(p) for p in sorted((lake / table).rglob("*.parquet"))], ignore_index=True)
    o = read("order_lines").sort_values(["source_updated_utc", "import_id", "raw_row"])
    o = o.drop_duplicates(["store_id", "source", "order_id", "line_id"], keep="last")
    o = o[(o.order_status != "cancelled") & ~((o.order_status == "pending") & o.item_price_minor.isna())]
    o["m"] = pd.to_datetime(o.order_date_local).dt.to_period("M")
    g = o.groupby(["store_id", "m"]).agg(gmv=("item_price_minor", "sum"), units=("quantity", "sum"),
                                         orders=("order_id", "nunique"), promo=("promotion_discount_minor", "sum"),
                                         buyers=("buyer_hash", "nunique"))
    r = read("refunds").sort_values(["source_updated_utc", "import_id", "raw_row"])
    r = r.drop_duplicates(["store_id", "source", "refund_id"], keep="last")
    r = r[r.kind == "refund"]
    r["m"] = pd.to_datetime(r.refund_date_local).dt.to_period("M")
    rg = r.groupby(["store_id", "m"]).agg(refund_amount=("amount_minor", "sum"), refund_units=("quantity", "sum"))
    a = read("ad_performance")
    a["m"] = pd.to_datetime(a.period_start_local).dt.to_period("M")
    ag = a.groupby(["store_id", "m"]).agg(spend=("spend_minor", "sum"), ad_sales=("sales_minor", "sum"))
    out = g.join(rg).join(ag).fillna({"refund_amount": 0, "refund_units": 0})
    out["aov"] = out.gmv / out.orders
    out["net_sales"] = out.gmv - out.promo - out.refund_amount
    out["refund_rate"] = out.refund_units / out.units
    out["acos"] = out.spend / out.ad_sales
    out["tacos"] = out.spend / out.gmv
    return out.reset_index()


def _child(name: str, ws_path: str, queue: mp.Queue) -> None:
    fn = {"engine": run_engine, "sql": run_hand_sql, "pandas": run_pandas}[name]
    start = time.perf_counter()
    result = fn(Path(ws_path))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak_mb, _summary(name, result)))


def _summary(name: str, result: object) -> dict[str, str]:
    """Grand totals of GMV and orders per store, to check that the three agree."""
    totals: dict[str, Decimal] = {}
    if name == "engine":
        from kpiguard.money import CURRENCY_EXPONENTS
        cur = {s: c for s, _, c in STORES}
        for r in result:  # type: ignore[attr-defined]
            scale = Decimal(10) ** CURRENCY_EXPONENTS[cur[r["store"]]]
            totals[f"{r['store']}:gmv"] = totals.get(f"{r['store']}:gmv", Decimal(0)) + Decimal(r["gmv"]) * scale
            totals[f"{r['store']}:orders"] = totals.get(f"{r['store']}:orders", Decimal(0)) + Decimal(r["orders"])
    elif name == "sql":
        for row in result:  # type: ignore[attr-defined]
            totals[f"{row[0]}:gmv"] = totals.get(f"{row[0]}:gmv", Decimal(0)) + Decimal(row[2])
            totals[f"{row[0]}:orders"] = totals.get(f"{row[0]}:orders", Decimal(0)) + Decimal(row[4])
    else:
        for row in result.itertuples():  # type: ignore[attr-defined]
            totals[f"{row.store_id}:gmv"] = totals.get(f"{row.store_id}:gmv", Decimal(0)) + Decimal(int(row.gmv))
            totals[f"{row.store_id}:orders"] = totals.get(f"{row.store_id}:orders", Decimal(0)) + Decimal(int(row.orders))
    return {k: str(v.normalize()) for k, v in sorted(totals.items())}


def measure(name: str, ws_path: Path) -> tuple[float, float, dict[str, str]]:
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(name, str(ws_path), queue))
    proc.start()
    out = queue.get()
    proc.join()
    return out  # type: ignore[no-any-return]


def main() -> str:
    ws_path = build_lake()
    rows = duckdb.sql(f"SELECT count(*) FROM read_parquet('{ws_path}/lake/order_lines/**/*.parquet')").fetchone()[0]  # type: ignore[index]
    results = {name: measure(name, ws_path) for name in ("sql", "engine", "pandas")}
    agree = results["sql"][2] == results["engine"][2] == results["pandas"][2]
    sql_s, eng_s, pd_s = results["sql"][0], results["engine"][0], results["pandas"][0]
    lines = [
        "### Metrics: 10 metrics by store and month",
        f"- order lines stored: {rows:,} (6 stores, 12 months, 3% superseded by a later export); metrics: {', '.join(METRICS)}",
        "| implementation | wall s | peak RSS MB |", "|---|---|---|",
        *(f"| {n} | {results[n][0]:.2f} | {results[n][1]:.0f} |" for n in ("sql", "engine", "pandas")),
        f"- kpiguard / hand-written SQL: **{eng_s / sql_s:.2f}x** the time (target <= 1.5x)",
        f"- pandas / kpiguard: **{pd_s / eng_s:.1f}x** slower than kpiguard (target >= 10x)",
        f"- the three agree on GMV and orders per store: {'yes' if agree else 'NO: ' + json.dumps({k: v[2] for k, v in results.items()})}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    print(main())
