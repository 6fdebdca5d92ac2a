"""Current medicines: interactions (label 7), benzodiazepine dose (trial exclusions), the
SPRAVATO REMS monitoring-form items, and what the reconciled list adds: gabapentinoids,
naltrexone, alcohol, and medicines on board on the day of dosing (reference §3 item 9).

Intakes recorded with the older yes/no boxes are judged by the same class rules through
``exposure``; the list-only rules (timing, gabapentinoids, naltrexone, alcohol) need the list.
"""

from __future__ import annotations

from remission.clinical import registry
from remission.clinical.eligibility.exposure import MedicationExposure, exposure
from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.reasons import Reason
from remission.clinical.eligibility.settings import RuleSettings
from remission.clinical.eligibility.sources import (
    ALCOHOL_INTERACTION,
    BENZODIAZEPINE_EXCLUSION,
    GABAPENTINOID_DEPRESSION,
    LABEL_INTERACTIONS,
    LAMOTRIGINE_ATTENUATION,
    NALTREXONE_ATTENUATION,
    REMS_FORM,
    SAME_DAY_MEDICATION,
)
from remission.clinical.eligibility.vocabulary import ESKETAMINE_ONLY, Severity
from remission.clinical.evidence import Evidence
from remission.clinical.medications import (
    AlcoholUse,
    DrugClass,
    LastTaken,
    MedicationUse,
    in_class,
)
from remission.clinical.routes import ALL_ROUTES


def reasons(intake: Intake, settings: RuleSettings) -> list[Reason]:
    """Class rules for both forms; the list's own rules only for an intake with a list."""
    meds = exposure(intake)
    found = [
        *_benzodiazepine(meds, settings, intake.medications),
        *_interactions(meds),
        *_rems_form_items(meds),
    ]
    if not intake.recorded_before_presedation:
        found += [
            *_on_the_dosing_day(intake.medications),
            *_list_only_classes(meds),
            *_alcohol(intake.alcohol),
        ]
    return found


def _rows(rows: tuple[MedicationUse, ...]) -> str:
    return ", ".join(
        f"{r.display_name} {r.dose:g} {r.unit.value} {r.frequency.label}" for r in rows
    )


