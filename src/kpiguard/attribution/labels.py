"""Words for the attribution tables and notes, in English and zh-CN (labels from GLOSSARY.md)."""

from __future__ import annotations

# factor key -> (English, 中文)
GMV_FACTORS: dict[str, tuple[str, str]] = {
    "traffic": ("traffic effect", "访问量影响"),
    "conversion": ("conversion effect", "转化率影响"),
    "aov": ("order value effect", "客单价影响"),
}
PROFIT_FACTORS: dict[str, tuple[str, str]] = {
    "sales": ("sales effect", "净销售额影响"),
    "margin": ("margin effect", "毛利率影响"),
    "ad_spend": ("ad spend effect", "广告花费影响"),
    "fees": ("fees effect", "平台费用影响"),
}
METRICS: dict[str, tuple[str, str]] = {
    "sessions": ("sessions", "访问量"), "orders": ("orders", "订单数"), "cvr": ("conversion rate", "转化率"),
    "aov": ("average order value", "客单价"), "gmv": ("GMV", "销售额"), "net_sales": ("net sales", "净销售额"),
    "gross_margin_rate": ("gross margin rate", "毛利率"), "ad_spend": ("ad spend", "广告花费"),
    "platform_fees": ("platform fees", "平台费用"), "net_profit": ("net profit", "净利润"),
    "gross_profit": ("gross profit", "毛利润"),
}
SOURCES: dict[str, tuple[str, str]] = {
    "stated": ("the plan's target", "方案目标值"), "derived": ("what the GMV target leaves", "由销售额目标推算"),
    "even": ("even growth from the previous period", "自上期水平均匀增长"), "none": ("no target (0)", "无目标（0）"),
    "scaled": ("the store's previous level x the plan's growth", "店铺上期水平 × 方案整体增长"),
}
NOTES: dict[str, tuple[str, str]] = {
    "sessions_unknown": ("no traffic data: sessions are held equal, so the conversion effect is the effect of the "
                         "number of orders and the traffic effect is 0",
                         "无流量数据：访问量视为不变，转化率影响即订单数的影响，访问量影响为0"),
    "undefined_conversion": ("orders or GMV without sessions: conversion is undefined, the whole gap is shown as the "
                             "conversion effect", "有订单或销售额但无访问量：转化率无定义，差额全部计入转化率影响"),
    "undefined_aov": ("GMV without orders: order value is undefined, the whole gap is shown as the order value effect",
                      "有销售额但无订单：客单价无定义，差额全部计入客单价影响"),
    "undefined_margin": ("gross profit without net sales: margin is undefined, the whole gross-profit change is shown "
                         "as the margin effect", "无净销售额却有毛利润：毛利率无定义，毛利润变化全部计入毛利率影响"),
    "sessions_from_gmv": ("the plan's sessions target disagrees with GMV target / (cvr x aov); the latter is used",
                          "方案的访问量目标与 销售额目标 ÷（转化率×客单价）不一致，采用后者"),
    "plan_level_ratios": ("the store has no level of its own to grow from (no orders in the previous period): the "
                          "plan-level conversion and order value targets are used for it",
                          "该店铺上期无可增长的水平（无订单）：采用方案整体的转化率与客单价目标"),
    "sessions_partial": ("some stores have no traffic data: the total's sessions leave them out while its orders and "
                         "GMV count them, so its conversion rate is not any store's",
                         "部分店铺无流量数据：合计访问量不含这些店铺，而订单与销售额包含，合计转化率仅供参考"),
    "sessions_not_by_sku": ("some sessions are not tied to a SKU (a store-level traffic report, or a child-item "
                            "report without a SKU column): traffic and conversion are not separated for SKUs, the "
                            "conversion effect is the effect of the number of orders",
                            "部分访问量未关联到SKU（店铺级流量报表，或不含SKU列的子商品报表）：SKU的访问量与转化率影响"
                            "无法区分，转化率影响即订单数的影响"),
}


def note_text(code: str) -> dict[str, str]:
    en, zh = NOTES[code]
    return {"code": code, "en": en, "zh-CN": zh}
