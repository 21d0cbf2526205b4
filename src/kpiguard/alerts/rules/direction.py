"""Which way is worse: "below" for a higher-is-better metric, "above" for a lower-is-better one."""

from __future__ import annotations

from decimal import Decimal

from kpiguard.alerts.model import Bilingual
from kpiguard.pacing.model import Direction


def worse(value: Decimal | None, bound: Decimal | None, direction: Direction) -> bool:
    """True when ``value`` is on the wrong side of ``bound``; unknown values are not worse."""
    if value is None or bound is None:
        return False
    return value < bound if direction == "higher" else value > bound


def side(direction: Direction) -> Bilingual:
    """The word for "on the wrong side of" the bound."""
    return Bilingual("below", "低于") if direction == "higher" else Bilingual("above", "高于")
