"""Awkward but valid text files: every row read, every row number right.

DuckDB's CSV reader skips blank lines without counting them, stops on mixed line ends, drops
trailing empty cells past the header and refuses quoted line breaks in parallel mode; the reader
and transform work around each. Rows are numbered as a spreadsheet numbers them (the header is
row 1; a cell with a line break inside stays one row).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine, Product
from kpiguard.workspace import Workspace
from tests.conftest import add_store, rows

HEADER = amazon_all_orders.COLS_32
BOTTLE = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle 750ml, Blue")


def lines(n: int = 3) -> list[str]:
    """The header and ``n`` good rows (19.95 x 2 = 39.90 each), as text lines without line ends."""
    start = datetime(2026, 3, 4, 17, 0, tzinfo=UTC)
    out = ["\t".join(HEADER)]
    for i in range(n):
        at = start + timedelta(hours=i)
        line = OrderLine(f"113-{i:07d}-0000001", 1, at, at, "shipped", BOTTLE, 2, Decimal("19.95"), "USD")
        out.append("\t".join(amazon_all_orders.row(line, HEADER)))
    return out


def cell(line: str, column: str, value: str) -> str:
    cells = line.split("\t")
    cells[HEADER.index(column)] = value
    return "\t".join(cells)


@pytest.fixture
def store(ws: Workspace) -> Workspace:
    add_store(ws, "acme-us", "amazon", "US")
    return ws


def test_a_blank_line_between_rows_is_counted_in_row_numbers(store: Workspace, tmp_path: Path) -> None:
    text = lines(3)
    # file rows: 1 header, 2 good, 3 blank, 4 good, 5 bad quantity
    body = [text[0], text[1], "", text[2], cell(text[3], "quantity", "1O")]
    path = tmp_path / "blank.txt"
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        import_file(store, path, "acme-us")
    assert [(f.row, f.column) for f in refused.value.findings] == [(5, "quantity")]
    path.write_text("\n".join(body[:4]) + "\n\n\n", encoding="utf-8")  # blank lines at the end too
    result = import_file(store, path, "acme-us")
    assert (result.rows_accepted, result.skipped_reasons) == (2, {"blank row": 1})
    assert [r["raw_row"] for r in rows(store, "order_lines")] == [2, 4]


def test_mixed_crlf_and_lf_line_ends_are_read(store: Workspace, tmp_path: Path) -> None:
    header, a, b, c = lines(3)
    path = tmp_path / "mixed.txt"
    path.write_bytes(f"{header}\r\n{a}\r\n{b}\n{c}\r\n\n".encode())  # one LF row, an LF appended
    assert import_file(store, path, "acme-us").rows_accepted == 3
    assert sum(r["item_price_minor"] for r in rows(store, "order_lines")) == 3 * 3990  # 3 x 39.90


def test_a_line_break_inside_a_quoted_cell_stays_in_one_row(store: Workspace, tmp_path: Path) -> None:
    header, a, b, c = lines(3)
    # row 2's product name spans two lines of the file; row 4 (file line 5) has a bad quantity
    body = [header, cell(a, "product-name", '"Trail Water Bottle\n750ml"'), b, cell(c, "quantity", "x")]
    path = tmp_path / "multiline.txt"
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        import_file(store, path, "acme-us")
    assert [(f.row, f.column) for f in refused.value.findings] == [(4, "quantity")]
    path.write_text("\n".join(body[:3]) + "\n", encoding="utf-8")
    import_file(store, path, "acme-us")
    names = [r["product_name"] for r in rows(store, "order_lines")]
    assert names == ["Trail Water Bottle\n750ml", BOTTLE.title]


def test_a_trailing_tab_on_every_row_and_short_rows_are_fine(store: Workspace, tmp_path: Path) -> None:
    header, a, b, c = lines(3)
    short = "\t".join(c.split("\t")[: HEADER.index("ship-postal-code")])  # the empty tail left out
    path = tmp_path / "tabs.txt"
    path.write_text("\n".join([header, a + "\t", b + "\t", short + "\t"]) + "\n", encoding="utf-8")
    assert import_file(store, path, "acme-us").rows_accepted == 3


def test_one_row_with_an_extra_empty_cell_is_refused(store: Workspace, tmp_path: Path) -> None:
    """Its cells were shifted by one: the row's last cell is empty, so DuckDB alone would drop it."""
    header, a, b, c = lines(3)
    shifted = cell(b, "product-name", "Trail\tBottle")  # 33 cells, the last one empty
    path = tmp_path / "shifted.txt"
    path.write_text("\n".join([header, a, shifted, c]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        import_file(store, path, "acme-us")
    assert [(f.code, f.row) for f in refused.value.findings] == [("file.row_width", 3)]
