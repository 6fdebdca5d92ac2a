"""Esketamine by indication and by label: the day-1 dose, the doses that follow, and what a
course needs before it is planned.

Facts (``sources``):

* **Indications.** Treatment-resistant depression (TRD) and depressive symptoms in adults with
  MDD with acute suicidal ideation or behaviour (MDSI; the SmPC's "psychiatric emergency").
* **US label (FDA).** TRD: day 1 56 mg, then 56 or 84 mg [src]; no 28 mg or age-based start
  [mem]; monotherapy allowed since 21 January 2025 [2nd]. MDSI: 84 mg twice weekly for 4 weeks,
  56 mg if not tolerated [mem], with an oral antidepressant [src].
* **EU/UK SmPC.** TRD: day 1 56 mg, or 28 mg at 65 or over [2nd] and — unverified — for patients
  of Japanese ancestry [?]; then 28/56/84 mg for those patients; always with an SSRI or SNRI
  [2nd]. Psychiatric emergency: 84 mg (56 mg on tolerability) for adults under 65, with an oral
  antidepressant [2nd]; the copies read give no dose at 65 or over.

Which label applies is the clinic setting ``esketamine.label``. Facts the rules need and the
chart does not hold are ``None`` (not recorded), never guessed: an unknown age or ancestry
under the SmPC, or an unrecorded oral antidepressant, is named in the result.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.esketamine import sources
from remission.clinical.evidence import Confidence, Evidence

ELDERLY_FROM_AGE_YEARS = 65  # SmPC 4.2: "adults ≥65 years"
LOW_START_MG = 28
STANDARD_START_MG = 56
MDSI_DOSE_MG = 84
STANDARD_DOSES_MG = (56, 84)
LOW_START_DOSES_MG = (28, 56, 84)


class Indication(enum.StrEnum):
    TRD = "trd"
    MDSI = "mdsi"

    @property
    def label(self) -> str:
        return _INDICATION_LABELS[self]


_INDICATION_LABELS = {
    Indication.TRD: "Treatment-resistant depression",
    Indication.MDSI: "Depressive symptoms in MDD with acute suicidal ideation or behaviour",
}


class Label(enum.StrEnum):
    """The product label a clinic follows for esketamine."""

    US_FDA = "us-fda"
    EU_UK_SMPC = "eu-uk-smpc"

    @property
    def display(self) -> str:
        return _LABEL_TITLES[self]


_LABEL_TITLES = {
    Label.US_FDA: "US prescribing information (FDA)",
    Label.EU_UK_SMPC: "EU/UK summary of product characteristics (SmPC)",
}

LABEL_KEY = "esketamine.label"
registry.define(
    LABEL_KEY,
    Label.US_FDA.value,
    unit="",
    title="The esketamine label this clinic follows: US (FDA) or EU/UK (SmPC); it sets the "
    "day-1 dose and whether TRD needs an oral antidepressant",
    evidence=Evidence(
        "The product label of the jurisdiction the clinic practises in: the US prescribing "
        "information (FDA) or the EU/UK SmPC (EMA, MHRA)",
        Confidence.RECALLED,
        note="a regulatory fact about the clinic, set by its medical director",
    ),
    choices=tuple(label.value for label in Label),
)


def clinic_label(overrides: registry.Overrides | None = None) -> Label:
    """The label the clinic follows (``esketamine.label``; default the US label)."""
    return Label(str(registry.resolve(LABEL_KEY, overrides)))


@dataclass(frozen=True, slots=True)
class EsketaminePatient:
    """What the label rules read about a patient and course. ``None``: not recorded."""

    indication: Indication = Indication.TRD
    age_years: int | None = None
    japanese_ancestry: bool | None = None


@dataclass(frozen=True, slots=True)
class StartDose:
    """The label's day-1 dose for a patient, the doses that may follow, and why."""

    dose_mg: int | None  # None: the label gives no day-1 dose for this patient
    later_doses_mg: tuple[int, ...]
    reason: str
    evidence: Evidence
    not_recorded: tuple[str, ...] = ()  # facts the rule needs that the chart does not hold

    @property
    def summary(self) -> str:
        """E.g. "Day 1: 28 mg; then 28, 56 or 84 mg"."""
        first = "no labelled dose" if self.dose_mg is None else f"{self.dose_mg} mg"
        *most, last = (str(mg) for mg in self.later_doses_mg)
        later = f"{', '.join(most)} or {last}" if most else last
        return f"Day 1: {first}; then {later} mg"


def start_dose(patient: EsketaminePatient, label: Label) -> StartDose:
    """The day-1 dose the label gives ``patient`` (sources in ``sources``)."""
    if patient.indication is Indication.MDSI:
        return _mdsi_start(patient, label)
    if label is Label.US_FDA:
        return StartDose(
            STANDARD_START_MG,
            STANDARD_DOSES_MG,
            "US label, TRD: 56 mg on day 1 at any adult age (no 28 mg start)",
            sources.US_NO_AGE_BASED_START,
        )
    return _smpc_trd_start(patient)


