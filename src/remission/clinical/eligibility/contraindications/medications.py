"""Current medicines: interactions (label 7), benzodiazepine dose (trial exclusions) and the
SPRAVATO REMS monitoring-form items (reference §3 checklist item 9).
"""

from __future__ import annotations

from remission.clinical.eligibility.intake import CurrentMedications, Intake
from remission.clinical.eligibility.reasons import Reason
from remission.clinical.eligibility.settings import RuleSettings
from remission.clinical.eligibility.sources import (
    BENZODIAZEPINE_EXCLUSION,
    LABEL_INTERACTIONS,
    LAMOTRIGINE_ATTENUATION,
    REMS_FORM,
)
from remission.clinical.eligibility.vocabulary import ESKETAMINE_ONLY, Severity
from remission.clinical.routes import ALL_ROUTES


def reasons(intake: Intake, settings: RuleSettings) -> list[Reason]:
    """Interactions (label 7 [src]), benzodiazepine dose (trial exclusions [src]), REMS items."""
    meds = intake.medications
    return [
        *_benzodiazepine(meds, settings),
        *_interactions(meds),
        *_rems_form_items(meds),
    ]


def _benzodiazepine(meds: CurrentMedications, settings: RuleSettings) -> list[Reason]:
    """A dose above the threshold or not recorded needs review; any dose adds sedation."""
    found: list[Reason] = []
    if meds.benzodiazepine:
        dose = meds.lorazepam_equivalent_mg_per_day
        limit = settings.benzodiazepine_max_mg_per_day
        if dose is None:
            found.append(
                Reason(
                    "benzodiazepine_dose_unknown",
                    Severity.RELATIVE,
                    f"benzodiazepine taken but the lorazepam-equivalent dose is not recorded: "
                    f"doses above {limit} mg/day need review",
                    ALL_ROUTES,
                    BENZODIAZEPINE_EXCLUSION,
                )
            )
        elif dose > limit:
            found.append(
                Reason(
                    "benzodiazepine_above_threshold",
                    Severity.RELATIVE,
                    f"benzodiazepine {dose} mg/day lorazepam-equivalent is above {limit} mg/day: "
                    "excluded in trials; may blunt the response and adds sedation",
                    ALL_ROUTES,
                    BENZODIAZEPINE_EXCLUSION,
                )
            )
        found.append(
            Reason(
                "cns_depressant_benzodiazepine",
                Severity.CAUTION,
                "benzodiazepine: added sedation; monitor",
                ALL_ROUTES,
                LABEL_INTERACTIONS,
            )
        )
    return found


def _interactions(meds: CurrentMedications) -> list[Reason]:
    """Sedation, blood-pressure and attenuation interactions (label 7 [src]; lamotrigine [mem])."""
    found: list[Reason] = []
    simple = (
        (meds.z_drug, "cns_depressant_z_drug", "Z-drug hypnotic: added sedation; monitor"),
        (meds.opioid, "cns_depressant_opioid", "opioid: added sedation and respiratory risk"),
        (meds.maoi, "maoi", "MAOI: blood pressure may rise further; monitor closely"),
        (meds.stimulant, "stimulant", "psychostimulant: blood pressure may rise further"),
        (
            meds.other_blood_pressure_raising,
            "other_blood_pressure_raising_medication",
            "another blood-pressure-raising medicine: monitor blood pressure",
        ),
    )
    for taken, code, message in simple:
        if taken:
            found.append(Reason(code, Severity.CAUTION, message, ALL_ROUTES, LABEL_INTERACTIONS))
    if meds.lamotrigine:
        found.append(
            Reason(
                "lamotrigine",
                Severity.CAUTION,
                "lamotrigine: it lessened ketamine's dissociation in volunteers (Anand 2000) but "
                "did not change the antidepressant response in depressed patients (Mathew 2010)",
                ALL_ROUTES,
                LAMOTRIGINE_ATTENUATION,
            )
        )
    return found


def _rems_form_items(meds: CurrentMedications) -> list[Reason]:
    """Concomitant medicines the SPRAVATO REMS Patient Monitoring Form asks for."""
    found: list[Reason] = []
    rems_items = [
        name
        for taken, name in (
            (meds.benzodiazepine, "benzodiazepine"),
            (meds.z_drug, "non-benzodiazepine sedative hypnotic"),
            (meds.stimulant, "psychostimulant"),
            (meds.maoi, "MAOI"),
            (meds.opioid, "opioid"),
        )
        if taken
    ]
    if rems_items:
        found.append(
            Reason(
                "rems_concomitant_medication",
                Severity.CAUTION,
                "record on the SPRAVATO REMS Patient Monitoring Form: " + ", ".join(rems_items),
                ESKETAMINE_ONLY,
                REMS_FORM,
            )
        )
    return found
