"""A real HTTP server on loopback receives each robot's payload; signatures recomputed here by hand.

The signing steps are written out below from each platform's documentation, not taken from
``kpiguard.alerts.channels``, so a mistake in the module cannot hide in the test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from urllib.parse import quote_plus

from kpiguard.alerts import service, webhooks
from kpiguard.alerts.transport import RetryPolicy
from kpiguard.workspace import Workspace
from tests.alerts.receiver import Receiver
from tests.alerts.reports import kpi, report

NOW = datetime(2026, 10, 15, 1, 0, 0, tzinfo=UTC)
NOW_S = 1792026000  # 2026-10-15T01:00:00Z: 20,741 days after 1970-01-01 (56 years, 14 leap days
# -> 56 * 365 + 14 = 20,454 to 2026-01-01, + 287 days to Oct 15) * 86,400 + 3,600 = 1,792,022,400 + 3,600
NOW_MS = NOW_S * 1000
SECRET = "SECdemo0123456789"
GMV_BELOW = [kpi(forecast="84000", low="78000", high="91000", p_floor="0.42")]


def _run(ws: Workspace, policy: RetryPolicy) -> service.CheckResult:
    return service.run(ws, report(GMV_BELOW), "ops", NOW, policy=policy)


def test_clock_arithmetic() -> None:
    assert int(NOW.timestamp()) == NOW_S  # the hand count above


def test_dingtalk_markdown_signed_in_the_url(ws: Workspace, receiver: Receiver, policy: RetryPolicy) -> None:
    webhooks.add(ws, "ding", "dingtalk", receiver.url("/robot/send?access_token=tok123"), SECRET, "ops")
    assert _run(ws, policy).delivery.count("sent") == 1
    [req] = receiver.at("/robot/send")
    q = req.query
    assert q["access_token"] == "tok123" and q["timestamp"] == str(NOW_MS)  # milliseconds
    # DingTalk: string_to_sign = timestamp + "\n" + secret; HmacSHA256 keyed with the secret; Base64;
    # then URL-encoded into &sign=
    string_to_sign = f"{NOW_MS}\n{SECRET}".encode()
    expected = base64.b64encode(hmac.new(SECRET.encode(), string_to_sign, hashlib.sha256).digest()).decode()
    assert q["sign"] == expected
    assert f"sign={quote_plus(expected)}" in req.raw_query  # sent URL-encoded (+ / = escaped)
    body = req.json()
    assert set(body) == {"msgtype", "markdown"} and body["msgtype"] == "markdown"
    assert set(body["markdown"]) == {"title", "text"}
    assert "销售额 (GMV) 预测低于底线值" in body["markdown"]["title"] and "GMV forecast below floor" in body["markdown"]["title"]
    text = body["markdown"]["text"]
    assert "【警告】" in text and "[warning]" in text and "底线值 90,000.00 USD" in text and "kpiguard" in text
    assert req.headers["Content-Type"].startswith("application/json")


def test_feishu_post_signed_in_the_body(ws: Workspace, receiver: Receiver, policy: RetryPolicy) -> None:
    receiver.replies["/open-apis/bot/v2/hook/abc"] = [(200, '{"code":0,"msg":"success","data":{}}')]
    webhooks.add(ws, "lark", "feishu", receiver.url("/open-apis/bot/v2/hook/abc"), SECRET, "ops")
    assert _run(ws, policy).delivery.count("sent") == 1
    [req] = receiver.at("/open-apis/bot/v2/hook/abc")
    assert req.raw_query == ""  # nothing added to the URL
    body = req.json()
    assert set(body) == {"timestamp", "sign", "msg_type", "content"}
    assert body["timestamp"] == str(NOW_S)  # seconds, as a string
    # Feishu: timestamp + "\n" + secret is the HMAC-SHA256 *key*; the message is empty; Base64
    key = f"{NOW_S}\n{SECRET}".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert body["msg_type"] == "post"
    post = body["content"]["post"]
    assert set(post) == {"zh_cn", "en_us"}
    assert post["zh_cn"]["title"] == "kpiguard：【警告】销售额 (GMV) 预测低于底线值"
    assert post["en_us"]["title"] == "kpiguard: [warning] GMV forecast below floor"
    for lang, word in (("zh_cn", "底线值"), ("en_us", "floor")):
        rows = post[lang]["content"]
        assert rows and all(isinstance(row, list) and row[0]["tag"] == "text" for row in rows)
        assert any(word in row[0]["text"] for row in rows)


def test_wecom_markdown_no_signature(ws: Workspace, receiver: Receiver, policy: RetryPolicy) -> None:
    webhooks.add(ws, "wx", "wecom", receiver.url("/cgi-bin/webhook/send?key=k-693a"), None, "ops")
    assert _run(ws, policy).delivery.count("sent") == 1
    [req] = receiver.at("/cgi-bin/webhook/send")
    assert req.query == {"key": "k-693a"}  # the key is the credential; no timestamp, no sign
    body = req.json()
    assert body == {"msgtype": "markdown", "markdown": {"content": body["markdown"]["content"]}}
    content = body["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096
    assert "销售额 (GMV) 预测低于底线值" in content and "GMV forecast below floor" in content


def test_generic_json_with_hex_hmac_header(ws: Workspace, receiver: Receiver, policy: RetryPolicy) -> None:
    webhooks.add(ws, "json", "generic", receiver.url("/hook"), "s3cret", "ops")
    webhooks.add(ws, "json-open", "generic", receiver.url("/open"), None, "ops")
    assert _run(ws, policy).delivery.count("sent") == 2
    [req] = receiver.at("/hook")
    # HMAC-SHA256 of the exact body bytes, keyed with the secret, lowercase hex
    assert req.headers["X-Kpiguard-Signature"] == hmac.new(b"s3cret", req.body, hashlib.sha256).hexdigest()
    assert req.headers["X-Kpiguard-Event"] == "alert"
    body = req.json()
    alert = body["alert"]
    assert body["type"] == "alert" and alert["id"] == 1 and alert["rule"] == "forecast_below_floor"
    assert alert["numbers"]["forecast"] == "84000" and alert["numbers"]["floor"] == "90000"  # exact decimals
    assert alert["title"] == {"en": "GMV forecast below floor", "zh-CN": "销售额 (GMV) 预测低于底线值"}
    assert alert["period"] == {"start": "2026-10-01", "end": "2026-10-31"} and alert["as_of"] == "2026-10-15"
    [unsigned] = receiver.at("/open")
    assert "X-Kpiguard-Signature" not in unsigned.headers
    assert json.loads(unsigned.body)["alert"]["id"] == 1
