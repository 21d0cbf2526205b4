"""Every kind of bad file is refused through the real CLI: exit 2, no traceback, a message that names
the file (and the row and column where the problem has one) and says what to do, and a workspace
left exactly as it was: same catalog rows, same files under raw/ and lake/.

The files are in ``tests/fixtures/bad/`` (written by ``make_bad.py`` there); the 50 MB line is
written at run time. Row numbers are the file's line numbers, the header being row 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine, Product
from kpiguard.workspace import Workspace
from tests.conftest import FIXTURES, add_store, run_cli
from tests.snapshot import snapshot

BAD = FIXTURES / "bad"
LONG_LINE = "long_line.txt"  # written by the ``long_line`` fixture
MISSING = "no_such_report.txt"


@dataclass(frozen=True)
class Bad:
    file: str
    findings: tuple[tuple[str, int | None, str | None], ...]  # (code, row, column), all of them
    says: str  # a phrase the message or the hint must contain
    store: str = "acme-us"
    args: tuple[str, ...] = ()


CASES = [
    Bad("empty.txt", (("file.empty", None, None),), "download the report again"),
    Bad("truncated.txt", (("file.truncated", 4, None),), "truncated"),
    Bad("picture.png", (("file.binary", None, None),), "CSV, TSV or XLSX"),
    # 注 is 0x92 0x8D: not UTF-8 from the first cell of row 1 on
    Bad("shift_jis.txt", (("file.encoding", 1, None),), "UTF-8"),
    Bad("garbled_header.csv", (("format.unknown", 1, None),), "GB18030"),
    Bad("utf16_no_bom.txt", (("file.encoding", None, None),), "UTF-16"),
    Bad("unknown_format.csv", (("format.unknown", 1, None),), "kpiguard formats"),
    Bad("missing_item_price.txt", (("format.missing_columns", 1, "item-price"),), "item-price"),
    Bad("duplicate_header.txt", (("header.duplicate", 1, "sku"),), "columns 12 and 33"),
    Bad("bad_numbers.txt", (("value.unparseable", 2, "item-price"), ("value.unparseable", 3, "quantity")),
        "1O0"),
    Bad("bad_dates.txt", (("value.unparseable", 2, "purchase-date"), ("value.unparseable", 4, "purchase-date")),
        "2026-03-04T17:22:09+00:00"),  # the hint shows what a good cell looks like
    Bad("negative_quantity.txt", (("value.negative", 3, "quantity"),), "negative"),
    Bad("unknown_currency.txt", (("value.currency", 2, "currency"),), "ISO 4217"),
    Bad("future_dates.txt", (("value.future", 3, "purchase-date"),), "2099-01-01T10:00:00+00:00"),
    Bad("merged_header.xlsx", (("header.merged", 1, "sku"),), "L1:M1"),
    Bad("formula_injection.txt", (("value.formula", 3, "product-name"),), "=HYPERLINK"),
    Bad(LONG_LINE, (("file.line_too_long", 3, None),), "longer than"),
    Bad("extra_cells.txt", (("file.row_width", 3, None),), "33 cells"),
    Bad("legacy.xls", (("file.xls", None, None),), ".xlsx"),
    Bad("not_a_workbook.xlsx", (("file.xlsx_unreadable", None, None),), "save it again"),
    Bad("web_page.xls", (("file.html", None, None),), "HTML"),
    Bad("header_only.txt", (("file.no_rows", None, None),), "no data rows"),
    Bad("orders.txt", (("store.unknown", None, "--store"),), "kpiguard store add", store="nope"),
    Bad("orders.txt", (("import.platform_mismatch", None, "--store"),), "shopify", store="shop-us"),
    Bad("business_report_child.csv", (("import.period_missing", None, "--from/--to"),), "--from"),
    Bad(MISSING, (("file.missing", None, None),), "path"),
    Bad("erp_gbk_bad_number.csv", (("value.unparseable", 3, "商品金额"),), "1O5.00"),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_home(tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="module")
def fuzz_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_home(tmp_path_factory.mktemp("fuzz"))


def new_home(folder: Path) -> Path:
    """A workspace with two stores and one good import, so raw/ and lake/ are not empty."""
    ws = Workspace(folder / "ws")
    ws.init()
    add_store(ws, "acme-us", "amazon", "US")
    add_store(ws, "shop-us", "shopify", "US")
    at = datetime(2026, 2, 1, 18, 0, tzinfo=UTC)
    good = OrderLine("111-5555555-5555555", 1, at, at, "shipped", Product("SKU-1", "B0SKU00001", "Thing"),
                     1, Decimal("9.99"), "USD")
    path = amazon_all_orders.write(ws.home.parent / "good.txt", [good])
    assert import_file(ws, path, "acme-us").status == "imported"
    return ws.home


@pytest.fixture(scope="module")
def long_line(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An All Orders file whose row 3 holds a 50 MB product name."""
    lines = (BAD / "orders.txt").read_text(encoding="utf-8").splitlines()
    cells = lines[2].split("\t")
    cells[amazon_all_orders.COLS_32.index("product-name")] = "x" * (50 * 1024 * 1024)
    path = tmp_path_factory.mktemp("long") / LONG_LINE
    path.write_text("\n".join([lines[0], lines[1], "\t".join(cells), lines[3]]) + "\n", encoding="utf-8")
    return path


