"""Latest-state resolution in the lake reader, and per-store choices read from Parquet footers.

The reader finds superseded rows by hashing natural keys and running the version window only over
keys that repeat (tables.superseded_sql); these tests hold it to the rule of lake.py on parts
written straight into a workspace's lake: repeats across imports and inside one part, missing
update times, ties broken by import and row, NULLs inside a natural key, and a reader pinned to
a snapshot of parts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpiguard import lake
from kpiguard.canonical import TABLES
from kpiguard.metrics import partstats
from kpiguard.metrics.tables import LakeReader
from kpiguard.workspace import Workspace

T0 = datetime(2026, 10, 1, tzinfo=UTC)


def write_part(ws: Workspace, table: str, store: str, name: str, rows: list[dict[str, Any]]) -> str:
    """One Parquet part with the table's canonical columns (unset ones NULL); its path in the lake."""
    spec = TABLES[table]
    folder = ws.table_dir(table) / f"store={store}"
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    names = [n for n, _ in spec.all_columns]
    values = [[r.get(n) for n in names] for r in rows]
    cols = ", ".join(f'CAST(col{i} AS {t}) AS "{n}"' for i, (n, t) in enumerate(spec.all_columns))
    con.execute(f"CREATE TABLE t AS SELECT {cols} FROM (VALUES {', '.join(['(' + ', '.join(['?'] * len(names)) + ')'] * len(values))}) "
                f"v({', '.join(f'col{i}' for i in range(len(names)))})", [x for row in values for x in row])
    path = folder / f"{name}.parquet"
    con.execute(f"COPY t TO '{path}' (FORMAT PARQUET)")
    return path.relative_to(ws.lake_dir).as_posix()


def line(order: str, line_id: str, updated: datetime | None, import_id: int, raw_row: int,
         status: str = "shipped", source: str = "amazon_all_orders", store: str = "s-1") -> dict[str, Any]:
    return {"order_id": order, "line_id": line_id, "purchased_at_utc": T0, "order_date_local": date(2026, 10, 1),
            "order_status": status, "sku": "SKU-A", "quantity": 1, "currency": "USD", "item_price_minor": 1000,
            "store_id": store, "source": source, "source_updated_utc": updated, "import_id": import_id,
            "raw_sha256": f"sha-{import_id}", "raw_row": raw_row}


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = Workspace(tmp_path / "ws")
    w.init()
    return w


def current_rows(reader: LakeReader, table: str = "order_lines") -> list[tuple[Any, ...]]:
    t = reader.current(table)
    return sorted(tuple(r[c] for c in ("order_id", "line_id", "import_id", "raw_row", "order_status"))
                  for r in t.to_pyarrow().to_pylist())


def test_latest_version_wins_by_hand(ws: Workspace) -> None:
    # O-1/1: three versions. Import 1 at 10:00, import 2 at 12:00 (shipped) and import 3 at 11:00:
    #   the latest update (12:00, import 2) wins although import 3 came later.
    # O-2/1: import 1 has it twice in one file (rows 5 and 9, same update time): the later row, 9, wins.
    # O-3/1: import 1 at 10:00, import 2 with no update time: a missing time loses, so import 1 wins.
    # O-4/1: import 1 and import 3 at the same time: the later import, 3, wins.
    # O-5/1: once: it stays.
    ten, eleven, noon = (T0.replace(hour=h) for h in (10, 11, 12))
    write_part(ws, "order_lines", "s-1", "import-1", [
        line("O-1", "1", ten, 1, 2, "pending"), line("O-2", "1", ten, 1, 5, "pending"),
        line("O-2", "1", ten, 1, 9, "shipped"), line("O-3", "1", ten, 1, 3), line("O-4", "1", ten, 1, 4),
        line("O-5", "1", ten, 1, 6)])
    write_part(ws, "order_lines", "s-1", "import-2", [
        line("O-1", "1", noon, 2, 7, "shipped"), line("O-3", "1", None, 2, 8, "cancelled")])
    write_part(ws, "order_lines", "s-1", "import-3", [
        line("O-1", "1", eleven, 3, 2, "cancelled"), line("O-4", "1", ten, 3, 1, "cancelled")])
    assert current_rows(LakeReader(ws)) == [
        ("O-1", "1", 2, 7, "shipped"), ("O-2", "1", 1, 9, "shipped"), ("O-3", "1", 1, 3, "shipped"),
        ("O-4", "1", 3, 1, "cancelled"), ("O-5", "1", 1, 6, "shipped")]


