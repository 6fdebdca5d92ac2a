"""Vital signs: the pre-dose check and the alerts raised chair-side during a session.

Every alert carries a stable code, the value, the threshold in force, the setting it came from
and its source, because a person must acknowledge it and the record must show why it fired.
The suggested actions defer to the clinic's SOP: these are prompts, not orders.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Evidence
from remission.clinical.monitoring import thresholds as t
from remission.clinical.protocols.datetimes import require_aware
from remission.clinical.registry import ClinicalDefault, Overrides
from remission.clinical.routes import Drug

# Readings outside these ranges are almost certainly entry or device errors; they are refused
# rather than alerted on. These are data checks, not clinical thresholds.
PLAUSIBLE_RANGES: dict[str, tuple[int, int]] = {
    "systolic_mmhg": (50, 300),
    "diastolic_mmhg": (20, 200),
    "heart_rate_bpm": (20, 250),
    "spo2_percent": (50, 100),
    "respiratory_rate_per_min": (2, 60),
}
MOAAS_AWAKE = 5
# MOAA/S 1: responds only to a trapezius squeeze; 0: no response.
_MOAAS_UNRESPONSIVE = 1


@dataclass(frozen=True, slots=True)
class VitalSigns:
    """One set of vital signs; any measure may be missing, BP comes as a pair."""

    measured_at: dt.datetime
    systolic_mmhg: int | None = None
    diastolic_mmhg: int | None = None
    heart_rate_bpm: int | None = None
    spo2_percent: int | None = None
    respiratory_rate_per_min: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "measured_at", require_aware(self.measured_at, "measured_at"))
        for measure, (low, high) in PLAUSIBLE_RANGES.items():
            value = getattr(self, measure)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise ClinicalInputError(f"{measure}: expected a whole number, got {value!r}")
            if not low <= value <= high:
                raise ClinicalInputError(
                    f"{measure} {value} is outside the plausible range {low}–{high}; "
                    "check the reading"
                )
        if (self.systolic_mmhg is None) != (self.diastolic_mmhg is None):
            raise ClinicalInputError("blood pressure needs both systolic and diastolic values")
        bp = self.blood_pressure
        if bp is not None and bp[1] >= bp[0]:
            raise ClinicalInputError(f"diastolic {bp[1]} is not below systolic {bp[0]}")

    @property
    def blood_pressure(self) -> tuple[int, int] | None:
        """(systolic, diastolic) in mmHg, or None when BP was not taken."""
        if self.systolic_mmhg is None or self.diastolic_mmhg is None:
            return None
        return self.systolic_mmhg, self.diastolic_mmhg


class Severity(enum.StrEnum):
    CAUTION = "caution"  # review and recheck
    URGENT = "urgent"  # act now per SOP


@dataclass(frozen=True, slots=True)
class VitalAlert:
    code: str
    severity: Severity
    message: str
    advice: str
    measure: str
    value: int
    threshold: Decimal
    setting: str
    measured_at: dt.datetime
    evidence: Evidence


class FromBaseline(enum.StrEnum):
    """What an alert rule compares: the reading itself, its rise in units, or its fall in %."""

    NO = "no"
    RISE = "rise"
    FALL_PERCENT = "fall_percent"


@dataclass(frozen=True, slots=True)
class AlertRule:
    """One alert: ``fires(value, threshold)`` on the reading, its rise from the baseline in the
    rule's unit, or its fall from the baseline in %."""

    code: str
    setting: ClinicalDefault
    measure: str
    label: str
    unit: str
    fires: Callable[[Decimal, Decimal], bool]
    comparison: str
    severity: Severity
    advice: str
    from_baseline: FromBaseline = FromBaseline.NO


_BP_HIGH_ADVICE = (
    "Recheck BP; pause or slow the dose per the clinic SOP; assess for headache, chest pain or "
    "neurological signs (emergency vs asymptomatic urgency, Yip 2022)."
)
_RISE_ADVICE = "Recheck BP and follow the trend; BP usually peaks 30–40 min after dose start."
_BP_LOW_ADVICE = (
    "Recheck BP lying down; assess for bleeding, dehydration, vasovagal or cardiac causes "
    "(ketamine usually raises BP); stop the dose and call the prescriber per the clinic SOP."
)
_RISE, _FALL = FromBaseline.RISE, FromBaseline.FALL_PERCENT

