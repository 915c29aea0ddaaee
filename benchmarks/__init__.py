"""Benchmarks for briefbot: `python -m benchmarks` (see README, Benchmarks)."""
