"""Benchmarks: ratios to a ceiling measured in the same run (DESIGN §5)."""
