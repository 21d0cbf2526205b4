"""Variance attribution (差异归因): why actual GMV and profit differ from the plan or the month before.

A gap is split into the effects of the factors that multiply to the result, with the Shapley
value (the average of each factor's marginal contribution over every order in which the factors
can change), so the parts always add up to the gap:

- ``shapley``: the Shapley split of a product of factors, in a 60-digit Decimal context;
- ``apportion``: rounding the parts to the currency's minor unit so they still sum to the gap;
- ``gmv``: GMV = sessions x conversion rate x average order value, with the zero cases;
- ``profit``: net profit = net sales x gross margin rate - ad spend - platform fees;
- ``targets``: the target side of a plan (GMV target and its drivers), reusing the plan's
  target decomposition (``plans/decomposition.py``);
- ``report``: the actuals from the metric engine, per store or SKU, assembled into tables.

Everything but ``report`` is pure Decimal arithmetic: no database, no float.
"""
