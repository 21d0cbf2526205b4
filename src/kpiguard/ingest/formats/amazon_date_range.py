"""Amazon Date Range / Monthly Unified Transaction report (Payments → Reports Repository).

CSV with **every field quoted** and a **preamble** of about seven quoted lines ("Includes Amazon
Marketplace...", "All amounts in USD, unless specified", "Definitions:" ...) before the header; the
header row is found by its columns, not by counting lines. One row per transaction, with one column
per amount. Header generations and locales, matched by name:

- US current (30 columns: ``account type``, ``product sales tax``, ``Regulatory Fee`` ...);
- US 2017 (23 columns: one ``sales tax collected`` and a ``Marketplace Facilitator Tax`` column);
- UK (``postage credits``, ``fulfilment``), DE (``Datum/Uhrzeit``, ``Umsätze`` ..., types
  ``Bestellung``/``Erstattung``), FR and JP headers as the reference lists them.

Dates: US ``Mar 5, 2026 2:10:44 AM PST`` / ``PDT`` (Pacific, zone abbreviation in the cell), DE
``01.09.2026 10:22:11 UTC``, UK/AE ``15 Mar 2026 3:22:08 PM UTC``, IN ``1 Jul 2026 4:24:44 am UTC``.
Numbers: US ``"1,694.07"``, DE/FR decimal comma ``"-4,00"`` (chosen by the header's language).

Outputs (``outputs()``):
- ``fees`` in long form: one row per **non-zero** amount column of each transaction, ``amount_type``
  being the column's header as written and ``category`` its meaning (see ``AMOUNTS``);
- ``refunds``: one row per transaction of type Refund (``Erstattung`` ...). ``amount_minor`` is
  the refunded sales without tax: -(product sales + shipping credits + gift wrap credits +
  promotional rebates), the counterpart of what order lines count as sales.

A transaction whose amount columns do not add up to its ``total`` is an error: the file then holds
an amount column kpiguard does not know, and storing the others would silently lose money. The
report has no transaction id, so ``line_key`` and ``refund_id`` hash the row's content, numbered
among identical rows: a monthly report and an overlapping custom range produce the same keys.
"""

from __future__ import annotations

from typing import Literal

from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, integer, money, ts
from kpiguard.ingest.sqlmacros import sql_literal

# Amount columns: key, category, English names, locale names. A fee line's category says what the
# amount is; tax columns of every kind are "tax", Amazon points (JP) are a promotion the seller pays.
AMOUNTS: tuple[tuple[str, str, tuple[str, ...], dict[str, tuple[str, ...]]], ...] = (
    ("product_sales", "principal", ("product sales",),
     {"de": ("Umsätze",), "fr": ("ventes de produits",), "ja": ("商品売上",)}),
    ("product_sales_tax", "tax", ("product sales tax",),
     {"de": ("Produktumsatzsteuer",), "fr": ("Taxes sur la vente des produits",), "ja": ("商品の売上税",)}),
    ("shipping_credits", "shipping", ("shipping credits", "postage credits"),  # UK says postage
     {"de": ("Gutschrift für Versandkosten",), "fr": ("crédits d'expédition",), "ja": ("配送料",)}),
    ("shipping_credits_tax", "tax", ("shipping credits tax", "postage credits tax"),
     {"de": ("Steuer auf Versandgutschrift",),
      "fr": ("taxe sur les crédits d’expédition", "taxe sur les crédits d'expédition"), "ja": ("配送料の税金",)}),
    ("gift_wrap_credits", "gift_wrap", ("gift wrap credits",),
     {"de": ("Gutschrift für Geschenkverpackung",), "fr": ("crédits sur l'emballage cadeau",),
      "ja": ("ギフト包装手数料",)}),
    ("giftwrap_credits_tax", "tax", ("giftwrap credits tax", "gift wrap credits tax"),
     {"de": ("Steuer auf Geschenkverpackungsgutschriften",), "fr": ("Taxes sur les crédits cadeaux",),
      "ja": ("ギフト包装クレジットの税金",)}),
    ("regulatory_fee", "other_fee", ("Regulatory Fee",), {}),
    ("regulatory_fee_tax", "tax", ("Tax On Regulatory Fee",), {}),
    ("points", "promotion", (), {"ja": ("Amazonポイントの費用",)}),  # JP only
    ("promotional_rebates", "promotion", ("promotional rebates",),
     {"de": ("Rabatte aus Werbeaktionen",), "fr": ("Rabais promotionnels",), "ja": ("プロモーション割引額",)}),
    ("promotional_rebates_tax", "tax", ("promotional rebates tax",),
     {"de": ("Steuer auf Aktionsrabatte",), "fr": ("Taxes sur les remises promotionnelles",),
      "ja": ("プロモーション割引の税金",)}),
    ("marketplace_withheld_tax", "tax", ("marketplace withheld tax",),
     {"de": ("Einbehaltene Steuer auf Marketplace",), "fr": ("Taxes retenues sur le site de vente",),
      "ja": ("源泉徴収税を伴うマーケットプレイス",)}),
    ("sales_tax_collected", "tax", ("sales tax collected",), {}),  # 2017: one tax column
    ("marketplace_facilitator_tax", "tax", ("Marketplace Facilitator Tax",), {}),  # 2017
    ("selling_fees", "commission", ("selling fees",),
     {"de": ("Verkaufsgebühren",), "fr": ("frais de vente",), "ja": ("手数料",)}),
    ("fba_fees", "fulfillment_fee", ("fba fees",),
     {"de": ("Gebühren zu Versand durch Amazon",), "fr": ("Frais Expédié par Amazon",), "ja": ("FBA 手数料",)}),
    ("other_transaction_fees", "other_fee", ("other transaction fees",),
     {"de": ("Andere Transaktionsgebühren",), "fr": ("autres frais de transaction",),
      "ja": ("トランザクションに関するその他の手数料",)}),
    ("other", "other", ("other",), {"de": ("Andere",), "fr": ("autre",), "ja": ("その他",)}),
)
REQUIRED_AMOUNTS = {"product_sales", "selling_fees", "fba_fees", "other"}
REFUNDED_SALES = ("product_sales", "shipping_credits", "gift_wrap_credits", "promotional_rebates")

