"""The severity grades of an adverse event charted in session, with their names."""

from __future__ import annotations

from remission.clinical.evidence import Confidence, Evidence

GRADES_SOURCE = Evidence(
    "NCI Common Terminology Criteria for Adverse Events (CTCAE) v5.0, 2017: grade 1 mild, "
    "2 moderate, 3 severe or medically significant, 4 life-threatening, 5 death related to "
    "the adverse event",
    Confidence.RECALLED,
    url="https://ctep.cancer.gov/protocoldevelopment/electronic_applications/ctc.htm",
)
GRADE_LABELS: dict[int, str] = {
    1: "Mild",
    2: "Moderate",
    3: "Severe",
    4: "Life-threatening",
    5: "Death",
}


def grade_label(grade: int) -> str:
    """``2`` → "Grade 2 — moderate" (an unknown grade is shown as its number)."""
    name = GRADE_LABELS.get(grade)
    return f"Grade {grade} — {name.lower()}" if name else f"Grade {grade}"