ALERT_RULES: tuple[AlertRule, ...] = (
    AlertRule(
        "BP_SYSTOLIC_HIGH", t.ALERT_SYSTOLIC, "systolic_mmhg", "Systolic BP", "mmHg",
        operator.ge, "at or above", Severity.URGENT, _BP_HIGH_ADVICE,
    ),
    AlertRule(
        "BP_DIASTOLIC_HIGH", t.ALERT_DIASTOLIC, "diastolic_mmhg", "Diastolic BP", "mmHg",
        operator.ge, "at or above", Severity.URGENT, _BP_HIGH_ADVICE,
    ),
    AlertRule(
        "BP_SYSTOLIC_RISE", t.ALERT_SYSTOLIC_RISE, "systolic_mmhg", "Systolic BP", "mmHg",
        operator.ge, "at or above", Severity.CAUTION, _RISE_ADVICE, from_baseline=_RISE,
    ),
    AlertRule(
        "BP_DIASTOLIC_RISE", t.ALERT_DIASTOLIC_RISE, "diastolic_mmhg", "Diastolic BP", "mmHg",
        operator.ge, "at or above", Severity.CAUTION, _RISE_ADVICE, from_baseline=_RISE,
    ),
    AlertRule(
        "BP_SYSTOLIC_LOW", t.HYPOTENSION_SYSTOLIC, "systolic_mmhg", "Systolic BP", "mmHg",
        operator.lt, "below", Severity.URGENT, _BP_LOW_ADVICE,
    ),
    AlertRule(
        "BP_DIASTOLIC_LOW", t.HYPOTENSION_DIASTOLIC, "diastolic_mmhg", "Diastolic BP", "mmHg",
        operator.lt, "below", Severity.URGENT, _BP_LOW_ADVICE,
    ),
    AlertRule(
        "BP_SYSTOLIC_FALL", t.BP_FALL_PERCENT, "systolic_mmhg", "Systolic BP", "%",
        operator.ge, "at or above", Severity.CAUTION, _BP_LOW_ADVICE, from_baseline=_FALL,
    ),
    AlertRule(
        "HR_HIGH", t.ALERT_HEART_RATE_HIGH, "heart_rate_bpm", "Heart rate", "bpm",
        operator.gt, "above", Severity.CAUTION,
        "Recheck; assess for pain, anxiety or arrhythmia per the clinic SOP.",
    ),
    AlertRule(
        "HR_LOW", t.ALERT_HEART_RATE_LOW, "heart_rate_bpm", "Heart rate", "bpm",
        operator.lt, "below", Severity.CAUTION,
        "Recheck; assess symptoms and perfusion per the clinic SOP.",
    ),
    AlertRule(
        "SPO2_LOW", t.ALERT_SPO2_LOW, "spo2_percent", "SpO2", "%",
        operator.lt, "below", Severity.URGENT,
        "Check the probe, rouse the patient, assess airway and breathing; oxygen per SOP.",
    ),
    AlertRule(
        "RR_LOW", t.ALERT_RESPIRATORY_RATE_LOW, "respiratory_rate_per_min", "Respiratory rate",
        "/min", operator.lt, "below", Severity.URGENT,
        "Assess airway and breathing for respiratory depression; rouse the patient per SOP.",
    ),
    AlertRule(
        "RR_HIGH", t.ALERT_RESPIRATORY_RATE_HIGH, "respiratory_rate_per_min", "Respiratory rate",
        "/min", operator.gt, "above", Severity.CAUTION,
        "Reassess; consider anxiety or distress.",
    ),
)  # fmt: skip


# The human label of every alert code (``SessionAlert.code`` and its reasons), for screens.
ALERT_TITLES: dict[str, str] = {
    "BP_SYSTOLIC_HIGH": "Systolic blood pressure high",
    "BP_DIASTOLIC_HIGH": "Diastolic blood pressure high",
    "BP_SYSTOLIC_RISE": "Systolic blood pressure risen from baseline",
    "BP_DIASTOLIC_RISE": "Diastolic blood pressure risen from baseline",
    "BP_SYSTOLIC_LOW": "Systolic blood pressure low",
    "BP_DIASTOLIC_LOW": "Diastolic blood pressure low",
    "BP_SYSTOLIC_FALL": "Systolic blood pressure fallen from baseline",
    "HR_HIGH": "Heart rate high",
    "HR_LOW": "Heart rate low",
    "SPO2_LOW": "Oxygen saturation low",
    "RR_LOW": "Respiratory rate low",
    "RR_HIGH": "Respiratory rate high",
    "SEDATION_DEEP": "Sedation deeper than intended",
    "over_delivery": "Over-delivery against the order",
}
SEVERITY_LABELS = {Severity.CAUTION: "Caution", Severity.URGENT: "Urgent"}
PREDOSE_STATUS_LABELS: dict[str, str] = {
    "proceed": "Proceed",
    "proceed_with_caution": "Proceed with caution",
    "hold": "Hold",
}


