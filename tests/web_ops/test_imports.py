"""Imports: upload a real report and a broken one, who may upload where, the size cap, CSRF.

The real report is written by ``kpiguard.reportgen.amazon_all_orders`` with three lines, so every
count below is known before the upload:

    114-0000001  2 x 15.00 = 30.00  shipped    2026-11-02 20:00 UTC (12:00 in Los Angeles)
    114-0000002  1 x 20.00 = 20.00  shipped    2026-11-03 20:00 UTC
    114-0000003  1 x 10.00 = 10.00  cancelled  2026-11-03 21:00 UTC

    rows accepted 3 (a cancelled order is still a row of the report), rejected 0, skipped 0;
    GMV of 2-3 November = 30.00 + 20.00 = 50.00 (cancelled orders do not count), orders 2.

The broken report is tests/fixtures/bad/bad_numbers.txt: three All Orders rows, of which row 2 has
item-price "12.3.4" and row 3 quantity "1O0" (tests/fixtures/bad/make_bad.py).
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from kpiguard.metrics.engine import Query, run
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine
from tests.conftest import FIXTURES
from tests.scoring.golden import HERO, STORE
from tests.web_ops.conftest import MANAGER, OPERATOR, OTHER, SELLER, VIEWER, OpsWorld, sign_in

BAD_NUMBERS = FIXTURES / "bad" / "bad_numbers.txt"
GOLDEN_IMPORTS = 5  # tests/scoring/golden.py imports five files


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


def november_orders(folder: Path) -> Path:
    lines = [OrderLine("114-0000001-0000001", 1, at(2, 20), at(2, 20), "shipped", HERO, 2, D("15.00"), "USD"),
             OrderLine("114-0000002-0000002", 1, at(3, 20), at(3, 20), "shipped", HERO, 1, D("20.00"), "USD"),
             OrderLine("114-0000003-0000003", 1, at(3, 21), at(3, 21), "cancelled", HERO, 1, D("10.00"), "USD")]
    return amazon_all_orders.write(folder / "november-orders.txt", lines)


def attrs(page: str, start: str) -> dict[str, str]:
    """The data-* attributes of the element whose tag starts with ``start``."""
    found = re.search(re.escape(start) + r"[^>]*>", page)
    assert found, start
    return dict(re.findall(r'data-([a-z0-9-]+)="([^"]*)"', found[0]))


def imports_of(client: TestClient, world: OpsWorld) -> list[dict]:
    reply = client.get("/api/imports", headers=world.bearer(SELLER))
    assert reply.status_code == 200
    return reply.json()["imports"]


def test_upload_a_real_report_with_the_page_s_session(app: FastAPI, world: OpsWorld, tmp_path: Path) -> None:
    browser, csrf = sign_in(app, SELLER)
    page = browser.get("/imports")
    for element in ('id="upload-form"', 'id="upload-file"', 'id="upload-store"', 'id="upload-progress"'):
        assert element in page.text
    report = november_orders(tmp_path)
    reply = browser.post(f"/api/imports?store={STORE}", files={"file": (report.name, report.read_bytes())},
                         headers={"X-CSRF-Token": csrf})
    assert reply.status_code == 201, reply.text
    result = reply.json()
    assert (result["status"], result["stored"], result["format_key"]) == ("imported", True, "amazon_all_orders")
    assert (result["rows_accepted"], result["rows_rejected"], result["rows_skipped"]) == (3, 0, 0)
    assert result["file"] == "november-orders.txt" and result["bytes"] == report.stat().st_size
    # the rows are in the lake: GMV 30.00 + 20.00 = 50.00 from 2 orders (the cancelled one does not count)
    [row] = run(app.state.workspace, Query(("gmv", "orders"), date(2026, 11, 2), date(2026, 11, 3), (STORE,)))
    assert (D(row["gmv"]), int(row["orders"])) == (D("50.00"), 2)
    # listed first, by whom, with the raw file's SHA-256; and an audit entry
    first = imports_of(browser, world)[0]
    assert (first["import_id"], first["rows_accepted"], first["imported_by"]) == (GOLDEN_IMPORTS + 1, 3, SELLER)
    assert first["raw_sha256"] == result["raw_sha256"] and len(first["raw_sha256"]) == 64
    audit = browser.get("/api/audit?limit=5", headers=world.bearer(SELLER)).json()["entries"]
    assert audit[0]["action"] == "import.upload" and audit[0]["target"] == f"import:{GOLDEN_IMPORTS + 1}"
    # the same bytes again: nothing added, no audit entry
    again = browser.post(f"/api/imports?store={STORE}", files={"file": ("copy.txt", report.read_bytes())},
                         headers={"X-CSRF-Token": csrf})
    assert again.status_code == 200 and again.json()["status"] == "already_imported"
    assert len(imports_of(browser, world)) == GOLDEN_IMPORTS + 1
    # the list page and the detail page show it
    row = attrs(browser.get("/imports").text, f'<tr data-import-id="{GOLDEN_IMPORTS + 1}"')
    assert (row["store"], row["format"], row["accepted"], row["rejected"], row["skipped"]) == (
        STORE, "amazon_all_orders", "3", "0", "0")
    detail = browser.get(f"/imports/{GOLDEN_IMPORTS + 1}")
    assert detail.status_code == 200 and result["raw_sha256"] in detail.text


def test_a_broken_file_shows_every_finding_and_stores_nothing(app: FastAPI, world: OpsWorld) -> None:
    client = TestClient(app)
    head_before = client.get("/api/audit?limit=1", headers=world.bearer(SELLER)).json()["ledger"]["entries"]
    reply = client.post(f"/api/imports?store={STORE}", files={"file": (BAD_NUMBERS.name, BAD_NUMBERS.read_bytes())},
                        headers=world.bearer(SELLER))
    assert reply.status_code == 400
    result = reply.json()
    assert (result["status"], result["stored"], result["rows_accepted"], result["rows_rejected"]) == (
        "rejected", False, 0, 2)
    found = {(f["file"], f["row"], f["column"], f["value"]) for f in result["findings"]}
    assert found == {("bad_numbers.txt", 2, "item-price", "12.3.4"), ("bad_numbers.txt", 3, "quantity", "1O0")}
    assert all(f["message"] and f["hint"] for f in result["findings"])
    # nothing stored: no import, no ledger entry
    assert len(imports_of(client, world)) == GOLDEN_IMPORTS
    assert client.get("/api/audit?limit=1", headers=world.bearer(SELLER)).json()["ledger"]["entries"] == head_before


def test_the_form_without_script_shows_findings_in_a_table(app: FastAPI) -> None:
    browser, csrf = sign_in(app, SELLER)
    truncated = FIXTURES / "bad" / "truncated.txt"  # cut off inside row 4's quoted product name
    page = browser.post("/imports", data={"csrf_token": csrf, "store": STORE},
                        files={"file": (truncated.name, truncated.read_bytes())})
    assert page.status_code == 400
    result = attrs(page.text, "<div class=\"card\" data-import-result")
    assert (result["status"], result["accepted"], result["stored"]) == ("rejected", "0", "false")
    assert attrs(page.text, '<tr data-finding data-code="file.truncated"')["row"] == "4"


def test_keep_good_rows_skips_the_bad_ones(client: TestClient, world: OpsWorld) -> None:
    reply = client.post(f"/api/imports?store={STORE}", files={"file": (BAD_NUMBERS.name, BAD_NUMBERS.read_bytes())},
                        data={"skip_bad_rows": "true"}, headers=world.bearer(SELLER))
    assert reply.status_code == 201, reply.text
    result = reply.json()
    # three rows: 2 and 3 are bad, so 1 is accepted and 2 rejected, each named in the findings
    assert (result["rows_accepted"], result["rows_rejected"]) == (1, 2)
    assert sorted(f["row"] for f in result["findings"]) == [2, 3]
    assert imports_of(client, world)[0]["rows_rejected"] == 2


def test_the_operator_uploads_only_to_its_assigned_store(client: TestClient, world: OpsWorld,
                                                         tmp_path: Path) -> None:
    report = november_orders(tmp_path)
    ok = client.post(f"/api/imports?store={STORE}", files={"file": (report.name, report.read_bytes())},
                     headers=world.bearer(OPERATOR))
    assert ok.status_code == 201 and ok.json()["rows_accepted"] == 3
    # other-us is not granted to the agency, so for its operator it does not exist (404, not 403)
    elsewhere = client.post(f"/api/imports?store={OTHER}", files={"file": ("x.txt", b"a\tb\n")},
                            headers=world.bearer(OPERATOR))
    assert elsewhere.status_code == 404
    in_form = client.post("/api/imports", files={"file": ("x.txt", b"a\tb\n")}, data={"store": OTHER},
                          headers=world.bearer(OPERATOR))
    assert in_form.status_code == 404
    # the seller's viewer sees the store but may not import: 403
    viewer = client.post(f"/api/imports?store={STORE}", files={"file": ("x.txt", b"a\tb\n")},
                         headers=world.bearer(VIEWER))
    assert viewer.status_code == 403
    # the operator's page offers only its store; the viewer's page has no upload form
    page = client.get("/imports", headers=world.bearer(OPERATOR)).text
    assert f'<option value="{STORE}"' in page and f'<option value="{OTHER}"' not in page
    assert 'id="upload-form"' not in client.get("/imports", headers=world.bearer(VIEWER)).text
    # the agency's manager cannot open an import of a store it was not granted
    seller_import = client.post(f"/api/imports?store={OTHER}", files={"file": ("n.txt", report.read_bytes()
                                                                                .replace(b"114-", b"115-"))},
                                headers=world.bearer(SELLER))
    assert seller_import.status_code == 201, seller_import.text
    hidden = seller_import.json()["import_id"]
    assert client.get(f"/api/imports/{hidden}", headers=world.bearer(MANAGER)).status_code == 404
    assert client.get(f"/api/imports/{hidden}", headers=world.bearer(SELLER)).status_code == 200
    assert hidden not in [i["import_id"] for i in client.get("/api/imports", headers=world.bearer(MANAGER))
                          .json()["imports"]]


def test_a_file_over_the_cap_is_refused_with_413(app: FastAPI, world: OpsWorld) -> None:
    app.state.max_upload_bytes = 1000
    client = TestClient(app)
    temp = Path(tempfile.gettempdir())
    before = set(temp.glob("kpiguard-upload-*"))
    # 10,000 bytes: the body is under the limit plus the form's allowance, so the stream is cut at 1,000
    streamed = client.post(f"/api/imports?store={STORE}", files={"file": ("big.txt", b"x" * 10_000)},
                           headers=world.bearer(SELLER))
    # 200,000 bytes: the Content-Length alone is refused, before the body is read
    declared = client.post(f"/api/imports?store={STORE}", files={"file": ("big.txt", b"x" * 200_000)},
                           headers=world.bearer(SELLER))
    for reply in (streamed, declared):
        assert reply.status_code == 413
        assert reply.json()["findings"][0]["code"] == "upload.too_large"
    assert set(temp.glob("kpiguard-upload-*")) == before  # the partial file was removed
    assert len(imports_of(client, world)) == GOLDEN_IMPORTS


def test_uploads_need_the_csrf_token_of_the_session(app: FastAPI, tmp_path: Path) -> None:
    browser, csrf = sign_in(app, SELLER)
    report = november_orders(tmp_path)
    files = {"file": (report.name, report.read_bytes())}
    assert browser.post(f"/api/imports?store={STORE}", files=files).status_code == 403
    assert browser.post(f"/api/imports?store={STORE}", files=files, headers={"X-CSRF-Token": "x" * 43}).status_code == 403
    assert browser.post("/imports", data={"store": STORE}, files=files).status_code == 403
    assert browser.post("/imports", data={"store": STORE, "csrf_token": csrf}, files=files).status_code == 201


def test_bad_forms_are_4xx_with_a_finding(client: TestClient, world: OpsWorld) -> None:
    seller = world.bearer(SELLER)
    assert client.post("/api/imports", content=b"store=gold-us", headers={
        **seller, "Content-Type": "application/x-www-form-urlencoded"}).status_code == 415
    no_file = client.post("/api/imports", data={"store": STORE}, files={"other": ("a.txt", b"1")}, headers=seller)
    assert no_file.status_code == 400
    no_store = client.post("/api/imports", files={"file": ("a.txt", b"1")}, headers=seller)
    assert no_store.status_code == 400 and no_store.json()["findings"][0]["code"] == "upload.store_missing"
    bad_id = client.post("/api/imports", data={"store": "../etc"}, files={"file": ("a.txt", b"1")}, headers=seller)
    assert bad_id.status_code == 400 and bad_id.json()["findings"][0]["code"] == "store.id"
    # a name longer than a file system allows (240 Chinese characters, 720 bytes) is shortened, not a 500
    long = client.post(f"/api/imports?store={STORE}", files={"file": ("订单" * 120 + ".txt", BAD_NUMBERS.read_bytes())},
                       headers=seller)
    assert long.status_code == 400
    assert long.json()["file"].endswith(".txt") and len(long.json()["file"].encode()) <= 200
    cut = client.post("/api/imports?store=gold-us", content=b"--b\r\nContent-Disposition: form-data; name=\"file\"; "
                      b"filename=\"a.txt\"\r\n\r\nabc", headers={**seller, "Content-Type": "multipart/form-data; boundary=b"})
    assert cut.status_code == 400 and cut.json()["findings"][0]["code"] == "upload.form"
