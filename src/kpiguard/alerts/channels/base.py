"""What every webhook format provides: build a signed request, read the platform's answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from kpiguard.alerts.notices import Notice
from kpiguard.alerts.transport import HttpRequest


class Builder(Protocol):
    def __call__(self, notice: Notice, url: str, secret: str | None, now: datetime) -> HttpRequest: ...


class Reader(Protocol):
    def __call__(self, body: str) -> str | None: ...


@dataclass(frozen=True)
class Channel:
    """``build`` makes the HTTP request; ``rejected`` says why a 2xx answer still means "not sent"."""

    kind: str
    build: Builder
    rejected: Reader


def json_bytes(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def errcode_reply(body: str, code_key: str = "errcode", msg_key: str = "errmsg") -> str | None:
    """DingTalk and WeCom answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; non-zero is a refusal."""
    try:
        reply = json.loads(body)
    except ValueError:
        return f"unexpected reply (not JSON): {body[:120]!r}"
    if not isinstance(reply, dict):
        return f"unexpected reply: {body[:120]!r}"
    code = reply.get(code_key)
    if code in (0, "0"):
        return None
    return f"{code_key} {code}: {reply.get(msg_key)}"
