"""``kill -9`` in the middle of an import leaves the workspace as it was.

A real ``kpiguard import`` of a 300,000-line All Orders file runs in a subprocess and is killed
with SIGKILL at two points: while it parses (its raw copy is staged, no Parquet part yet) and while
it writes (Parquet parts appear under ``staging/<n>/lake``). Each time the catalog, raw/ and lake/
must be exactly as before (``staging/`` is work in progress that recovery deletes), ``kpiguard
verify`` must pass, and the next import must complete with the right totals. A crash after the
catalog commit, before the files are moved into place, is rolled forward instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine, Product
from kpiguard.workspace import Workspace
from tests.conftest import add_store, run_cli
from tests.snapshot import snapshot

pytestmark = pytest.mark.slow

LINES = 300_000
PRODUCTS = [Product(f"SKU-{i:02d}", f"B0CRASH{i:03d}", f"Crash test product {i}") for i in range(20)]


def big_orders(path: Path, n: int = LINES) -> tuple[Path, int]:
    """An All Orders file of ``n`` shipped lines, and the sum of its item-price in cents.

    Twenty lines come from the real writer; the rest repeat them with other order ids (rendering
    300,000 records one by one would take longer than the test).
    """
    start = datetime(2025, 6, 1, tzinfo=UTC)
    templates = []
    for i, product in enumerate(PRODUCTS):
        at = start + timedelta(minutes=17 * i)
        line = OrderLine("ORDER-ID", 1, at, at + timedelta(hours=5), "shipped", product, 1 + i % 3,
                         Decimal(f"{10 + i}.95"), "USD", tax=Decimal("1.20"), order_item_id="ITEM-ID")
        templates.append("\t".join(amazon_all_orders.row(line, amazon_all_orders.SP_API)))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(amazon_all_orders.SP_API) + "\n")
        for k in range(n):
            oid = f"114-{k:07d}-{k % 9973:07d}"
            fh.write(templates[k % 20].replace("ORDER-ID", oid).replace("ITEM-ID", f"{k:014d}") + "\n")
    # line k is template k % 20, whose item-price is (1 + i % 3) x (10 + i).95 dollars
    per_cycle = sum((1 + i % 3) * (1000 + 100 * i + 95) for i in range(20))
    return path, per_cycle * (n // 20) + sum((1 + i % 3) * (1000 + 100 * i + 95) for i in range(n % 20))


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    return big_orders(tmp_path_factory.mktemp("big") / "all_orders_300k.txt")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A workspace with one small import already in it, so raw/ and lake/ hold something."""
    ws = Workspace(tmp_path / "ws")
    ws.init()
    add_store(ws, "acme-us", "amazon", "US")
    small, _ = big_orders(tmp_path / "small.txt", 40)
    assert import_file(ws, small, "acme-us").status == "imported"
    return ws.home


def staged_raw(home: Path) -> bool:
    """The import copied and hashed the file and is now reading it (no Parquet part yet)."""
    return any(p.name != "incoming" for p in home.glob("staging/*/raw/*")) and not list(home.glob("staging/*/lake"))


def staged_parts(home: Path) -> bool:
    """The import is writing its Parquet parts."""
    return any(home.glob("staging/*/lake/**/*.parquet"))


def kill_import_when(home: Path, path: Path, ready: Callable[[Path], bool]) -> float:
    """Start ``kpiguard import`` and SIGKILL it as soon as ``ready(home)``; return when it was killed."""
    proc = subprocess.Popen([sys.executable, "-m", "kpiguard", "--workspace", str(home), "import", str(path),
                             "--store", "acme-us"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    began = time.monotonic()
    try:
        while not ready(home):
            assert proc.poll() is None, "the import ended before the kill point"
            assert time.monotonic() - began < 600, "the kill point never came"
            time.sleep(0.002)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return time.monotonic() - began


def item_price_total(home: Path) -> tuple[int, int]:
    con = duckdb.connect()
    row = con.execute(f"SELECT count(*), sum(item_price_minor) FROM read_parquet('{home}/lake/order_lines/**/*.parquet')"
                      " WHERE import_id > 1").fetchone()
    con.close()
    return int(row[0]), int(row[1] or 0)  # type: ignore[index]


@pytest.mark.parametrize("ready", [staged_raw, staged_parts], ids=["while parsing", "while writing"])
def test_kill_9_during_an_import_changes_nothing_and_the_next_import_completes(
        home: Path, big_file: tuple[Path, int], ready: Callable[[Path], bool]) -> None:
    path, cents = big_file
    before = snapshot(home)
    kill_import_when(home, path, ready)
    assert any((home / "staging").iterdir())  # the killed import left its work behind ...
    assert snapshot(home) == before  # ... but nothing in the catalog, raw/ or lake/
    checked = run_cli(home, "verify")
    assert checked.code == 0, checked.out + checked.err
    again = run_cli(home, "import", str(path), "--store", "acme-us", "--json")
    assert again.code == 0, again.out + again.err
    assert again.json()[0]["rows_accepted"] == LINES  # type: ignore[index]
    assert item_price_total(home) == (LINES, cents)
    assert not any((home / "staging").iterdir())  # recovery removed the killed import's folder
    assert run_cli(home, "verify").code == 0


def test_a_crash_after_the_commit_is_rolled_forward(home: Path, tmp_path: Path) -> None:
    """Put a committed import's files back into staging/, as a crash between the catalog commit and
    the move into raw/ and lake/ leaves them; the next command that takes the workspace finishes it."""
    ws = Workspace(home)
    path, cents = big_orders(tmp_path / "more.txt", 200)
    result = import_file(ws, path, "acme-us")
    complete = snapshot(home)
    folder = home / "staging" / str(result.import_id)
    (folder / "raw").mkdir(parents=True)
    shutil.move(ws.raw_path(result.raw_sha256), folder / "raw" / result.raw_sha256)
    moved = sorted(home.glob(f"lake/**/import-{result.import_id}.parquet"))
    assert len(moved) == 1  # the order lines' one part
    for part in moved:
        target = folder / "lake" / part.relative_to(home / "lake")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(part, target)
    assert snapshot(home) != complete
    checked = run_cli(home, "verify")  # verify takes the workspace, so it finishes the import first
    assert checked.code == 0, checked.out + checked.err
    assert snapshot(home) == complete and not folder.exists()
    assert item_price_total(home) == (200, cents)
