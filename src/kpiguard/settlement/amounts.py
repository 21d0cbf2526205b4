"""What a scored period pays: base fee less reductions, bonus by tier, commission, caps.

The rules, in the plan's words (``plan.incentives`` and ``plan.consequences``):

- base fee, reduced by the largest ``fee_reduction_pct`` of the consequence steps whose
  ``below_score`` the total is under (a total of 55 is below 60 and so on);
- bonus: the bonus pool times the ``bonus_pct`` of the highest tier whose ``min_score`` the total
  reaches; nothing if a guardrail with ``void_bonus`` was breached;
- commission: ``rate`` times the part of the base metric (net sales ...) above ``threshold``,
  at most ``cap``; on the whole period's money (events do not remove real sales);
- payable: base fee - reduction + bonus + commission, each rounded to the currency's minor unit.

All Decimal; a missing total (no KPI could be scored) pays the base fee only and says so.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kpiguard.money import exponent
from kpiguard.plans.model import Plan


def _money(value: Decimal, currency: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-exponent(currency)), rounding=ROUND_HALF_UP)


def amounts(plan: Plan, card: dict[str, Any]) -> dict[str, Any]:
    """The settlement lines of one scorecard (decimal strings in the plan's currency)."""
    inc, cur = plan.incentives, plan.currency
    total = Decimal(card["total"]) if card["total"] is not None else None
    notes: list[str] = []
    steps = [s for s in plan.consequences if total is not None and total < s.below_score]
    reduction_pct = max((s.fee_reduction_pct for s in steps), default=Decimal(0))
    reduction = _money(inc.base_fee * reduction_pct / 100, cur)
    tiers = [t for t in inc.tiers if total is not None and total >= t.min_score]
    tier = max(tiers, key=lambda t: t.min_score) if tiers else None
    bonus = _money(inc.bonus_pool * tier.bonus_pct / 100, cur) if tier else Decimal(0)
    if card["bonus_voided"] and bonus:
        notes.append("bonus void: a guardrail with void_bonus was breached / 风控指标触发，取消奖金")
        bonus = Decimal(0)
    if total is None:
        notes.append("no KPI could be scored: base fee only / 无可评分指标，仅付保底服务费")
    commission, base_value = Decimal(0), None
    if inc.commission and card.get("commission_base"):
        raw = card["commission_base"]["value"]
        base_value = Decimal(raw) if raw is not None else None
        if base_value is not None:
            commission = inc.commission.rate * max(base_value - inc.commission.threshold, Decimal(0))
            if inc.commission.cap is not None and commission > inc.commission.cap:
                notes.append(f"commission capped at {inc.commission.cap} / 提成封顶")
                commission = inc.commission.cap
            commission = _money(commission, cur)
    payable = _money(inc.base_fee, cur) - reduction + bonus + commission
    return {
        "currency": cur, "total": card["total"],
        "base_fee": str(_money(inc.base_fee, cur)),
        "fee_reduction_pct": str(reduction_pct), "fee_reduction": str(reduction),
        "bonus_tier": ({"min_score": str(tier.min_score), "bonus_pct": str(tier.bonus_pct)} if tier else None),
        "bonus_pool": str(_money(inc.bonus_pool, cur)), "bonus": str(bonus),
        "commission": ({"base": inc.commission.base, "base_value": None if base_value is None else str(base_value),
                        "rate": str(inc.commission.rate), "threshold": str(inc.commission.threshold),
                        "cap": None if inc.commission.cap is None else str(inc.commission.cap),
                        "amount": str(commission)} if inc.commission else None),
        "payable": str(payable), "notes": notes,
    }
