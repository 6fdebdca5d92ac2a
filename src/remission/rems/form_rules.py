"""How each answer of the REMS monitoring form follows from the session's records: the rule
for every field, one function each (no I/O)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from remission.accounts.models import User
from remission.chairside.models import (
    AdverseEvent,
    VitalSignEntry,
)
from remission.clinical.eligibility.exposure import recorded_classes
from remission.clinical.errors import ClinicalInputError
from remission.clinical.medications import DrugClass
from remission.clinical.monitoring import PredoseStatus, VitalSigns, predose_check
from remission.clinical.monitoring.vitals import MOAAS_AWAKE
from remission.clinical.protocols import CheckPhase, MonitoringPlan
from remission.clinical.protocols.monitoring_plan import (
    ESKETAMINE_BP_CHECK_MIN,
    VITALS,
)
from remission.clinics.models import Clinic
from remission.rems.form_values import (
    BP_40_MIN_TOLERANCE_MIN,
    MEDICATION_CLASSES,
    RESPIRATORY_ALERTS,
    SEDATION_ALERTS,
    VITAL_CHANGE_ALERTS,
    VITAL_CHANGE_EVENTS,
    Answer,
    BloodPressure,
    SessionRecords,
    StaffContact,
)
from remission.rems.models import RemsEnrollment
from remission.treatment.models import Intake

# --- field rules ----------------------------------------------------------------------------


def enrollment_of(
    enrollments: Sequence[RemsEnrollment], treatment_date: dt.date, warnings: list[str]
) -> tuple[Answer, RemsEnrollment | None]:
    before = [e for e in enrollments if e.enrolled_on <= treatment_date]
    if before:
        latest = before[-1]
        ref = f", REMS ID {latest.rems_patient_id}" if latest.rems_patient_id else ""
        return Answer(True, f"enrolled {latest.enrolled_on:%Y-%m-%d}{ref}"), latest
    later = [e for e in enrollments if e.enrolled_on > treatment_date]
    if later:
        warnings.append(
            f"The enrollment on record ({later[0].enrolled_on:%Y-%m-%d}) is after the treatment; "
            "the REMS requires enrollment before the first treatment."
        )
        return Answer(False, f"enrollment recorded for {later[0].enrolled_on:%Y-%m-%d}"), None
    warnings.append("No REMS enrollment is on record for this patient.")
    return Answer(False, "no enrollment on record"), None


def medications_at(
    intakes: Sequence[Intake], treatment_date: dt.date, tz: dt.tzinfo
) -> tuple[tuple[tuple[str, Answer], ...], str]:
    """From the latest intake recorded by the end of the treatment day."""
    usable = [i for i in intakes if i.recorded_at.astimezone(tz).date() <= treatment_date]
    if not usable:
        return tuple((label, Answer(None)) for _, label in MEDICATION_CLASSES), ""
    intake = max(usable, key=lambda i: i.recorded_at)
    recorded = recorded_classes(intake.answers) or {}
    rows = []
    for key, label in MEDICATION_CLASSES:
        value = recorded.get(DrugClass(key))
        rows.append((label, Answer(value) if isinstance(value, bool) else Answer(None)))
    when = intake.recorded_at.astimezone(tz)
    return tuple(rows), f"intake of {when:%Y-%m-%d}"


def contact(user: User | None, source: str, clinic: Clinic) -> StaffContact | None:
    if user is None:
        return None
    name = user.get_full_name().strip() or str(user)
    # Staff records hold no direct telephone number; the clinic's line is the contact.
    return StaffContact(name=name, phone=clinic.phone.strip(), email=user.email, source=source)


def _minutes_from(start: dt.datetime | None, at: dt.datetime) -> int | None:
    if start is None:
        return None
    return round((at - start).total_seconds() / 60)


def _bp(entry: VitalSignEntry, first: dt.datetime | None, matched_by: str) -> BloodPressure:
    assert entry.systolic_mmhg is not None
    assert entry.diastolic_mmhg is not None
    return BloodPressure(
        systolic_mmhg=entry.systolic_mmhg,
        diastolic_mmhg=entry.diastolic_mmhg,
        measured_at=entry.measured_at,
        minutes_from_first_device=_minutes_from(first, entry.measured_at),
        check_id=entry.check_id,
        matched_by=matched_by,
    )


def _check_id(plan: MonitoringPlan, phase: CheckPhase, offset_min: int | None = None) -> str:
    for check in plan.checks:
        if check.instrument != VITALS or check.phase != phase:
            continue
        if offset_min is None or check.offset_min == offset_min:
            return check.check_id
    return ""


def blood_pressures(
    vitals: Sequence[VitalSignEntry],
    plan: MonitoringPlan,
    first: dt.datetime | None,
    ended_at: dt.datetime | None,
) -> tuple[BloodPressure | None, BloodPressure | None, BloodPressure | None]:
    with_bp = [v for v in vitals if v.systolic_mmhg is not None and v.diastolic_mmhg is not None]

    def by_check(check_id: str) -> VitalSignEntry | None:
        tagged = [v for v in with_bp if check_id and v.check_id == check_id]
        return tagged[-1] if tagged else None

    # before administration: the pre-dose check, else the last reading before the first device
    pre_id = _check_id(plan, CheckPhase.PRE_DOSE)
    before_entry, how = by_check(pre_id), "check id"
    if before_entry is None and first is not None:
        earlier = [v for v in with_bp if v.measured_at <= first]
        before_entry, how = (earlier[-1] if earlier else None), "nearest time"
    bp_before = _bp(before_entry, first, how) if before_entry else None

    # ~40 minutes after: the planned check, else the nearest reading within the tolerance
    forty_id = _check_id(plan, CheckPhase.POST_DOSE, ESKETAMINE_BP_CHECK_MIN)
    forty_entry, how = by_check(forty_id), "check id"
    if forty_entry is None and first is not None:
        target = first + dt.timedelta(minutes=ESKETAMINE_BP_CHECK_MIN)
        window = dt.timedelta(minutes=BP_40_MIN_TOLERANCE_MIN)
        near = [v for v in with_bp if abs(v.measured_at - target) <= window]
        forty_entry = min(near, key=lambda v: abs(v.measured_at - target)) if near else None
        how = "nearest time"
    bp_40 = _bp(forty_entry, first, how) if forty_entry else None

    # before the end: the discharge check, else the last reading after the dose (not the 40-min)
    end_id = _check_id(plan, CheckPhase.DISCHARGE)
    end_entry, how = by_check(end_id), "check id"
    if end_entry is None and first is not None:
        later = [
            v
            for v in with_bp
            if v.measured_at > first
            and (ended_at is None or v.measured_at <= ended_at)
            and v is not forty_entry
            and (forty_entry is None or v.measured_at > forty_entry.measured_at)
        ]
        end_entry, how = (later[-1] if later else None), "nearest time"
    bp_end = _bp(end_entry, first, how) if end_entry else None
    return bp_before, bp_40, bp_end


def baseline_reading(
    vitals: Sequence[VitalSignEntry], first: dt.datetime | None
) -> VitalSignEntry | None:
    if first is None:
        return None
    before = [v for v in vitals if v.measured_at <= first]
    return before[-1] if before else None


def predose_acceptable(entry: VitalSignEntry | None, clinic: Clinic) -> Answer:
    if entry is None:
        return Answer(None, "no vital signs before the first device")
    try:
        decision = predose_check(
            VitalSigns(
                measured_at=entry.measured_at,
                systolic_mmhg=entry.systolic_mmhg,
                diastolic_mmhg=entry.diastolic_mmhg,
                heart_rate_bpm=entry.heart_rate_bpm,
                spo2_percent=entry.spo2_percent,
                respiratory_rate_per_min=entry.respiratory_rate_per_min,
            ),
            clinic.clinical_overrides,
        )
    except ClinicalInputError as exc:
        return Answer(None, f"the pre-dose reading could not be evaluated: {exc}")
    if decision.status is PredoseStatus.PROCEED:
        return Answer(True, decision.message)
    findings = "; ".join(f.message for f in decision.findings)
    if decision.status is PredoseStatus.CAUTION:
        return Answer(False, f"{findings} (dosed after prescriber review)")
    return Answer(False, findings)


def end_acceptable(summary: dict[str, Any]) -> Answer:
    criteria = summary.get("criteria")
    if not isinstance(criteria, list):
        return Answer(None, "no discharge assessment stored with the session")
    for criterion in criteria:
        if isinstance(criterion, dict) and criterion.get("criterion") == "vitals":
            return Answer(bool(criterion.get("met")), str(criterion.get("reason", "")))
    return Answer(None, "the discharge assessment has no vital-sign criterion")


After = Callable[[dt.datetime], bool]


def after_dose(first: dt.datetime | None) -> After:
    def after(at: dt.datetime) -> bool:
        return first is None or at >= first

    return after


def _events(records: SessionRecords, types: Iterable[str]) -> list[AdverseEvent]:
    wanted = set(types)
    return [e for e in records.adverse_events if e.event_type in wanted]


def _alerts(records: SessionRecords, codes: frozenset[str], after: After) -> list[str]:
    """The messages of the alert reasons with one of ``codes`` (a reading's alert lists every
    reason; only the ones this question is about are evidence)."""
    return [
        r["message"]
        for a in records.alerts
        if after(a.raised_at)
        for r in a.reason_rows
        if r["code"] in codes
    ]


def _yes(evidence: list[str]) -> Answer:
    return Answer(True, "; ".join(dict.fromkeys(evidence)))


def sedation(records: SessionRecords, after: After) -> Answer:
    evidence = [f"adverse event: {e}" for e in _events(records, ["sedation"])]
    evidence += _alerts(records, SEDATION_ALERTS, after)
    scores = [
        s
        for s in records.scales
        if s.instrument_id == "moaas" and s.total is not None and after(s.administered_at)
    ]
    low = [s.total for s in scores if s.total is not None and s.total < MOAAS_AWAKE]
    if low:
        evidence.append(f"lowest MOAA/S {min(low)} (5 = awake)")
    if evidence:
        return _yes(evidence)
    if scores:
        return Answer(False, f"MOAA/S 5 (awake) at all {len(scores)} checks after the dose")
    return Answer(None, "no MOAA/S score after the dose")


def dissociation(records: SessionRecords, first: dt.datetime | None) -> Answer:
    evidence = [f"adverse event: {e}" for e in _events(records, ["dissociation"])]
    cadss = [
        (s.administered_at, s.total)
        for s in records.scales
        if s.instrument_id == "cadss6" and s.total is not None
    ]
    before = [total for at, total in cadss if first is not None and at < first]
    after = [total for at, total in cadss if first is None or at >= first]
    baseline = before[-1] if before else 0
    above = [total for total in after if total > baseline]
    if above:
        evidence.append(f"CADSS-6 up to {max(above)} (before the dose {baseline})")
    if evidence:
        return _yes(evidence)
    if after:
        return Answer(False, f"CADSS-6 at or below {baseline} at all {len(after)} checks")
    return Answer(None, "no CADSS-6 score after the dose")


def respiratory(records: SessionRecords, after: After) -> Answer:
    evidence = [f"adverse event: {e}" for e in _events(records, ["desaturation"])]
    evidence += _alerts(records, RESPIRATORY_ALERTS, after)
    if evidence:
        return _yes(evidence)
    spo2 = [
        v.spo2_percent
        for v in records.vitals
        if v.spo2_percent is not None and after(v.measured_at)
    ]
    if spo2:
        return Answer(False, f"lowest SpO2 {min(spo2)}% after the dose, no respiratory alert")
    return Answer(None, "no pulse oximetry after the dose")


def vital_changes(records: SessionRecords, after: After) -> Answer:
    evidence = [f"adverse event: {e}" for e in _events(records, VITAL_CHANGE_EVENTS)]
    evidence += _alerts(records, VITAL_CHANGE_ALERTS, after)
    if evidence:
        return _yes(evidence)
    readings = [v for v in records.vitals if v.systolic_mmhg is not None and after(v.measured_at)]
    if readings:
        return Answer(False, f"no vital-sign alert in {len(readings)} readings after the dose")
    return Answer(None, "no vital signs after the dose")


def serious(events: Sequence[AdverseEvent]) -> Answer:
    serious = [e for e in events if e.serious]
    if serious:
        return Answer(True, "; ".join(str(e) for e in serious) + " (report separately)")
    return Answer(False, "none charted")
