"""Newsroom's benchmarks: `make bench` runs them all and prints one table (see bench/RESULTS.md).

Each benchmark is a module runnable on its own (`python -m bench.render`); it prints its
figures and writes its summary rows as JSON when given `--json PATH`. Never collected by pytest.
"""
