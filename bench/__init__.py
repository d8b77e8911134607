"""Benchmark scripts of newsbot (see BENCHMARKS.md). ``python bench/run.py`` runs issue 7's set."""
