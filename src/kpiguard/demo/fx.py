"""Daily exchange rates for the workspace: each store currency to USD and to CNY.

A seller reports in USD or CNY, so every store currency needs both. Rates follow a small seeded
random walk around recent levels (about 0.3% a day), rounded as a bank's table would be.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from kpiguard.reportgen.model import FxRate

# USD per unit of each currency, where the walk starts
START_USD = {"EUR": 1.08, "JPY": 1 / 150.0, "PHP": 1 / 56.5, "GBP": 1.27, "CNY": 1 / 7.2}
DAILY_SIGMA = 0.003


def rates(start: date, end: date, seed: int) -> list[FxRate]:
    """EUR, JPY, PHP and GBP to USD and to CNY, and USD to CNY, for every day of [start, end]."""
    rng = random.Random(f"kpiguard-demo:{seed}:fx")
    level = {c: math.log(v) for c, v in START_USD.items()}
    out: list[FxRate] = []
    day = start
    while day <= end:
        for c in level:
            level[c] += rng.gauss(0, DAILY_SIGMA)
        usd = {c: math.exp(v) for c, v in level.items()}
        for c in ("EUR", "JPY", "PHP", "GBP"):
            out.append(FxRate(day, c, "USD", _rate(usd[c])))
            out.append(FxRate(day, c, "CNY", _rate(usd[c] / usd["CNY"])))
        out.append(FxRate(day, "USD", "CNY", _rate(1 / usd["CNY"])))
        day += timedelta(days=1)
    return out


def _rate(value: float) -> Decimal:
    return Decimal(f"{value:.8f}")
