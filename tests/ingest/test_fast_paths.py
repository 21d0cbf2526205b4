"""The import's shortcuts change no result.

- each value parser's fast path (a cast, kept only when the cell is the text the cast prints back)
  reads every cell exactly as the full rules do, or leaves it to them;
- local dates by epoch arithmetic over the zone's offsets equal ICU's ``timezone()``, across DST
  changes, in zones with half-hour offsets and south of the equator;
- the fast path (stage, then one guarded COPY) and the detailed path (canonical rows in a table,
  each rule a query) store the same rows;
- row numbers stay right when DuckDB reads a large file in parallel.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from kpiguard.ingest import transform, zones
from kpiguard.ingest.load import import_file
from kpiguard.ingest.spec import Parsed, boolean, day, integer, money, ts
from kpiguard.ingest.sqlmacros import compile_fast, compile_full, compile_parsed, sql_literal
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine, Product
from kpiguard.workspace import Workspace
from tests.conftest import add_store, rows

# cells chosen to sit on every edge of the fast paths: canonical and nearly canonical spellings,
# separators, signs, exponents, too many decimals, too large, spaces, symbols
MONEY_CELLS = ["10.95", "10.955", "10.9", "10", "-1.00", "-0.00", "0.05", "1e3", "1_000", "0x10", " 12.00 ",
               "007.00", "+7.00", "1,234.56", "1.234,56", "$5.00", "(5.00)", "JPY 1,234", "1234", "1,234",
               "999999999999999.99", "1000000000000000.00", "-999999999999999.99", "999999999999999",
               "1000000000000000", "9999999999999.99", "-9999999999999.99", "99999999999999.99", "999999999999.999", "1.234", "12.345", "0.005", "1O0", "", "  "]
INT_CELLS = ["2", "-3", "+7", "007", "1.5", "1e3", "1,234", "1.234", "0.005", " 4 ", "9223372036854775808", "x", ""]
TS_CELLS = ["2026-03-04T17:22:09+00:00", "2026-03-04T17:22:09-08:00", "2026-03-04T17:22:09+0530",
            "2026-03-04 17:22:09", "2026-03-04T17:22:09Z", " 2026-03-04T17:22:09+01:00", "2026-03-04",
            "2026-03-04T17:22:09+0a:00", "2026-13-04T17:22:09+00:00", "junk"]
DATE_CELLS = ["2026-03-04", "2026-3-4", "2026/03/04", "2026-02-30", "+026-03-04", " 2026-03-04", "04.03.2026"]
BOOL_CELLS = ["true", "false", "True", "YES", "0", "ja", "maybe", ""]


def values(con: duckdb.DuckDBPyConnection, p: Parsed, cells: list[str], currency: str, style: str) -> list[tuple]:
    """(cell, combined, full) for each cell: the combined expression is what an import computes."""
    col = "x"
    both = compile_parsed(p, col, "America/Los_Angeles", style, sql_literal(currency))
    full = compile_full(p, col, "America/Los_Angeles", style, sql_literal(currency))
    con.execute("CREATE OR REPLACE TABLE cells (x VARCHAR)")
    con.executemany("INSERT INTO cells VALUES (nullif(?, ''))", [[c] for c in cells])
    return con.execute(f"SELECT x, {both}, {full} FROM cells").fetchall()


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = transform.new_connection("salt", tmp_path)
    yield connection
    transform.close_connection(connection)


@pytest.mark.parametrize("currency", ["USD", "JPY", "KWD"])
@pytest.mark.parametrize("style", ["point", "comma"])
def test_money_fast_path_reads_every_cell_as_the_full_rules(con, currency: str, style: str) -> None:
    got = values(con, money("x"), MONEY_CELLS, currency, style)
    assert [(c, a) for c, a, _ in got] == [(c, b) for c, _, b in got]


def test_money_fast_path_on_hand_worked_cells(con) -> None:
    got = {c: v for c, v, _ in values(con, money("x"), ["10.95", "-1.00", "10.955", "1000000000000000.00"], "USD",
                                      "point")}
    # 10.95 USD = 1095 cents; -1.00 = -100; 10.955 is finer than a cent and 1e15 dollars too large: refused
    assert got == {"10.95": 1095, "-1.00": -100, "10.955": None, "1000000000000000.00": None}


@pytest.mark.parametrize(("p", "cells"), [
    (integer("x"), INT_CELLS),
    (ts("x", "iso", "%Y-%m-%d %H:%M:%S"), TS_CELLS),
    (day("x"), DATE_CELLS),
    (boolean("x"), BOOL_CELLS),
], ids=["int", "ts", "date", "bool"])
def test_other_fast_paths_read_every_cell_as_the_full_rules(con, p: Parsed, cells: list[str]) -> None:
    got = values(con, p, cells, "USD", "point")
    assert [(c, a) for c, a, _ in got] == [(c, b) for c, _, b in got]
    assert compile_fast(p, "x", "point", "2") is not None  # each kind here has a fast path


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata",
                                  "America/St_Johns", "Asia/Tokyo", "UTC"])
def test_local_dates_by_arithmetic_equal_icu(con, zone: str) -> None:
    """Every 20 minutes over two years, and the seconds around each offset change."""
    start, steps = datetime(2025, 1, 1, tzinfo=UTC), 2 * 365 * 72
    stretches = zones.offsets(zone, start, start + timedelta(minutes=20 * (steps - 1)))
    around = [int(b / 1000) + s for b, _, _ in stretches[1:] for s in (-2, -1, 0, 1)]
    con.execute(f"CREATE OR REPLACE TABLE moments AS SELECT to_timestamp({int(start.timestamp())} + 1200 * range) "
                f"AS moment FROM range({steps}) UNION ALL SELECT to_timestamp(unnest(?::BIGINT[]))", [around])
    instants = range(steps + len(around))
    con.execute(f"CREATE OR REPLACE MACRO kg_local_date(t, tz) AS {zones.local_date_sql(zone, stretches)}")
    z = sql_literal(zone)
    fast, wrong = con.execute(
        f"SELECT count(*) FILTER (WHERE epoch_ms(moment) >= {stretches[0][0]} AND epoch_ms(moment) < {stretches[-1][1]}), "
        f"count(*) FILTER (WHERE kg_local_date(moment, {z}) <> CAST(timezone({z}, moment) AS DATE)) FROM moments").fetchone()
    assert wrong == 0 and fast == len(instants)  # every instant took the arithmetic, none differs
    if zone == "America/Los_Angeles":  # PST -> PDT on 2025-03-09 10:00 UTC, back on 2025-11-02 09:00 UTC
        assert [datetime.fromtimestamp(b / 1000, UTC) for b, _, _ in stretches[1:3]] == [
            datetime(2025, 3, 9, 10, tzinfo=UTC), datetime(2025, 11, 2, 9, tzinfo=UTC)]


BOTTLE = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle 750ml, Blue")


def orders(n: int, start: datetime) -> list[OrderLine]:
    return [OrderLine(f"113-{i:07d}-0000001", 1, start + timedelta(hours=7 * i), start + timedelta(hours=7 * i + 1),
                      "pending" if i % 9 == 4 else "cancelled" if i % 9 == 5 else "shipped", BOTTLE, 1 + i % 3,
                      Decimal(f"{10 + i % 50}.95"), "USD", tax=Decimal("1.20"), discount=Decimal(i % 2),
                      postal_code=f"{90000 + i % 7}", order_item_id=f"{i:014d}") for i in range(n)]


def stored(ws: Workspace) -> list[tuple]:
    return [tuple(v for k, v in r.items() if k not in ("import_id",)) for r in rows(ws, "order_lines")]


def test_the_fast_and_the_detailed_path_store_the_same_rows(tmp_path: Path, monkeypatch) -> None:
    path = amazon_all_orders.write(tmp_path / "orders.txt", orders(300, datetime(2025, 10, 1, tzinfo=UTC)),
                                   version="sp-api")
    kept = {}
    paths: list[str] = []
    run = transform.run

    def traced(*args: object, **kwargs: object) -> transform.TransformResult:
        result = run(*args, **kwargs)  # type: ignore[arg-type]
        paths.append(result.path)
        return result

    monkeypatch.setattr(transform, "run", traced)
    for name, fast in (("fast", True), ("detailed", False)):
        ws = Workspace(tmp_path / name)
        ws.init()
        (ws.home / "workspace.json").write_text('{"format_version": 1, "hash_salt": "same-salt"}')
        add_store(ws, "acme-us", "amazon", "US")
        monkeypatch.setattr(transform, "FAST_PATH", fast)
        paths.clear()
        result = import_file(ws, path, "acme-us")
        assert (result.rows_accepted, paths) == (300, [name])
        kept[name] = stored(ws)
    assert kept["fast"] == kept["detailed"] and len(kept["fast"]) == 300
    # row 2 of the file is order 0: 10.95 x 1 = 10.95 USD; 2025-10-01 00:00 UTC is Sep 30 in Los Angeles
    first = rows(Workspace(tmp_path / "fast"), "order_lines")[0]
    assert (first["raw_row"], first["item_price_minor"], str(first["order_date_local"])) == (2, 1095, "2025-09-30")


@pytest.mark.slow
def test_row_numbers_are_right_when_duckdb_reads_in_parallel(ws: Workspace, tmp_path: Path) -> None:
    """A 60 MB file is read in several pieces at once; each row's order-item-id is its line number."""
    add_store(ws, "acme-us", "amazon", "US")
    header = amazon_all_orders.SP_API
    template = "\t".join(amazon_all_orders.row(orders(1, datetime(2025, 6, 1, tzinfo=UTC))[0], header))
    path = tmp_path / "big.txt"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\t".join(header) + "\n")
        for line in range(2, 250_002):  # file lines 2 .. 250001
            fh.write(template.replace("113-0000000-0000001", f"113-{line:07d}-0000001")
                     .replace("00000000000000", f"{line:014d}") + "\n")
    assert path.stat().st_size > 60e6
    assert import_file(ws, path, "acme-us").rows_accepted == 250_000
    con = duckdb.connect()
    wrong = con.execute(f"SELECT count(*), count(*) FILTER (WHERE CAST(line_id AS BIGINT) <> raw_row) "
                        f"FROM read_parquet('{ws.table_glob('order_lines')}')").fetchone()
    assert wrong == (250_000, 0)


