"""EUR and JPY stores rolled up into USD and CNY, at daily rates and at monthly averages.

Orders: acme-de 100.00 EUR on 10-05 and 50.00 EUR on 10-20 (10:00 UTC, noon in Berlin);
acme-jp 10000 JPY on 10-05 and 5000 JPY on 10-20 (01:00 UTC, 10:00 in Tokyo). Rates are dated
10-05 and 10-20, so each order converts at its own day's rate under the daily policy.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from kpiguard.metrics import definitions
from kpiguard.metrics.engine import Query, run
from kpiguard.reportgen import amazon_all_orders, templates
from kpiguard.reportgen.model import FxRate, OrderLine, Product
from tests.conftest import add_store

ITEM = Product("SKU-1", "B000000001", "Bottle")
RATES = [
    FxRate(date(2026, 10, 5), "EUR", "USD", D("1.10")), FxRate(date(2026, 10, 20), "EUR", "USD", D("1.20")),
    FxRate(date(2026, 10, 5), "JPY", "USD", D("0.0070")), FxRate(date(2026, 10, 20), "JPY", "USD", D("0.0065")),
    FxRate(date(2026, 10, 5), "EUR", "CNY", D("7.80")), FxRate(date(2026, 10, 20), "EUR", "CNY", D("8.00")),
    FxRate(date(2026, 10, 5), "JPY", "CNY", D("0.050")), FxRate(date(2026, 10, 20), "JPY", "CNY", D("0.046")),
]
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))


def order(oid: str, when: datetime, price: str, currency: str) -> OrderLine:
    return OrderLine(oid, 1, when, when, "shipped", ITEM, 1, D(price), currency)


@pytest.fixture
def fx_ws(ws, tmp_path):
    add_store(ws, "acme-de", "amazon", "DE")
    add_store(ws, "acme-jp", "amazon", "JP")
    de = [order("302-1", datetime(2026, 10, 5, 10, tzinfo=UTC), "100.00", "EUR"),
          order("302-2", datetime(2026, 10, 20, 10, tzinfo=UTC), "50.00", "EUR")]
    jp = [order("503-1", datetime(2026, 10, 5, 1, tzinfo=UTC), "10000", "JPY"),
          order("503-2", datetime(2026, 10, 20, 1, tzinfo=UTC), "5000", "JPY")]
    import_file(ws, amazon_all_orders.write(tmp_path / "de.txt", de), "acme-de")
    import_file(ws, amazon_all_orders.write(tmp_path / "jp.txt", jp), "acme-jp")
    import_file(ws, templates.write_fx_rates(tmp_path / "fx.csv", RATES), None)
    definitions.add(ws, "name: monthly\nversion: 1\nextends: standard@1\npolicies:\n  fx:\n    method: monthly_average\n",
                    "monthly.yaml", "test")
    return ws


def gmv(ws, currency: str, defs: str = "standard@1", by: tuple[str, ...] = ()) -> list[dict]:
    return run(ws, Query(("gmv", "aov"), *OCTOBER, None, by, currency, defs))


def test_daily_rates_into_usd_and_cny(fx_ws):
    # USD: 100 x 1.10 + 50 x 1.20 = 170.00; 10000 x 0.0070 + 5000 x 0.0065 = 102.50; total 272.50
    (usd,) = gmv(fx_ws, "USD")
    assert (usd["gmv"], usd["currency"]) == ("272.50", "USD")
    assert usd["aov"] == "68.13"  # 272.50 / 4 orders = 68.125, rounded half up
    # CNY: 100 x 7.80 + 50 x 8.00 = 1180.00; 10000 x 0.050 + 5000 x 0.046 = 730.00; total 1910.00
    (cny,) = gmv(fx_ws, "CNY")
    assert cny["gmv"] == "1910.00"
    per_store = {r["store"]: r["gmv"] for r in gmv(fx_ws, "USD", by=("store",))}
    assert per_store == {"acme-de": "170.00", "acme-jp": "102.50"}


def test_monthly_average_rates(fx_ws):
    # EUR->USD average (1.10 + 1.20) / 2 = 1.15: 150 x 1.15 = 172.50;
    # JPY->USD average 0.00675: 15000 x 0.00675 = 101.25; total 273.75
    assert gmv(fx_ws, "USD", "monthly@1")[0]["gmv"] == "273.75"
    # EUR->CNY average 7.90: 1185.00; JPY->CNY average 0.048: 720.00; total 1905.00
    assert gmv(fx_ws, "CNY", "monthly@1")[0]["gmv"] == "1905.00"


def test_each_store_in_its_own_currency_without_conversion(fx_ws):
    rows = run(fx_ws, Query(("gmv",), *OCTOBER, None, ("store",)))
    assert [(r["store"], r["gmv"], r["currency"]) for r in rows] == [
        ("acme-de", "150.00", "EUR"), ("acme-jp", "15000", "JPY")]


def test_mixed_currencies_without_a_target_are_refused(fx_ws):
    with pytest.raises(InputError) as err:
        run(fx_ws, Query(("gmv",), *OCTOBER))
    assert err.value.findings[0].column == "--currency"


def test_a_missing_or_stale_rate_names_currency_and_date(fx_ws, tmp_path):
    # an order on 10-13: the last EUR->USD rate is from 10-05, 8 days old (the policy allows 7)
    late = [order("302-3", datetime(2026, 10, 13, 10, tzinfo=UTC), "10.00", "EUR")]
    import_file(fx_ws, amazon_all_orders.write(tmp_path / "late.txt", late), "acme-de")
    with pytest.raises(InputError) as err:
        run(fx_ws, Query(("gmv",), *OCTOBER, ("acme-de",), (), "USD"))
    assert "EUR->USD" in err.value.findings[0].message and "2026-10-13" in err.value.findings[0].message