def evaluate_vitals(
    reading: VitalSigns,
    baseline: VitalSigns | None = None,
    overrides: Overrides | None = None,
    drug: Drug | None = None,
) -> list[VitalAlert]:
    """The alerts one reading raises; rises and falls from baseline need the ``baseline``.
    Each alert cites the source for ``drug`` (``thresholds.evidence_for``)."""
    alerts = []
    for rule in ALERT_RULES:
        alert = _apply(rule, reading, baseline, overrides, drug)
        if alert is not None:
            alerts.append(alert)
    return alerts


def _apply(
    rule: AlertRule,
    reading: VitalSigns,
    baseline: VitalSigns | None,
    overrides: Overrides | None,
    drug: Drug | None = None,
) -> VitalAlert | None:
    value = getattr(reading, rule.measure)
    if value is None:
        return None
    base = getattr(baseline, rule.measure) if baseline is not None else None
    threshold = registry.resolve_decimal(rule.setting.key, overrides)
    if rule.from_baseline is FromBaseline.NO:
        compared = Decimal(value)
        message = f"{rule.label} {value} {rule.unit} is {rule.comparison} {threshold} {rule.unit}"
    elif base is None or base <= 0:
        return None
    elif rule.from_baseline is FromBaseline.RISE:
        compared = Decimal(value - base)
        message = (
            f"{rule.label} rose {compared} {rule.unit} from baseline {base} "
            f"({rule.comparison} {threshold} {rule.unit})"
        )
    else:
        compared = (Decimal(base - value) * 100 / base).quantize(Decimal("1"))
        message = (
            f"{rule.label} {value} fell {compared} % from baseline {base} "
            f"({rule.comparison} {threshold} %)"
        )
    if not rule.fires(compared, threshold):
        return None
    return VitalAlert(
        code=rule.code,
        severity=rule.severity,
        message=message,
        advice=rule.advice,
        measure=rule.measure,
        value=int(compared),
        threshold=threshold,
        setting=rule.setting.key,
        measured_at=reading.measured_at,
        evidence=t.evidence_for(rule.setting, drug),
    )


def evaluate_sedation(
    moaas_score: int,
    measured_at: dt.datetime,
    overrides: Overrides | None = None,
    drug: Drug | None = None,
) -> list[VitalAlert]:
    """An alert when the MOAA/S score shows deeper sedation than the clinic allows."""
    if isinstance(moaas_score, bool) or moaas_score not in range(0, MOAAS_AWAKE + 1):
        raise ClinicalInputError(f"MOAA/S score must be 0 to 5, got {moaas_score!r}")
    measured_at = require_aware(measured_at, "measured_at")
    threshold = registry.resolve_decimal(t.ALERT_SEDATION.key, overrides)
    if moaas_score > threshold:
        return []
    severity = Severity.URGENT if moaas_score <= _MOAAS_UNRESPONSIVE else Severity.CAUTION
    return [
        VitalAlert(
            code="SEDATION_DEEP",
            severity=severity,
            message=f"MOAA/S {moaas_score} is at or below {threshold} (5 = awake)",
            advice="Assess airway and responsiveness; sedation is deeper than intended.",
            measure="moaas",
            value=moaas_score,
            threshold=threshold,
            setting=t.ALERT_SEDATION.key,
            measured_at=measured_at,
            evidence=t.evidence_for(t.ALERT_SEDATION, drug),
        )
    ]


class PredoseStatus(enum.StrEnum):
    PROCEED = "proceed"
    CAUTION = "proceed_with_caution"  # the prescriber weighs the risk and records the decision
    HOLD = "hold"


@dataclass(frozen=True, slots=True)
class PredoseFinding:
    code: str
    status: PredoseStatus
    message: str
    evidence: Evidence | None = None
    setting: str = ""


