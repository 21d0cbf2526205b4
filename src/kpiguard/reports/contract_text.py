"""Every word of the contract document, in English and zh-CN, in one place.

Keeping the wording here (not in the builder or the template) lets a translator read the whole
contract side by side, and makes a missing translation a ``KeyError`` in the tests rather than a
silently English sentence in a Chinese contract. Labels follow ``GLOSSARY.md``.
"""

from __future__ import annotations

from decimal import Decimal

Pair = tuple[str, str]  # (English, 中文)


def is_zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


def pick(pair: Pair, lang: str) -> str:
    return pair[1] if is_zh(lang) else pair[0]


def t(key: str, lang: str, **values: object) -> str:
    """The sentence ``key`` in ``lang`` with ``{placeholders}`` filled in."""
    return pick(TEXT[key], lang).format(**values)


def label(group: str, value: str, lang: str) -> str:
    """A domain value (a role, an event, a table) in words; unknown values are shown as they are."""
    pair = LABELS[group].get(value)
    return pick(pair, lang) if pair else value


def join(items: list[str], lang: str) -> str:
    return ("、" if is_zh(lang) else ", ").join(items)


def semi(lang: str) -> str:
    """The separator between clauses of one cell."""
    return "；" if is_zh(lang) else "; "


def days(n: int | Decimal, lang: str) -> str:
    if is_zh(lang):
        return f"{n}天"
    return "1 day" if n == 1 else f"{n} days"


def number(value: Decimal) -> str:
    """A plain figure: thousands separated, at most 4 decimals, no trailing zeros (80, 1,234.5)."""
    q = value.quantize(Decimal("0.0001")).normalize()
    text = f"{q:,f}"
    return text


def fmt(value: Decimal | None, unit: str, currency: str, lang: str) -> str:
    """A target or limit in the metric's unit: money with currency, ratios as percentages."""
    if value is None:
        return t("not_set", lang)
    if unit == "money":
        return f"{number(value.quantize(Decimal('0.01')))} {currency}"
    if unit == "ratio":
        return f"{number(value * 100)}%"
    if unit == "days":
        return days(value.normalize(), lang)
    return number(value)


