"""The metric-case suite: every catalog metric against a hand-worked value and/or an independent
hand-written SQL query over the same lake (see cases.yaml and world.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from kpiguard.canonical import TABLES
from kpiguard.metrics import catalog
from kpiguard.metrics.engine import Query, run
from kpiguard.workspace import Workspace

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))




def oracle(ws: Workspace) -> duckdb.DuckDBPyConnection:
    """One view per table: the latest version of each natural key, written out by hand."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name, spec in TABLES.items():
        if not ws.has_table_data(name):
            continue
        keys = ", ".join(spec.natural_key)
        con.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{ws.table_glob(name)}', hive_partitioning = false) "
            f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY source_updated_utc DESC, import_id DESC, "
            "raw_row DESC) = 1")
    return con


def case_id(case: dict) -> str:
    return f"{case['metric']}-{case.get('store', 'case-us')}-{case.get('by', 'month')}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_metric_case(case_ws, case):
    by = (case["by"],) if case.get("by") else ()
    rows = run(case_ws, Query((case["metric"],), *OCTOBER, (case.get("store", "case-us"),), by))
    if "expected_rows" in case:
        assert {r["period_start"]: r[case["metric"]] for r in rows} == case["expected_rows"]
        return
    (row,) = rows
    assert row[case["metric"]] == case["expected"]
    if "check_sql" in case:
        (checked,) = oracle(case_ws).execute(case["check_sql"]).fetchone()
        assert Decimal(row[case["metric"]]) == Decimal(str(checked))


def test_every_catalog_metric_has_a_case():
    covered = {c["metric"] for c in CASES}
    assert set(catalog.load().keys()) <= covered, set(catalog.load().keys()) - covered


def test_provisional_until_the_restatement_window_passes(case_ws):
    # standard@1: ads restate for 28 days, refunds 60: October is provisional until 60 days after 10-31
    q = lambda as_of: Query(("gmv", "refunds"), *OCTOBER, ("case-us",), (), None, "standard@1", as_of)  # noqa: E731
    assert run(case_ws, q(date(2026, 12, 30)))[0]["status"] == "provisional"  # 60 days after 10-31
    assert run(case_ws, q(date(2026, 12, 31)))[0]["status"] == "final"
    sessions = Query(("sessions",), *OCTOBER, ("case-us",), (), None, "standard@1", date(2026, 11, 4))
    assert run(case_ws, sessions)[0]["status"] == "final"  # traffic settles after 3 days
