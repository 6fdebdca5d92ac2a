"""Today's doses, asked on the pre-dose checklist: proceed, caution or hold, with reasons.

The checklist asks whether a benzodiazepine was taken today (and which, and how much), a
psychostimulant this morning, an opioid today, and alcohol in the last 24 hours
(``checklist.TODAYS_DOSE_QUESTIONS``). This module decides what follows:

* benzodiazepine today: a caution (added sedation); **hold** when the amount is not recorded or
  is above ``monitoring.predose_benzodiazepine_today_hold_above_mg_lorazepam_equivalent``
  (converted with the approximate Ashton equivalents, ``clinical.medications``);
* psychostimulant this morning: a caution (blood pressure may rise further; the pre-dose
  blood-pressure check decides);
* opioid today: a caution (sedation and respiratory depression: continuous pulse oximetry);
* alcohol in the last 24 hours: **hold** (a CNS depressant on board; intoxication is excluded in
  trials) — a clinic convention, labelled as such.

An unanswered question is not decided here: it is an open checklist line, which holds the dose
on its own. The chair-side refuses to start a dose on a hold, as it does for the vitals hold.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.medications import DrugClass, drug
from remission.clinical.protocols import sources

SEDATION_ON_BOARD = Evidence(
    citation="SPRAVATO label section 7: CNS depressants (benzodiazepines, opioids, alcohol) "
    "increase sedation; label 5.1: monitor for sedation",
    confidence=Confidence.PRIMARY,
)
STIMULANT_BP = Evidence(
    citation="SPRAVATO label section 7: psychostimulants may increase blood pressure; monitor "
    "blood pressure closely",
    confidence=Confidence.PRIMARY,
)
BENZODIAZEPINE_TODAY_HOLD = registry.define(
    "monitoring.predose_benzodiazepine_today_hold_above_mg_lorazepam_equivalent",
    Decimal("2"),
    unit="mg lorazepam-equivalent taken today",
    title="Pre-dose: a benzodiazepine amount taken today above this holds the dose",
    evidence=sources.convention(
        "trials excluded more than 2–3 mg/day lorazepam-equivalent (PMC6884875, PMC10812090); "
        "holding the dose above the same amount taken on the day is a clinic convention"
    ),
    minimum="0",
    maximum="4",
)
ALCOHOL_HOLD = sources.convention(
    "alcohol within 24 h of a dose is a CNS depressant on board (SPRAVATO label 7 [src]); "
    "trials excluded acute intoxication; deferring the dose is a clinic convention"
)


registry.define_table(
    "monitoring.todays_doses",
    title="Pre-dose: today's doses",
    intro="What each answer 'yes' to a today's-dose question of the pre-dose checklist leads "
    "to; a hold stops the dose from starting, as the vitals hold does.",
    columns=("Question", "Answer yes", "Outcome"),
    rows=(
        registry.TableRow(
            cells=("`benzodiazepine_today`", "amount at or below the hold limit", "caution"),
            evidence=(SEDATION_ON_BOARD,),
        ),
        registry.TableRow(
            cells=(
                "`benzodiazepine_today`",
                "amount above the hold limit, or not recorded",
                "hold",
            ),
            evidence=(BENZODIAZEPINE_TODAY_HOLD.evidence,),
        ),
        registry.TableRow(
            cells=("`stimulant_this_morning`", "yes", "caution"), evidence=(STIMULANT_BP,)
        ),
        registry.TableRow(
            cells=("`opioid_today`", "yes", "caution"), evidence=(SEDATION_ON_BOARD,)
        ),
        registry.TableRow(cells=("`alcohol_last_24h`", "yes", "hold"), evidence=(ALCOHOL_HOLD,)),
    ),
)


class DayStatus(enum.StrEnum):
    PROCEED = "proceed"
    CAUTION = "caution"
    HOLD = "hold"


DAY_STATUS_LABELS = {
    DayStatus.PROCEED: "Proceed",
    DayStatus.CAUTION: "Caution",
    DayStatus.HOLD: "Hold",
}


@dataclass(frozen=True, slots=True)
class DayFinding:
    code: str
    hold: bool
    message: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class BenzodiazepineTaken:
    """Which benzodiazepine (a catalogue key) and how many mg, as the checklist recorded."""

    drug: str
    dose_mg: Decimal | None


@dataclass(frozen=True, slots=True)
class DayDecision:
    status: DayStatus
    findings: tuple[DayFinding, ...]

    @property
    def holds(self) -> tuple[DayFinding, ...]:
        return tuple(f for f in self.findings if f.hold)


def decide(
    answers: Mapping[str, str | None],
    *,
    benzodiazepine: BenzodiazepineTaken | None = None,
    overrides: registry.Overrides | None = None,
) -> DayDecision:
    """Judge the answers to today's-dose questions (``'yes'``/``'no'``/``None`` by item code)."""
    findings: list[DayFinding] = []
    if answers.get("benzodiazepine_today") == "yes":
        findings.append(_benzodiazepine(benzodiazepine, overrides))
    if answers.get("stimulant_this_morning") == "yes":
        findings.append(
            DayFinding(
                "stimulant_this_morning",
                False,
                "psychostimulant taken this morning: blood pressure may rise further; the "
                "pre-dose blood pressure decides",
                STIMULANT_BP,
            )
        )
    if answers.get("opioid_today") == "yes":
        findings.append(
            DayFinding(
                "opioid_today",
                False,
                "opioid taken today: added sedation and respiratory depression; continuous "
                "pulse oximetry",
                SEDATION_ON_BOARD,
            )
        )
    if answers.get("alcohol_last_24h") == "yes":
        findings.append(
            DayFinding(
                "alcohol_last_24h",
                True,
                "alcohol in the last 24 hours: hold the dose (a CNS depressant on board)",
                ALCOHOL_HOLD,
            )
        )
    if any(f.hold for f in findings):
        status = DayStatus.HOLD
    elif findings:
        status = DayStatus.CAUTION
    else:
        status = DayStatus.PROCEED
    return DayDecision(status, tuple(findings))


def _benzodiazepine(
    taken: BenzodiazepineTaken | None, overrides: registry.Overrides | None
) -> DayFinding:
    limit = registry.resolve_decimal(BENZODIAZEPINE_TODAY_HOLD.key, overrides)
    entry = None if taken is None else drug(taken.drug)
    if (
        taken is None
        or taken.dose_mg is None
        or entry is None
        or entry.lorazepam_mg_per_mg is None
        or DrugClass.BENZODIAZEPINE not in entry.classes
    ):
        return DayFinding(
            "benzodiazepine_today_amount_unknown",
            True,
            "benzodiazepine taken today but which one and how much is not recorded: record it "
            "before the dose",
            SEDATION_ON_BOARD,
        )
    equivalent = taken.dose_mg * entry.lorazepam_mg_per_mg
    what = (
        f"{entry.name} {taken.dose_mg.normalize():f} mg today ≈ "
        f"{equivalent.normalize():f} mg lorazepam-equivalent (approximate)"
    )
    if equivalent > limit:
        return DayFinding(
            "benzodiazepine_today_above_hold",
            True,
            f"{what}, above {limit} mg: hold the dose (added sedation)",
            BENZODIAZEPINE_TODAY_HOLD.evidence,
        )
    return DayFinding(
        "benzodiazepine_today",
        False,
        f"{what}: added sedation; monitor sedation and oxygen saturation",
        SEDATION_ON_BOARD,
    )