TEXT: dict[str, Pair] = {
    "title": ("KPI plan (contract)", "KPI考核方案（合同附件）"),
    "subtitle": ("{seller} and {provider} · plan {plan_id} · {start} to {end}",
                 "{seller} 与 {provider} · 方案 {plan_id} · {start} 至 {end}"),
    "not_set": ("not set", "未设定"),
    "not_agreed": ("Not agreed.", "未约定。"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    # section titles (the ids are the HTML anchors)
    "section.parties": ("Parties", "合作双方"),
    "section.scope": ("Cooperation, goal and scope", "合作模式、经营目标与范围"),
    "section.definitions": ("Definitions (definition set)", "统计口径"),
    "section.kpis": ("KPIs", "考核指标"),
    "section.guardrails": ("Guardrail metrics", "风控指标"),
    "section.scoring": ("Scoring rule and worked example", "计分规则与计算示例"),
    "section.review": ("Review cadence", "考核与复盘周期"),
    "section.adjustment": ("Adjustment for force majeure", "不可抗力与KPI调整"),
    "section.consequences": ("Consequences of a low score", "未达标处理"),
    "section.incentives": ("Fees and incentives", "服务费与激励"),
    "section.exit": ("Exit terms", "退出条款"),
    "section.raw-data": ("Access to raw data", "原始数据权限"),
    "section.signatures": ("Signatures", "签署"),
    # header
    "meta.plan_id": ("Plan", "方案编号"),
    "meta.version": ("Version", "版本"),
    "meta.status": ("Status", "状态"),
    "meta.hash": ("SHA-256 of the plan", "方案SHA-256"),
    "meta.generated": ("Definition set", "统计口径"),
    "draft": ("unsigned draft", "未签署草案"),
    # parties and scope
    "party.seller": ("Seller", "卖家（甲方）"),
    "party.provider": ("Provider (scored party)", "服务方（被考核方）"),
    "party.line": ("{name} ({kind}){contact}", "{name}（{kind}）{contact}"),
    "scope.mode": ("Cooperation mode", "合作模式"),
    "scope.goal": ("Business goal", "经营目标"),
    "scope.stage": ("Store stage", "业务阶段"),
    "scope.stores": ("Stores", "店铺"),
    "scope.currency": ("Currency of all amounts", "金额币种"),
    "scope.period": ("Plan period", "方案期限"),
    "scope.period_value": ("{start} to {end}", "{start} 至 {end}"),
    "scope.scoring_period": ("Scoring period", "考核周期"),
    "scope.promises": ("Stated targets", "书面目标承诺"),
    # definitions
    "defs.intro": ("Every KPI is computed under definition set {set_key} ({title}). The set is pinned for "
                   "this plan: it cannot change while the plan runs; a change needs a new version of "
                   "the set and an amendment signed by both parties.",
                   "所有指标均按统计口径 {set_key}（{title}）计算。该口径在本方案期间锁定，不得修改；"
                   "如需变更，须发布新版本口径并由双方签署补充协议。"),
    "defs.day": ("What a day is", "“一天”的定义"),
    "defs.gmv": ("What GMV counts", "GMV计入范围"),
    "defs.cancelled": ("Cancelled orders", "已取消订单"),
    "defs.pending": ("Pending orders", "待处理订单"),
    "defs.b2b": ("Business (B2B) orders", "企业采购（B2B）订单"),
    "defs.refunds": ("Refunds", "退款"),
    "defs.attribution": ("Ad attribution", "广告归因"),
    "defs.fx": ("Currency conversion", "汇率折算"),
    "defs.traffic": ("Sessions", "访问量"),
    "defs.sources": ("Order sources", "订单数据来源"),
    "defs.provisional": ("When figures are final", "数据何时定稿"),
    "day.marketplace": ("the marketplace's local calendar day (US: Pacific Time, DE: Berlin, JP: Tokyo)",
                        "站点当地日历日（美国站为太平洋时间，德国站为柏林时间，日本站为东京时间）"),
    "day.zone": ("the calendar day in the {zone} time zone", "{zone} 时区的日历日"),
    "gmv.line": ("taken from the {source}; counts the item price{inc}; does not count {exc}.",
                 "取自{source}；计入商品金额{inc}；不计入{exc}。"),
    "gmv.none": ("nothing else", "其他项目"),
    "cancelled.exclude": ("cancelled order lines are not counted", "已取消的订单行不计入"),
    "cancelled.include": ("cancelled order lines are counted", "已取消的订单行计入"),
    "pending.exclude_unpriced": ("pending lines count once they carry a price; lines without a price do not",
                                 "待处理订单行有价格即计入，无价格的不计入"),
    "pending.exclude": ("pending order lines are not counted", "待处理订单行不计入"),
    "pending.include": ("pending order lines are counted", "待处理订单行计入"),
    "b2b.include": ("counted like any order", "与普通订单一样计入"),
    "b2b.exclude": ("not counted", "不计入"),
    "refunds.refund_date": ("a refund reduces the period in which it is paid (refund date), not the period of the order",
                            "退款计入退款发生的期间（按退款日期），而非原订单所在期间"),
    "refunds.order_period": ("a refund reduces the period of the original order, so a closed period can still change",
                             "退款冲减原订单所在期间，已结束的期间仍可能变动"),
    "attribution.line": ("an order counts as an ad sale if it follows an ad click within {windows}{capped}",
                         "广告点击后在归因窗口内产生的订单计为广告销售：{windows}{capped}"),
    "attribution.window": ("{ad_type} {days} days", "{ad_type} {days}天"),
    "attribution.capped": ("; ad sales are capped at GMV", "；广告销售额以GMV为上限"),
    "fx.daily": ("amounts in other currencies are converted into {currency} at the rate of each local day "
                 "(rate table {table}; a rate older than {age} days is not used)",
                 "其他币种金额按当地日期的当日汇率折算为{currency}（汇率表 {table}；超过{age}天的汇率不使用）"),
    "fx.monthly_average": ("amounts in other currencies are converted into {currency} at the month's average rate "
                           "(rate table {table}; a rate older than {age} days is not used)",
                           "其他币种金额按当月平均汇率折算为{currency}（汇率表 {table}；超过{age}天的汇率不使用）"),
    "traffic.store_if_present": ("store-level sessions where the report has them, otherwise the sum over products",
                                 "报表有店铺级会话数时取店铺级，否则按商品汇总"),
    "traffic.product": ("the sum of product-level sessions", "按商品级会话数汇总"),
    "sources.line": ("per store, the first of these sources that has orders is counted: {sources}",
                     "每个店铺按以下顺序取第一个有订单数据的来源：{sources}"),
    "provisional.line": ("a period's figures can still change for {items} after it ends; a score is final only then",
                         "期间结束后以下数据仍可能更新：{items}；此后得分方为最终结果"),
    "provisional.item": ("{table} {days}", "{table}{days}"),
    # KPIs
    "kpis.intro": ("Each KPI has one owner role, a formula from the metric catalog, a data source and an update "
                   "frequency. Targets are for each scoring period.",
                   "每项指标有唯一责任岗位、指标目录中的计算公式、数据来源与更新频率。目标值按每个考核周期计。"),
    "col.kpi": ("KPI", "考核指标"),
    "col.target": ("Target", "目标值"),
    "col.floor": ("Minimum", "底线值"),
    "col.stretch": ("Stretch", "挑战值"),
    "col.weight": ("Weight", "权重"),
    "col.owner": ("Owner", "责任岗位"),
    "col.limit": ("Limit", "限值"),
    "col.consequence": ("If breached", "超限后果"),
    "col.formula": ("Formula", "计算公式"),
    "col.exact": ("Formula (catalog)", "公式（指标目录）"),
    "col.measures": ("Measures", "度量定义"),
    "col.unit": ("Unit and direction", "单位与方向"),
    "col.source": ("Data source", "数据来源"),
    "col.frequency": ("Update frequency", "更新频率"),
    "col.kind": ("Kind", "指标类型"),
    "col.attribution": ("Attribution", "归因约定"),
    "col.depends": ("Depends on", "依赖事项"),
    "col.note": ("Note", "备注"),
    "col.below": ("Total score below", "总分低于"),
    "col.reduction": ("Base fee reduced by", "服务费扣减"),
    "col.min_score": ("Total score at least", "总分不低于"),
    "col.bonus": ("Share of bonus pool", "奖金池发放比例"),
    "col.role": ("Role", "签署方"),
    "col.name": ("Name", "签署人"),
    "col.signed_at": ("Signed at", "签署时间"),
    "col.hash": ("SHA-256 signed", "签署时的SHA-256"),
    "col.ledger": ("Ledger entry", "台账序号"),
    "col.check": ("Matches this document", "与本文件一致"),
    "col.step": ("Step", "步骤"),
    "col.calc": ("Calculation", "计算过程"),
    "col.result": ("Result", "结果"),
    "unit.direction": ("{unit}, {direction}", "{unit}，{direction}"),
    "weight.value": ("{w}%", "{w}%"),
    "source.missing": ("not stated; computed from the {tables}", "未约定；按{tables}计算"),
    "frequency.item": ("{table}: {freq}, can change for {days}", "{table}：{freq}，{days}内可能更新"),
    "frequency.item_final": ("{table}: {freq}", "{table}：{freq}"),
    "depends.line": ("{role}: {deliverable}{due} — {clause}", "{role}：{deliverable}{due}——{clause}"),
    "depends.due": (" by {due}", "（{due}前）"),
    # guardrails
    "guardrails.intro": ("Guardrail metrics protect the store's health: a breach limits the score whatever the other "
                         "KPIs achieve, so brushing or price dumping cannot pay.",
                         "风控指标保障店铺健康：一旦超限，无论其他指标完成如何，得分均受限，刷单或低价倾销无法获益。"),
    "guardrails.none": ("No guardrail metrics are agreed.", "未约定风控指标。"),
    "limit.lower": ("at most {v}", "不高于{v}"),
    "limit.higher": ("at least {v}", "不低于{v}"),
    "consequence.cap_total": ("total score capped at {cap} points", "总分以{cap}分封顶"),
    "consequence.void_bonus": ("no bonus for the period", "当期不发放奖金"),
    "consequence.penalty": ("{points} points deducted from the total", "总分扣减{points}分"),
    # scoring
    "scoring.curve": ("Each KPI earns points on a straight-line curve: {below} below the minimum, {floor} at the "
                      "minimum, {target} at the target, {stretch} at the stretch value, never more than {cap}. "
                      "Between these values points rise in a straight line. For a KPI where lower is better "
                      "(ACoS, refund rate) the same curve applies with the direction reversed.",
                      "每项指标按折线计分：低于底线值得{below}分，达到底线值得{floor}分，达到目标值得{target}分，"
                      "达到挑战值得{stretch}分，最高不超过{cap}分；两点之间按直线插值。"
                      "对越低越好的指标（如ACoS、退款率），方向相反，规则相同。"),
    "scoring.formula": ("points = {floor} + (actual − minimum) ÷ (target − minimum) × ({target} − {floor}) between "
                        "the minimum and the target",
                        "得分 = {floor} + (实际值 − 底线值) ÷ (目标值 − 底线值) × ({target} − {floor})（底线值与目标值之间）"),
    "scoring.total": ("Total score = Σ (weight × points) ÷ 100, then guardrails apply.",
                      "总分 = Σ（权重 × 得分）÷ 100，然后适用风控指标规则。"),
    "example.intro": ("Worked example ({metric}): the actual is halfway between the minimum and the target; every "
                      "other KPI is exactly at its target.",
                      "计算示例（{metric}）：实际值恰好位于底线值与目标值中间，其他指标均恰好达到目标值。"),
    "example.hypothetical": ("No KPI has both a minimum and a target, so the example uses a minimum of 80 and a "
                             "target of 100.", "没有同时设定底线值与目标值的指标，示例按底线值80、目标值100计算。"),
    "step.actual": ("Actual", "实际值"),
    "step.points": ("Points of {metric}", "{metric}得分"),
    "step.weighted": ("Weighted points of {metric}", "{metric}加权得分"),
    "step.others": ("Other KPIs at target", "其他指标（达到目标）"),
    "step.total": ("Total score", "总分"),
    "step.fee": ("Base fee", "服务费"),
    "step.bonus": ("Bonus", "奖金"),
    "step.breach": ("If {metric} breaches its limit", "若{metric}超限"),
    "step.breach_fee": ("Base fee after the breach", "超限后服务费"),
    "step.breach_bonus": ("Bonus after the breach", "超限后奖金"),
    "calc.actual": ("({floor} + {target}) ÷ 2", "({floor} + {target}) ÷ 2"),
    "calc.others": ("{w} × {points} ÷ 100", "{w} × {points} ÷ 100"),
    "calc.fee": ("{base} − {base} × {pct}%", "{base} − {base} × {pct}%"),
    "calc.bonus": ("{pool} × {pct}%", "{pool} × {pct}%"),
    # review, adjustment
    "review.line": ("The parties hold a formal review (复盘) {cadence}: actuals against targets, pace to the end "
                    "of the period, causes of any gap, and agreed actions with owners and dates.",
                    "双方{cadence}召开一次正式复盘会：对照目标检查实际完成、至期末的进度预测、偏差原因，并确定行动项、责任人与完成日期。"),
    "review.scoring": ("Scores are computed {period}.", "得分{period}计算。"),
    "review.final": ("A period's score is final {days} after the period ends, when its slowest data source "
                     "({table}) can no longer change; until then it is provisional.",
                     "期间结束{days}后（最慢的数据来源“{table}”不再更新时）得分定稿；此前为暂定得分。"),
    "adjustment.none": ("No adjustment clause: force-majeure events do not change targets.",
                        "未约定调整条款：不可抗力事件不调整目标。"),
    "adjustment.events": ("Events that allow an adjustment", "可申请调整的事件"),
    "adjustment.method": ("How the KPI is adjusted", "调整方式"),
    "adjustment.approval": ("Who approves", "审批"),
    "adjustment.max": ("Limit per scoring period", "每个考核周期上限"),
    "adjustment.unlimited": ("no limit", "不设上限"),
    "adjustment.record": ("Every event is logged with evidence (dates, platform notices) before it is used; an "
                          "adjustment is recorded in the ledger and shown on the scorecard.",
                          "每个事件须附证据（日期、平台通知）登记后方可使用；调整记录写入台账并在计分卡中显示。"),
    # consequences, incentives
    "consequences.none": ("No fee consequences are agreed for a low score.", "未约定低分对应的服务费扣减。"),
    "consequences.rule": ("Where several steps apply, the largest reduction is used.",
                          "同时满足多档时，按扣减比例最高的一档执行。"),
    "incentives.base_fee": ("Base fee per scoring period", "每个考核周期服务费（保底）"),
    "incentives.pool": ("Bonus pool per scoring period", "每个考核周期奖金池"),
    "incentives.tiers_rule": ("The highest tier reached is paid; below the lowest tier no bonus is paid.",
                              "按达到的最高档发放；低于最低档不发奖金。"),
    "incentives.commission": ("Commission", "提成"),
    "incentives.commission_line": ("{rate}% of {base} above {threshold}{cap}", "{base}超过{threshold}部分的{rate}%{cap}"),
    "incentives.commission_cap": (", at most {cap} per period", "，每期最高{cap}"),
    "incentives.no_commission": ("none", "无"),
    "incentives.clawback": ("Clawback", "追回"),
    "incentives.clawback_line": ("bonus and commission on sales refunded within {n} days are paid back",
                                 "{n}天内发生退款的销售所对应的奖金与提成须退回"),
    "incentives.no_clawback": ("none", "无"),
    # exit, raw data, signatures
    "exit.notice": ("Notice period", "提前通知期"),
    "exit.handover": ("Data and account handover", "数据与账号交接"),
    "exit.early": ("Early exit", "提前终止"),
    "raw.access": ("Seller keeps access to the raw data at all times", "卖家始终保留原始数据访问权限"),
    "raw.how": ("How", "方式"),
    "raw.ledger": ("Every imported file is kept with its SHA-256 in a hash-chained ledger; either party can run "
                   "“kpiguard verify” to prove no figure was altered.",
                   "每个导入文件连同其SHA-256保存在哈希链台账中；任一方均可运行“kpiguard verify”证明数据未被篡改。"),
    "sign.hash": ("SHA-256 of this plan's canonical form: {hash}", "本方案规范文本的SHA-256：{hash}"),
    "sign.draft": ("Unsigned draft: this document binds no one until both parties sign the plan in kpiguard.",
                   "未签署草案：双方在kpiguard中签署前，本文件不具约束力。"),
    "sign.missing": ("Not yet signed by: {roles}. The plan binds only when both parties have signed.",
                     "尚未签署：{roles}。双方均签署后方案方生效。"),
    "sign.ok": ("yes", "一致"),
    "sign.differs": ("NO — signed a different text", "不一致——签署的是另一版本"),
}

LABELS: dict[str, dict[str, Pair]] = {
    "role": {"operations": ("operations", "运营"), "advertising": ("advertising", "广告"),
             "design": ("design", "美工"), "customer_service": ("customer service", "客服"),
             "supply_chain": ("supply chain", "供应链")},
    "party": {"seller": ("seller", "卖家"), "agency": ("operating agency", "服务商"),
              "in_house": ("in-house team", "自建团队"), "provider": ("provider", "服务方")},
    "mode": {"full_service": ("full-service agency (代运营)", "代运营"), "coaching": ("coaching (陪跑)", "陪跑"),
             "training": ("training", "培训"), "in_house": ("in-house team", "自建团队")},
    "goal": {"fast_growth": ("fast growth", "快速起量"), "hero_product": ("build a hero product", "打造爆款"),
             "profit": ("profit", "提升利润"), "compliance_stability": ("compliance and stability", "合规稳定")},
    "stage": {"new": ("new store", "新店期"), "growth": ("growth", "成长期"), "mature": ("mature", "成熟期")},
    "cadence": {"weekly": ("every week", "每周"), "monthly": ("every month", "每月"),
                "quarterly": ("every quarter", "每季度")},
    "scoring_period": {"month": ("for each calendar month", "按自然月"), "quarter": ("for each quarter", "按季度")},
    "event": {"stockout": ("stockout", "断货"), "account_suspension": ("account suspension", "封号"),
              "platform_outage": ("platform outage", "平台故障"), "major_holiday": ("major holiday", "重大节日"),
              "policy_change": ("platform policy change", "平台政策变化")},
    "method": {"exclude_days": ("the affected days are left out of the KPI's period", "剔除受影响天数后计算"),
               "prorate_target": ("the target is reduced in proportion to the affected days", "按受影响天数等比例调减目标"),
               "rebaseline": ("a new target is agreed from the situation after the event", "按事件后的情况重新约定目标")},
    "approval": {"both": ("both parties in writing", "双方书面确认"), "seller": ("the seller", "卖家确认"),
                 "agency": ("the agency", "服务商确认")},
    "commission_base": {"net_sales": ("net sales", "净销售额"), "gmv": ("GMV", "销售额 (GMV)"),
                        "net_profit": ("net profit", "净利润"), "gross_profit": ("gross profit", "毛利润")},
    "unit": {"money": ("money", "金额"), "count": ("count", "数量"), "ratio": ("ratio", "比率"),
             "days": ("days", "天数"), "rating": ("star rating", "星级")},
    "direction": {"higher": ("higher is better", "越高越好"), "lower": ("lower is better", "越低越好")},
    "kind": {"result": ("result", "结果指标"), "process": ("process", "过程指标"), "quality": ("work quality", "质量指标"),
             "guardrail": ("guardrail", "风控指标")},
    "clause": {"exclude_late_days": ("late days are left out of the owner's score", "延误天数不计入责任人考核"),
               "shift_to_dependency": ("a miss caused by the delay is attributed to that role", "因延误造成的未达标归责于该岗位"),
               "note_only": ("recorded, no effect on the score", "仅记录，不影响得分")},
    "status": {"draft": ("draft", "草案"), "proposed": ("proposed for signature", "待签署"),
               "signed": ("signed", "已签署"), "active": ("in force", "生效中"),
               "superseded": ("superseded by a later version", "已被新版本替代"), "closed": ("closed", "已关闭")},
    "gmv_source": {"orders": ("order reports", "订单报表"), "settlement": ("settlement reports (order principal)",
                                                                          "结算报表（订单本金）")},
    "gmv_part": {"tax": ("tax", "税费"), "shipping": ("shipping", "运费"), "gift_wrap": ("gift wrap", "礼品包装费")},
    "table": {"order_lines": ("order reports", "订单报表"), "refunds": ("refund and return reports", "退款退货报表"),
              "traffic": ("traffic (business) reports", "流量报表"), "ad_performance": ("advertising reports", "广告报表"),
              "fees": ("settlement and transaction reports", "结算与交易报表"),
              "inventory_snapshots": ("inventory reports", "库存报表"),
              "product_costs": ("product cost table (seller-supplied)", "商品成本表（卖家提供）"),
              "fx_rates": ("exchange-rate table", "汇率表"), "reviews": ("review snapshots", "评论快照"),
              "cs_events": ("customer-service events (claims, feedback, chargebacks)", "客服事件（索赔、差评、拒付）")},
    # how often each source publishes new figures (the plan's data import follows it)
    "frequency": {"order_lines": ("daily", "每日"), "refunds": ("daily", "每日"), "traffic": ("daily", "每日"),
                  "ad_performance": ("daily", "每日"), "fees": ("every 14 days (settlement cycle)", "每14天（结算周期）"),
                  "inventory_snapshots": ("daily", "每日"), "product_costs": ("when costs change", "成本变动时"),
                  "fx_rates": ("daily", "每日"), "reviews": ("weekly", "每周"), "cs_events": ("daily", "每日")},
}

# Plain names for the catalog's measures, so a formula reads "GMV amount − refunds" in words.
MEASURES: dict[str, Pair] = {
    "gmv_amount": ("GMV amount", "商品销售额"), "promotion_discount_amount": ("promotion discounts", "促销折扣"),
    "units_count": ("units", "销量"), "orders_count": ("orders", "订单数"), "buyers_count": ("buyers", "买家数"),
    "repeat_buyers_count": ("repeat buyers", "复购买家数"), "skus_sold_count": ("SKUs sold", "动销SKU数"),
    "cogs_amount": ("cost of goods", "商品成本"), "refund_amount": ("refunds", "退款金额"),
    "refund_units_count": ("units refunded", "退款件数"), "return_units_count": ("units returned", "退货件数"),
    "sessions_count": ("sessions", "会话数"), "page_views_count": ("page views", "页面浏览量"),
    "impressions_count": ("ad impressions", "广告曝光量"), "clicks_count": ("ad clicks", "广告点击量"),
    "ad_spend_amount": ("ad spend", "广告花费"), "ad_sales_amount": ("ad sales", "广告销售额"),
    "ad_orders_count": ("ad orders", "广告订单数"), "platform_fees_amount": ("platform fees", "平台费用"),
    "settlement_principal_amount": ("settlement principal", "结算本金"), "complaints_count": ("complaints", "投诉数"),
    "defect_orders_count": ("orders with a defect", "缺陷订单数"),
    "inventory_unit_days": ("inventory unit-days", "库存件·天"), "stockout_sku_days": ("stockout SKU-days", "断货SKU天数"),
    "tracked_sku_days": ("tracked SKU-days", "跟踪SKU天数"), "listed_skus_count": ("SKUs listed", "在售SKU数"),
    "review_gain_count": ("new reviews", "新增评论数"), "rating_weighted_avg": ("weighted average rating", "加权平均评分"),
}