def test_skip_bad_rows_stores_the_good_rows_with_their_row_numbers(ws: Workspace, tmp_path: Path) -> None:
    """A bad cell sends the file down the detailed path; --skip-bad-rows leaves out that row only."""
    add_store(ws, "acme-us", "amazon", "US")
    path = amazon_all_orders.write(tmp_path / "orders.txt", orders(5, datetime(2025, 10, 1, tzinfo=UTC)),
                                   version="sp-api")
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    cells = lines[3].split("\t")  # file row 4 = order 2
    cells[header.index("item-price")] = "12.3.4"
    path.write_text("\n".join([*lines[:3], "\t".join(cells), *lines[4:]]) + "\n", encoding="utf-8")
    result = import_file(ws, path, "acme-us", skip_bad_rows=True)
    assert (result.rows_accepted, result.rows_rejected) == (4, 1)
    assert [(f["row"], f["column"], f["value"]) for f in result.findings] == [(4, "item-price", "12.3.4")]
    # orders 0, 1, 3, 4 on file rows 2, 3, 5, 6; order i costs (10 + i).95 x (1 + i % 3), and
    # order 4 is pending (i % 9 == 4): All Orders leaves a pending order's prices blank
    assert [(r["raw_row"], r["item_price_minor"]) for r in rows(ws, "order_lines")] == [
        (2, 1095), (3, 2 * 1195), (5, 1 * 1395), (6, None)]
