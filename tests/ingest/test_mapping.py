"""Generic import with a column-mapping YAML: the documented example, validation, the CLI."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from tests.conftest import add_store, rows, run_cli

DOC = Path(__file__).parents[2] / "docs" / "mapping.md"


def doc_block(lang: str) -> str:
    """The first fenced block of ``lang`` in docs/mapping.md: the test runs the documented example."""
    match = re.search(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert match, f"docs/mapping.md has no {lang} block"
    return match.group(1)


@pytest.fixture
def example(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "orders.csv"
    data.write_text(doc_block("csv"), encoding="utf-8")
    yaml_path = tmp_path / "mapping.yaml"
    yaml_path.write_text(doc_block("yaml"), encoding="utf-8")
    return data, yaml_path


def test_documented_example(ws, example):
    add_store(ws, "acme-us", "amazon", "US")
    data, yaml_path = example
    result = import_file(ws, data, "acme-us", mapping=yaml_path)
    assert result.format_key == "mapping:agency-erp-orders" and result.rows_accepted == 3
    assert result.skipped_reasons == {"blank 订单编号 (skip_blank)": 1}
    assert result.format_version.startswith("mapping agency-erp-orders (sha256 ")
    bottle, brush, cancelled = rows(ws, "order_lines")
    # 08:30 Beijing (UTC+8) = 00:30 UTC on 5 March = 16:30 on 4 March in Los Angeles.
    assert bottle["purchased_at_utc"] == datetime(2026, 3, 5, 0, 30, tzinfo=UTC)
    assert bottle["order_date_local"] == date(2026, 3, 4)
    assert (bottle["item_price_minor"], bottle["shipping_minor"], bottle["promotion_discount_minor"]) == (3990, 500, 400)
    assert brush["item_price_minor"] == 101810  # "1,018.10" USD
    assert brush["shipping_minor"] is None  # an empty cell stays unknown
    assert (bottle["line_id"], brush["line_id"]) == ("TWB-750-BLU", "BRUSH-01")
    assert bottle["order_status"] == "shipped" and bottle["status_raw"] == "已发货"
    assert cancelled["order_status"] == "cancelled"
    # "2026/03/05 09:15" (second format) Beijing = 01:15 UTC on 5 March.
    assert cancelled["purchased_at_utc"] == datetime(2026, 3, 5, 1, 15, tzinfo=UTC)
    assert {r["source"] for r in (bottle, brush)} == {"mapping:agency-erp-orders"}
    assert bottle["fulfillment_channel"] == "merchant" and bottle["currency"] == "USD"


def test_comma_decimals_constants_and_fx_without_store(ws, tmp_path):
    data = tmp_path / "kurse.csv"
    data.write_text("Datum;Von;Nach;Kurs\n02.03.2026;EUR;CNY;7,7712\n")
    yaml_path = tmp_path / "fx.yaml"
    yaml_path.write_text(
        "name: bank-fx\ntable: fx_rates\ndecimal_style: comma\n"
        "columns:\n  rate_date: {header: Datum, formats: ['%d.%m.%Y']}\n  from_currency: Von\n"
        "  to_currency: Nach\n  rate: Kurs\nconstants:\n  rate_table: ecb\n")
    result = import_file(ws, data, None, mapping=yaml_path)
    (rate,) = rows(ws, "fx_rates")
    assert rate["rate"] == Decimal("7.7712") and rate["rate_date"] == date(2026, 3, 2)  # "7,7712" comma decimal
    assert rate["rate_table"] == "ecb" and result.store_id is None


def test_every_yaml_problem_is_reported_with_its_key(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    data = tmp_path / "x.csv"
    data.write_text("a,b\n1,2\n")
    yaml_path = tmp_path / "bad.yaml"
    yaml_path.write_text(
        "name: bad\ntable: order_lines\ntimezone: Mars/Olympus\n"
        "columns:\n  qty: a\n  quantity: {header: a, parser: money}\n  purchased_at_utc: b\n"
        "  sku: {header: b, values: {x: y}}\nconstants:\n  is_business_order: maybe\n")
    with pytest.raises(InputError) as err:
        import_file(ws, data, "acme-us", mapping=yaml_path)
    keys = {f.column for f in err.value.findings}
    assert keys == {"columns.qty", "columns.quantity.parser", "constants.is_business_order", "timezone",
                    "columns.order_id"}
    assert {f.file for f in err.value.findings} == {"bad.yaml"}


def test_structure_errors_name_the_key(ws, tmp_path):
    yaml_path = tmp_path / "typo.yaml"
    yaml_path.write_text("name: Bad Name\ntable: order_lines\ncolums: {}\n")
    data = tmp_path / "x.csv"
    data.write_text("a\n1\n")
    with pytest.raises(InputError) as err:
        import_file(ws, data, None, mapping=yaml_path)
    assert {f.column for f in err.value.findings} == {"name", "colums", "columns"}


def test_invalid_yaml_names_the_line(ws, tmp_path):
    yaml_path = tmp_path / "broken.yaml"
    yaml_path.write_text("name: x\ncolumns:\n  order_id: [unclosed\n")
    data = tmp_path / "x.csv"
    data.write_text("a\n1\n")
    with pytest.raises(InputError) as err:
        import_file(ws, data, None, mapping=yaml_path)
    (finding,) = err.value.findings
    assert finding.code == "mapping.yaml" and finding.row == 4


def test_header_missing_from_the_file(ws, example):
    add_store(ws, "acme-us", "amazon", "US")
    data, yaml_path = example
    data.write_text(data.read_text(encoding="utf-8").replace("数量", "件数"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_file(ws, data, "acme-us", mapping=yaml_path)
    (finding,) = err.value.findings
    assert (finding.code, finding.column) == ("mapping.header_missing", "columns.quantity.header")


def test_cli_mapping_option(ws, example):
    add_store(ws, "acme-us", "amazon", "US")
    data, yaml_path = example
    out = run_cli(ws, "import", str(data), "--store", "acme-us", "--mapping", str(yaml_path), "--json")
    assert out.code == 0, out.err
    (result,) = out.json()
    assert result["format_key"] == "mapping:agency-erp-orders" and result["rows_accepted"] == 3
    clash = run_cli(ws, "import", str(data), "--store", "acme-us", "--mapping", str(yaml_path),
                    "--format", "shopify_orders", "--json")
    assert clash.code == 2 and clash.json()[0]["findings"][0]["code"] == "option.conflict"
