"""Built-in report formats. Each module registers its format(s) with ``registry.register``.

Importing this package registers them all, exactly as a plug-in's module would.
"""

from kpiguard.ingest.formats import (
    amazon_ads,  # noqa: F401
    amazon_all_orders,  # noqa: F401
    amazon_business_report,  # noqa: F401
    amazon_date_range,  # noqa: F401
    amazon_inventory,  # noqa: F401
    amazon_returns,  # noqa: F401
    amazon_settlement,  # noqa: F401
    ebay_orders,  # noqa: F401
    lingxing_orders,  # noqa: F401
    lingxing_profit,  # noqa: F401
    shopee_orders,  # noqa: F401
    shopify_orders,  # noqa: F401
    templates,  # noqa: F401
    tiktok_orders,  # noqa: F401
)
