"""Synthetic, clearly fictional data for demos and load tests, calibrated to published figures.

Nothing here describes a real person. Generators are deterministic for a given seed.
"""