def test_no_repeated_key_reads_the_parts_as_they_are(ws: Workspace) -> None:
    # two lines of one order and a line of another: three keys, three current rows
    write_part(ws, "order_lines", "s-1", "import-1", [line("O-1", "1", T0, 1, 2), line("O-1", "2", T0, 1, 3)])
    write_part(ws, "order_lines", "s-1", "import-2", [line("O-2", "1", T0, 2, 2)])
    assert [r[:2] for r in current_rows(LakeReader(ws))] == [("O-1", "1"), ("O-1", "2"), ("O-2", "1")]


def test_a_pinned_reader_resolves_versions_among_its_parts_only(ws: Workspace) -> None:
    # import 1 has O-1 pending at 10:00; import 2 (imported after the snapshot) has it shipped at 12:00.
    # Pinned to import 1's part, O-1 is still pending; unpinned, shipped.
    first = write_part(ws, "order_lines", "s-1", "import-1", [line("O-1", "1", T0.replace(hour=10), 1, 2, "pending")])
    write_part(ws, "order_lines", "s-1", "import-2", [line("O-1", "1", T0.replace(hour=12), 2, 2, "shipped")])
    pinned = LakeReader(ws, parts=frozenset({first}))
    assert [p.name for p in pinned.files("order_lines", ("s-1",))] == ["import-1.parquet"]
    assert current_rows(pinned) == [("O-1", "1", 1, 2, "pending")]
    assert current_rows(LakeReader(ws)) == [("O-1", "1", 2, 2, "shipped")]
    assert pinned.has_data("order_lines", "s-1")
    assert not LakeReader(ws, parts=frozenset()).has_data("order_lines", "s-1")


def test_null_inside_a_natural_key_is_one_key(ws: Workspace) -> None:
    # ads rows keyed by (..., sku, product_id, targeting, match_type, search_term), most of them NULL
    # here: the two rows for campaign C1 are versions of one key (spend 100 then 150, the later
    # import wins); C2 is another key. Current spend: 150 + 70 = 220.
    def ad(campaign: str, spend: int, import_id: int) -> dict[str, Any]:
        return {"period_start_local": date(2026, 10, 1), "period_end_local": date(2026, 10, 1), "ad_type": "SP",
                "report_kind": "advertised_product", "campaign": campaign, "spend_minor": spend, "currency": "USD",
                "store_id": "s-1", "source": "amazon_ads_advertised_product", "source_updated_utc": T0,
                "import_id": import_id, "raw_sha256": "x", "raw_row": 2}
    write_part(ws, "ad_performance", "s-1", "import-1", [ad("C1", 100, 1), ad("C2", 70, 1)])
    write_part(ws, "ad_performance", "s-1", "import-2", [ad("C1", 150, 2)])
    t = LakeReader(ws).current("ad_performance", ("s-1",))
    assert t.spend_minor.sum().to_pyarrow().as_py() == 220


