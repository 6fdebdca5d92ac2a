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
        "prescriber",
        "A suicide item is positive: complete the suicide-risk screen and have a clinician "
        "assess risk before the next dose.",
        _SUICIDE_ITEM_EVIDENCE,
    ),
    _Rule(
        "suicide_screen_high_risk",
        Urgency.IMMEDIATE,
        "prescriber,on_call_clinician",
        "Suicide-risk screen high risk: immediate clinician evaluation and safety precautions.",
        _TRIAGE,
    ),
    _Rule(
        "suicide_screen_moderate_risk",
        Urgency.SAME_DAY,
        "prescriber",
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


def escalate(flags: Iterable[str], overrides: Overrides | None = None) -> tuple[Escalation, ...]:
    """One escalation per distinct flag, most urgent first; unknown flags get the default."""
    escalations = []
    for flag in dict.fromkeys(flags):  # distinct, in the order given
        rule = _RULE_BY_NAME[FLAG_RULES.get(flag, DEFAULT_RULE)]
        urgency = Urgency(str(registry.resolve(urgency_key(rule.name), overrides)))
        notify = _roles(str(registry.resolve(notify_key(rule.name), overrides)), rule.name)
        action = rule.action if flag in FLAG_RULES else f"{flag}: {rule.action}"
        escalations.append(Escalation(flag, urgency, notify, action, rule.evidence))
    order = list(Urgency)
    return tuple(sorted(escalations, key=lambda e: order.index(e.urgency)))


def _roles(text: str, rule: str) -> tuple[str, ...]:
    roles = tuple(dict.fromkeys(r.strip() for r in text.split(",") if r.strip()))
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise ClinicalInputError(
            f"{notify_key(rule)}: {', '.join(unknown) or 'no role'} — use {', '.join(ROLES)}"
        )
    return roles
