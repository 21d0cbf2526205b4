"""Benchmark: 10 metrics by store and month over >= 10 million order lines.

Side by side in one run, on the same Parquet lake:
- kpiguard's metric engine (Ibis over DuckDB, definition set standard@1);
- one hand-written DuckDB SQL query for the same numbers, as a competent engineer would write it
  for this data: the current version of each natural key (a window), only the columns it needs,
  the same filters, no per-row time zone work (the lake's local dates are the marketplace's);
- a straightforward pandas implementation: read the columns it needs, sort, drop superseded
  versions, filter, group by; vectorised, no row loops, no tricks.
It checks that all three agree on every metric of every store and month, then reports wall times,
ratios and peak memory (each runs in its own child process so peak RSS is its own).

The lake is written directly as canonical Parquet by DuckDB (this measures computation, not
import; import speed is measured by import_speed.py), laid out as imports leave it: one part per
import and store (``ingest/parts.py``'s compression and dictionary limit), canonical column types, realistic identifiers (Amazon-style
order and item ids, SHA-256 buyer hashes). Each store has twelve monthly All Orders exports and
one later export that restates 3% of the lines (the order shipped), so latest-state resolution
is part of the work.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import shutil
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

HERE = Path(__file__).parent
STORES = [("m-us", "US", "USD"), ("m-de", "DE", "EUR"), ("m-uk", "UK", "GBP"),
          ("m-jp", "JP", "JPY"), ("m-ca", "CA", "CAD"), ("m-us2", "US", "USD")]
METRICS = ("gmv", "units", "orders", "aov", "promotion_discounts", "buyers", "net_sales", "refund_rate",
           "acos", "tacos")
MONEY = {"gmv", "aov", "promotion_discounts", "net_sales"}
RATIOS = {"refund_rate", "acos", "tacos"}
FROM, TO = date(2025, 10, 1), date(2026, 9, 30)
LINES_PER_STORE = int(os.environ.get("KPIGUARD_BENCH_LINES", "10200000")) // len(STORES)
LAYOUT = "v3"  # bump when the generated lake changes
DATA = HERE / "data" / f"metrics-ws-{LAYOUT}-{LINES_PER_STORE * len(STORES)}"

Numbers = dict[tuple[str, str], dict[str, Decimal | None]]  # (store, month) -> metric -> value, major units


def build_lake() -> Path:
    """Write the workspace once (cached under bench/data); returns its folder."""
    from kpiguard import stores
    from kpiguard.workspace import Workspace

    marker = DATA / ".built"
    if marker.exists():
        return DATA
    if LINES_PER_STORE // 2 >= 10_000_000:
        raise SystemExit("at most 20 million lines per store (the order ids have seven unique digits)")
    for old in HERE.glob("data/metrics-ws*"):  # lakes of earlier layouts, or this one half built
        if old == DATA or not old.name.startswith(f"metrics-ws-{LAYOUT}-"):
            shutil.rmtree(old)
    ws = Workspace(DATA)
    ws.init()
    for store_id, market, _ in STORES:
        stores.add(ws, stores.validate(store_id, "amazon", market, None, None), "bench")
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'; SET enable_progress_bar = false")
    for n, (store_id, _, currency) in enumerate(STORES):
        _write_store(con, ws.lake_dir, n, store_id, currency)
    marker.write_text("ok")
    return DATA


def _write_store(con: duckdb.DuckDBPyConnection, lake: Path, n: int, store: str, currency: str) -> None:
    lines_n, days = LINES_PER_STORE, (TO - FROM).days + 1
    # Amazon-style ids: order 11N-NNNNNNN-NNNNNNN (two lines per order; the last seven digits make it
    # unique), order item 14 digits; buyers are SHA-256 hex, as imports store them
    lines = f"""
        SELECT i, printf('11{n}-%07d-%07d', ((i // 2) * 7919) % 10000000, (i // 2) % 10000000) AS order_id,
               printf('%014d', {40_000_000_000_000 + n * 1_000_000_000} + i) AS line_id,
               TIMESTAMPTZ '{FROM}' + to_seconds(CAST((i * 7919) % ({days} * 86400) AS BIGINT)) AS purchased_at_utc,
               CASE WHEN i % 50 = 0 THEN 'cancelled' WHEN i % 97 = 0 THEN 'pending' ELSE 'shipped' END AS order_status,
               'SKU-' || (i % 40) AS sku, 1 + i % 3 AS quantity, 500 + (i * 31) % 9000 AS item_price_minor,
               CASE WHEN i % 5 = 0 THEN 100 ELSE 0 END AS promotion_discount_minor,
               sha256('{store}-buyer-' || ((i * 13) % {max(lines_n // 3, 1)})) AS buyer_hash
        FROM range({lines_n}) t(i)"""
    order_cols = f"""i, order_id, line_id, purchased_at_utc, CAST(purchased_at_utc AS DATE) AS order_date_local,
        order_status, order_status AS status_raw, sku, 'B0' || lpad(CAST(i % 40 AS VARCHAR), 8, '0') AS product_id,
        'Item' AS product_name, quantity, '{currency}' AS currency,
        CASE WHEN order_status = 'pending' THEN NULL ELSE item_price_minor END AS item_price_minor,
        0 AS item_tax_minor, 0 AS shipping_minor, 0 AS shipping_tax_minor, 0 AS gift_wrap_minor,
        promotion_discount_minor, 'platform' AS fulfillment_channel, 'Amazon.com' AS sales_channel,
        false AS is_business_order, buyer_hash, NULL AS ship_postal_hash, 'US' AS ship_country,
        '{store}' AS store_id, 'amazon_all_orders' AS source"""
    base = 100 * (n + 1)
    # twelve monthly exports (import ids base+1 .. base+12), one part each
    monthly = (f"SELECT * EXCLUDE (i), purchased_at_utc AS source_updated_utc, {base} + month(order_date_local) AS import_id, "
               f"'{'a' * 64}' AS raw_sha256, i + 2 AS raw_row FROM (SELECT {order_cols} FROM ({lines}))")
    _copy(con, monthly, "order_lines", lake / "order_lines" / f"store={store}", "export", by_month="order_date_local")
    # a later export (import base+50) in which 3% of the lines shipped: the newer state must win
    later = (f"SELECT * EXCLUDE (i) REPLACE ('shipped' AS order_status, 500 AS item_price_minor), "
             f"purchased_at_utc + INTERVAL 2 DAY AS source_updated_utc, {base + 50} AS import_id, '{'b' * 64}' AS raw_sha256, "
             f"i + 2 AS raw_row FROM (SELECT {order_cols} FROM ({lines})) WHERE i % 33 = 0")
    _copy(con, later, "order_lines", lake / "order_lines" / f"store={store}", "restated")
    refunds = f"""SELECT 'R-' || order_id || '-' || line_id AS refund_id, order_id, sku, NULL AS product_id, 'refund' AS kind,
        purchased_at_utc + INTERVAL 9 DAY AS refunded_at_utc, CAST(purchased_at_utc + INTERVAL 9 DAY AS DATE) AS refund_date_local,
        quantity, '{currency}' AS currency, item_price_minor AS amount_minor, 'x' AS reason, NULL AS disposition,
        '{store}' AS store_id, 'amazon_date_range' AS source, purchased_at_utc AS source_updated_utc, {base + 60} AS import_id,
        '{'c' * 64}' AS raw_sha256, i AS raw_row FROM ({lines}) WHERE i % 31 = 0 AND order_status = 'shipped'"""
    _copy(con, refunds, "refunds", lake / "refunds" / f"store={store}", "refunds")
    ads = f"""SELECT DATE '{FROM}' + CAST(d AS INTEGER) AS period_start_local, DATE '{FROM}' + CAST(d AS INTEGER) AS period_end_local,
        'SP' AS ad_type, 'advertised_product' AS report_kind, 'C' || (s % 5) AS campaign, 'G' AS ad_group, 'SKU-' || s AS sku,
        'B0' || lpad(CAST(s AS VARCHAR), 8, '0') AS product_id, NULL AS targeting, NULL AS match_type, NULL AS search_term,
        1000 + s AS impressions, 20 + s % 7 AS clicks, '{currency}' AS currency, 1500 + s * 10 AS spend_minor,
        6000 + s * 25 AS sales_minor, 3 AS orders, 3 AS units, 7 AS attribution_days, '{store}' AS store_id,
        'amazon_ads_advertised_product' AS source, TIMESTAMPTZ '{TO}' AS source_updated_utc, {base + 70} AS import_id,
        '{'d' * 64}' AS raw_sha256, s AS raw_row
        FROM range({days}) a(d), range(40) b(s)"""
    _copy(con, ads, "ad_performance", lake / "ad_performance" / f"store={store}", "ads")


def _copy(con: duckdb.DuckDBPyConnection, sql: str, table: str, folder: Path, name: str, by_month: str | None = None) -> None:
    """Write rows as an import does: canonical types and column order, one part per import, with the
    importer's Parquet options. ``by_month``: the rows are twelve monthly exports (one import, so
    one part, per month of that date column)."""
    from kpiguard.canonical import TABLES
    from kpiguard.ingest.parts import COMPRESSION, DICTIONARY_LIMIT

    cols = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in TABLES[table].all_columns)
    folder.mkdir(parents=True, exist_ok=True)
    options = f"FORMAT PARQUET, COMPRESSION {COMPRESSION}, DICTIONARY_SIZE_LIMIT {DICTIONARY_LIMIT}"
    if by_month is None:
        con.execute(f"COPY (SELECT {cols} FROM ({sql})) TO '{folder / f'{name}.parquet'}' ({options})")
        return
    con.execute(f"CREATE OR REPLACE TEMP TABLE kg_bench_rows AS SELECT {cols} FROM ({sql})")  # generated once
    months = con.execute(f"SELECT DISTINCT strftime({by_month}, '%Y-%m') FROM kg_bench_rows ORDER BY 1").fetchall()
    for i, (month,) in enumerate(months):
        con.execute(f"COPY (SELECT * FROM kg_bench_rows WHERE strftime({by_month}, '%Y-%m') = '{month}') "
                    f"TO '{folder / f'{name}-{i}.parquet'}' ({options})")
    con.execute("DROP TABLE kg_bench_rows")


def run_engine(ws_path: Path) -> Numbers:
    from kpiguard.metrics.engine import Query, run
    from kpiguard.workspace import Workspace

    rows = run(Workspace(ws_path), Query(METRICS, FROM, TO, None, ("store", "month")))
    return {(r["store"], r["period_start"][:7]): {m: None if r[m] is None else Decimal(r[m]) for m in METRICS}
            for r in rows}


# the current version of each natural key (lake.py's rule), then standard@1's filters
LATEST = "QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY source_updated_utc DESC NULLS LAST, import_id DESC, raw_row DESC) = 1"
LATEST_BY = {
    "latest_orders": LATEST.format(key="store_id, source, order_id, line_id"),
    "latest_refunds": LATEST.format(key="store_id, source, refund_id"),
    "latest_ads": LATEST.format(key="store_id, source, period_start_local, period_end_local, campaign, ad_group, sku, "
                                    "product_id, targeting, match_type, search_term"),
}
HAND_SQL = """
WITH o AS (
  SELECT store_id, order_id, order_date_local, order_status, item_price_minor, quantity, promotion_discount_minor, buyer_hash
  FROM read_parquet('{lake}/order_lines/*/*.parquet', hive_partitioning = false)
  WHERE source = 'amazon_all_orders'
  {latest_orders}),
ord AS (
  SELECT store_id, date_trunc('month', order_date_local) AS m, sum(coalesce(item_price_minor, 0)) AS gmv,
         sum(quantity) AS units, count(DISTINCT order_id) AS orders, sum(promotion_discount_minor) AS promo,
         count(DISTINCT buyer_hash) AS buyers
  FROM o
  WHERE order_status <> 'cancelled' AND NOT (order_status = 'pending' AND item_price_minor IS NULL)
    AND order_date_local BETWEEN DATE '{f}' AND DATE '{t}'
  GROUP BY ALL),
r AS (
  SELECT store_id, date_trunc('month', refund_date_local) AS m, sum(amount_minor) AS refund_amount,
         sum(quantity) AS refund_units
  FROM (SELECT store_id, kind, refund_date_local, amount_minor, quantity
        FROM read_parquet('{lake}/refunds/*/*.parquet', hive_partitioning = false)
        {latest_refunds})
  WHERE kind = 'refund' AND refund_date_local BETWEEN DATE '{f}' AND DATE '{t}'
  GROUP BY ALL),
a AS (
  SELECT store_id, date_trunc('month', period_start_local) AS m, sum(spend_minor) AS spend, sum(sales_minor) AS ad_sales
  FROM (SELECT store_id, period_start_local, ad_type, attribution_days, spend_minor, sales_minor
        FROM read_parquet('{lake}/ad_performance/*/*.parquet', hive_partitioning = false)
        WHERE report_kind = 'advertised_product'
        {latest_ads})
  WHERE coalesce(attribution_days, 7) = CASE coalesce(ad_type, 'SP') WHEN 'SP' THEN 7 ELSE 14 END
    AND period_start_local BETWEEN DATE '{f}' AND DATE '{t}'
  GROUP BY ALL)
SELECT ord.store_id, strftime(ord.m, '%Y-%m') AS month, gmv, units, orders, promo, buyers, refund_amount, refund_units,
       spend, ad_sales
FROM ord LEFT JOIN r USING (store_id, m) LEFT JOIN a USING (store_id, m) ORDER BY 1, 2
"""


def run_floor(ws_path: Path) -> Numbers:
    """The hand SQL without latest-state resolution: not the right numbers (superseded versions
    count too), only the cost of reading and aggregating the rows in DuckDB, i.e. what an engine
    would take if resolving versions cost nothing."""
    return _run_sql(ws_path, dict.fromkeys(LATEST_BY, ""))


def _run_sql(ws_path: Path, latest: dict[str, str]) -> Numbers:
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'; SET enable_progress_bar = false")
    rows = con.execute(HAND_SQL.format(lake=ws_path / "lake", f=FROM, t=TO, **latest)).fetchall()
    return {(r[0], r[1]): _metrics(*r[2:]) for r in rows}


def run_hand_sql(ws_path: Path) -> Numbers:
    return _run_sql(ws_path, LATEST_BY)


def run_pandas(ws_path: Path) -> Numbers:
    import pandas as pd

    lake = ws_path / "lake"
    version = ["source_updated_utc", "import_id", "raw_row"]

    def read(table: str, columns: list[str]) -> pd.DataFrame:
        parts = sorted((lake / table).rglob("*.parquet"))
        return pd.concat([pd.read_parquet(p, columns=columns + version) for p in parts], ignore_index=True)

    def current(df: pd.DataFrame, key: list[str]) -> pd.DataFrame:
        return df.sort_values(version).drop_duplicates(key, keep="last")

    def month(df: pd.DataFrame, column: str) -> pd.DataFrame:
        """Rows dated in the benchmark's range, with their calendar month."""
        day = pd.to_datetime(df[column])
        df = df[(day >= pd.Timestamp(FROM)) & (day <= pd.Timestamp(TO))].copy()
        df["m"] = day[df.index].dt.to_period("M")
        return df

    o = read("order_lines", ["store_id", "source", "order_id", "line_id", "order_date_local", "order_status",
                             "item_price_minor", "quantity", "promotion_discount_minor", "buyer_hash"])
    o = current(o[o.source == "amazon_all_orders"], ["store_id", "source", "order_id", "line_id"])
    o = month(o[(o.order_status != "cancelled") & ~((o.order_status == "pending") & o.item_price_minor.isna())],
              "order_date_local")
    g = o.groupby(["store_id", "m"]).agg(gmv=("item_price_minor", "sum"), units=("quantity", "sum"),
                                         orders=("order_id", "nunique"), promo=("promotion_discount_minor", "sum"),
                                         buyers=("buyer_hash", "nunique"))
    r = read("refunds", ["store_id", "source", "refund_id", "kind", "refund_date_local", "amount_minor", "quantity"])
    r = current(r, ["store_id", "source", "refund_id"])
    r = month(r[r.kind == "refund"], "refund_date_local")
    rg = r.groupby(["store_id", "m"]).agg(refund_amount=("amount_minor", "sum"), refund_units=("quantity", "sum"))
    ad_key = ["store_id", "source", "period_start_local", "period_end_local", "campaign", "ad_group", "sku",
              "product_id", "targeting", "match_type", "search_term"]
    a = read("ad_performance", [*ad_key, "report_kind", "ad_type", "attribution_days", "spend_minor", "sales_minor"])
    a = current(a[a.report_kind == "advertised_product"], ad_key)
    window = a.ad_type.fillna("SP").map({"SP": 7}).fillna(14)
    a = month(a[a.attribution_days.fillna(window) == window], "period_start_local")
    ag = a.groupby(["store_id", "m"]).agg(spend=("spend_minor", "sum"), ad_sales=("sales_minor", "sum"))
    out = g.join(rg).join(ag)
    cols = ["gmv", "units", "orders", "promo", "buyers", "refund_amount", "refund_units", "spend", "ad_sales"]
    return {(str(s), str(m)): _metrics(*(None if pd.isna(v) else int(v) for v in row))
            for (s, m), row in zip(out.index, out[cols].itertuples(index=False), strict=True)}


def _metrics(gmv: Any, units: Any, orders: Any, promo: Any, buyers: Any, refund_amount: int | None,
             refund_units: int | None, spend: int | None, ad_sales: int | None) -> dict[str, Decimal | None]:
    """The ten metrics from one store-month's sums, money in minor units (scaled in _summary)."""
    def div(a: int | None, b: int | None) -> Decimal | None:
        return None if a is None or not b else Decimal(a) / Decimal(b)
    return {"gmv": Decimal(gmv), "units": Decimal(units), "orders": Decimal(orders), "aov": div(gmv, orders),
            "promotion_discounts": Decimal(promo), "buyers": Decimal(buyers),
            "net_sales": Decimal(gmv - promo - (refund_amount or 0)), "refund_rate": div(refund_units or 0, units),
            "acos": div(spend, ad_sales), "tacos": div(spend, gmv)}


def _child(name: str, ws_path: str, queue: mp.Queue) -> None:
    fn = {"engine": run_engine, "sql": run_hand_sql, "pandas": run_pandas, "floor": run_floor}[name]
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    result = fn(Path(ws_path))
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    queue.put((seconds, cpu, usage.ru_maxrss / 1024, _rendered(name, result)))


def _rendered(name: str, result: Numbers) -> dict[str, str | None]:
    """Every metric of every store-month as the engine renders it: money in major units at the
    currency's places, ratios at 6 places (the hand SQL and pandas give minor units and exact
    quotients; rounding them the same way makes the three comparable digit for digit)."""
    from kpiguard.metrics.engine import render
    from kpiguard.money import exponent

    currency = {s: c for s, _, c in STORES}
    out: dict[str, str | None] = {}
    for (store, month), values in sorted(result.items()):
        for metric, value in values.items():
            unit = "money" if metric in MONEY else ("ratio" if metric in RATIOS else "count")
            if value is not None and name != "engine" and metric in MONEY:
                value = value.scaleb(-exponent(currency[store]))
            out[f"{store} {month} {metric}"] = render(value, unit, currency[store])
    return out


Measured = tuple[float, float, float, dict[str, str | None]]  # wall s, CPU s (all threads), peak RSS MB, values


def measure(name: str, ws_path: Path) -> Measured:
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(name, str(ws_path), queue))
    proc.start()
    out = queue.get()
    proc.join()
    return out  # type: ignore[no-any-return]


def _disagreements(results: dict[str, Measured]) -> list[str]:
    base = results["sql"][3]
    out = []
    for name in ("engine", "pandas"):
        other = results[name][3]
        out += [f"{name} {k}: {other.get(k)} vs sql {base.get(k)}" for k in sorted(set(base) | set(other))
                if other.get(k) != base.get(k)]
    return out


def main() -> str:
    ws_path = build_lake()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    rows = con.sql(f"SELECT count(*) FROM read_parquet('{ws_path}/lake/order_lines/*/*.parquet')").fetchone()[0]  # type: ignore[index]
    parts = len(list((ws_path / "lake" / "order_lines").rglob("*.parquet")))
    results = {name: measure(name, ws_path) for name in ("sql", "engine", "pandas", "floor")}
    wrong = _disagreements(results)
    (sql_s, sql_cpu), (eng_s, eng_cpu), (pd_s, pd_cpu) = (results[n][:2] for n in ("sql", "engine", "pandas"))
    cells = len(results["sql"][3])
    lines = [
        "### Metrics: 10 metrics by store and month",
        f"- order lines stored: {rows:,} in {parts} Parquet parts (6 stores, 12 months, 12 monthly exports per store "
        f"plus a later export restating 3% of lines); metrics: {', '.join(METRICS)}",
        "| implementation | wall s | CPU s (all threads) | peak RSS MB |", "|---|---|---|---|",
        *(f"| {n} | {results[n][0]:.2f} | {results[n][1]:.2f} | {results[n][2]:.0f} |" for n in ("sql", "engine", "pandas")),
        f"- kpiguard / hand-written SQL: **{eng_s / sql_s:.2f}x** the time (target <= 1.5x); "
        f"in CPU seconds {eng_cpu / sql_cpu:.2f}x",
        f"- pandas / kpiguard: **{pd_s / eng_s:.1f}x** slower than kpiguard (target >= 10x); "
        f"in CPU seconds {pd_cpu / eng_cpu:.1f}x",
        f"- the three agree on all {cells} values (10 metrics x store x month): "
        + ("yes" if not wrong else f"NO ({len(wrong)} differ): " + "; ".join(wrong[:5])),
        f"- floor: the hand SQL without latest-state resolution (wrong numbers, superseded rows count too) takes "
        f"{results['floor'][0]:.2f} s wall, {results['floor'][1]:.2f} s CPU; pandas / floor = "
        f"{pd_s / results['floor'][0]:.1f}x: the ceiling for an engine that reads and aggregates these rows in DuckDB, "
        "even if resolving versions cost nothing",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    print(main())
