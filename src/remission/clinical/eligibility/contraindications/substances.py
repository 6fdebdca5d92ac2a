"""Substance use disorder, active or in remission (label 5.3, trial exclusions, reference §3)."""

from __future__ import annotations

from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.reasons import Reason, diagnosis_codes
from remission.clinical.eligibility.sources import ICD10CM_CODES, LABEL_ABUSE
from remission.clinical.eligibility.vocabulary import Severity, Substance, SubstanceUseDisorder
from remission.clinical.routes import ALL_ROUTES

_SUBSTANCE_CODE_PREFIXES = ("F10", "F11", "F12", "F13", "F14", "F15", "F16", "F18", "F19")
_DISSOCIATIVE_SUBSTANCES = frozenset({Substance.KETAMINE, Substance.PHENCYCLIDINE})


def reasons(intake: Intake) -> list[Reason]:
    """Active SUD relative, SUD in remission caution (label 5.3, trial exclusions [src])."""
    history = intake.history
    substances = ", ".join(s.value for s in history.substances) or "substance not recorded"
    dissociative = _DISSOCIATIVE_SUBSTANCES & set(history.substances)
    extra = "; includes ketamine or PCP: high risk of misuse" if dissociative else ""
    found: list[Reason] = []
    if history.substance_use_disorder is SubstanceUseDisorder.ACTIVE:
        found.append(
            Reason(
                "active_substance_use_disorder",
                Severity.RELATIVE,
                f"active substance use disorder ({substances}){extra}: excluded in trials; "
                "ketamine is a drug of misuse (Schedule III)",
                ALL_ROUTES,
                LABEL_ABUSE,
            )
        )
    elif history.substance_use_disorder is SubstanceUseDisorder.IN_REMISSION:
        found.append(
            Reason(
                "substance_use_disorder_in_remission",
                Severity.CAUTION,
                f"substance use disorder in remission ({substances}){extra}: assess the risk "
                "of misuse; urine toxicology if indicated",
                ALL_ROUTES,
                LABEL_ABUSE,
            )
        )
    else:
        coded = diagnosis_codes(intake, *_SUBSTANCE_CODE_PREFIXES)
        if coded:
            found.append(
                Reason(
                    "substance_code_without_disorder_recorded",
                    Severity.CAUTION,
                    f"substance-related diagnosis {', '.join(coded)} but no substance use "
                    "disorder recorded: confirm the substance-use history",
                    ALL_ROUTES,
                    ICD10CM_CODES,
                )
            )
    return found
