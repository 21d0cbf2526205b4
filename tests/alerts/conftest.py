"""Fixtures of the alert tests: a loopback HTTP receiver and a no-wait retry policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kpiguard.alerts.transport import RetryPolicy
from tests.alerts.receiver import Receiver, start


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = start()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def waits() -> list[float]:
    """The back-off waits a delivery asked for (recorded instead of slept)."""
    return []


@pytest.fixture
def policy(waits: list[float]) -> RetryPolicy:
    return RetryPolicy(attempts=3, timeout=2.0, backoff=0.5, sleep=waits.append)
