"""Errors raised by the clinical core.

Every clinical function refuses bad input with ``ClinicalInputError`` and a message a person
can act on; nothing is clamped or guessed silently.
"""


class ClinicalInputError(ValueError):
    """Input a clinical rule cannot accept (wrong count, out of range, missing field, ...)."""


class HardLimitExceeded(ClinicalInputError):
    """A quantity lies beyond a hard limit: the calculation is refused."""
