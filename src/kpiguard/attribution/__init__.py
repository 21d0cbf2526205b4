"""Variance attribution (差异归因): why actual GMV and profit differ from the plan or the month before.

A gap is split into the effects of the factors that multiply to the result, with the Shapley
value (the average of each factor's marginal contribution over every order in which the factors
can change), so the parts always add up to the gap:

- ``shapley``: the Shapley split of a product of factors, in a 60-digit Decimal context;
- ``apportion``: rounding the parts to the currency's minor unit so they still sum to the gap;
- ``gmv``: GMV = sessions x conversion rate x average order value, with the zero cases;
- ``profit``: net profit = net sales x gross margin rate - ad spend - platform fees;
- ``targets``: the target side of a plan (GMV target and its drivers, per store), reusing the
  plan's target decomposition (``plans/decomposition.py``);
- ``comparison``: what a table compares with (the target, or the previous period's days);
- ``actuals``: sessions, orders, GMV and profit components from the metric engine;
- ``report``: the signed plan, the actuals and the splits assembled into tables;
- ``labels`` and ``payload``: words in English and zh-CN, and the report as JSON.

``shapley``, ``apportion``, ``gmv``, ``profit``, ``targets`` and ``comparison`` are pure Decimal
arithmetic: no database, no float.
"""
