"""Safety escalation: who must hear about a scored flag, and how fast.

A flag raised by an instrument (e.g. ``phq9_item9_positive``) maps to a rule (e.g. every
scale's suicide item to ``suicide_item_positive``); who to notify and how urgently are clinic
settings per rule. A flag is never dropped: one with no rule gets the default escalation, so a
new instrument flag reaches a prescriber even before anyone configures it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.protocols import sources
from remission.clinical.registry import Overrides


class Urgency(enum.StrEnum):
    IMMEDIATE = "immediate"  # now, before the patient leaves or is dosed
    SAME_DAY = "same_day"
    NEXT_VISIT = "next_visit"


ROLES = ("prescriber", "on_call_clinician", "treating_therapist", "nurse", "medical_director")


@dataclass(frozen=True, slots=True)
class Escalation:
    flag: str
    urgency: Urgency
    notify: tuple[str, ...]
    action: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class _Rule:
    """How one kind of flag escalates; urgency and roles are clinic settings."""

    name: str
    urgency: Urgency
    notify: str
    action: str
    evidence: Evidence


_SUICIDE_ITEM_EVIDENCE = Evidence(
    "A positive suicide item (PHQ-9 item 9 ≥1) is widely used as the trigger for a C-SSRS "
    "screen (public FHIR data dictionary); same-day review is a clinic convention",
    Confidence.SECONDARY,
)
_TRIAGE = Evidence(
    "Columbia C-SSRS triage guideline: intent or plan in the past month, or behaviour in the "
    "past 3 months → immediate evaluation and safety precautions; lower levels per the "
    "clinic's triage protocol (urgency of these is a convention)",
    Confidence.PRIMARY,
    url="https://docsbay.net/doc/914678/c-ssrs-triage-guidelines",
)
DEFAULT_RULE = "default"
_RULES = (
    _Rule(
        "suicide_item_positive",
        Urgency.SAME_DAY,
        "prescriber,medical_director",
        "A suicide item is positive: complete the suicide-risk screen and have a clinician "
        "assess risk before the next dose.",
        _SUICIDE_ITEM_EVIDENCE,
    ),
    _Rule(
        "suicide_screen_high_risk",
        Urgency.IMMEDIATE,
        "prescriber,medical_director,on_call_clinician",
        "Suicide-risk screen high risk: immediate clinician evaluation and safety precautions.",
        _TRIAGE,
    ),
    _Rule(
        "suicide_screen_moderate_risk",
        Urgency.SAME_DAY,
        "prescriber,medical_director",
        "Suicide-risk screen moderate risk: clinician assessment and safety plan today.",
        _TRIAGE,
    ),
    _Rule(
        "suicide_screen_low_risk",
        Urgency.NEXT_VISIT,
        "prescriber",
        "Suicide-risk screen low risk: review at the next visit per the triage protocol.",
        _TRIAGE,
    ),
    _Rule(
        "unresponsive",
        Urgency.IMMEDIATE,
        "nurse,prescriber",
        "No response to a painful stimulus: check airway, breathing and SpO2 now.",
        Evidence(
            "SPRAVATO label 5.1: loss of consciousness (MOAA/S 0) in 0.3%; REMS requires a "
            "prescriber on site",
            Confidence.PRIMARY,
        ),
    ),
    _Rule(
        DEFAULT_RULE,
        Urgency.SAME_DAY,
        "prescriber",
        "Safety flag with no specific escalation rule: a prescriber reviews it.",
        sources.convention("an unconfigured safety flag reaches a prescriber the same day"),
    ),
)
_RULE_BY_NAME = {rule.name: rule for rule in _RULES}

# Flag ids as the instrument modules emit them (referred to by string, not imported).
FLAG_RULES = {
    "phq9_item9_positive": "suicide_item_positive",
    "qids_item12_positive": "suicide_item_positive",
    "madrs_item10_positive": "suicide_item_positive",
    "hamd17_item3_positive": "suicide_item_positive",
    "suicide_screen_high_risk": "suicide_screen_high_risk",
    "suicide_screen_moderate_risk": "suicide_screen_moderate_risk",
    "suicide_screen_low_risk": "suicide_screen_low_risk",
    "moaas_unresponsive": "unresponsive",
}


def urgency_key(rule: str) -> str:
    return f"outcomes.escalation.{rule}.urgency"


def notify_key(rule: str) -> str:
    return f"outcomes.escalation.{rule}.notify"


for _rule in _RULES:
    registry.define(
        urgency_key(_rule.name),
        _rule.urgency.value,
        unit="",
        title=f"Escalation ({_rule.name.replace('_', ' ')}): urgency",
        evidence=_rule.evidence,
        choices=tuple(u.value for u in Urgency),
    )
    registry.define(
        notify_key(_rule.name),
        _rule.notify,
        unit="",
        title=f"Escalation ({_rule.name.replace('_', ' ')}): roles to notify, "
        f"comma-separated from {', '.join(ROLES)}",
        evidence=_rule.evidence,
    )


_ITEM_ANCHORS = Evidence(
    "The suicide items' own anchors: PHQ-9 item 9 = 3 'nearly every day'; QIDS-SR16 item 12 = 3 "
    "thoughts several times a day in detail, plans or an attempt; MADRS item 10 ≥ 4 suicide "
    "considered a solution; HAM-D item 3 ≥ 3 suicidal ideas or gestures",
    Confidence.RECALLED,
    note="at these answers the escalation is immediate, whatever the clinic's setting",
)
# The answer from which a suicide item escalates immediately (the rule's setting below it).
IMMEDIATE_FROM = {
    "phq9_item9_positive": 3,
    "qids_item12_positive": 3,
    "madrs_item10_positive": 4,
    "hamd17_item3_positive": 3,
}


def escalate_flag(
    flag: str, value: int | None = None, overrides: Overrides | None = None
) -> Escalation:
    """How one flag escalates. A suicide item answered at or above ``IMMEDIATE_FROM`` is
    immediate; below, the rule's configured urgency applies."""
    rule = _RULE_BY_NAME[FLAG_RULES.get(flag, DEFAULT_RULE)]
    urgency = Urgency(str(registry.resolve(urgency_key(rule.name), overrides)))
    notify = _roles(str(registry.resolve(notify_key(rule.name), overrides)), rule.name)
    action = rule.action if flag in FLAG_RULES else f"{flag}: {rule.action}"
    evidence = rule.evidence
    threshold = IMMEDIATE_FROM.get(flag)
    if threshold is not None and value is not None and value >= threshold:
        urgency, evidence = Urgency.IMMEDIATE, _ITEM_ANCHORS
        action = f"Suicide item answered {value}: {rule.action}"
    return Escalation(flag, urgency, notify, action, evidence)


