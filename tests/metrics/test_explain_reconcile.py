"""Drill-down and reconciliation over the case world (world.py), through the real CLI too."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal as D

from kpiguard.ingest.load import import_file
from kpiguard.metrics.explain import ExplainRequest, explain
from kpiguard.metrics.reconcile import ReconcileRequest, reconcile
from kpiguard.reportgen import amazon_all_orders, amazon_date_range
from kpiguard.reportgen.model import FeeLine, OrderLine, Product
from tests.conftest import add_store, run_cli

OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))




def test_explain_names_rows_and_raw_files(case_ws):
    result = explain(case_ws, ExplainRequest("aov", *OCTOBER, ("case-us",), with_rows=True))
    assert result["value"] == "61.25" and result["formula"] == "gmv_amount / orders_count"
    gmv = next(m for m in result["measures"] if m["measure"] == "gmv_amount")
    assert gmv["contributing_rows"] == 4  # 111-1, 111-2, 111-3, 111-6
    assert gmv["policies"]["pending_lines"] == "exclude_unpriced"
    assert "FILTER" in gmv["sql"] and "order_status" in gmv["sql"]
    (source,) = gmv["raw_files"]
    assert source["file"] == "orders.txt" and source["rows"] == 4 and len(source["sha256"]) == 64
    # file rows: the header is row 1, 111-0 is row 2, so 111-1 is row 3 ... 111-6 is row 8
    assert sorted((r["order_id"], r["raw_row"]) for r in gmv["rows"]) == [
        ("111-0000001-0000001", 3), ("111-0000002-0000002", 4), ("111-0000003-0000003", 5),
        ("111-0000006-0000006", 8)]


def test_query_and_explain_through_the_cli(case_ws):
    out = run_cli(case_ws, "query", "gmv", "acos", "--store", "case-us", "--from", "2026-10-01",
                  "--to", "2026-10-31", "--by", "week", "--json")
    assert out.code == 0, out.err
    rows = json.loads(out.out)
    assert [r["period_start"] for r in rows] == ["2026-10-01", "2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26"]
    first = rows[0]
    assert set(first) >= {"store", "period_start", "period_end", "gmv", "acos", "currency", "status"}
    # week 1 (10-01..10-04): GMV 40 + 50; ad spend 30 / ad sales 120 (both ad days are in it)
    assert (first["gmv"], first["acos"], first["period_end"]) == ("90.00", "0.250000", "2026-10-04")
    explained = run_cli(case_ws, "explain", "gmv", "--store", "case-us", "--period", "2026-10", "--json")
    assert explained.code == 0 and json.loads(explained.out)["value"] == "245.00"
    bad = run_cli(case_ws, "query", "gmv", "--store", "nope", "--period", "2026-10")
    assert bad.code == 2 and "nope" in bad.err and "Traceback" not in bad.err


def test_reconcile_flags_a_posting_shift(ws, tmp_path):
    add_store(ws, "rec-us", "amazon", "US")
    item = Product("SKU-1", "B1", "x")
    # sold 10-01 at 20:00 UTC (13:00 PDT); the transaction report posts it on 10-02
    sold = datetime(2026, 10, 1, 20, tzinfo=UTC)
    import_file(ws, amazon_all_orders.write(tmp_path / "o.txt", [
        OrderLine("111-1", 1, sold, sold, "shipped", item, 1, D("40.00"), "USD")]), "rec-us")
    posted = datetime(2026, 10, 2, 20, tzinfo=UTC)
    import_file(ws, amazon_date_range.write(tmp_path / "r.csv", [
        FeeLine("1", posted, "Order", "111-1", "SKU-1", 1, "ItemPrice", "Principal", D("40.00"), "USD")]), "rec-us")
    result = reconcile(ws, ReconcileRequest("rec-us", date(2026, 10, 1), date(2026, 10, 3)))
    assert result["sources"] == ["orders:amazon_all_orders", "settlement:amazon_date_range"]
    assert result["totals"] == {"orders:amazon_all_orders": "40.00", "settlement:amazon_date_range": "40.00"}
    days = {d["day"]: d for d in result["days"]}
    assert days["2026-10-01"]["flagged"] and days["2026-10-02"]["flagged"] and not days["2026-10-03"]["flagged"]
    assert days["2026-10-01"]["gap"] == "40.00"
    assert days["2026-10-01"]["likely_causes"][0].startswith("time zone shift")
