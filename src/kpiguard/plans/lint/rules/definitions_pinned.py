"""PL014 the definition set (统计口径) pinned by name and version.

Scenario 2: one metric, one definition. A plan names the definition set its numbers are
computed with, as ``name@version`` (standard@1); signing freezes that version, so a later change
of policy (refunds by refund date, 7- or 14-day attribution) cannot silently rewrite the score.

Severity: **error** when the set is empty or has no ``@version``: "standard" today may not be
"standard" at settlement, which is the very dispute the metric layer exists to prevent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule

CODE = "PL014"
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*@[0-9]+$")


@rule(CODE)
def definition_set_pinned(ctx: LintContext) -> Iterator[PlanFinding]:
    value = ctx.plan.definition_set.strip()
    if not PINNED.match(value):
        shown = value or "(empty)"
        yield ctx.finding(
            CODE, "error", f"definition set '{shown}' is not pinned to a version",
            f"统计口径“{value or '（空）'}”未锁定版本", "definition_set",
            "write name@version, e.g. definition_set: standard@1 (see kpiguard definitions list)",
            "写成“名称@版本”，例如 definition_set: standard@1（见 kpiguard definitions list）")
