"""Benchmarks and the volume generator (``bench.volume``); not part of the application."""