@dataclass(frozen=True, slots=True)
class PredoseDecision:
    status: PredoseStatus
    findings: tuple[PredoseFinding, ...]
    message: str

    @property
    def proceed(self) -> bool:
        return self.status is not PredoseStatus.HOLD


_REQUIRED_BEFORE_DOSE = (
    ("systolic_mmhg", "BP_NOT_RECORDED", "Blood pressure"),
    ("heart_rate_bpm", "HR_NOT_RECORDED", "Heart rate"),
    ("spo2_percent", "SPO2_NOT_RECORDED", "SpO2 (pulse oximetry)"),
)


def predose_check(
    vitals: VitalSigns,
    overrides: Overrides | None = None,
    reference: VitalSigns | None = None,
    drug: Drug | None = None,
) -> PredoseDecision:
    """Proceed, proceed with caution (prescriber weighs the risk) or hold, with every reason.

    ``reference`` is the patient's usual BP (the intake's): a fall from it of at least
    ``BP_FALL_PERCENT`` holds the dose, as a reading below the hypotension limits does."""
    findings: list[PredoseFinding] = []
    for measure, code, label in _REQUIRED_BEFORE_DOSE:
        if getattr(vitals, measure) is None:
            findings.append(
                PredoseFinding(code, PredoseStatus.HOLD, f"{label} not recorded before the dose")
            )
    if vitals.blood_pressure is not None:
        findings += _predose_bp(*vitals.blood_pressure, overrides, drug)
    alerts = evaluate_vitals(vitals, None, overrides, drug)
    fall_rules = [r for r in ALERT_RULES if r.from_baseline is FromBaseline.FALL_PERCENT]
    falls = [_apply(rule, vitals, reference, overrides, drug) for rule in fall_rules]
    alerts += [fall for fall in falls if fall is not None]
    for alert in alerts:
        findings.append(
            PredoseFinding(
                f"PREDOSE_{alert.code}",
                PredoseStatus.HOLD,
                alert.message,
                alert.evidence,
                alert.setting,
            )
        )
    if any(f.status is PredoseStatus.HOLD for f in findings):
        status, message = PredoseStatus.HOLD, "Hold the dose; a prescriber reviews."
    elif findings:
        status = PredoseStatus.CAUTION
        message = "Elevated BP: the prescriber weighs the risk against the benefit and decides."
    else:
        status, message = PredoseStatus.PROCEED, "Pre-dose vital signs within the clinic's limits."
    return PredoseDecision(status=status, findings=tuple(findings), message=message)


def _predose_bp(
    systolic: int, diastolic: int, overrides: Overrides | None, drug: Drug | None
) -> list[PredoseFinding]:
    hold_sys = registry.resolve_decimal(t.PREDOSE_HOLD_SYSTOLIC.key, overrides)
    hold_dia = registry.resolve_decimal(t.PREDOSE_HOLD_DIASTOLIC.key, overrides)
    if systolic >= hold_sys or diastolic >= hold_dia:
        setting = t.PREDOSE_HOLD_SYSTOLIC if systolic >= hold_sys else t.PREDOSE_HOLD_DIASTOLIC
        return [
            PredoseFinding(
                "PREDOSE_BP_HOLD",
                PredoseStatus.HOLD,
                f"BP {systolic}/{diastolic} mmHg is at or above the hold level "
                f"{hold_sys}/{hold_dia} mmHg",
                t.evidence_for(setting, drug),
                setting.key,
            )
        ]
    caution_sys = registry.resolve_decimal(t.PREDOSE_CAUTION_SYSTOLIC.key, overrides)
    caution_dia = registry.resolve_decimal(t.PREDOSE_CAUTION_DIASTOLIC.key, overrides)
    if systolic > caution_sys or diastolic > caution_dia:
        setting = (
            t.PREDOSE_CAUTION_SYSTOLIC if systolic > caution_sys else t.PREDOSE_CAUTION_DIASTOLIC
        )
        return [
            PredoseFinding(
                "PREDOSE_BP_ELEVATED",
                PredoseStatus.CAUTION,
                f"BP {systolic}/{diastolic} mmHg is above {caution_sys}/{caution_dia} mmHg: "
                "weigh the risk of a short-term rise against the benefit",
                t.evidence_for(setting, drug),
                setting.key,
            )
        ]
    return []
