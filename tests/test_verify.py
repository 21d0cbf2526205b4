"""``kpiguard verify`` finds every kind of tampering and names what was touched.

Each test builds a workspace with two imports through the library, changes one thing on disk or in
the catalog the way someone with file access could, and runs the real CLI.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine, Product
from kpiguard.workspace import Workspace
from tests.conftest import add_store, run_cli

BOTTLE = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle 750ml, Blue")


def orders(path: Path, order_id: str, month: int) -> Path:
    at = datetime(2026, month, 10, 18, 0, tzinfo=UTC)
    line = OrderLine(order_id, 1, at, at, "shipped", BOTTLE, 1, Decimal("19.95"), "USD")
    return amazon_all_orders.write(path, [line])


@pytest.fixture
def tampered(tmp_path: Path) -> Workspace:
    """Ledger: 1 store.add, 2 import of january.txt (import 1), 3 import of february.txt (import 2)."""
    ws = Workspace(tmp_path / "ws")
    ws.init()
    add_store(ws, "acme-us", "amazon", "US")
    for name, order_id, month in (("january.txt", "111-1", 1), ("february.txt", "111-2", 2)):
        assert import_file(ws, orders(tmp_path / name, order_id, month), "acme-us").status == "imported"
    return ws


def import_entry(ws: Workspace, import_id: int) -> dict:
    with ws.connect(read_only=True) as con:
        payloads = [json.loads(r[0]) for r in con.execute(
            "SELECT payload_json FROM ledger WHERE kind = 'import' ORDER BY seq").fetchall()]
    return next(p for p in payloads if p["import_id"] == import_id)


def verify(ws: Workspace) -> tuple[int, str]:
    result = run_cli(ws, "verify")
    assert "Traceback" not in result.out + result.err
    return result.code, result.out + result.err


def test_a_clean_workspace_verifies(tampered: Workspace) -> None:
    code, text = verify(tampered)
    assert code == 0, text
    assert "3 ledger entries, 2 raw files, 2 lake parts" in text


def test_one_byte_changed_in_a_raw_file_is_named_with_its_import(tampered: Workspace) -> None:
    raw = tampered.raw_path(import_entry(tampered, 2)["raw_sha256"])
    raw.chmod(0o644)  # raw copies are stored read-only; someone with file access can undo that
    data = bytearray(raw.read_bytes())
    data[-3] = ord("9") if data[-3] != ord("9") else ord("8")
    raw.write_bytes(bytes(data))
    code, text = verify(tampered)
    assert code == 2
    assert "february.txt, import 2) was altered" in text
    assert "january.txt" not in text


def test_a_deleted_ledger_entry_is_named(tampered: Workspace) -> None:
    con = duckdb.connect(str(tampered.catalog_path))
    con.execute("DELETE FROM ledger WHERE seq = 2")
    con.close()
    code, text = verify(tampered)
    assert code == 2
    assert "ledger entry 2 is missing" in text
    assert "import 1 (january.txt) has no ledger entry" in text


def test_an_altered_lake_part_is_named(tampered: Workspace) -> None:
    rel = import_entry(tampered, 1)["parts"][0]["path"]
    part = tampered.lake_dir / rel
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part.write_bytes(bytes(data))
    code, text = verify(tampered)
    assert code == 2
    assert f"lake part {rel} (import 1) was altered" in text


def test_an_extra_parquet_file_in_the_lake_is_named(tampered: Workspace) -> None:
    rel = import_entry(tampered, 2)["parts"][0]["path"]
    slipped = (tampered.lake_dir / rel).with_name("import-99.parquet")
    shutil.copy(tampered.lake_dir / rel, slipped)
    code, text = verify(tampered)
    assert code == 2
    assert f"lake file {slipped.relative_to(tampered.lake_dir).as_posix()} was not written by any recorded import" in text


def test_a_deleted_lake_part_is_named(tampered: Workspace) -> None:
    rel = import_entry(tampered, 2)["parts"][0]["path"]
    (tampered.lake_dir / rel).unlink()
    code, text = verify(tampered)
    assert code == 2
    assert f"lake part {rel} (import 2) is missing" in text