def _mdsi_start(patient: EsketaminePatient, label: Label) -> StartDose:
    if label is Label.US_FDA:
        return StartDose(
            MDSI_DOSE_MG,
            STANDARD_DOSES_MG,
            "US label, MDSI: 84 mg twice weekly for 4 weeks (56 mg if 84 mg is not tolerated)",
            sources.US_MDSI,
        )
    if patient.age_years is not None and patient.age_years >= ELDERLY_FROM_AGE_YEARS:
        return StartDose(
            None,
            STANDARD_DOSES_MG,
            f"SmPC, psychiatric emergency: the dose is given for adults under "
            f"{ELDERLY_FROM_AGE_YEARS} only; at {patient.age_years} the prescriber sets it",
            sources.SMPC_PSYCHIATRIC_EMERGENCY,
        )
    return StartDose(
        MDSI_DOSE_MG,
        STANDARD_DOSES_MG,
        "SmPC, psychiatric emergency: 84 mg twice weekly for 4 weeks (56 mg on tolerability)",
        sources.SMPC_PSYCHIATRIC_EMERGENCY,
        not_recorded=("age",) if patient.age_years is None else (),
    )


def _smpc_trd_start(patient: EsketaminePatient) -> StartDose:
    age = patient.age_years
    if age is not None and age >= ELDERLY_FROM_AGE_YEARS:
        return StartDose(
            LOW_START_MG,
            LOW_START_DOSES_MG,
            f"SmPC, TRD, {ELDERLY_FROM_AGE_YEARS} or over (age {age}): 28 mg on day 1, "
            "then 28, 56 or 84 mg in 28 mg steps",
            sources.SMPC_ELDERLY_START,
        )
    if patient.japanese_ancestry:
        return StartDose(
            LOW_START_MG,
            LOW_START_DOSES_MG,
            "SmPC, TRD, Japanese ancestry: 28 mg on day 1, then 28, 56 or 84 mg in 28 mg steps "
            "(this rule is unverified; see its source)",
            sources.SMPC_JAPANESE_ANCESTRY_START,
        )
    missing = tuple(
        name
        for name, value in (("age", age), ("Japanese ancestry", patient.japanese_ancestry))
        if value is None
    )
    return StartDose(
        STANDARD_START_MG,
        STANDARD_DOSES_MG,
        f"SmPC, TRD, under {ELDERLY_FROM_AGE_YEARS} and not of Japanese ancestry: 56 mg on day 1"
        + (f" (not recorded: {', '.join(missing)}; 28 mg if either applies)" if missing else ""),
        sources.SMPC_ELDERLY_START,
        not_recorded=missing,
    )


@dataclass(frozen=True, slots=True)
class LabelNotice:
    """A label rule a dose or a course plan departs from: shown, and acknowledged by a person."""

    code: str
    message: str
    evidence: Evidence


def dose_notices(
    dose_mg: int, *, first_dose: bool, patient: EsketaminePatient, label: Label
) -> tuple[LabelNotice, ...]:
    """Where a dose of ``dose_mg`` departs from ``label`` for ``patient`` (empty: it does not).

    The first dose is judged against the day-1 dose, every dose against the doses the label
    allows the patient; facts the rule needs and the chart lacks are named on the first dose.
    """
    start = start_dose(patient, label)
    notices: list[LabelNotice] = []
    allowed = set(start.later_doses_mg) | ({start.dose_mg} if start.dose_mg else set())
    if dose_mg not in allowed:
        doses = ", ".join(str(mg) for mg in sorted(allowed))
        notices.append(
            LabelNotice(
                "esketamine_dose_not_label_dose",
                f"{dose_mg} mg is not a labelled dose for this patient ({doses} mg)",
                start.evidence,
            )
        )
    if first_dose:
        if start.dose_mg is None:
            notices.append(LabelNotice("esketamine_no_label_start", start.reason, start.evidence))
        elif dose_mg != start.dose_mg:
            notices.append(
                LabelNotice(
                    "esketamine_first_dose_not_label_start",
                    f"the label's day-1 dose is {start.dose_mg} mg, not {dose_mg} mg "
                    f"({start.reason})",
                    start.evidence,
                )
            )
        if start.not_recorded:
            notices.append(
                LabelNotice(
                    "esketamine_start_fact_not_recorded",
                    f"record the patient's {' and '.join(start.not_recorded)}: the day-1 dose "
                    "depends on it under the SmPC",
                    start.evidence,
                )
            )
    return tuple(notices)


def needs_oral_antidepressant(indication: Indication, label: Label) -> Evidence | None:
    """Whether the label gives esketamine only with an oral antidepressant (its source), or
    ``None`` when it may be given alone (US TRD since January 2025)."""
    if indication is Indication.MDSI:
        return sources.US_MDSI if label is Label.US_FDA else sources.SMPC_PSYCHIATRIC_EMERGENCY
    if label is Label.EU_UK_SMPC:
        return sources.SMPC_TRD_WITH_SSRI_OR_SNRI
    return None
