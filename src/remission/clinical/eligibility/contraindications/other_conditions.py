"""Other conditions: cystitis, hepatic impairment, capacity and cognition, glaucoma,
hyperthyroidism and acute suicidality (label, anaesthesia lists, reference §3).
"""

from __future__ import annotations

from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.reasons import HistoryReasons, Reason, from_history
from remission.clinical.eligibility.sources import (
    ANAESTHESIA_LISTS,
    COGNITION_AND_CONSENT,
    ESKETAMINE_HEPATIC,
    ESKETAMINE_MODERATE_HEPATIC,
    INFORMED_CONSENT,
    LABEL_CYSTITIS,
    LABEL_SUICIDALITY,
    RACEMIC_HEPATIC,
)
from remission.clinical.eligibility.vocabulary import ESKETAMINE_ONLY, RACEMIC_ROUTES, Severity
from remission.clinical.routes import ALL_ROUTES

# Cystitis (label); moderate (Child-Pugh B: longer monitoring) and severe (Child-Pugh C:
# esketamine not recommended) hepatic impairment, by drug (esketamine label; racemic [?]);
# consent needs capacity, cognitive impairment needs it assessed (trial exclusions [src]);
# glaucoma and hyperthyroidism (anaesthesia lists [2nd]); acute suicidality (label).
HISTORY_REASONS: HistoryReasons = (
    (
        lambda h: h.cystitis_or_lower_urinary_tract_symptoms,
        Reason(
            "cystitis_or_lower_urinary_tract_symptoms",
            Severity.CAUTION,
            "cystitis or lower urinary tract symptoms: record at baseline and monitor",
            ALL_ROUTES,
            LABEL_CYSTITIS,
        ),
    ),
    (
        lambda h: h.moderate_hepatic_impairment,
        Reason(
            "moderate_hepatic_impairment",
            Severity.CAUTION,
            "moderate hepatic impairment (Child-Pugh B): monitoring after esketamine may "
            "need to be longer than 2 h",
            ESKETAMINE_ONLY,
            ESKETAMINE_MODERATE_HEPATIC,
        ),
    ),
    (
        lambda h: h.moderate_hepatic_impairment,
        Reason(
            "moderate_hepatic_impairment",
            Severity.CAUTION,
            "moderate hepatic impairment (Child-Pugh B): ketamine is cleared by the liver; "
            "expect slower clearance and allow longer monitoring",
            RACEMIC_ROUTES,
            RACEMIC_HEPATIC,
        ),
    ),
    (
        lambda h: h.severe_hepatic_impairment,
        Reason(
            "severe_hepatic_impairment",
            Severity.RELATIVE,
            "severe hepatic impairment: esketamine not recommended",
            ESKETAMINE_ONLY,
            ESKETAMINE_HEPATIC,
        ),
    ),
    (
        lambda h: h.severe_hepatic_impairment,
        Reason(
            "severe_hepatic_impairment",
            Severity.CAUTION,
            "severe hepatic impairment: ketamine is cleared by the liver; expect slower clearance",
            RACEMIC_ROUTES,
            RACEMIC_HEPATIC,
        ),
    ),
    (
        lambda h: h.unable_to_consent,
        Reason(
            "unable_to_consent",
            Severity.ABSOLUTE,
            "unable to give informed consent: a hard stop; no treatment until capacity is "
            "restored or a lawful substitute consents",
            ALL_ROUTES,
            INFORMED_CONSENT,
        ),
    ),
    (
        lambda h: h.cognitive_impairment,
        Reason(
            "cognitive_impairment",
            Severity.CAUTION,
            "cognitive impairment: assess capacity (trials required MMSE ≥25 in older "
            "patients); monitor cognition",
            ALL_ROUTES,
            COGNITION_AND_CONSENT,
        ),
    ),
    (
        lambda h: h.glaucoma_or_raised_intraocular_pressure,
        Reason(
            "glaucoma_or_raised_intraocular_pressure",
            Severity.CAUTION,
            "glaucoma or raised intraocular pressure: ketamine may raise intraocular pressure",
            ALL_ROUTES,
            ANAESTHESIA_LISTS,
        ),
    ),
    (
        lambda h: h.hyperthyroidism,
        Reason(
            "hyperthyroidism",
            Severity.CAUTION,
            "hyperthyroidism: sympathomimetic effects may be exaggerated",
            ALL_ROUTES,
            ANAESTHESIA_LISTS,
        ),
    ),
    (
        lambda h: h.acute_suicidality,
        Reason(
            "acute_suicidality",
            Severity.CAUTION,
            "acute suicidality: not a contraindication, but a safety plan is needed and "
            "hospitalisation considered; ketamine does not replace hospitalisation",
            ALL_ROUTES,
            LABEL_SUICIDALITY,
        ),
    ),
)


def reasons(intake: Intake) -> list[Reason]:
    """Cystitis, hepatic, cognition/consent, glaucoma, hyperthyroidism, suicidality."""
    return from_history(intake.history, HISTORY_REASONS)