def _benzodiazepine(
    meds: MedicationExposure, settings: RuleSettings, medications: tuple[MedicationUse, ...]
) -> list[Reason]:
    """A dose above the threshold or not known needs review; any dose adds sedation. The list's
    doses are converted to lorazepam-equivalent mg/day with the Ashton table (approximate)."""
    found: list[Reason] = []
    if not meds.takes(DrugClass.BENZODIAZEPINE):
        return found
    dose = meds.lorazepam_mg_per_day
    limit = settings.benzodiazepine_max_mg_per_day
    listed = _rows(in_class(medications, DrugClass.BENZODIAZEPINE))
    if dose is None:
        message = (
            f"benzodiazepine ({listed}) has no daily amount (taken as needed, weekly or "
            f"otherwise): record the usual daily dose; doses above {limit} mg/day "
            "lorazepam-equivalent need review"
            if meds.from_list
            else "benzodiazepine taken but the lorazepam-equivalent dose is not recorded: "
            f"doses above {limit} mg/day need review"
        )
        found.append(
            Reason(
                "benzodiazepine_dose_unknown",
                Severity.RELATIVE,
                message,
                ALL_ROUTES,
                BENZODIAZEPINE_EXCLUSION,
            )
        )
    elif dose > limit:
        what = (
            f"benzodiazepine ({listed}) ≈ {dose.normalize():f} mg/day lorazepam-equivalent "
            "(approximate, Ashton table)"
            if meds.from_list
            else f"benzodiazepine {dose} mg/day lorazepam-equivalent"
        )
        found.append(
            Reason(
                "benzodiazepine_above_threshold",
                Severity.RELATIVE,
                f"{what} is above {limit} mg/day: excluded in trials; may blunt the response "
                "and adds sedation",
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


def _interactions(meds: MedicationExposure) -> list[Reason]:
    """Sedation, blood-pressure and attenuation interactions (label 7 [src]; lamotrigine [mem])."""
    found: list[Reason] = []
    simple = (
        (DrugClass.Z_DRUG, "cns_depressant_z_drug", "Z-drug hypnotic: added sedation; monitor"),
        (DrugClass.OPIOID, "cns_depressant_opioid", "opioid: added sedation and respiratory risk"),
        (DrugClass.MAOI, "maoi", "MAOI: blood pressure may rise further; monitor closely"),
        (DrugClass.STIMULANT, "stimulant", "psychostimulant: blood pressure may rise further"),
    )
    for drug_class, code, message in simple:
        if meds.takes(drug_class):
            found.append(Reason(code, Severity.CAUTION, message, ALL_ROUTES, LABEL_INTERACTIONS))
    if meds.other_blood_pressure_raising:
        found.append(
            Reason(
                "other_blood_pressure_raising_medication",
                Severity.CAUTION,
                "another blood-pressure-raising medicine: monitor blood pressure",
                ALL_ROUTES,
                LABEL_INTERACTIONS,
            )
        )
    if meds.takes(DrugClass.LAMOTRIGINE):
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


def _rems_form_items(meds: MedicationExposure) -> list[Reason]:
    """Concomitant medicines the SPRAVATO REMS Patient Monitoring Form asks for."""
    rems_items = [
        name
        for drug_class, name in (
            (DrugClass.BENZODIAZEPINE, "benzodiazepine"),
            (DrugClass.Z_DRUG, "non-benzodiazepine sedative hypnotic"),
            (DrugClass.STIMULANT, "psychostimulant"),
            (DrugClass.MAOI, "MAOI"),
            (DrugClass.OPIOID, "opioid"),
        )
        if meds.takes(drug_class)
    ]
    if not rems_items:
        return []
    return [
        Reason(
            "rems_concomitant_medication",
            Severity.CAUTION,
            "record on the SPRAVATO REMS Patient Monitoring Form: " + ", ".join(rems_items),
            ESKETAMINE_ONLY,
            REMS_FORM,
        )
    ]


def _on_the_dosing_day(medications: tuple[MedicationUse, ...]) -> list[Reason]:
    """A benzodiazepine taken daily or today, a stimulant taken today: on board at the dose."""
    found: list[Reason] = []
    benzodiazepines = tuple(
        r
        for r in in_class(medications, DrugClass.BENZODIAZEPINE)
        if r.last_taken is LastTaken.TODAY or r.frequency.doses_per_day is not None
    )
    if benzodiazepines:
        found.append(
            Reason(
                "benzodiazepine_on_dosing_day",
                Severity.CAUTION,
                f"benzodiazepine taken daily or today ({_rows(benzodiazepines)}): it will be on "
                "board within the day of dosing; the pre-dose checklist asks what was taken",
                ALL_ROUTES,
                SAME_DAY_MEDICATION,
            )
        )
    stimulants = tuple(
        r for r in in_class(medications, DrugClass.STIMULANT) if r.last_taken is LastTaken.TODAY
    )
    if stimulants:
        found.append(
            Reason(
                "stimulant_taken_today",
                Severity.CAUTION,
                f"psychostimulant taken today ({_rows(stimulants)}): blood pressure may rise "
                "further if dosed today; the pre-dose checklist asks again",
                ALL_ROUTES,
                SAME_DAY_MEDICATION,
            )
        )
    return found


def _list_only_classes(meds: MedicationExposure) -> list[Reason]:
    """Gabapentinoids and naltrexone: not asked by the older boxes."""
    found: list[Reason] = []
    if meds.takes(DrugClass.GABAPENTINOID):
        found.append(
            Reason(
                "cns_depressant_gabapentinoid",
                Severity.CAUTION,
                "gabapentinoid: added sedation and a risk of breathing difficulty with other "
                "CNS depressants; monitor oxygen saturation",
                ALL_ROUTES,
                GABAPENTINOID_DEPRESSION,
            )
        )
    if meds.takes(DrugClass.NALTREXONE):
        found.append(
            Reason(
                "naltrexone",
                Severity.CAUTION,
                "naltrexone: one small trial found it blunted ketamine's antidepressant effect "
                "(Williams 2018), another did not (Yoon 2019); it also blocks opioid analgesia",
                ALL_ROUTES,
                NALTREXONE_ATTENUATION,
            )
        )
    return found


def _alcohol(alcohol: AlcoholUse | None) -> list[Reason]:
    """Heavy use needs review (abuse risk, CNS depressant); any use is a caution."""
    if alcohol is None or alcohol is AlcoholUse.NONE:
        return []
    if alcohol is AlcoholUse.HEAVY:
        return [
            Reason(
                "alcohol_heavy_use",
                Severity.RELATIVE,
                "heavy alcohol use: assess for an alcohol use disorder (misuse risk) and "
                "withdrawal; a CNS depressant that adds sedation",
                ALL_ROUTES,
                ALCOHOL_INTERACTION,
            )
        ]
    return [
        Reason(
            "alcohol_use",
            Severity.CAUTION,
            f"alcohol ({alcohol.value}): a CNS depressant; none in the 24 h before a dose "
            "(the pre-dose checklist asks)",
            ALL_ROUTES,
            ALCOHOL_INTERACTION,
        )
    ]


def _row(code: str, finding: str, tier: str, evidence: Evidence) -> registry.TableRow:
    return registry.TableRow(cells=(f"`{code}`", finding, tier), evidence=(evidence,))


registry.define_table(
    "eligibility.medication_list",
    title="Eligibility: the medication list",
    intro="Reasons drawn from the reconciled medication list (catalogue below) and the alcohol "
    "question. Benzodiazepines are summed as lorazepam-equivalent mg/day (approximate, Ashton "
    "table) against `eligibility.benzodiazepine_lorazepam_equivalent_max_mg_per_day`. Intakes "
    "recorded with the older yes/no boxes keep the class rules they had (benzodiazepine, "
    "Z-drug, opioid, MAOI, stimulant, lamotrigine, REMS items) and draw none of the list-only "
    "ones.",
    columns=("Reason", "Finding", "Tier"),
    rows=(
        _row("benzodiazepine_above_threshold", "lorazepam-equivalent mg/day above the "
             "threshold", "review", BENZODIAZEPINE_EXCLUSION),
        _row("benzodiazepine_dose_unknown", "a benzodiazepine with no daily amount (as needed, "
             "weekly)", "review", BENZODIAZEPINE_EXCLUSION),
        _row("benzodiazepine_on_dosing_day", "a benzodiazepine taken daily or today", "caution",
             SAME_DAY_MEDICATION),
        _row("stimulant_taken_today", "a psychostimulant taken today", "caution",
             SAME_DAY_MEDICATION),
        _row("cns_depressant_gabapentinoid", "gabapentin or pregabalin", "caution",
             GABAPENTINOID_DEPRESSION),
        _row("naltrexone", "naltrexone", "caution", NALTREXONE_ATTENUATION),
        _row("alcohol_use", "occasional or regular alcohol", "caution", ALCOHOL_INTERACTION),
        _row("alcohol_heavy_use", "heavy alcohol use", "review", ALCOHOL_INTERACTION),
        _row("maoi / stimulant / cns_depressant_*", "MAOI, psychostimulant, opioid, Z-drug, "
             "benzodiazepine", "caution", LABEL_INTERACTIONS),
        _row("lamotrigine", "lamotrigine", "caution", LAMOTRIGINE_ATTENUATION),
        _row("rems_concomitant_medication", "esketamine: a class the REMS form asks about",
             "caution", REMS_FORM),
    ),
)  # fmt: skip
