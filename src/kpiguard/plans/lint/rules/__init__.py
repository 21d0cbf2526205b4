"""Built-in lint rules, one per module (see ``plans/lint/__init__.py``)."""