# The "type" column, localised: DE Bestellung/Erstattung, FR Commande/Remboursement, JP 注文/返金.
TYPES = {
    "order": ("order", "bestellung", "commande", "注文"),
    "refund": ("refund", "erstattung", "remboursement", "返金"),
    "service_fee": ("service fee", "servicegebühr"),
    "adjustment": ("adjustment", "anpassung"),
    "transfer": ("transfer", "übertrag"),
    "order_retrocharge": ("order_retrocharge", "bestellung_wiedereinzug"),
}
COMMA_LOCALES = {"de", "fr"}


def _text(key: str, en: str, required: bool = True, **locales: tuple[str, ...]) -> Column:
    return Column(key, (en,), required=required, locales=dict(locales))


COLUMNS = (
    _text("date_time", "date/time", de=("Datum/Uhrzeit",), fr=("date/heure",), ja=("日付/時間",)),
    _text("settlement_id", "settlement id", de=("Abrechnungsnummer",), fr=("numéro de versement",),
          ja=("決済番号",)),
    _text("txn_type", "type", de=("Typ",), ja=("トランザクションの種類",)),
    _text("order_id", "order id", de=("Bestellnummer",), fr=("numéro de la commande",), ja=("注文番号",)),
    _text("sku", "sku"),
    _text("description", "description", de=("Beschreibung",), ja=("説明",)),
    _text("quantity", "quantity", required=False, de=("Menge",), fr=("quantité",), ja=("数量",)),
    _text("total", "total", de=("Gesamt",), ja=("合計",)),
) + tuple(Column(key, names, required=key in REQUIRED_AMOUNTS, locales=locales)
          for key, _, names, locales in AMOUNTS)


