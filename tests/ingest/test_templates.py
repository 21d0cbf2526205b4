"""kpiguard's own templates: product costs, FX rates, reviews, CS events; English and Chinese."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import templates
from kpiguard.reportgen.model import FxRate, Product, ReviewSnapshot, ServiceEvent
from tests.conftest import add_store, rows

DOCS = Path(__file__).parents[2] / "docs" / "templates"
BOTTLE = Product("TWB-750-BLU", "B0D4QCHLD1", "Bottle", unit_cost=Decimal("4.40"), first_leg=Decimal("1.05"))
LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(("lang", "fmt"), [("en", "csv"), ("zh", "xlsx")])
def test_product_costs(ws, tmp_path, lang, fmt):
    add_store(ws, "trail-us", "amazon", "US")
    path = templates.write_product_costs(tmp_path / f"costs.{fmt}", [BOTTLE], date(2026, 3, 1), "USD", lang, fmt)
    result = import_file(ws, path, "trail-us")
    assert result.format_key == "kpiguard_product_costs"
    assert result.locale == lang
    (cost,) = rows(ws, "product_costs")
    assert (cost["sku"], cost["valid_from"], cost["currency"]) == ("TWB-750-BLU", date(2026, 3, 1), "USD")
    assert (cost["unit_cost_minor"], cost["first_leg_minor"]) == (440, 105)  # 4.40 and 1.05 USD in cents


def test_product_costs_in_yen_and_without_first_leg(ws, tmp_path):
    add_store(ws, "trail-jp", "amazon", "JP")
    path = tmp_path / "costs.csv"
    path.write_text("SKU,生效日期,采购成本\nTWB-750-BLU,2026/03/01,\"1,280\"\n", encoding="utf-8")
    import_file(ws, path, "trail-jp")
    (cost,) = rows(ws, "product_costs")
    # no 币种 column: the store's JPY; "1,280" yen has no minor unit; no 头程成本 column -> 0
    assert (cost["currency"], cost["unit_cost_minor"], cost["first_leg_minor"]) == ("JPY", 1280, 0)


def test_fx_rates_are_workspace_wide(ws, tmp_path):
    path = templates.write_fx_rates(tmp_path / "fx.xlsx", [FxRate(date(2026, 3, 2), "USD", "CNY", Decimal("7.1865"))],
                                    lang="zh", fmt="xlsx")
    result = import_file(ws, path, None)  # no store: FX rates belong to the workspace
    assert result.format_key == "kpiguard_fx_rates" and result.store_id is None
    (rate,) = rows(ws, "fx_rates")
    assert rate["rate"] == Decimal("7.1865") and rate["rate_table"] == "default"
    assert (rate["rate_date"], rate["from_currency"], rate["to_currency"]) == (date(2026, 3, 2), "USD", "CNY")


def test_fx_rate_problems_name_the_column(ws, tmp_path):
    path = tmp_path / "fx.csv"
    path.write_text("date,from_currency,to_currency,rate\n2026-03-02,USD,RMB,7.1\n2026-03-02,EUR,CNY,0\n")
    with pytest.raises(InputError) as err:
        import_file(ws, path, None)
    assert {(f.row, f.column, f.code) for f in err.value.findings} == {
        (2, "to_currency", "value.currency"), (3, "rate", "value.not_positive")}


def test_reviews(ws, tmp_path):
    add_store(ws, "trail-us", "amazon", "US")
    path = templates.write_reviews(tmp_path / "reviews.csv", [ReviewSnapshot(date(2026, 3, 31), BOTTLE, 128,
                                                                              Decimal("4.6"))], lang="zh")
    import_file(ws, path, "trail-us")
    (snap,) = rows(ws, "reviews")
    assert (snap["product_id"], snap["sku"], snap["review_count"]) == ("B0D4QCHLD1", "TWB-750-BLU", 128)
    assert snap["avg_rating"] == Decimal("4.60") and snap["snapshot_date_local"] == date(2026, 3, 31)


def test_cs_events_chinese_kind_and_local_midnight(ws, tmp_path):
    add_store(ws, "trail-us", "amazon", "US")
    # 23:50 on 6 March in Los Angeles (PST, UTC-8) is 07:50 UTC on 7 March.
    at = datetime(2026, 3, 6, 23, 50, tzinfo=LA)
    events = [ServiceEvent("CS-1", "114-1", "negative_feedback", at, "open", "lid leaks"),
              ServiceEvent("CS-2", "114-2", "a_to_z_claim", at, "closed")]
    path = templates.write_cs_events(tmp_path / "cs.csv", events, lang="zh", tz="America/Los_Angeles")
    assert "差评" in path.read_text(encoding="utf-8-sig")
    import_file(ws, path, "trail-us")
    first, second = rows(ws, "cs_events")
    assert first["kind"] == "negative_feedback" and second["kind"] == "a_to_z_claim"
    assert first["occurred_at_utc"] == datetime(2026, 3, 7, 7, 50, tzinfo=UTC)
    assert first["event_date_local"] == date(2026, 3, 6)
    assert (first["order_id"], first["status"], first["detail"]) == ("114-1", "open", "lid leaks")


def test_unknown_cs_kind_is_refused(ws, tmp_path):
    add_store(ws, "trail-us", "amazon", "US")
    path = tmp_path / "cs.csv"
    path.write_text("event_id,kind,occurred_at\nCS-9,angry call,2026-03-06 10:00\n")
    with pytest.raises(InputError) as err:
        import_file(ws, path, "trail-us")
    (finding,) = err.value.findings
    assert (finding.row, finding.column, finding.code) == (2, "kind", "value.kind")


def test_docs_templates_match_the_writer_and_import(ws, tmp_path):
    fresh = templates.write_examples(tmp_path / "templates")
    assert sorted(p.name for p in fresh) == sorted(p.name for p in DOCS.glob("*.csv"))
    for path in fresh:
        assert path.read_bytes() == (DOCS / path.name).read_bytes(), f"docs/templates/{path.name} is stale"
    add_store(ws, "trail-us", "amazon", "US")
    for path in sorted(DOCS.glob("*.csv")):
        store = None if path.name.startswith("fx_rates") else "trail-us"
        expected = 1 if path.name.startswith("cs_events") else 2
        assert import_file(ws, path, store).rows_accepted == expected, path.name
