"""A reason found in the intake, the history table the rules share, and the diagnosis-code
helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from remission.clinical.eligibility.intake import Intake, MedicalHistory
from remission.clinical.eligibility.vocabulary import Severity
from remission.clinical.evidence import Evidence
from remission.clinical.routes import Route


@dataclass(frozen=True, slots=True)
class Reason:
    """One finding: why a route is contraindicated, needs review, or needs care."""

    code: str
    severity: Severity
    message: str
    routes: tuple[Route, ...]
    evidence: Evidence


# A history finding and the reason it gives: a rule family lists these in the order they read.
HistoryReasons = tuple[tuple[Callable[[MedicalHistory], bool], Reason], ...]


def from_history(history: MedicalHistory, table: HistoryReasons) -> list[Reason]:
    """The reasons of ``table`` whose finding the history records, in the table's order."""
    return [reason for present, reason in table if present(history)]


def diagnosis_codes(intake: Intake, *prefixes: str) -> tuple[str, ...]:
    """The intake's ICD-10-CM codes that start with any of ``prefixes``."""
    return tuple(c for c in intake.diagnoses_icd10cm if c.startswith(prefixes))


def coded_as(codes: Sequence[str]) -> str:
    """' (diagnosis code F31.4)' for a message, or nothing when no code was found."""
    return f" (diagnosis code {', '.join(codes)})" if codes else ""
