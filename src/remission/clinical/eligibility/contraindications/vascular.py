"""Absolute contraindications: aneurysmal vascular disease, AVM, intracerebral haemorrhage and
hypersensitivity (SPRAVATO label [src]; applied to racemic ketamine too, reference §3).
"""

from __future__ import annotations

from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.reasons import Reason, coded_as, diagnosis_codes
from remission.clinical.eligibility.sources import (
    LABEL_CONTRAINDICATIONS,
    RACEMIC_HYPERSENSITIVITY,
    RACEMIC_VASCULAR_EXTRAPOLATION,
)
from remission.clinical.eligibility.vocabulary import ESKETAMINE_ONLY, RACEMIC_ROUTES, Severity


def reasons(intake: Intake) -> list[Reason]:
    """Absolute: SPRAVATO contraindications [src], applied to racemic ketamine too [?]/[2nd].

    Raised by the history flag or by a diagnosis code (``ICD10CM_CODES`` [mem]): I67.1, I71,
    I72 aneurysm; Q28.2, Q28.3, Q27.3 arteriovenous malformation; I61, I69.1 intracerebral
    haemorrhage or its sequelae.
    """
    history = intake.history
    found: list[Reason] = []
    vascular = (
        (
            history.aneurysmal_vascular_disease,
            diagnosis_codes(intake, "I67.1", "I71", "I72"),
            "aneurysmal_vascular_disease",
            "aneurysmal vascular disease (aorta, intracranial or peripheral arteries)",
        ),
        (
            history.arteriovenous_malformation,
            diagnosis_codes(intake, "Q28.2", "Q28.3", "Q27.3"),
            "arteriovenous_malformation",
            "arteriovenous malformation",
        ),
        (
            history.intracerebral_haemorrhage,
            diagnosis_codes(intake, "I61", "I69.1"),
            "intracerebral_haemorrhage",
            "history of intracerebral haemorrhage",
        ),
    )
    for flagged, coded, code, what in vascular:
        if flagged or coded:
            message = f"{what}{coded_as(coded)}: ketamine raises blood pressure"
            found.append(
                Reason(
                    code,
                    Severity.ABSOLUTE,
                    f"{message}; contraindicated on the esketamine label",
                    ESKETAMINE_ONLY,
                    LABEL_CONTRAINDICATIONS,
                )
            )
            found.append(
                Reason(
                    code,
                    Severity.ABSOLUTE,
                    f"{message}; the esketamine contraindication is applied to racemic ketamine",
                    RACEMIC_ROUTES,
                    RACEMIC_VASCULAR_EXTRAPOLATION,
                )
            )
    if history.hypersensitivity_to_ketamine_or_esketamine:
        found.append(
            Reason(
                "hypersensitivity",
                Severity.ABSOLUTE,
                "hypersensitivity to esketamine, ketamine or an excipient",
                ESKETAMINE_ONLY,
                LABEL_CONTRAINDICATIONS,
            )
        )
        found.append(
            Reason(
                "hypersensitivity",
                Severity.ABSOLUTE,
                "hypersensitivity to ketamine or esketamine (racemic ketamine contains both "
                "enantiomers)",
                RACEMIC_ROUTES,
                RACEMIC_HYPERSENSITIVITY,
            )
        )
    return found
