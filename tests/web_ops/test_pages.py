"""Every operations page in both languages, the navigation, and the API in /openapi.json."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.scoring.golden import PLAN_ID, STORE
from tests.web_ops.conftest import SELLER, OpsWorld

PAGES = ["/imports", "/imports/1", f"/plans/{PLAN_ID}/pace?as_of=2026-10-15", "/alerts?all=true",
         f"/reconcile?store={STORE}&period=2026-10", "/audit", f"/plans/{PLAN_ID}/settlement?period=2026-10"]
CHINESE = {"/imports": "上传报表", "/alerts?all=true": "预警", "/audit": "审计日志"}


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_pages_have_no_raw_label_keys(client: TestClient, world: OpsWorld, lang: str) -> None:
    client.cookies.set("kpiguard_lang", lang)
    for path in PAGES:
        page = client.get(path, headers=world.bearer(SELLER))
        assert page.status_code == 200, path
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<script>.*?</script>", "", page.text, flags=re.S))  # what people read
        assert not re.search(r"\bops_[a-z_]+\b", text), (path, re.findall(r"\bops_[a-z_]+\b", text))
        assert f'<html lang="{lang}">' in page.text
        if lang == "zh-CN" and path in CHINESE:
            assert CHINESE[path] in page.text
    nav = client.get("/imports", headers=world.bearer(SELLER)).text
    for key in ("imports", "alerts", "reconcile", "audit"):
        assert f'data-nav="{key}"' in nav


def test_the_api_is_described(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/imports"])
    assert "multipart/form-data" in paths["/api/imports"]["post"]["requestBody"]["content"]
    for path in ("/api/imports/{import_id}", "/api/plans/{plan_id}/pace", "/api/alerts", "/api/alerts/{alert_id}/ack",
                 "/api/reconcile", "/api/audit", "/api/verify", "/api/plans/{plan_id}/settlement",
                 "/api/plans/{plan_id}/settlement/{seq}/export", "/api/stores/{store_id}/archive"):
        assert path in paths, path
    assert not any(p.startswith(("/imports", "/alerts", "/reconcile", "/audit")) for p in paths)  # pages are not API
