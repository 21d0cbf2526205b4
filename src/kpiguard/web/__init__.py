"""``kpiguard serve``: the pages and JSON API seller and agency share (FastAPI, Jinja, Plotly)."""