@register
class AmazonDateRange(ReportFormat):
    key = "amazon_date_range"
    title = "Amazon Date Range / Monthly Unified Transaction report"
    title_zh = "亚马逊日期范围报告（月度统一交易报告）"
    table = "fees"
    platforms = ("amazon",)
    columns = COLUMNS

    def version(self, ctx: ImportContext) -> str:
        if ctx.has("sales_tax_collected"):
            return "2017 (sales tax collected)"
        return "current" if ctx.has("product_sales_tax") else "without tax columns"

    def amounts(self, ctx: ImportContext) -> list[tuple[str, str]]:
        """(key, category) of the amount columns this file has."""
        return [(key, category) for key, category, _, _ in AMOUNTS if ctx.has(key)]

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        style: Literal["point", "comma"] = "comma" if ctx.locale in COMMA_LOCALES else "point"
        when = ts("date_time",
                  "abbr:%b %d, %Y %I:%M:%S %p",  # US "Mar 5, 2026 2:10:44 AM PST"
                  "abbr:%d.%m.%Y %H:%M:%S",  # DE "01.09.2026 10:22:11 UTC"
                  "abbr:%d %b %Y %I:%M:%S %p",  # UK/AE "15 Mar 2026 3:22:08 PM UTC", IN "... am UTC"
                  "abbr:%d/%m/%Y %H:%M:%S", "abbr:%Y/%m/%d %H:%M:%S")
        out = {"when": when, "quantity": integer("quantity"), "total": money("total", decimal_style=style)}
        out.update({key: money(key, decimal_style=style) for key, _ in self.amounts(ctx)})
        return out

    def type_sql(self) -> str:
        arms = " ".join(f"WHEN lower(trim(txn_type)) IN ({', '.join(sql_literal(v) for v in values)}) "
                        f"THEN '{canonical}'" for canonical, values in TYPES.items())
        return f"CASE {arms} ELSE regexp_replace(lower(trim(txn_type)), '[^a-z0-9]+', '_', 'g') END"

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        parts = " + ".join(f"coalesce(p_{key}, 0)" for key, _ in self.amounts(ctx))
        return [RowCheck(
            "value.total_mismatch", f"p_total IS NOT NULL AND {parts} <> p_total", "total",
            "the amount columns do not add up to the total",
            "the file has an amount column kpiguard does not know, or a cell was edited; "
            "export the report again or report the header to kpiguard",
        )]

    def stage_from(self, ctx: ImportContext) -> str:
        """One row per amount column of each transaction (``_c``), zero amounts included."""
        items = ", ".join(
            f"{{'key': '{key}', 'category': '{category}', 'header': {sql_literal(ctx.headers[key])}, "
            f"'amount': p_{key}}}" for key, category in self.amounts(ctx))
        return f"(SELECT *, unnest([{items}]) AS _c FROM stage) AS components"

    def _identity(self, ctx: ImportContext, *extra: str) -> str:
        """The row's content as text: what identifies a transaction across overlapping files."""
        cells = [f"coalesce(trim({k}), '')" for k in ("settlement_id", "txn_type", "order_id", "sku", "description")]
        cells += ["coalesce(CAST(p_when AS VARCHAR), '')", "coalesce(CAST(p_quantity AS VARCHAR), '')",
                  "coalesce(CAST(p_total AS VARCHAR), '')", *extra]
        return ", ".join(cells)

    def _key(self, ctx: ImportContext, *extra: str) -> str:
        identity = self._identity(ctx, *extra)
        occurrence = f"row_number() OVER (PARTITION BY {identity} ORDER BY _row)"
        return f"sha256(concat_ws('|', {identity}, CAST({occurrence} AS VARCHAR)))"

    def select(self, ctx: ImportContext) -> dict[str, str]:
        return {
            "settlement_id": "nullif(trim(settlement_id), '')",
            "posted_at_utc": "p_when",
            "posted_date_local": f"kg_local_date(p_when, {ctx.tz})",
            "transaction_type": self.type_sql(),
            "order_id": "nullif(trim(order_id), '')",
            "sku": "nullif(trim(sku), '')",
            "quantity": "p_quantity",
            "category": "_c.category",
            "amount_type": "_c.header",  # the column's header as the file writes it
            "amount_description": "nullif(trim(description), '')",
            "currency": ctx.currency,  # the preamble says "All amounts in USD": the store's currency
            "amount_minor": "_c.amount",
            "line_key": self._key(ctx, "_c.key", "CAST(_c.amount AS VARCHAR)"),
        }

    def refund_select(self, ctx: ImportContext) -> dict[str, str]:
        refunded = " + ".join(f"coalesce(p_{k}, 0)" for k in REFUNDED_SALES if ctx.has(k))
        return {
            "refund_id": f"coalesce(nullif(trim(order_id), ''), 'no-order') || ':' || left({self._key(ctx)}, 16)",
            "order_id": "nullif(trim(order_id), '')",
            "sku": "nullif(trim(sku), '')",
            "kind": "'refund'",
            "refunded_at_utc": "p_when",
            "refund_date_local": f"kg_local_date(p_when, {ctx.tz})",
            "quantity": "abs(p_quantity)",
            "currency": ctx.currency,
            "amount_minor": f"-({refunded})",  # written negative ("-19.95"): money back to the buyer
        }

    def outputs(self, ctx: ImportContext) -> dict[str, tuple[dict[str, str], str | None]]:
        # every transaction has exactly one product-sales component, so a refund is one refunds row
        refund_rows = f"_c.key = 'product_sales' AND ({self.type_sql()}) = 'refund'"
        return {
            "fees": (self.select(ctx), "_c.amount <> 0"),
            "refunds": (self.refund_select(ctx), refund_rows),
        }
