"""WeCom group robot (企业微信群机器人): markdown message; no signing, the key is in the URL.

Payload, as WeCom's "群机器人配置说明" gives it (developer.work.weixin.qq.com/document/path/
91770, found with the ``search`` tool in copies of the page, e.g. cnblogs.com/tiandi/p/17768525):

    {"msgtype": "markdown", "markdown": {"content": "..."}}

``content`` is at most 4096 bytes of UTF-8, so a long message is cut at a character boundary.
The robot's URL ``.../cgi-bin/webhook/send?key=...`` is the only credential: there is no
signature to add. The answer is ``{"errcode": 0, "errmsg": "ok"}``; 20 messages a minute.
"""

from __future__ import annotations

from datetime import datetime

from kpiguard.alerts.channels.base import Channel, errcode_reply, json_bytes
from kpiguard.alerts.notices import Notice
from kpiguard.alerts.transport import HttpRequest

KIND = "wecom"
MAX_CONTENT_BYTES = 4096


def clip(text: str, limit: int = MAX_CONTENT_BYTES) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore") + "…"


def build(notice: Notice, url: str, secret: str | None, now: datetime) -> HttpRequest:
    content = clip(f"**{notice.both_title()}**\n\n{notice.both_markdown()}")
    return HttpRequest(url, json_bytes({"msgtype": "markdown", "markdown": {"content": content}}))


CHANNEL = Channel(KIND, build, errcode_reply)
