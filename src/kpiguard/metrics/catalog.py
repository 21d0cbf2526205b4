"""The metric catalog: measures (aggregates over one table) and metrics (formulas over measures).

Loaded from ``catalog.yaml`` and validated by small rules that collect issues instead of raising
on the first (metricflow's habit): unknown tables, formulas naming unknown keys, cycles.
"""

from __future__ import annotations

import ast
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from kpiguard.canonical import TABLES
from kpiguard.errors import Finding, InternalError

Unit = Literal["money", "count", "ratio", "days", "rating"]


class Localized(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    en: str
    zh: str = Field(alias="zh-CN")

    def get(self, lang: str) -> str:
        return self.zh if lang.lower().startswith("zh") else self.en


class Measure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = ""
    table: str
    agg: str
    value: str
    money: bool = False
    rows: str
    date: str
    formula: str

    @property
    def custom(self) -> str | None:
        return self.agg.removeprefix("custom:") if self.agg.startswith("custom:") else None


class Metric(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str
    name: Localized
    unit: Unit
    direction: Literal["higher", "lower"]
    kind: Literal["result", "process", "guardrail"]
    formula: str
    description: Localized

    def measures(self) -> set[str]:
        return formula_names(self.formula)


class Catalog(BaseModel):
    measures: dict[str, Measure]
    metrics: list[Metric]

    def metric(self, key: str) -> Metric:
        for m in self.metrics:
            if m.key == key:
                return m
        raise KeyError(key)

    def keys(self) -> list[str]:
        return [m.key for m in self.metrics]


def formula_names(formula: str) -> set[str]:
    tree = ast.parse(formula, mode="eval")
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def check(catalog: Catalog) -> list[Finding]:
    """Every rule, every problem; an empty list means the catalog is sound."""
    problems: list[Finding] = []
    for key, m in catalog.measures.items():
        if m.table != "none" and m.table not in TABLES:
            problems.append(Finding("catalog.table", f"measure {key} reads unknown table {m.table}",
                                    column=f"measures.{key}.table"))
    seen: set[str] = set()
    for metric in catalog.metrics:
        if metric.key in seen:
            problems.append(Finding("catalog.duplicate", f"metric {metric.key} is defined twice",
                                    column=f"metrics.{metric.key}"))
        seen.add(metric.key)
        try:
            names = metric.measures()
        except SyntaxError:
            problems.append(Finding("catalog.formula", f"metric {metric.key}: formula does not parse",
                                    column=f"metrics.{metric.key}.formula", value=metric.formula))
            continue
        for name in sorted(names - set(catalog.measures)):
            problems.append(Finding("catalog.unknown_measure", f"metric {metric.key} uses unknown measure {name}",
                                    column=f"metrics.{metric.key}.formula"))
    return problems


@cache
def load() -> Catalog:
    text = resources.files("kpiguard.metrics").joinpath("catalog.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    measures = {k: Measure(key=k, **v) for k, v in raw["measures"].items()}
    catalog = Catalog(measures=measures, metrics=[Metric(**m) for m in raw["metrics"]])
    problems = check(catalog)
    if problems:
        raise InternalError("the built-in metric catalog is inconsistent: " + "; ".join(p.message for p in problems))
    return catalog
