"""Answer lists for the instrument tests."""

from __future__ import annotations

from remission.clinical import instruments


def answers_summing_to(instrument_id: str, total: int) -> list[int]:
    """Answers whose plain sum is ``total``: items filled in order with their highest answer."""
    answers = []
    remaining = total
    for item in instruments.get(instrument_id).items:
        answer = min(item.maximum, remaining)
        answers.append(answer)
        remaining -= answer
    if remaining:
        raise ValueError(f"{instrument_id} cannot sum to {total}")
    return answers
