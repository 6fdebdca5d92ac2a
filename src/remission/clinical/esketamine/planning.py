"""What the prescriber reviews when planning an esketamine course: the label's needs for its
indication (an oral antidepressant), its day-1 dose, and MDSI beyond 4 weeks.

Each is a ``LabelNotice`` the prescriber sees and acknowledges (a review with a named reason,
not a refusal): the label is decision support, and the prescriber may have reasons the chart
does not hold. Hard dose limits stay refusals (``remission.clinical.dosing``).
"""

from __future__ import annotations

from remission.clinical import registry
from remission.clinical.esketamine import sources
from remission.clinical.esketamine.label import (
    EsketaminePatient,
    Indication,
    Label,
    LabelNotice,
    dose_notices,
    needs_oral_antidepressant,
    start_dose,
)


def course_review_notices(
    *,
    patient: EsketaminePatient,
    label: Label,
    on_oral_antidepressant: bool | None,
    induction: bool,
    planned_dose_mg: int | None,
) -> tuple[LabelNotice, ...]:
    """The review reasons of a planned esketamine course (empty: nothing to review).

    ``on_oral_antidepressant`` is ``None`` when the chart does not record it; ``induction`` says
    whether the course starts with the induction (its first dose is day 1); ``planned_dose_mg``
    is the course's dose per session (``None``: the label's start dose is used).
    """
    notices: list[LabelNotice] = []
    needed = needs_oral_antidepressant(patient.indication, label)
    if needed is not None and on_oral_antidepressant is not True:
        what = (
            "depressive symptoms with acute suicidal ideation or behaviour"
            if patient.indication is Indication.MDSI
            else "TRD under the SmPC (an SSRI or SNRI)"
        )
        state = (
            "none is recorded"
            if on_oral_antidepressant is None
            else "the medication list holds none"
        )
        notices.append(
            LabelNotice(
                "esketamine_oral_antidepressant_not_recorded"
                if on_oral_antidepressant is None
                else "esketamine_without_oral_antidepressant",
                f"For {what} the label gives esketamine together with an oral antidepressant, "
                f"and {state}: record it, or note why it is given alone",
                needed,
            )
        )
    if induction:
        dose = planned_dose_mg or start_dose(patient, label).dose_mg
        if dose is not None:
            notices.extend(dose_notices(dose, first_dose=True, patient=patient, label=label))
        else:
            start = start_dose(patient, label)
            notices.append(LabelNotice("esketamine_no_label_start", start.reason, start.evidence))
    elif patient.indication is Indication.MDSI:
        notices.append(
            LabelNotice(
                "esketamine_mdsi_beyond_4_weeks",
                "For acute suicidal ideation or behaviour the label gives 4 weeks of twice-"
                "weekly doses; use beyond 4 weeks has not been systematically evaluated",
                sources.US_MDSI if label is Label.US_FDA else sources.SMPC_PSYCHIATRIC_EMERGENCY,
            )
        )
    return tuple(notices)


registry.define_table(
    "esketamine",
    title="Esketamine label rules by indication and label",
    intro="The day-1 dose, the doses that follow and the oral antidepressant, by the clinic's "
    "label (`esketamine.label`) and the course's indication. A departure is a warning the "
    "prescriber acknowledges when planning and when ordering; hard dose limits refuse.",
    columns=("Label", "Indication, patient", "Day 1", "Later doses", "Oral antidepressant"),
    rows=(
        registry.TableRow(
            cells=("US (FDA)", "TRD, any adult age", "56 mg", "56 or 84 mg", "not required (2025)"),
            evidence=(
                sources.US_TRD_DOSING,
                sources.US_NO_AGE_BASED_START,
                sources.US_TRD_MONOTHERAPY,
            ),
        ),
        registry.TableRow(
            cells=("US (FDA)", "MDSI", "84 mg (not a warning)", "84 or 56 mg", "required"),
            evidence=(sources.US_MDSI,),
        ),
        registry.TableRow(
            cells=("EU/UK (SmPC)", "TRD, under 65", "56 mg", "56 or 84 mg", "SSRI or SNRI"),
            evidence=(sources.SMPC_ELDERLY_START, sources.SMPC_TRD_WITH_SSRI_OR_SNRI),
        ),
        registry.TableRow(
            cells=("EU/UK (SmPC)", "TRD, 65 or over", "28 mg", "28, 56 or 84 mg", "SSRI or SNRI"),
            evidence=(sources.SMPC_ELDERLY_START,),
        ),
        registry.TableRow(
            cells=(
                "EU/UK (SmPC)",
                "TRD, Japanese ancestry (unverified)",
                "28 mg",
                "28, 56 or 84 mg",
                "SSRI or SNRI",
            ),
            evidence=(sources.SMPC_JAPANESE_ANCESTRY_START,),
        ),
        registry.TableRow(
            cells=(
                "EU/UK (SmPC)",
                "Psychiatric emergency, under 65",
                "84 mg",
                "84 or 56 mg",
                "required",
            ),
            evidence=(sources.SMPC_PSYCHIATRIC_EMERGENCY,),
        ),
        registry.TableRow(
            cells=(
                "EU/UK (SmPC)",
                "Psychiatric emergency, 65 or over",
                "none given (warned)",
                "56 or 84 mg",
                "required",
            ),
            evidence=(sources.SMPC_PSYCHIATRIC_EMERGENCY,),
        ),
        registry.TableRow(
            cells=(
                "both",
                "CV event (MI, stroke) within 6 weeks",
                "hard stop at eligibility",
                "—",
                "—",
            ),
            evidence=(sources.SMPC_RECENT_CV_EVENT,),
        ),
        registry.TableRow(
            cells=(
                "both",
                "Induction",
                "8 doses in weeks 1–4",
                "flagged if missed doses push it past week 4",
                "—",
            ),
            evidence=(sources.INDUCTION_FOUR_WEEKS,),
        ),
    ),
)
