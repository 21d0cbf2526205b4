"""``kpiguard demo``: a realistic workspace built from simulated stores through the real importer.

- ``scenario``: the six stores, the calendar of demand, the events (stockout, suspension,
  brushing, price dumping); ``catalog``: the products, prices and costs;
- ``world``: one store simulated day by day as ``reportgen.model`` records, with ``stock``,
  ``traffic`` (sessions, ads), ``aftersales`` (refunds, service events), ``payouts`` (fees and
  14-day settlements), ``ids`` and ``fx`` (daily rates);
- ``exports``, ``amazon_exports``, ``erp_exports``, ``template_exports``: which files a seller
  downloads and when, each written by its platform's writer in ``kpiguard.reportgen``;
- ``build``: simulate, write under ``<workspace>/demo-files/<store>/``, import with ``import_file``.
"""
