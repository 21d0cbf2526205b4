"""The generated catalog page must match the catalog: docs cannot drift from code."""

from pathlib import Path

from kpiguard.metrics import catalog, docs

DOC = Path(__file__).parents[2] / "docs" / "metrics.md"


def test_docs_match_catalog():
    assert DOC.read_text(encoding="utf-8") == docs.catalog_markdown(), (
        "docs/metrics.md is stale: run .venv/bin/kpiguard metrics docs")


def test_catalog_has_at_least_thirty_metrics_each_with_both_languages():
    cat = catalog.load()
    assert len(cat.metrics) >= 30
    assert catalog.check(cat) == []
    for m in cat.metrics:
        assert m.name.en and m.name.zh and m.description.en and m.description.zh
