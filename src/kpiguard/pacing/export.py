"""A pace report as plain JSON-ready data: decimals as strings, days as ISO dates, None as null.

``kpiguard pace --json`` prints it; the web app and webhooks can send the same object.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from decimal import Decimal
from typing import Any

from kpiguard.pacing.model import GuardrailPace, KpiPace, PaceReport


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _line(item: KpiPace | GuardrailPace) -> dict[str, Any]:
    return {k: _plain(v) for k, v in asdict(item).items()}


def to_dict(report: PaceReport) -> dict[str, Any]:
    skip = {"kpis", "guardrails", "daily", "data_through", "stores"}
    out: dict[str, Any] = {f.name: _plain(getattr(report, f.name)) for f in fields(report) if f.name not in skip}
    out["stores"] = list(report.stores)
    out["data_through"] = {s: _plain(d) for s, d in report.data_through.items()}
    out["kpis"] = [_line(k) for k in report.kpis]
    out["guardrails"] = [_line(g) for g in report.guardrails]
    out["daily"] = [{"store": store, "metric": metric, "values": [{"day": d.isoformat(), "value": str(v)} for d, v in days]}
                    for (store, metric), days in sorted(report.daily.items())]
    return out
