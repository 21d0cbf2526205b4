"""Gaps found in the importer, each closed and kept closed.

- a percent cell parses to a DECIMAL fraction, never a DOUBLE (money-grade numbers stay exact);
- ``0.005`` is not a whole number: the thousands rule (``1.234`` -> 1234) needs a leading group
  that is not 0, so the cell is refused instead of read as 5;
- a CSV whose rows end in CRLF and LF mixed (a file someone appended to) is read, every row;
- the CLI names a failed file once, not twice, on its red line.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from kpiguard.errors import InputError
from kpiguard.ingest import transform
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_all_orders, templates
from kpiguard.reportgen.model import OrderLine, Product
from kpiguard.workspace import Workspace
from tests.conftest import FIXTURES, add_store, rows, run_cli


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = transform.new_connection("salt", tmp_path)
    yield connection
    transform.close_connection(connection)


def test_a_percent_is_a_decimal_fraction(con) -> None:
    got = con.execute("SELECT typeof(kg_pct('98.40%', 'point')), kg_pct('98.40%', 'point'), "
                      "kg_pct('12,5 %', 'comma'), kg_pct('0.25', 'point'), kg_pct('x%', 'point')").fetchone()
    # 98.40% = 0.9840; 12,5 % in comma style = 0.125; a bare 0.25 is already a fraction
    assert got == ("DECIMAL(38,6)", Decimal("0.984000"), Decimal("0.125000"), Decimal("0.250000"), None)


def test_a_whole_number_with_thousands_groups_but_not_a_fraction(con) -> None:
    got = con.execute("SELECT kg_int('0.005'), kg_int('0,005'), kg_int('1.234'), kg_int('1,234'), "
                      "kg_int('12.345.678'), kg_int('-2.500')").fetchone()
    # 0.005 is five thousandths, not 5; 1.234 and 1,234 are 1234 in either thousands style
    assert got == (None, None, 1234, 1234, 12345678, -2500)


def test_an_order_quantity_of_0_005_is_refused_where_it_stands(ws: Workspace, tmp_path: Path) -> None:
    add_store(ws, "acme-us", "amazon", "US")
    text = (FIXTURES / "bad" / "orders.txt").read_text(encoding="utf-8").splitlines()
    header = text[0].split("\t")
    cells = text[2].split("\t")
    cells[header.index("quantity")] = "0.005"
    path = tmp_path / "orders.txt"
    path.write_text("\n".join([text[0], text[1], "\t".join(cells), *text[3:]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        import_file(ws, path, "acme-us")
    assert [(f.code, f.row, f.column, f.value) for f in refused.value.findings] == [
        ("value.unparseable", 3, "quantity", "0.005")]


def test_a_csv_with_crlf_and_lf_rows_mixed_is_read(ws: Workspace, tmp_path: Path) -> None:
    add_store(ws, "acme-us", "amazon", "US")
    products = [Product(f"SKU-{i}", f"B0MIX0000{i}", f"Mixed {i}") for i in range(4)]
    path = templates.write_product_costs(tmp_path / "costs.csv", products, date(2026, 1, 1), "USD")
    lines = path.read_bytes().replace(b"\r\n", b"\n").rstrip(b"\n").split(b"\n")
    # header and two rows written on Windows (CRLF), two rows appended on a Mac (LF), no final line end
    path.write_bytes(b"\r\n".join(lines[:3]) + b"\r\n" + b"\n".join(lines[3:]))
    result = import_file(ws, path, "acme-us")
    assert (result.format_key, result.rows_accepted) == ("kpiguard_product_costs", 4)
    assert sorted((r["sku"], r["raw_row"]) for r in rows(ws, "product_costs")) == [
        ("SKU-0", 2), ("SKU-1", 3), ("SKU-2", 4), ("SKU-3", 5)]


def test_the_cli_names_a_failed_file_once(ws: Workspace, tmp_path: Path) -> None:
    add_store(ws, "acme-us", "amazon", "US")
    at = datetime(2026, 3, 4, 17, 0, tzinfo=UTC)
    line = OrderLine("113-0000001-0000001", 1, at, at, "shipped", Product("S", "B0", "P"), 1, Decimal("1.00"), "USD")
    path = amazon_all_orders.write(tmp_path / "orders-march.txt", [line])
    path.write_text(path.read_text(encoding="utf-8").replace("\t1\tUSD", "\t1O\tUSD"), encoding="utf-8")
    result = run_cli(ws, "import", str(path), "--store", "acme-us")
    assert result.code == 2
    first = next(line for line in result.err.splitlines() if "✗" in line)
    assert first.count("orders-march.txt") == 1, first
    assert "1 row(s) cannot be imported" in first
