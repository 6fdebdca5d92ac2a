"""Suicide-risk screen: six clinician-entered yes/no questions; the clinic supplies the wording.

The structure follows the C-SSRS Screener (Posner et al., Am J Psychiatry 2011) but ships none
of its wording: electronic use of the C-SSRS needs a sublicence from Clario, with fees and
certification [src]. Questions are labelled only "Screen question 1".."6".

* Skip rule: if question 2 is No, questions 3–5 are not asked [src: Rula summary].
* Question 6 (behaviour) also records recency: No / Yes, more than 3 months ago / Yes, within
  the past 3 months.
* The result is a risk level, reported as the total 0–3 [src: Columbia triage guideline copy;
  Rula]: high (3) = question 4 or 5 Yes, or behaviour within 3 months; moderate (2) =
  question 3 Yes, or behaviour more than 3 months ago; low (1) = only question 1 or 2 Yes;
  negative (0) = every answer No.
* Any Yes raises a flag; it is evaluated on the answers given, so an incomplete screen with a
  Yes to question 5 is still flagged high.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments.base import (
    AnswerOption,
    Answers,
    Instrument,
    Item,
    Licence,
    LoincCodes,
    Rater,
    RecallPeriod,
    SafetyFlag,
    SeverityBand,
    SeverityBands,
    Subscore,
)

NO, YES = 0, 1
BEHAVIOUR_OVER_3_MONTHS_AGO, BEHAVIOUR_WITHIN_3_MONTHS = 1, 2
NEGATIVE, LOW, MODERATE, HIGH = 0, 1, 2, 3

TRIAGE_SOURCE = Evidence(
    citation="C-SSRS triage guideline (Columbia, copy on docsbay); Rula summary",
    confidence=Confidence.PRIMARY,
    url="https://docsbay.net/doc/914678/c-ssrs-triage-guidelines",
)

SOURCE = Evidence(
    citation="Structure of the C-SSRS Screener (Posner et al., Am J Psychiatry 2011)",
    confidence=Confidence.PRIMARY,
    note="skip rule from a secondary summary (Rula)",
)

_YES_NO = (AnswerOption(NO, "No"), AnswerOption(YES, "Yes"))


def risk_level(answers: Answers) -> int:
    """The triage level implied by the answers given (a missing answer counts as No)."""
    q1, q2, q3, q4, q5, q6 = answers
    if YES in (q4, q5) or q6 == BEHAVIOUR_WITHIN_3_MONTHS:
        return HIGH
    if q3 == YES or q6 == BEHAVIOUR_OVER_3_MONTHS_AGO:
        return MODERATE
    if YES in (q1, q2):
        return LOW
    return NEGATIVE


@dataclass(frozen=True, slots=True)
class TriageRiskLevel:
    """Total rule: the risk level 0–3 rather than a sum."""

    def bounds(self, items: Sequence[Item]) -> tuple[int, int]:
        if len(items) != 6:
            raise ValueError("the triage rule reads exactly six questions")
        return NEGATIVE, HIGH

    def total(self, answers: Answers) -> int:
        return risk_level(answers)

    def subscores(self, items: Sequence[Item], answers: Answers) -> tuple[Subscore, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class GateSkipRule:
    """Questions not asked when the gate question is answered No."""

    gate: int
    skipped: tuple[int, ...]
    description: str
    evidence: Evidence

    def not_asked(self, answers: Answers) -> frozenset[int]:
        return frozenset(self.skipped) if answers[self.gate - 1] == NO else frozenset()


_FLAGS = {
    HIGH: SafetyFlag(
        "suicide_screen_high_risk",
        "Suicide-risk screen answers indicate high risk: immediate clinician evaluation and "
        "safety precautions.",
    ),
    MODERATE: SafetyFlag(
        "suicide_screen_moderate_risk",
        "Suicide-risk screen answers indicate moderate risk: follow the clinic's triage "
        "protocol today.",
    ),
    LOW: SafetyFlag(
        "suicide_screen_low_risk",
        "Suicide-risk screen answers indicate low risk: follow the clinic's triage protocol.",
    ),
}


@dataclass(frozen=True, slots=True)
class RiskLevelFlag:
    """One flag for any Yes, named after the level the answers given imply."""

    evidence: Evidence

    def evaluate(self, answers: Answers) -> SafetyFlag | None:
        return _FLAGS.get(risk_level(answers))


_GENERIC_NOTE = "Wording supplied by the clinic under its own licence."

INSTRUMENT = Instrument(
    id="suicide-screen",
    short_name="Suicide-risk screen",
    name="Suicide-risk screen (clinic-supplied questions)",
    rater=Rater.CLINICIAN,
    recall_period=RecallPeriod(
        "Past month for questions 1–5; question 6 lifetime, with a past-3-months follow-up "
        "(the clinic's licensed version may use 'since last visit')",
        SOURCE,
    ),
    items=(
        *(
            Item(number=n, label=f"Screen question {n}", options=_YES_NO, note=_GENERIC_NOTE)
            for n in range(1, 6)
        ),
        Item(
            number=6,
            label="Screen question 6",
            options=(
                AnswerOption(NO, "No"),
                AnswerOption(BEHAVIOUR_OVER_3_MONTHS_AGO, "Yes, more than 3 months ago"),
                AnswerOption(BEHAVIOUR_WITHIN_3_MONTHS, "Yes, within the past 3 months"),
            ),
            note=f"{_GENERIC_NOTE} Yes/No, and if Yes whether within the past 3 months.",
        ),
    ),
    scoring=TriageRiskLevel(),
    skip_rule=GateSkipRule(
        gate=2,
        skipped=(3, 4, 5),
        description="questions 3–5 are not asked when question 2 is No",
        evidence=Evidence(
            citation="C-SSRS Screener skip rule (Rula summary)", confidence=Confidence.PRIMARY
        ),
    ),
    severity=SeverityBands(
        bands=(
            SeverityBand("negative", "Negative screen", NEGATIVE, NEGATIVE),
            SeverityBand("low", "Low risk", LOW, LOW),
            SeverityBand("moderate", "Moderate risk", MODERATE, MODERATE),
            SeverityBand("high", "High risk", HIGH, HIGH),
        ),
        evidence=TRIAGE_SOURCE,
    ),
    flag_rules=(RiskLevelFlag(TRIAGE_SOURCE),),
    total_label="Risk level (0 negative, 1 low, 2 moderate, 3 high)",
    loinc=LoincCodes(
        panel=None,
        total=None,
        evidence=Evidence(
            citation="No code for a clinic-supplied screen. With a licensed C-SSRS Screener: "
            "panel 93373-9, risk level 93374-7 (one public code base, not checked at loinc.org)",
            confidence=Confidence.SECONDARY,
        ),
    ),
    licence=Licence(
        note="The clinic supplies licensed question text. C-SSRS copyright: Research "
        "Foundation for Mental Hygiene; electronic use needs a Clario sublicence "
        "(licence and per-administration fees, certification of each version).",
        text_redistributable=False,
        evidence=Evidence(
            citation="Clario C-SSRS licensing page",
            confidence=Confidence.PRIMARY,
            url="https://clario.com/about/legal-and-privacy/c-ssrs-licensing-application",
        ),
    ),
    source=SOURCE,
    notes=("PHQ-9 item 9 ≥ 1 is the usual trigger for this screen [2nd].",),
)
