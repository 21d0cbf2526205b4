"""Definition sets: extension, validation, and freezing by a signed plan."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpiguard import ledger
from kpiguard.errors import InputError, NotFoundError
from kpiguard.ingest.load import import_file
from kpiguard.metrics import definitions
from kpiguard.metrics.engine import Query, run
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine, Product
from tests.conftest import add_store

TAXED = "name: taxed\nversion: 1\nextends: standard@1\npolicies:\n  gmv_includes_tax: true\n"


def test_a_set_extends_standard_and_overrides_one_policy(ws):
    added = definitions.add(ws, TAXED, "taxed.yaml", "test")
    assert added.key == "taxed@1"
    assert added.policies.gmv_includes_tax is True
    assert added.policies.day_timezone == "marketplace"  # inherited
    assert added.policies.fx.max_age_days == 7  # nested policies are merged, not replaced


def test_invalid_policy_is_refused_with_its_location(ws):
    with pytest.raises(InputError) as err:
        definitions.add(ws, "name: bad\nversion: 1\npolicies:\n  pending_lines: sometimes\n", "bad.yaml", "test")
    assert err.value.findings[0].column == "policies.pending_lines"


def test_unknown_set_is_not_found(ws):
    with pytest.raises(NotFoundError):
        definitions.resolve(ws, "nope@1")


def test_changing_a_frozen_set_is_refused_and_numbers_stay(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    at = datetime(2026, 10, 5, 18, 0, tzinfo=UTC)
    line = OrderLine("111-1", 1, at, at, "shipped", Product("S", "B1", "x"), 1, Decimal("100.00"), "USD",
                     tax=Decimal("8.00"))
    import_file(ws, amazon_all_orders.write(tmp_path / "o.txt", [line]), "acme-us")
    definitions.add(ws, TAXED, "taxed.yaml", "test")
    q = Query(("gmv",), date(2026, 10, 1), date(2026, 10, 31), ("acme-us",), (), None, "taxed@1")
    assert run(ws, q)[0]["gmv"] == "108.00"  # 100.00 item + 8.00 tax
    definitions.freeze(ws, "taxed@1", "plan acme-2026Q4 v1", "test")
    untaxed = TAXED.replace("gmv_includes_tax: true", "gmv_includes_tax: false")
    with pytest.raises(InputError) as err:
        definitions.add(ws, untaxed, "taxed.yaml", "test")
    assert err.value.findings[0].code == "definitions.frozen"
    assert "version 2" in (err.value.findings[0].hint or "")
    assert run(ws, q)[0]["gmv"] == "108.00"
    with ws.connect(read_only=True) as con:
        kinds = [e.kind for e in ledger.entries(con)]
        assert ledger.chain_problems(con) == []
    assert kinds.count("definitions.freeze") == 1


def test_a_new_version_is_the_way_forward(ws):
    definitions.add(ws, TAXED, "taxed.yaml", "test")
    definitions.freeze(ws, "taxed@1", "plan p v1", "test")
    v2 = TAXED.replace("version: 1", "version: 2").replace("true", "false")
    assert definitions.add(ws, v2, "taxed2.yaml", "test").policies.gmv_includes_tax is False
    assert definitions.resolve(ws, "taxed@1").policies.gmv_includes_tax is True
