"""What a contract is built from, and the small helpers every contract section shares.

The builder takes plain values (a plan, its resolved definition set, the metric catalog, the
signatures) rather than a workspace, so a draft YAML on disk and a signed plan in the workspace
produce the document the same way, and the builder can be tested without a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kpiguard.canonical import TABLES
from kpiguard.metrics.catalog import Catalog, Metric
from kpiguard.metrics.definitions import DefinitionSet
from kpiguard.plans.model import Plan, Text
from kpiguard.reports import contract_text as tx


@dataclass(frozen=True)
class Signature:
    role: str  # seller | agency | in_house
    name: str
    signed_at: str  # ISO 8601 with offset
    plan_hash: str  # SHA-256 of the canonical form that was signed
    ledger_seq: int | None = None


@dataclass(frozen=True)
class ContractInput:
    plan: Plan
    definitions: DefinitionSet
    catalog: Catalog
    signatures: tuple[Signature, ...] = ()
    version: int | None = None
    status: str = "draft"


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Ctx:
    src: ContractInput
    lang: str

    @property
    def plan(self) -> Plan:
        return self.src.plan

    def t(self, key: str, **values: object) -> str:
        return tx.t(key, self.lang, **values)

    def label(self, group: str, value: str) -> str:
        return tx.label(group, value, self.lang)

    def text(self, value: Text) -> str:
        """A bilingual plan term in this language, falling back to the other one while drafting."""
        first, second = (value.zh, value.en) if tx.is_zh(self.lang) else (value.en, value.zh)
        return first or second

    def metric(self, key: str) -> Metric | None:
        try:
            return self.src.catalog.metric(key)
        except KeyError:
            return None

    def metric_name(self, key: str) -> str:
        m = self.metric(key)
        return m.name.get(self.lang) if m else key

    def fmt(self, value: Decimal | None, metric_key: str) -> str:
        m = self.metric(metric_key)
        return tx.fmt(value, m.unit if m else "count", self.plan.currency, self.lang)

    def money(self, value: Decimal) -> str:
        return tx.fmt(value, "money", self.plan.currency, self.lang)

    def measure_names(self, metric: Metric) -> list[str]:
        """The measures of a formula in the order they appear in it, each once."""
        seen: list[str] = []
        for name in _NAME.findall(metric.formula):
            if name in self.src.catalog.measures and name not in seen:
                seen.append(name)
        return seen

    def plain_formula(self, metric: Metric) -> str:
        """``gmv_amount - refund_amount`` as ``GMV amount − refunds`` in this language."""
        text = metric.formula.replace(" / ", " ÷ ").replace("*", "×").replace(" - ", " − ")
        return _NAME.sub(lambda m: tx.pick(tx.MEASURES[m.group(0)], self.lang) if m.group(0) in tx.MEASURES
                         else m.group(0), text)

    def tables(self, metric: Metric) -> list[str]:
        """The canonical tables a metric reads under this plan's definition set, in catalog order."""
        used: set[str] = set()
        for name in self.measure_names(metric):
            measure = self.src.catalog.measures[name]
            settled = name == "gmv_amount" and self.src.definitions.policies.gmv_source == "settlement"
            used.add("fees" if settled else measure.table)
            if measure.custom == "cogs":
                used.add("product_costs")
        return [t for t in TABLES if t in used]

    def restatement(self, table: str) -> int:
        return self.src.definitions.policies.restatement_days.get(table, 0)
