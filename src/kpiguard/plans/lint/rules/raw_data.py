"""PL009 the seller keeps access to the raw data (避坑9 保留原始数据权限).

Pitfall 9: even with a full-service agency, the seller must be able to open the platform back
end and its raw reports at any time; otherwise the agency's numbers cannot be checked (数据造假).

Severity: **error** when ``raw_data_access.seller_keeps_access`` is false: both parties must see
the same numbers from data neither can silently alter, which is the product's premise.
**warning** when access is kept but ``how`` is empty in both languages: "access" without a
named way (a read-only user, the report exports) is easily lost in practice.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule

CODE = "PL009"


@rule(CODE)
def seller_keeps_raw_data(ctx: LintContext) -> Iterator[PlanFinding]:
    access = ctx.plan.raw_data_access
    if not access.seller_keeps_access:
        yield ctx.finding(
            CODE, "error", "the seller does not keep access to the raw data: the agency's numbers cannot be checked",
            "卖家未保留原始数据权限：无法核查服务商提供的数据", "raw_data_access.seller_keeps_access",
            "set raw_data_access.seller_keeps_access: true and say how (read-only user, report downloads)",
            "设置 raw_data_access.seller_keeps_access: true，并写明方式（只读子账号、报表下载）")
    elif not (access.how.en.strip() or access.how.zh.strip()):
        yield ctx.finding(
            CODE, "warning", "the seller keeps raw-data access, but the plan does not say how",
            "卖家保留原始数据权限，但方案未写明方式", "raw_data_access",
            "fill raw_data_access.how, e.g. 'a read-only Seller Central user for the seller; daily report exports'",
            "填写 raw_data_access.how，例如“卖家保留亚马逊后台只读子账号；每日导出报表”")
