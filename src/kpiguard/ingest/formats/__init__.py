"""Built-in report formats. Each module registers its format(s) with ``registry.register``.

Importing this package registers them all, exactly as a plug-in's module would.
"""

from kpiguard.ingest.formats import amazon_all_orders  # noqa: F401
