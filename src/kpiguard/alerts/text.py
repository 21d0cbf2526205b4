"""The words and number formats of alert texts, in English and zh-CN.

Labels follow the glossary (/work/shared/GLOSSARY.md: 底线值 floor, 目标值 target, 风控指标
guardrail, 店铺 store); metric names come from the metric catalog so an alert calls GMV what the
scorecard calls it. Numbers are formatted from Decimal, never through float.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kpiguard.alerts.model import Bilingual
from kpiguard.metrics import catalog

SEVERITY = {
    "critical": Bilingual("critical", "严重"),
    "warning": Bilingual("warning", "警告"),
    "info": Bilingual("info", "提示"),
}
WEEKDAY = [
    Bilingual("Monday", "周一"), Bilingual("Tuesday", "周二"), Bilingual("Wednesday", "周三"),
    Bilingual("Thursday", "周四"), Bilingual("Friday", "周五"), Bilingual("Saturday", "周六"),
    Bilingual("Sunday", "周日"),
]
UNKNOWN = Bilingual("n/a", "无")


def metric_name(key: str) -> Bilingual:
    """The catalog's name of a metric; its key when the catalog does not know it."""
    try:
        name = catalog.load().metric(key).name
    except KeyError:
        return Bilingual(key, key)
    return Bilingual(name.en, name.zh)


def metric_unit(key: str, default: str = "count") -> str:
    try:
        return catalog.load().metric(key).unit
    except KeyError:
        return default


def _grouped(value: Decimal, places: int) -> str:
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}"


def amount(value: Decimal | None, unit: str, currency: str) -> Bilingual:
    """A metric value as a person reads it: 12,345.60 USD, 12.35%, 1,234, 12.5 days."""
    if value is None:
        return UNKNOWN
    if unit == "money":
        text = f"{_grouped(value, 2)} {currency}"
        return Bilingual(text, text)
    if unit == "ratio":
        text = f"{_grouped(value * 100, 2)}%"
        return Bilingual(text, text)
    if unit == "days":
        n = _grouped(value, 1)
        return Bilingual(f"{n} days", f"{n}天")
    places = 0 if value == value.to_integral_value() else 2
    text = _grouped(value, places)
    return Bilingual(text, text)


def likelihood(p: Decimal | None) -> Bilingual:
    """A probability as a whole percent: 0.234 -> 23%."""
    if p is None:
        return UNKNOWN
    if 0 < p < Decimal("0.005"):
        return Bilingual("<1%", "<1%")  # "0%" would read as "impossible", which pacing did not say
    if Decimal("0.995") <= p < 1:
        return Bilingual(">99%", ">99%")
    text = f"{_grouped(p * 100, 0)}%"
    return Bilingual(text, text)


def zh_join(name: str, rest: str) -> str:
    """Chinese runs on without spaces; a space only after a Latin word: 销售额 (GMV) 预测, 转化率预测."""
    last = name[-1:]
    latin = last.isascii() and (last.isalnum() or last == ")")
    return f"{name} {rest}" if latin else f"{name}{rest}"


def period(start: date, end: date) -> str:
    return f"{start.isoformat()}..{end.isoformat()}"


def score(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
