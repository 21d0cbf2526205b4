"""Values written into SQL as literals store exactly what DuckDB's own binding stores."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from kpiguard import sqlbind
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine, Product
from kpiguard.workspace import Workspace
from tests.conftest import add_store

VALUES = [None, True, False, 0, -7, 2**62, "plain", "it's", "''", "back\\slash", "a ? b", "-- not a comment",
          "中文 店铺", "line\nbreak", date(2026, 2, 28), datetime(2026, 11, 27, 23, 59, 59, 123456, tzinfo=UTC),
          datetime(2026, 3, 8, 10, 0, tzinfo=timezone(timedelta(hours=-8))), datetime(2026, 1, 1, 0, 0, 0, 1)]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_literal_reads_back_as_the_bound_value(value: object) -> None:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    bound = con.execute("SELECT ?", [value]).fetchone()
    written = sqlbind.execute(con, "SELECT ?", [value]).fetchone()
    assert written == bound
    assert sqlbind.bind("SELECT ?", [value]) != "SELECT ?"  # it was written, not handed to DuckDB


def test_placeholders_inside_quotes_and_comments_stay() -> None:
    sql = "SELECT '?' AS \"q?\", ? AS v -- why?\n, ? AS w"
    assert sqlbind.bind(sql, ["x", 2]) == "SELECT '?' AS \"q?\", 'x' AS v -- why?\n, 2 AS w"
    assert sqlbind.bind("SELECT 'it''s ?', ?", [1]) == "SELECT 'it''s ?', 1"
    assert sqlbind.bind("SELECT /* a ? here */ ?", [3]) == "SELECT /* a ? here */ 3"


def test_what_it_cannot_write_goes_to_duckdb_binding() -> None:
    con = duckdb.connect()
    assert sqlbind.execute(con, "SELECT ?", [Decimal("12.50")]).fetchone() == (Decimal("12.50"),)
    assert sqlbind.execute(con, "SELECT ?", ["nul\x00inside"]).fetchone() == ("nul\x00inside",)
    with pytest.raises(sqlbind.Unrenderable):
        sqlbind.bind("SELECT ?, ?", [1])
    with pytest.raises(sqlbind.Unrenderable):
        sqlbind.bind("SELECT ?", [1, 2])


def test_an_import_does_not_load_pandas(ws: Workspace, tmp_path: Path) -> None:
    # the reason for sqlbind: DuckDB loads pandas (0.6-0.9 s) before it binds a first parameter
    add_store(ws, "us", "amazon", "US")
    at = datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
    product = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle 750ml, Blue")
    sample = amazon_all_orders.write(tmp_path / "orders.txt", [
        OrderLine("111-0000001-0000001", 1, at, at, "shipped", product, 2, Decimal("19.95"), "USD")], version="sp-api")
    probe = ("import sys; from pathlib import Path; from kpiguard.ingest.load import import_file; "
             "from kpiguard.workspace import Workspace; "
             f"r = import_file(Workspace({str(ws.home)!r}), Path({str(sample)!r}), 'us'); "
             "print(r.rows_accepted > 0, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "False"]
