"""Every word of the settlement statement (结算单), in English and zh-CN, in one place.

Like ``contract_text``: a translator reads the statement side by side here, and a missing
translation is a ``KeyError`` in the tests instead of an English line in a Chinese statement.
Labels follow ``GLOSSARY.md`` (结算, 保底服务费, 奖金, 提成, 风控指标, 统计口径 ...).
"""

from __future__ import annotations

from kpiguard.reports.contract_text import Pair, pick

TEXT: dict[str, Pair] = {
    "title": ("Settlement statement", "结算单"),
    "subtitle": ("{seller} and {provider} · plan {plan} v{version} · period {period}",
                 "{seller} 与 {provider} · 方案 {plan} 第{version}版 · 考核期 {period}"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "no_data": ("no data", "无数据"),
    "none": ("—", "—"),
    # sections
    "section.parties": ("Parties and period", "合作双方与考核期"),
    "section.score": ("Score", "考核得分"),
    "section.amounts": ("Amounts", "结算金额"),
    "section.true-up": ("True-up and clawback", "补付与追回"),
    "section.trace": ("How to trace these numbers", "数据溯源"),
    "section.signatures": ("Signatures", "签署确认"),
    # header
    "meta.plan": ("Plan", "方案编号"),
    "meta.version": ("Version", "版本"),
    "meta.period": ("Period", "考核期"),
    "meta.status": ("Status", "状态"),
    "meta.issued": ("Issued on", "出具日期"),
    "meta.seq": ("Statement no.", "结算单序号"),
    # parties and period
    "party.seller": ("Seller", "卖家（甲方）"),
    "party.provider": ("Provider (scored party)", "服务方（被考核方）"),
    "period.value": ("{period} ({start} to {end})", "{period}（{start} 至 {end}）"),
    "status.provisional": ("provisional", "暂定"),
    "status.final": ("final", "最终"),
    "status.provisional_note": (
        "Provisional: the period is still open to restatement (refunds and claims keep arriving). When the "
        "score becomes final a new statement is issued and the difference is trued up or clawed back.",
        "暂定：考核期数据仍可能更新（退款、索赔会陆续到达）。得分定稿后将重新出具结算单，差额予以补付或追回。"),
    "status.final_note": ("Final: the score is computed on a recorded data snapshot and will not change.",
                          "最终：得分基于已记录的数据快照计算，不再变动。"),
    # score
    "score.total": ("Total score (after adjustments and guardrails)", "总分（调整及风控后）"),
    "score.unadjusted": ("Total score without force-majeure adjustments", "未经不可抗力调整的总分"),
    "score.weighted": ("Weighted KPI points before guardrails", "风控前加权得分"),
    "score.definition_set": ("Definition set", "统计口径"),
    "score.bonus_voided": ("Bonus voided by a guardrail", "风控指标触发取消奖金"),
    "score.as_of": ("Data as of", "数据截至"),
    "score.not_scored": ("not scored", "未评分"),
    "col.kpi": ("KPI", "考核指标"),
    "col.weight": ("Weight", "权重"),
    "col.actual": ("Actual", "实际值"),
    "col.target": ("Target", "目标值"),
    "col.points": ("Points", "得分"),
    "col.guardrail": ("Guardrail metric", "风控指标"),
    "col.limit": ("Limit", "限值"),
    "col.breached": ("Breached", "是否超限"),
    "col.effect": ("Effect", "影响"),
    "effect.none": ("no effect (within the limit)", "无影响（未超限）"),
    "effect.unknown": ("no effect (no data to judge)", "无影响（无数据判断）"),
    # amounts
    "col.item": ("Item", "项目"),
    "col.how": ("How it was computed", "计算方式"),
    "col.amount": ("Amount ({currency})", "金额（{currency}）"),
    "item.base_fee": ("Base fee", "保底服务费"),
    "item.fee_reduction": ("Fee reduction", "服务费扣减"),
    "item.bonus": ("Bonus", "奖金"),
    "item.commission": ("Commission", "提成"),
    "item.payable": ("Payable for the period", "本期应付金额"),
    "recap.payable": ("Payable for the period ({currency})", "本期应付金额（{currency}）"),
    "how.base_fee": ("agreed base fee per scoring period", "每个考核周期约定的保底服务费"),
    "how.reduction": ("total {total} is below a consequence step: {base} × {pct}% = {amount}",
                      "总分 {total} 低于未达标处理档位：{base} × {pct}% = {amount}"),
    "how.no_reduction": ("total {total} is below no consequence step: no reduction",
                         "总分 {total} 未触发未达标处理：不扣减"),
    "how.no_total": ("no total score: base fee only", "无总分：仅付保底服务费"),
    "how.bonus": ("total {total} reaches the tier of {min_score} points: pool {pool} × {pct}% = {amount}",
                  "总分 {total} 达到 {min_score} 分档：奖金池 {pool} × {pct}% = {amount}"),
    "how.bonus_void": ("tier of {min_score} points reached (pool {pool} × {pct}%), but a guardrail that voids the "
                       "bonus was breached: {amount}",
                       "达到 {min_score} 分档（奖金池 {pool} × {pct}%），但触发了取消奖金的风控指标：{amount}"),
    "how.no_tier": ("total {total} reaches no bonus tier: no bonus", "总分 {total} 未达到任何奖金档位：无奖金"),
    "how.commission": ("{rate}% × ({base} {value} − threshold {threshold}) = {amount}",
                       "{rate}% ×（{base} {value} − 起提点 {threshold}）= {amount}"),
    "how.commission_below": ("{base} {value} is not above the threshold {threshold}: no commission",
                             "{base} {value} 未超过起提点 {threshold}：无提成"),
    "how.commission_capped": ("min({rate}% × ({base} {value} − threshold {threshold}), cap {cap}) = {amount}",
                              "min({rate}% ×（{base} {value} − 起提点 {threshold}），封顶 {cap}）= {amount}"),
    "how.commission_no_value": ("no {base} figure for the period: no commission", "本期无{base}数据：无提成"),
    "how.payable": ("{base} − {reduction} + {bonus} + {commission} = {payable}",
                    "{base} − {reduction} + {bonus} + {commission} = {payable}"),
    # true-up
    "col.kind": ("Kind", "类型"),
    "kind.true_up": ("true-up (owed to the provider)", "补付（应付服务方）"),
    "kind.clawback": ("clawback (owed back by the provider)", "追回（服务方应退回）"),
    "kind.none": ("no payment", "无需收付"),
    "how.true_up": ("payable now {payable} − settled on statement no. {seq} {before} = {difference}",
                    "本次应付 {payable} − 第{seq}号结算单已结算 {before} = {difference}"),
    "trueup.note": ("Note", "说明"),
    "trueup.window": ("Clawback possible until", "追回截止日"),
    "trueup.first": ("First statement for this period: nothing was settled before.", "本考核期首张结算单：此前无结算。"),
    # trace
    "trace.plan_hash": ("SHA-256 of the signed plan", "已签署方案SHA-256"),
    "trace.snapshot": ("Data snapshot digest", "数据快照摘要"),
    "trace.definition_set": ("Definition set", "统计口径"),
    "trace.recompute": ("Recompute", "复核命令"),
    "trace.intro": ("Every figure above is computed from the signed plan and the data snapshot named here. "
                    "Either party can recompute it with the command below and compare the digests.",
                    "以上数字均由下列已签署方案与数据快照计算得出。任一方可用下方命令重新计算并核对摘要。"),
    # signatures
    "col.role": ("Party", "签署方"),
    "col.name": ("Name", "名称"),
    "col.signature": ("Signature / seal", "签字/盖章"),
    "col.date": ("Date", "日期"),
    "sign.line": ("________________________", "________________________"),
    "sign.date": ("____-__-__", "____年__月__日"),
    "sign.intro": ("By signing, both parties confirm statement no. {seq} for {period}: payable {payable} {currency}"
                   "{due}.",
                   "双方签署即确认 {period} 第{seq}号结算单：本期应付 {payable} {currency}{due}。"),
    "sign.due": (", {kind} {due} {currency}", "，{kind} {due} {currency}"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The sentence ``key`` in ``lang`` with ``{placeholders}`` filled in."""
    return pick(TEXT[key], lang).format(**values)


def half(text: str, lang: str) -> str:
    """One language of a bilingual ``"english / 中文"`` note written by the settlement code."""
    if " / " not in text:
        return text
    en, zh = text.split(" / ", 1)
    return zh if lang.lower().startswith("zh") else en
