"""Plan templates (方案模板): one per cooperation mode and store stage, shipped as YAML.

A template is a plan without the parts only a real contract has: the plan id, the two parties,
the stores, the currency and the period, and with its history-based targets left null. The
KPI mix follows the stage (a new store weighs sell-through and review progress, a growth store
GMV and ROAS under guardrails, a mature store profit, inventory turnover and LTV) and the terms
follow the mode (who does the work, fees, hand-over at exit). ``instantiate`` adds the missing
parts; ``plans/suggest.py`` then fills the targets from the store's own history.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError

from kpiguard.errors import Finding, InputError, InternalError, NotFoundError
from kpiguard.plans.model import Party, Period, Plan

MODES: tuple[str, ...] = ("full_service", "coaching", "training", "in_house")
STAGES: tuple[str, ...] = ("new", "growth", "mature")


@dataclass(frozen=True)
class Template:
    key: str  # mode/stage, e.g. full_service/growth
    mode: str
    stage: str
    body: dict[str, Any]  # the YAML as loaded
    text: str  # the YAML as shipped, comments included

    def title(self, lang: str = "en") -> str:
        title = self.body.get("title") or {}
        return str(title.get("zh-CN" if lang.lower().startswith("zh") else "en", self.key))


def available() -> list[str]:
    """Every shipped template that exists, mode-major (full_service/new, full_service/growth ...)."""
    root = resources.files("kpiguard.plans").joinpath("templates")
    return [f"{m}/{s}" for m in MODES for s in STAGES if root.joinpath(m, f"{s}.yaml").is_file()]


@cache
def load(key: str) -> Template:
    mode, _, stage = key.partition("/")
    if key not in available():
        raise NotFoundError(f"no plan template {key!r} / 没有方案模板 {key!r}", [Finding(
            "template.unknown", f"unknown template {key!r}", column="--template",
            hint="one of: " + ", ".join(available()))])
    text = resources.files("kpiguard.plans").joinpath("templates", mode, f"{stage}.yaml").read_text(encoding="utf-8")
    body = yaml.safe_load(text)
    if not isinstance(body, dict) or body.get("cooperation_mode") != mode or body.get("stage") != stage:
        raise InternalError(f"template {key} does not declare cooperation_mode {mode} and stage {stage}")
    return Template(key, mode, stage, body, text)


def instantiate(template: Template, plan_id: str, seller: str, provider: str, stores: list[str],
                period: Period, currency: str) -> Plan:
    """The template as a plan for these parties, stores and period (targets still as shipped)."""
    data = {
        "plan_id": plan_id,
        "seller": Party(name=seller, kind="seller").model_dump(),
        "provider": Party(name=provider, kind="in_house" if template.mode == "in_house" else "agency").model_dump(),
        "stores": list(stores),
        "currency": currency,
        "period": period.model_dump(),
        **template.body,
    }
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        if any(e["loc"] and e["loc"][0] == "plan_id" for e in exc.errors()):
            raise InputError(f"{plan_id!r} cannot be a plan id / 无效的方案编号", [Finding(
                "plan.id", "a plan id is lower-case letters, digits, - and _ (at most 63)", column="--id",
                value=plan_id, hint="e.g. acme-us-2026q4")]) from exc
        raise InternalError(f"shipped template {template.key} does not make a valid plan: {exc}") from exc