def escalate(flags: Iterable[str], overrides: Overrides | None = None) -> tuple[Escalation, ...]:
    """One escalation per distinct flag, most urgent first; unknown flags get the default."""
    escalations = [escalate_flag(flag, None, overrides) for flag in dict.fromkeys(flags)]
    order = list(Urgency)
    return tuple(sorted(escalations, key=lambda e: order.index(e.urgency)))


# --- closing an escalation: the clinician's disposition ---------------------------------------


class Disposition(enum.StrEnum):
    PROCEED_WITH_SAFETY_PLAN = "proceed_with_safety_plan"
    SAME_DAY_EVALUATION = "same_day_psychiatric_evaluation"
    EMERGENCY_REFERRAL = "emergency_referral"

    @property
    def label(self) -> str:
        return _DISPOSITION_LABELS[self]


_DISPOSITION_LABELS = {
    Disposition.PROCEED_WITH_SAFETY_PLAN: "Proceed with a safety plan",
    Disposition.SAME_DAY_EVALUATION: "Same-day psychiatric evaluation (no dose today)",
    Disposition.EMERGENCY_REFERRAL: "Emergency referral (no dose today)",
}
SCREEN_HIGH_RISK = 3  # the suicide-risk screen's level (``instruments.suicide_screen.HIGH``)
NOT_A_SUBSTITUTE = Evidence(
    "SPRAVATO prescribing information (5.x, Suicidal thoughts and behaviours; indication): "
    "esketamine does not replace hospitalisation when clinically warranted; C-SSRS triage: high "
    "risk → immediate evaluation",
    Confidence.PRIMARY,
)
SCREEN_BEFORE_DISPOSITION = Evidence(
    "A positive suicide item triggers a structured risk screen (C-SSRS) before a decision "
    "(public FHIR data dictionary; Columbia triage guideline)",
    Confidence.SECONDARY,
)


def disposition_problems(screen_level: int | None, disposition: Disposition) -> list[str]:
    """Why a disposition cannot close the escalation (empty: it can). It needs a suicide-risk
    screen; a high-risk screen allows only an emergency referral."""
    if screen_level is None:
        return ["Record the suicide-risk screen first; the disposition follows from it."]
    if screen_level >= SCREEN_HIGH_RISK and disposition is not Disposition.EMERGENCY_REFERRAL:
        return [
            "The screen shows high risk (question 4 or 5, or behaviour in the past 3 months): "
            "refer for emergency evaluation now. Ketamine does not replace hospitalisation."
        ]
    return []


def dose_may_proceed(disposition: Disposition) -> bool:
    """Only a disposition to proceed with a safety plan releases a held dose."""
    return disposition is Disposition.PROCEED_WITH_SAFETY_PLAN


registry.define_table(
    "escalation_dispositions",
    title="Closing a safety escalation",
    intro="A positive suicide item or screen holds a dose until a clinician records a "
    "suicide-risk screen and a disposition.",
    columns=("Rule", "Applies"),
    rows=(
        registry.TableRow(
            cells=(
                "A suicide-risk screen is recorded before the disposition",
                "every escalation",
            ),
            evidence=(SCREEN_BEFORE_DISPOSITION,),
        ),
        registry.TableRow(
            cells=("A high-risk screen allows only an emergency referral", "screen level 3"),
            evidence=(NOT_A_SUBSTITUTE,),
        ),
        registry.TableRow(
            cells=(
                "The dose is held until the disposition is to proceed with a safety plan",
                "a dosing session that day",
            ),
            evidence=(SCREEN_BEFORE_DISPOSITION, NOT_A_SUBSTITUTE),
        ),
        registry.TableRow(
            cells=(
                "A suicide item at or above its immediate answer escalates immediately "
                "(PHQ-9 9 ≥ 3, QIDS-SR16 12 ≥ 3, MADRS 10 ≥ 4, HAM-D 3 ≥ 3)",
                "every scored scale",
            ),
            evidence=(_ITEM_ANCHORS,),
        ),
    ),
)


def _roles(text: str, rule: str) -> tuple[str, ...]:
    roles = tuple(dict.fromkeys(r.strip() for r in text.split(",") if r.strip()))
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise ClinicalInputError(
            f"{notify_key(rule)}: {', '.join(unknown) or 'no role'} — use {', '.join(ROLES)}"
        )
    return roles
