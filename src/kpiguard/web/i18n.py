"""Every label a page shows, in English and zh-CN (the glossary's words: ../shared/GLOSSARY.md).

Pages call ``t(key)`` with the user's language; a missing key is a bug caught by the test that
renders every page in both languages and looks for raw keys.
"""

from __future__ import annotations

LANGS = ("zh-CN", "en")

LABELS: dict[str, tuple[str, str]] = {  # key: (en, zh-CN)
    "app": ("kpiguard", "kpiguard 考核守护"),
    "portfolio": ("Portfolio", "总览"),
    "stores": ("Stores", "店铺"),
    "store": ("Store", "店铺"),
    "platform": ("Platform", "平台"),
    "marketplace": ("Marketplace", "站点"),
    "currency": ("Currency", "币种"),
    "plans": ("KPI plans", "考核方案"),
    "plan": ("KPI plan", "考核方案"),
    "status": ("Status", "状态"),
    "period": ("Period", "考核周期"),
    "score": ("Score", "得分"),
    "total": ("Total score", "总分"),
    "total_unadjusted": ("Unadjusted total", "调整前总分"),
    "weighted_total": ("Weighted points", "加权得分"),
    "kpi": ("KPI", "考核指标"),
    "metric": ("Metric", "指标"),
    "actual": ("Actual", "实际值"),
    "target": ("Target", "目标值"),
    "floor": ("Minimum", "底线值"),
    "stretch": ("Stretch", "挑战值"),
    "weight": ("Weight", "权重"),
    "attainment": ("Attainment", "达成率"),
    "points": ("Points", "得分"),
    "owner": ("Owner role", "责任岗位"),
    "guardrail": ("Guardrail metric", "风控指标"),
    "guardrails": ("Guardrails", "风控指标"),
    "limit": ("Limit", "限值"),
    "breached": ("Breached", "已触发"),
    "effect": ("Effect", "后果"),
    "adjustment": ("KPI adjustment", "KPI调整"),
    "adjustments": ("Adjustments", "KPI调整"),
    "unadjusted": ("Unadjusted", "调整前"),
    "adjusted": ("Adjusted", "调整后"),
    "roles": ("Role sub-scores", "岗位得分"),
    "event": ("Force-majeure event", "不可抗力事件"),
    "events": ("Force-majeure events", "不可抗力事件"),
    "pacing": ("Pacing", "进度追踪"),
    "alerts": ("Alerts", "预警"),
    "settlement": ("Settlement", "结算"),
    "definition_set": ("Definition set", "统计口径"),
    "definitions": ("Metric definitions", "指标口径"),
    "imports": ("Imports", "数据导入"),
    "reconcile": ("Reconciliation", "对账"),
    "audit": ("Audit log", "审计日志"),
    "drilldown": ("Rows behind the number", "数据溯源"),
    "raw_files": ("Raw files", "原始文件"),
    "rows": ("Rows", "明细行"),
    "formula": ("Formula", "公式"),
    "trend": ("Trend", "趋势"),
    "provisional": ("provisional", "暂定"),
    "final": ("final", "最终"),
    "green": ("on track", "正常"),
    "amber": ("at risk", "关注"),
    "red": ("off track", "落后"),
    "grey": ("no score", "暂无评分"),
    "sign_in": ("Sign in", "登录"),
    "sign_out": ("Sign out", "退出"),
    "email": ("E-mail", "邮箱"),
    "password": ("Password", "密码"),
    "language": ("Language", "语言"),
    "switch_lang": ("中文", "English"),
    "bonus_void": ("bonus void", "取消奖金"),
    "no_data": ("no data", "无数据"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "open": ("Open", "打开"),
    "explain": ("Explain", "溯源"),
    "snapshot": ("Data snapshot", "数据快照"),
    "missing": ("No data for", "无数据"),
    "caused_by": ("miss caused by late delivery from", "未达标系以下岗位延误导致"),
    "counted_for": ("counted for", "计入"),
    "days_excluded": ("days excluded", "剔除天数"),
    "gmv": ("GMV", "销售额 (GMV)"),
    "operations": ("operations", "运营"),
    "advertising": ("advertising", "广告"),
    "design": ("design", "美工"),
    "customer_service": ("customer service", "客服"),
    "supply_chain": ("supply chain", "供应链"),
    "seller": ("seller", "卖家"),
    "provider": ("agency", "服务商"),
    "not_found": ("Not found", "未找到"),
    "forbidden": ("Not allowed", "无权访问"),
    "no_plans": ("No plan you may see yet.", "暂无可查看的考核方案。"),
    "latest_month": ("Latest month", "最近月份"),
}


def t(key: str, lang: str) -> str:
    en, zh = LABELS.get(key, (key, key))
    return zh if lang.lower().startswith("zh") else en


def normalize(lang: str | None) -> str:
    return "en" if lang and lang.lower().startswith("en") else "zh-CN"
