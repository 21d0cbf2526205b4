"""Write kpiguard's own templates (product costs, FX rates, reviews, CS events), English or Chinese.

CSV files are UTF-8 with a BOM, so Excel on a Chinese or English Windows opens them correctly;
XLSX files hold text cells. ``write_examples`` renders the example files shipped in
docs/templates/ (a test fails when they drift from this code).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kpiguard.reportgen.model import FxRate, Product, ReviewSnapshot, ServiceEvent
from kpiguard.reportgen.sheets import save_cells

HEADERS = {
    "product_costs": {"en": ["sku", "valid_from", "currency", "unit_cost", "first_leg"],
                      "zh": ["SKU", "生效日期", "币种", "采购成本", "头程成本"]},
    "fx_rates": {"en": ["date", "from_currency", "to_currency", "rate", "rate_table"],
                 "zh": ["日期", "原币", "目标币", "汇率", "汇率表"]},
    "reviews": {"en": ["date", "asin", "sku", "review_count", "avg_rating"],
                "zh": ["日期", "ASIN", "SKU", "评论数", "平均评分"]},
    "cs_events": {"en": ["event_id", "order_id", "kind", "occurred_at", "status", "detail"],
                  "zh": ["事件编号", "订单号", "类型", "发生时间", "状态", "详情"]},
}
CS_KIND_ZH = {"a_to_z_claim": "A-to-Z索赔", "negative_feedback": "差评", "chargeback": "拒付", "complaint": "投诉"}


def save(path: Path, cells: list[list[str]], fmt: str = "csv") -> Path:
    """UTF-8 with a BOM, so Excel on a Chinese or English Windows opens it correctly."""
    return save_cells(path, cells, fmt, "utf-8-sig", "\n")


def write_product_costs(path: Path, products: list[Product], valid_from: date, currency: str,
                        lang: str = "en", fmt: str = "csv") -> Path:
    rows = [[p.sku, valid_from.isoformat(), currency, f"{p.unit_cost:.2f}", f"{p.first_leg:.2f}"]
            for p in products]
    return save(path, [HEADERS["product_costs"][lang], *rows], fmt)


def write_fx_rates(path: Path, rates: list[FxRate], lang: str = "en", fmt: str = "csv",
                   rate_table: str = "") -> Path:
    rows = [[r.day.isoformat(), r.from_currency, r.to_currency, str(r.rate), rate_table] for r in rates]
    return save(path, [HEADERS["fx_rates"][lang], *rows], fmt)


def write_reviews(path: Path, snapshots: list[ReviewSnapshot], lang: str = "en", fmt: str = "csv") -> Path:
    rows = [[s.day.isoformat(), s.product.asin, s.product.sku, str(s.review_count), str(s.avg_rating)]
            for s in snapshots]
    return save(path, [HEADERS["reviews"][lang], *rows], fmt)


def write_cs_events(path: Path, events: list[ServiceEvent], lang: str = "en", fmt: str = "csv",
                    tz: str = "UTC") -> Path:
    """``occurred_at`` as local time in ``tz`` without an offset, as a person would type it."""
    rows = [[e.event_id, e.order_id, CS_KIND_ZH[e.kind] if lang == "zh" else e.kind,
             e.occurred_at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S"), e.status, e.detail]
            for e in events]
    return save(path, [HEADERS["cs_events"][lang], *rows], fmt)


def write_examples(folder: Path) -> list[Path]:
    """The example templates of docs/templates/, in English and Chinese."""
    folder.mkdir(parents=True, exist_ok=True)
    bottle = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle", unit_cost=Decimal("4.40"),
                     first_leg=Decimal("1.00"))
    brush = Product("BRUSH-01", "B0D4BRUSH1", "Bottle Brush", unit_cost=Decimal("0.85"), first_leg=Decimal("0.20"))
    rates = [FxRate(date(2026, 3, 2), "USD", "CNY", Decimal("7.1865")),
             FxRate(date(2026, 3, 2), "EUR", "CNY", Decimal("7.7712"))]
    reviews = [ReviewSnapshot(date(2026, 3, 31), bottle, 128, Decimal("4.6")),
               ReviewSnapshot(date(2026, 3, 31), brush, 17, Decimal("4.2"))]
    events = [ServiceEvent("CS-0001", "114-3941689-8772232", "negative_feedback",
                           datetime(2026, 3, 6, 10, 15, tzinfo=ZoneInfo("America/Los_Angeles")), "open",
                           "leaking lid")]
    out = []
    for lang in ("en", "zh"):
        out.append(write_product_costs(folder / f"product_costs.{lang}.csv", [bottle, brush], date(2026, 3, 1),
                                       "USD", lang))
        out.append(write_fx_rates(folder / f"fx_rates.{lang}.csv", rates, lang))
        out.append(write_reviews(folder / f"reviews.{lang}.csv", reviews, lang))
        out.append(write_cs_events(folder / f"cs_events.{lang}.csv", events, lang, tz="America/Los_Angeles"))
    return out
