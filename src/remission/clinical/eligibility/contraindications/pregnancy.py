"""Pregnancy and breastfeeding (label 5.10, reference §3)."""

from __future__ import annotations

from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.reasons import Reason
from remission.clinical.eligibility.sources import LABEL_PREGNANCY
from remission.clinical.eligibility.vocabulary import PregnancyStatus, Severity
from remission.clinical.routes import ALL_ROUTES


def reasons(intake: Intake) -> list[Reason]:
    """Pregnancy and breastfeeding relative, unknown or planned pregnancy caution (label 5.10)."""
    found: list[Reason] = []
    status = intake.pregnancy
    if status is PregnancyStatus.PREGNANT:
        found.append(
            Reason(
                "pregnancy",
                Severity.RELATIVE,
                "pregnant: not recommended (embryo-fetal toxicity); excluded in trials",
                ALL_ROUTES,
                LABEL_PREGNANCY,
            )
        )
    elif status is PregnancyStatus.UNKNOWN:
        found.append(
            Reason(
                "pregnancy_status_unknown",
                Severity.CAUTION,
                "pregnancy status unknown: test where relevant before treatment",
                ALL_ROUTES,
                LABEL_PREGNANCY,
            )
        )
    elif status is PregnancyStatus.PLANNING:
        found.append(
            Reason(
                "planning_pregnancy",
                Severity.CAUTION,
                "planning a pregnancy: discuss contraception and timing",
                ALL_ROUTES,
                LABEL_PREGNANCY,
            )
        )
    if intake.breastfeeding:
        found.append(
            Reason(
                "breastfeeding",
                Severity.RELATIVE,
                "breastfeeding: not recommended",
                ALL_ROUTES,
                LABEL_PREGNANCY,
            )
        )
    return found
