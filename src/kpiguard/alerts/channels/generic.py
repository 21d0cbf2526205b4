"""Generic JSON webhook: the alert itself as JSON, for any receiver (a script, Slack relay, n8n).

Body: ``{"type": "alert", "alert": {...}}`` (or ``"summary"`` with ``"alerts"``, or ``"test"``),
the same object ``kpiguard alerts list --json`` shows. When a secret is set the header
``X-Kpiguard-Signature`` carries the lowercase hex HMAC-SHA256 of the exact body bytes, keyed
with the secret, so the receiver can check the message came from this workspace. Any 2xx answer
means delivered.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from kpiguard.alerts.channels.base import Channel, json_bytes
from kpiguard.alerts.notices import Notice
from kpiguard.alerts.transport import HttpRequest

KIND = "generic"
SIGNATURE_HEADER = "X-Kpiguard-Signature"


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def build(notice: Notice, url: str, secret: str | None, now: datetime) -> HttpRequest:
    body = json_bytes(notice.data)
    headers: dict[str, str] = {"X-Kpiguard-Event": str(notice.kind)}
    if secret:
        headers[SIGNATURE_HEADER] = sign(body, secret)
    return HttpRequest(url, body, headers)


def rejected(body: str) -> str | None:
    return None


CHANNEL = Channel(KIND, build, rejected)