def bad_path(case: Bad, long_line: Path) -> Path:
    return long_line if case.file == LONG_LINE else BAD / case.file


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}@{c.store}" for c in CASES])
def test_bad_file_is_refused_with_a_located_reason_and_nothing_changes(home: Path, long_line: Path, case: Bad) -> None:
    before = snapshot(home)
    result = run_cli(home, "import", str(bad_path(case, long_line)), "--store", case.store, *case.args, "--json")
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.out + result.err
    (outcome,) = result.json()  # type: ignore[misc]
    assert outcome["status"] == "failed" and outcome["file"] == case.file
    findings = outcome["findings"]
    assert {(f["code"], f.get("row"), f.get("column")) for f in findings} == set(case.findings)
    for finding in findings:
        assert finding["file"] == case.file  # every problem names the file
        assert finding.get("hint"), f"{finding['code']} does not say what to do"
    text = " ".join([outcome["error"], *(f"{f['message']} {f.get('value', '')} {f['hint']}" for f in findings)])
    assert case.says in text
    assert snapshot(home) == before


def test_the_human_output_names_every_file_and_row_without_a_traceback(home: Path, long_line: Path) -> None:
    """One CLI run over every bad file of the acme-us store: each is named, with its rows."""
    batch = [c for c in CASES if c.store == "acme-us" and not c.args]
    before = snapshot(home)
    result = run_cli(home, "import", *(str(bad_path(c, long_line)) for c in batch), "--store", "acme-us")
    assert result.code == 2
    assert "Traceback" not in result.out + result.err
    for case in batch:
        block = _block(result.err, case.file)
        for _code, row, column in case.findings:
            assert row is None or f" {row} " in block, (case.file, row)
            assert column is None or column in block, (case.file, column)
    assert snapshot(home) == before


def _block(err: str, file: str) -> str:
    """The part of the output that reports ``file``: from its ✗ line to the next one."""
    start = err.index(f"✗ {file}")
    end = err.find("✗ ", start + 1)
    return err[start:] if end < 0 else err[start:end]


# Cells a damaged or hand-edited export may hold; any mix of them must be refused or imported.
NASTY = st.sampled_from(["", " ", '"', "'", "=1+1", "-", "1e400", "9" * 40, "１２３", "2026-02-29T00:00:00+00:00",
                         "2026-13-01", "\\", "\u2028", "，", "XYZ", "(1.00)", "1.000,00", "€1", "١٢٣", "NULL", "-5",
                         "12.3.4", "2099-01-01T00:00:00+00:00", "\t", ";", "\r"])
HEADER = amazon_all_orders.COLS_32


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(1, 3), st.integers(0, len(HEADER) - 1), NASTY), min_size=1, max_size=4))
def test_any_damaged_cell_is_refused_with_a_location_or_imported(fuzz_home: Path, tmp_path: Path,
                                                                  edits: list) -> None:
    """Never an exception other than InputError; a refusal names the file and says what to do,
    and leaves the workspace as it was."""
    lines = [line.split("\t") for line in (BAD / "orders.txt").read_text(encoding="utf-8").splitlines()]
    for row, column, value in edits:
        lines[row][column] = value
    path = tmp_path / "damaged.txt"
    path.write_text("\n".join("\t".join(cells) for cells in lines) + "\n", encoding="utf-8")
    before = snapshot(fuzz_home)
    try:
        result = import_file(Workspace(fuzz_home), path, "acme-us")
    except InputError as exc:
        assert exc.findings and all(f.file == "damaged.txt" and f.hint for f in exc.findings)
        assert snapshot(fuzz_home) == before
    else:
        assert result.status in ("imported", "already_imported")
