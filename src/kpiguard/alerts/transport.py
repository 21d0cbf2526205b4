"""One HTTP POST with a timeout and a bounded retry; never raises, always reports.

Only ``urllib`` from the standard library: a robot message is one small JSON POST, not worth a
dependency. Proxies from the environment (``https_proxy``, ``no_proxy``) are honoured, as a
company network needs. Retried: no connection, a timeout, HTTP 429 and 5xx (the receiver's
trouble, may pass). Not retried: other 4xx (our request is wrong and will stay wrong).
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

USER_AGENT = "kpiguard-alerts/1"


@dataclass(frozen=True)
class HttpRequest:
    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HttpOutcome:
    status: int | None  # None: no HTTP answer at all
    body: str
    error: str | None  # why it failed at the HTTP level; None when a 2xx came back
    attempts: int


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    timeout: float = 5.0  # seconds, per attempt
    backoff: float = 0.5  # seconds before the 2nd attempt; doubled before each later one
    sleep: Callable[[float], None] = time.sleep


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def _once(req: HttpRequest, timeout: float) -> tuple[int | None, str, str | None, bool]:
    """(status, body, error, worth retrying)."""
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT, **req.headers}
    request = urllib.request.Request(req.url, data=req.body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return int(resp.status), resp.read(65536).decode("utf-8", "replace"), None, False
    except urllib.error.HTTPError as exc:
        body = exc.read(65536).decode("utf-8", "replace") if exc.fp else ""
        return exc.code, body, f"HTTP {exc.code} {exc.reason}", _retryable(exc.code)
    except urllib.error.URLError as exc:
        return None, "", f"cannot connect: {exc.reason}", True
    except TimeoutError:
        return None, "", f"no answer within {timeout:g}s", True
    except (ConnectionError, OSError, http.client.HTTPException) as exc:
        return None, "", f"connection failed: {type(exc).__name__}: {exc}", True
    except ValueError as exc:  # http.client.InvalidURL and friends: retrying will not help
        return None, "", f"bad URL: {exc}", False


def post(req: HttpRequest, policy: RetryPolicy | None = None) -> HttpOutcome:
    """POST ``req``; up to ``policy.attempts`` tries while the failure is worth retrying."""
    p = policy or RetryPolicy()
    tries = max(1, p.attempts)
    for attempt in range(1, tries + 1):
        status, body, error, retry = _once(req, p.timeout)
        if error is None or not retry or attempt == tries:
            return HttpOutcome(status, body, error, attempt)
        p.sleep(p.backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable: the last attempt returns")