version_strategy = st.lists(st.tuples(
    st.integers(0, 4),  # order number: a small key space, so keys repeat
    st.sampled_from(["1", "2"]),  # line id
    st.one_of(st.none(), st.integers(0, 3)),  # update hour, or none
    st.integers(1, 3),  # import id (and the part it lands in)
    st.integers(2, 6),  # file row
    st.sampled_from(["shipped", "pending", "cancelled"]),
), min_size=1, max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(version_strategy)
def test_current_rows_follow_the_lake_rule(tmp_path_factory: pytest.TempPathFactory, raw: list[tuple[Any, ...]]) -> None:
    """Whatever repeats where, the reader keeps exactly the rows lake.current_sql (a window over
    every row, the rule's plain statement) keeps."""
    ws = Workspace(tmp_path_factory.mktemp("versions") / "ws")
    ws.init()
    parts: dict[int, list[dict[str, Any]]] = {}
    for n, line_id, hour, import_id, raw_row, status in raw:
        updated = None if hour is None else T0.replace(hour=hour)
        parts.setdefault(import_id, []).append(line(f"O-{n}", line_id, updated, import_id, raw_row, status))
    for import_id, rows in parts.items():
        write_part(ws, "order_lines", "s-1", f"import-{import_id}", rows)
    got = current_rows(LakeReader(ws))
    cols = "order_id, line_id, import_id, raw_row, order_status"
    want = sorted(duckdb.sql(f"SELECT {cols} FROM ({lake.current_sql(ws, 'order_lines')})").fetchall())
    # rows with the very same key, update time, import and file row are indistinguishable ties:
    # compare keys and the (import, row) chosen only where the rule decides
    assert [r[:2] for r in got] == [r[:2] for r in want]
    decided = {r[:2] for r in want if sum(1 for x in raw if (f"O-{x[0]}", x[1]) == r[:2]
                                             and (x[3], x[4]) == r[2:4]) == 1}
    assert [r for r in got if r[:2] in decided] == [r for r in want if r[:2] in decided]


def test_choices_from_footers_match_the_rows(ws: Workspace) -> None:
    # s-1: one part from the Amazon export, one from an ERP export -> {amazon_all_orders, erp_lingxing}
    # s-2: one part holding both sources (its footer's min and max differ, so the rows are read)
    # s-3: a part with product-level traffic only; s-4: store-level rows (product_id NULL) and product rows
    write_part(ws, "order_lines", "s-1", "import-1", [line("O-1", "1", T0, 1, 2, store="s-1")])
    write_part(ws, "order_lines", "s-1", "import-2", [line("E-1", "1", T0, 2, 2, source="erp_lingxing", store="s-1")])
    write_part(ws, "order_lines", "s-2", "import-3", [line("O-2", "1", T0, 3, 2, store="s-2"),
                                                       line("E-2", "1", T0, 3, 3, source="erp_lingxing", store="s-2")])
    reader = LakeReader(ws)
    assert partstats.column_values(reader, "order_lines", ("s-1", "s-2"), "source") == {
        "s-1": {"amazon_all_orders", "erp_lingxing"}, "s-2": {"amazon_all_orders", "erp_lingxing"}}

    def traffic(store: str, product: str | None, import_id: int) -> dict[str, Any]:
        return {"period_start_local": date(2026, 10, 1), "period_end_local": date(2026, 10, 1), "product_id": product,
                "sessions": 5, "store_id": store, "source": "amazon_business_report", "source_updated_utc": T0,
                "import_id": import_id, "raw_sha256": "x", "raw_row": 2}
    write_part(ws, "traffic", "s-3", "import-4", [traffic("s-3", "B01", 4), traffic("s-3", "B02", 4)])
    write_part(ws, "traffic", "s-4", "import-5", [traffic("s-4", None, 5)])
    write_part(ws, "traffic", "s-4", "import-6", [traffic("s-4", None, 6), traffic("s-4", "B03", 6)])
    assert partstats.null_presence(reader, "traffic", ("s-3", "s-4"), "product_id") == {
        "s-3": {partstats.PRESENT}, "s-4": {None, partstats.PRESENT}}


def test_a_part_without_statistics_is_read(ws: Workspace) -> None:
    # a part written without column statistics (another Parquet writer): its footer cannot say
    # which sources it holds, so its rows are read; the answer is the same: {shopify_orders}
    import pyarrow.parquet as pq

    rel = write_part(ws, "order_lines", "s-1", "import-1", [line("#1", "1", T0, 1, 2, source="shopify_orders")])
    path = ws.lake_dir / rel
    pq.write_table(pq.read_table(path), path, write_statistics=False)
    reader = LakeReader(ws)
    footers = duckdb.sql(f"SELECT stats_min_value FROM parquet_metadata('{path}') WHERE path_in_schema = 'source'")
    assert footers.fetchall() == [(None,)]
    assert partstats.column_values(reader, "order_lines", ("s-1",), "source") == {"s-1": {"shopify_orders"}}
