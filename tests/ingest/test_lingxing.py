"""LingXing-style ERP exports (assumed layouts): GB18030 CSV and XLSX orders, the profit report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import lingxing
from kpiguard.reportgen.lingxing import ProfitRow
from kpiguard.reportgen.model import OrderLine, Product
from tests.conftest import add_store, rows

BOTTLE = Product("TWB-750-BLU", "B0D4QCHLD1", "水壶750ml蓝")
ORDER = "114-3941689-8772232"
# The reference's composed profit-report row (section 8).
REFERENCE_PROFIT_ROW = ("TrailCo-US,美国,TWB-750-BLU,B0D4QCHLD1,水壶750ml蓝,TWB750B,131,2618.69,-392.80,"
                        "-773.45,-412.30,-576.40,-131.00,332.74,12.71%")


def order_line(status: str = "shipped") -> OrderLine:
    # 07:30 UTC on 5 March is 23:30 on 4 March in Los Angeles (PST): the ERP writes site time.
    at = datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
    return OrderLine(ORDER, 1, at, at, status, BOTTLE, 2, Decimal("19.95"), "USD", tax=Decimal("2.84"),
                     discount=Decimal("4.00"))


def assert_golden(stored: dict) -> None:
    assert stored["order_id"] == ORDER and stored["sku"] == "TWB-750-BLU"
    assert stored["order_date_local"] == date(2026, 3, 4)
    assert stored["purchased_at_utc"] == datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
    assert stored["item_price_minor"] == 3990  # 商品金额 39.90 = 2 x 19.95
    assert stored["item_tax_minor"] == 284
    assert stored["promotion_discount_minor"] == 400  # 促销折扣 written -4.00
    assert stored["currency"] == "USD" and stored["order_status"] == "shipped"
    assert stored["source"] == "erp_lingxing" and stored["product_id"] == "B0D4QCHLD1"


def test_gbk_csv_without_bom(ws, tmp_path):
    add_store(ws, "trail-us", "amazon", "US")
    path = lingxing.write_orders(tmp_path / "订单导出.csv", [order_line()])
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and "订单号".encode("gb18030") in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really GBK bytes, not UTF-8
    result = import_file(ws, path, "trail-us")
    assert result.encoding == "gb18030" and result.locale == "zh" and result.format_key == "erp_lingxing"
    (stored,) = rows(ws, "order_lines")
    assert_golden(stored)


def test_xlsx_same_values(ws, tmp_path):
    add_store(ws, "trail-us", "amazon", "US")
    path = lingxing.write_orders(tmp_path / "订单导出.xlsx", [order_line()], fmt="xlsx")
    result = import_file(ws, path, "trail-us")
    assert result.encoding == "xlsx"
    (stored,) = rows(ws, "order_lines")
    assert_golden(stored)


def test_beijing_time_header_and_chinese_currency_name(ws, tmp_path):
    add_store(ws, "trail-us", "amazon", "US")
    path = tmp_path / "beijing.csv"
    path.write_text(
        "订单号,订购时间（北京时间）,订单状态,MSKU,数量,商品金额,币种\r\n"
        "114-1,2026-03-05 09:00:00,已取消,TWB-750-BLU,1,19.95,美元\r\n", encoding="gb18030")
    result = import_file(ws, path, "trail-us")
    assert result.format_version == "assumed layout, Beijing time"
    (stored,) = rows(ws, "order_lines")
    # 09:00 in Beijing (UTC+8) is 01:00 UTC, 17:00 on 4 March in Los Angeles.
    assert stored["purchased_at_utc"] == datetime(2026, 3, 5, 1, 0, tzinfo=UTC)
    assert stored["order_date_local"] == date(2026, 3, 4)
    assert stored["currency"] == "USD" and stored["order_status"] == "cancelled"


def profit_row() -> ProfitRow:
    return ProfitRow("TrailCo-US", "美国", "TWB-750-BLU", "B0D4QCHLD1", "水壶750ml蓝", "TWB750B", 131,
                     Decimal("2618.69"), Decimal("-392.80"), Decimal("-773.45"), Decimal("-412.30"),
                     Decimal("-576.40"), Decimal("-131.00"))


def test_profit_report_unpivots_into_fees(ws, tmp_path):
    add_store(ws, "trail-us", "amazon", "US")
    path = lingxing.write_profit(tmp_path / "利润报表.csv", [profit_row()])
    assert path.read_text(encoding="gb18030").splitlines()[1] == REFERENCE_PROFIT_ROW
    result = import_file(ws, path, "trail-us", period=(date(2026, 3, 1), date(2026, 3, 31)))
    assert result.format_key == "erp_lingxing_profit" and result.rows_accepted == 6
    got = {r["amount_type"]: r for r in rows(ws, "fees")}
    assert {k: v["amount_minor"] for k, v in got.items()} == {
        "FBA销售额": 261869, "平台费": -39280, "FBA发货费": -77345, "广告费总计": -41230,
        "采购成本": -57640, "头程成本": -13100,
    }
    # The six amounts sum to 毛利润: 261869 - 39280 - 77345 - 41230 - 57640 - 13100 = 33274.
    assert sum(v["amount_minor"] for v in got.values()) == 33274
    assert got["FBA销售额"]["quantity"] == 131 and got["平台费"]["quantity"] is None
    assert got["平台费"]["category"] == "commission" and got["FBA发货费"]["category"] == "fulfillment_fee"
    assert {v["posted_date_local"] for v in got.values()} == {date(2026, 3, 31)}
    assert {v["currency"] for v in got.values()} == {"USD"}


def test_profit_report_needs_a_period(ws, tmp_path):
    add_store(ws, "trail-us", "amazon", "US")
    path = lingxing.write_profit(tmp_path / "利润报表.xlsx", [profit_row()], fmt="xlsx")
    with pytest.raises(InputError) as err:
        import_file(ws, path, "trail-us")
    assert err.value.findings[0].code == "import.period_missing"
