"""The demo brand's products, priced and titled the way each marketplace lists them.

One brand (TrailCo, drinkware) sells the same seven products everywhere, so numbers can be compared
across stores. Shelf prices are what a buyer sees: tax-inclusive in the EU, Japan and the
Philippines, before sales tax in the US. Costs are in the store's currency, roughly a quarter of
the shelf price, because a seller's cost sheet is kept per store.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kpiguard.money import exponent
from kpiguard.reportgen.model import Product

HERO_SKU = "TWB-750-BLU"


@dataclass(frozen=True)
class ProductTemplate:
    sku: str
    parent: str
    popularity: float  # share of units
    titles: dict[str, str]  # language -> title
    shelf: dict[str, str]  # currency -> shelf price
    cost_usd: str
    first_leg_usd: str


def _t(en: str, de: str, ja: str, zh: str) -> dict[str, str]:
    return {"en": en, "de": de, "ja": ja, "zh": zh}


TEMPLATES: tuple[ProductTemplate, ...] = (
    ProductTemplate(HERO_SKU, "TWB", 0.34,
                    _t("Trail Water Bottle 750ml, Blue", "Trail Trinkflasche 750 ml, Blau",
                       "トレイル 水筒 750ml ブルー", "户外保温水壶750ml 蓝色"),
                    {"USD": "24.95", "EUR": "24.99", "JPY": "2980", "PHP": "899"}, "5.20", "0.90"),
    ProductTemplate("TWB-750-BLK", "TWB", 0.18,
                    _t("Trail Water Bottle 750ml, Black", "Trail Trinkflasche 750 ml, Schwarz",
                       "トレイル 水筒 750ml ブラック", "户外保温水壶750ml 黑色"),
                    {"USD": "24.95", "EUR": "24.99", "JPY": "2980", "PHP": "899"}, "5.20", "0.90"),
    ProductTemplate("TWB-1000-GRN", "TWB", 0.12,
                    _t("Trail Water Bottle 1L, Forest Green", "Trail Trinkflasche 1 L, Waldgrün",
                       "トレイル 水筒 1L フォレストグリーン", "户外保温水壶1L 森林绿"),
                    {"USD": "29.95", "EUR": "29.99", "JPY": "3480", "PHP": "1099"}, "6.40", "1.10"),
    ProductTemplate("TTM-500-SST", "TTM", 0.12,
                    _t("Trail Tumbler 500ml, Stainless", "Trail Thermobecher 500 ml, Edelstahl",
                       "トレイル タンブラー 500ml ステンレス", "户外随行杯500ml 不锈钢"),
                    {"USD": "19.95", "EUR": "19.99", "JPY": "2480", "PHP": "699"}, "4.10", "0.70"),
    ProductTemplate("TLD-STRAW", "TLD", 0.10,
                    _t("Straw Lid for Trail Bottles", "Strohhalmdeckel für Trail Flaschen",
                       "トレイル ボトル用 ストローキャップ", "水壶吸管盖"),
                    {"USD": "9.95", "EUR": "9.99", "JPY": "1180", "PHP": "349"}, "1.30", "0.20"),
    ProductTemplate("BRUSH-01", "BRUSH", 0.08,
                    _t("Bottle Brush, Long Handle", "Flaschenbürste mit langem Griff",
                       "ボトルブラシ ロングハンドル", "长柄洗瓶刷"),
                    {"USD": "7.95", "EUR": "7.99", "JPY": "980", "PHP": "279"}, "0.90", "0.15"),
    ProductTemplate("TWB-KIDS-350", "TWB", 0.06,
                    _t("Kids Trail Bottle 350ml, Pink", "Trail Kinderflasche 350 ml, Rosa",
                       "トレイル キッズ水筒 350ml ピンク", "儿童水壶350ml 粉色"),
                    {"USD": "16.95", "EUR": "16.99", "JPY": "1980", "PHP": "599"}, "3.60", "0.60"),
)

# Rough cost-sheet rates: the seller converts USD purchase costs once a year, not daily.
COST_RATES = {"USD": Decimal("1"), "EUR": Decimal("0.92"), "JPY": Decimal("150"), "PHP": Decimal("56")}
# Freight to an FBA warehouse costs less per unit than parcels to a seller's own 3PL
FIRST_LEG_FACTOR = {"amazon": Decimal("1"), "erp": Decimal("1"), "tiktok_shop": Decimal("1.2"),
                    "shopify": Decimal("1.3"), "shopee": Decimal("0.8")}


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit (JPY has none, USD has cents)."""
    return amount.quantize(Decimal(1).scaleb(-exponent(currency)))


def product_id(platform: str, index: int, template: ProductTemplate) -> str:
    """The platform's own product id: an ASIN on Amazon, a numeric SKU id elsewhere."""
    if platform in ("amazon", "erp"):
        return f"B0D4Q{template.sku.replace('-', '')[:4].upper()}{index}"
    if platform == "tiktok_shop":
        return str(1729483920174000000 + 7919 * index)
    if platform == "shopee":
        return str(22650013400 + 131 * index)
    return str(44290175120000 + 37 * index)  # Shopify variant id


def make_products(platform: str, currency: str, language: str) -> list[Product]:
    rate = COST_RATES[currency]
    products = []
    for i, t in enumerate(TEMPLATES):
        products.append(Product(
            sku=t.sku,
            asin=product_id(platform, i, t),
            title=t.titles[language],
            parent_asin=f"B0D4QP{t.parent[:4]:0<4}" if platform in ("amazon", "erp") else "",
            fnsku=f"X004{t.sku.replace('-', '')[:5].upper()}{i}" if platform in ("amazon", "erp") else "",
            unit_cost=quantize(Decimal(t.cost_usd) * rate, currency),
            first_leg=quantize(Decimal(t.first_leg_usd) * rate * FIRST_LEG_FACTOR[platform], currency),
        ))
    return products


def shelf_price(sku: str, currency: str) -> Decimal:
    for t in TEMPLATES:
        if t.sku == sku:
            return Decimal(t.shelf[currency])
    raise KeyError(sku)


def popularity() -> list[float]:
    return [t.popularity for t in TEMPLATES]
