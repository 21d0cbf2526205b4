"""kpiguard's benchmarks, run by ``make bench`` (``python -m bench.run``).

A benchmark is a module ``bench/<name>_speed.py`` with ``main() -> str``: it prepares its data
(cached under ``bench/data/``, which git ignores), measures, and returns a Markdown section.
``bench/run.py`` finds every such module (or the ones named in ``BENCHES`` / on its command
line), runs them, and records the sections under a dated heading, with the machine and versions,
in ``bench/results.md``.
"""
