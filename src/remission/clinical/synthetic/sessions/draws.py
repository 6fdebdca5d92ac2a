"""Small drawing helpers the generators share: clipping and a normal draw kept in range."""

from __future__ import annotations

import random


def clip(value: int, low: int, high: int) -> int:
    return low if value < low else high if value > high else value


def clip_float(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def redrawn_normal(rng: random.Random, mean: float, sd: float, low: float, high: float) -> float:
    for _ in range(50):
        value = rng.gauss(mean, sd)
        if low <= value <= high:
            return value
    return clip_float(mean, low, high)
