"""Feishu / Lark custom bot (飞书自定义机器人): a bilingual rich-text "post", optional signing.

Payload, as Feishu's custom-bot guide gives it (open.feishu.cn/document/ukTMukTMukTM/
ucTM5YjL3ETO24yNxkjN, "富文本 post"), with one language block per UI language; the Feishu
client shows the reader's own:

    {"msg_type": "post", "content": {"post": {"zh_cn": {"title": "...", "content": [[{"tag": "text",
     "text": "..."}]]}, "en_us": {...}}}}

Signing (安全设置 "签名校验"), as the guide's Python sample shows (found with the ``search``
tool in copies of the page, e.g. m.down10s.com/jiaocheng/5605312225.html, and in SDKs such as
electricbubble/feishu-bot-api ``genSign``): the timestamp is in *seconds*;
``timestamp + "\\n" + secret`` is the HMAC-SHA256 **key** and the message is empty; the digest
is Base64-encoded and sent in the body as ``"timestamp"`` (a string) and ``"sign"``. Unlike
DingTalk, nothing is added to the URL. The answer is ``{"code": 0, "msg": "success"}``; code
19021 is "sign match fail or timestamp is not within one hour". The body may be at most 20 KB.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any

from kpiguard.alerts.channels.base import Channel, errcode_reply, json_bytes
from kpiguard.alerts.notices import Notice
from kpiguard.alerts.transport import HttpRequest

KIND = "feishu"


def sign(timestamp_s: int, secret: str) -> str:
    """Base64(HmacSHA256(key=timestamp + "\\n" + secret, msg=b""))."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def _lines(markdown: str) -> list[list[dict[str, str]]]:
    # a post has no markdown: one text run per line, heading marks and code quotes dropped
    return [[{"tag": "text", "text": line.lstrip("#").strip().replace("`", "")}]
            for line in markdown.splitlines() if line.strip()]


def build(notice: Notice, url: str, secret: str | None, now: datetime) -> HttpRequest:
    payload: dict[str, Any] = {}
    if secret:
        ts = int(now.timestamp())
        payload.update({"timestamp": str(ts), "sign": sign(ts, secret)})
    payload["msg_type"] = "post"
    payload["content"] = {"post": {
        "zh_cn": {"title": f"kpiguard：{notice.title.zh}", "content": _lines(notice.markdown.zh)[1:]},
        "en_us": {"title": f"kpiguard: {notice.title.en}", "content": _lines(notice.markdown.en)[1:]},
    }}
    return HttpRequest(url, json_bytes(payload))


def rejected(body: str) -> str | None:
    return errcode_reply(body, "code", "msg")


CHANNEL = Channel(KIND, build, rejected)
