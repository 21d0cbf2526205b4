"""PL003 every KPI has a catalog metric, a number and a data source; promises carry numbers (避坑3).

Pitfall 3: vague targets. "大幅提升曝光" / "greatly improve exposure" cannot be scored; it must
become "organic_sales_share >= 0.40" (自然流量占比提升至40%以上). A KPI is only a term of the
contract when its metric has one definition (the catalog), a target, and a data source both
parties can open.

Severity: **error** for a KPI without a target, a metric the catalog does not know, and a
free-text promise without a quantity in either language: the plan cannot be scored as written.
**warning** for a missing data source: the number can be computed, but the parties have not
agreed where it is read (platform back end, ERP, ad reports), which is where disputes start.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.lint.wording import metric_name
from kpiguard.plans.model import Kpi

CODE = "PL003"
# digits (also full-width), Chinese numerals with a unit (四成, 两倍, 百分之四十), doubling words
QUANTITY = re.compile(
    r"[0-9０-９]|百分之|[零一二两三四五六七八九十百千万]+\s*(?:成|倍|万|千|个百分点|%|％)|翻一?番|翻倍"
    r"|\b(?:double|triple|twice|half)\b", re.IGNORECASE)


# dates and durations are numbers but not quantities: "greatly improve exposure by 2027-03"
# and "3个月内大幅提升曝光" promise nothing measurable
WHEN = re.compile(
    r"[0-9]{4}\s*[-/.年]\s*[0-9]{1,2}(?:\s*[-/.月]\s*[0-9]{1,2}\s*日?)?\s*月?|[0-9]{4}\s*年|\b(?:19|20)[0-9]{2}\b"
    r"|\bQ[1-4]\b|[0-9]+\s*(?:个月|月|周|天|日|months?|weeks?|days?)", re.IGNORECASE)


def has_quantity(text: str) -> bool:
    """"organic share >= 40%" and "自然流量占比提升至四成" have one; "大幅提升曝光" and
    "greatly improve exposure by 2027-03" have none."""
    return bool(QUANTITY.search(WHEN.sub(" ", text)))


def _kpi_findings(ctx: LintContext, i: int, kpi: Kpi) -> Iterator[PlanFinding]:
    known = ctx.catalog.keys()
    if kpi.metric not in known:
        close = difflib.get_close_matches(kpi.metric, known, n=1)
        maybe_en, maybe_zh = (f" (did you mean {close[0]}?)", f"（是否应为 {close[0]}？）") if close else ("", "")
        yield ctx.finding(
            CODE, "error", f"metric '{kpi.metric}' is not in the metric catalog{maybe_en}",
            f"指标“{kpi.metric}”不在指标目录中{maybe_zh}", f"kpis.{i}.metric",
            "use a key from `kpiguard metrics list`; every KPI needs one agreed definition",
            "请使用 `kpiguard metrics list` 中的指标键名，每个考核指标都须有唯一口径")
    if kpi.target is None:
        yield ctx.finding(
            CODE, "error", f"{metric_name(kpi.metric)} has no target: a KPI without a number cannot be scored",
            f"{metric_name(kpi.metric, 'zh')}没有目标值：没有数字的指标无法考核", f"kpis.{i}.target",
            "write the target (and floor and stretch) as numbers, e.g. target: 0.40",
            "用数字写明目标值（以及底线值、挑战值），例如 target: 0.40")
    if not kpi.data_source.strip():
        yield ctx.finding(
            CODE, "warning", f"{metric_name(kpi.metric)} has no data source",
            f"{metric_name(kpi.metric, 'zh')}未写明数据来源", f"kpis.{i}.data_source",
            "name the report it is read from, e.g. 'Seller Central All Orders report', 'LingXing profit report'",
            "写明取数的报表，例如“亚马逊后台 All Orders 订单报表”“领星利润报表”")


def _text_findings(ctx: LintContext, i: int, en: str, zh: str) -> Iterator[PlanFinding]:
    vague_en, vague_zh = bool(en.strip()) and not has_quantity(en), bool(zh.strip()) and not has_quantity(zh)
    if not (vague_en or vague_zh):
        return
    where = f"targets_text.{i}" if vague_en and vague_zh else f"targets_text.{i}.{'en' if vague_en else 'zh-CN'}"
    yield ctx.finding(
        CODE, "error", f"the promise '{en if vague_en else zh}' has no number and cannot be checked",
        f"承诺“{zh if vague_zh else en}”没有量化，无法考核", where,
        "state it as a metric and a number, e.g. 'organic_sales_share >= 0.40' instead of 'greatly improve exposure'",
        "改写为指标加数字，例如把“大幅提升曝光”写成“自然流量销售占比 ≥ 40%（organic_sales_share >= 0.40）”")


@rule(CODE)
def kpis_are_quantified(ctx: LintContext) -> Iterator[PlanFinding]:
    for i, kpi in enumerate(ctx.plan.kpis):
        yield from _kpi_findings(ctx, i, kpi)
    for i, text in enumerate(ctx.plan.targets_text):
        yield from _text_findings(ctx, i, text.en, text.zh)
