"""The plan linter: one rule per module, each with a stable code, bilingual messages and the YAML
line it is about. Rules collect findings; nothing raises. ``lint`` runs every registered rule.

A rule is a function ``check(ctx) -> Iterable[PlanFinding]`` registered with ``@rule(code,
severity)``; built-in rules live in ``plans/lint/rules/`` and are imported here, exactly as a
plug-in's would be. Severity ``error`` blocks signing; ``warning`` and ``info`` do not.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Literal

from kpiguard.errors import Finding
from kpiguard.metrics import catalog as catalog_mod
from kpiguard.plans.io import Locations
from kpiguard.plans.model import Plan

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class PlanFinding:
    code: str
    severity: Severity
    en: str
    zh: str
    path: str = ""
    line: int | None = None
    hint_en: str = ""
    hint_zh: str = ""

    def message(self, lang: str = "en") -> str:
        return self.zh if lang.lower().startswith("zh") else self.en

    def to_finding(self, source: str, lang: str = "en") -> Finding:
        hint = self.hint_zh if lang.lower().startswith("zh") else self.hint_en
        return Finding(self.code, self.message(lang), self.severity, file=source, row=self.line,
                       column=self.path or None, hint=hint or None)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class LintContext:
    plan: Plan
    locations: Locations
    source: str = "plan.yaml"
    # metric key -> monthly values of the plan's stores before the plan starts (oldest first)
    history: dict[str, list[Decimal]] = field(default_factory=dict)

    @property
    def catalog(self) -> catalog_mod.Catalog:
        return catalog_mod.load()

    def finding(self, code: str, severity: Severity, en: str, zh: str, path: str = "",
                hint_en: str = "", hint_zh: str = "") -> PlanFinding:
        return PlanFinding(code, severity, en, zh, path, self.locations.line(path) if path else None,
                           hint_en, hint_zh)


Check = Callable[[LintContext], Iterable[PlanFinding]]
RULES: dict[str, Check] = {}


def rule(code: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        if code in RULES:
            raise ValueError(f"lint rule {code} registered twice")
        RULES[code] = fn
        return fn
    return register


def _load_builtin_rules() -> None:
    from kpiguard.plans.lint import rules

    for info in pkgutil.iter_modules(rules.__path__):
        importlib.import_module(f"{rules.__name__}.{info.name}")


def lint(ctx: LintContext) -> list[PlanFinding]:
    # always: importing one rule module directly (a test, a helper) must not hide the others;
    # a module already imported is not run again, so nothing registers twice
    _load_builtin_rules()
    found: list[PlanFinding] = []
    for code in sorted(RULES):
        found.extend(RULES[code](ctx))
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda f: (order[f.severity], f.line or 0, f.code))


def has_errors(findings: list[PlanFinding]) -> bool:
    return any(f.severity == "error" for f in findings)
