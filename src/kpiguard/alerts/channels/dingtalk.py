"""DingTalk custom robot (钉钉自定义机器人): markdown message, optional 加签 signing.

Payload, as DingTalk's robot message-type documentation gives it
(open.dingtalk.com/document/robots/custom-robot-access, "markdown类型"):

    {"msgtype": "markdown", "markdown": {"title": "...", "text": "..."}}

Signing (安全设置 "加签"), as documented there and found with the ``search`` tool in copies of
the page (e.g. mihaoyun.com/wordpress/?p=391, gitbook.curiouser.top/origin/dingding-customrobot):
"把 timestamp + "\\n" + 密钥当做签名字符串，使用HmacSHA256算法计算签名，然后进行Base64 encode，
最后再把签名参数再进行urlEncode". The timestamp is in milliseconds (within an hour of
DingTalk's clock), the HMAC key is the secret itself, and ``&timestamp=...&sign=...`` is added
to the webhook URL. The answer is HTTP 200 with ``{"errcode": 0, "errmsg": "ok"}``; e.g.
errcode 310000 means the signature or keyword did not match. A robot accepts 20 messages a
minute.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote_plus

from kpiguard.alerts.channels.base import Channel, errcode_reply, json_bytes
from kpiguard.alerts.notices import Notice
from kpiguard.alerts.transport import HttpRequest

KIND = "dingtalk"


def sign(timestamp_ms: int, secret: str) -> str:
    """Base64(HmacSHA256(key=secret, msg=timestamp + "\\n" + secret)), URL-encoded."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def signed_url(url: str, secret: str | None, now: datetime) -> str:
    if not secret:
        return url
    ts = int(now.timestamp() * 1000)
    return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={sign(ts, secret)}"


def build(notice: Notice, url: str, secret: str | None, now: datetime) -> HttpRequest:
    payload = {"msgtype": "markdown", "markdown": {"title": notice.both_title(), "text": notice.both_markdown()}}
    return HttpRequest(signed_url(url, secret, now), json_bytes(payload))


CHANNEL = Channel(KIND, build, errcode_reply)
