"""Every clinical code a screen shows has a human label beside its definition; a racemic dose's
alerts cite racemic sources; sign-off waits for every planned check to be charted or explained."""

from __future__ import annotations

import datetime as dt

import pytest

from remission.clinical import labels
from remission.clinical import session_rules as rules
from remission.clinical.monitoring import VitalSigns, due_checks, evaluate_vitals, predose_check
from remission.clinical.monitoring.adverse_grades import grade_label
from remission.clinical.monitoring.vitals import ALERT_RULES, ALERT_TITLES
from remission.clinical.protocols import MonitoringPlan
from remission.clinical.protocols.definitions import Protocol, all_protocols
from remission.clinical.routes import Drug, Route

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_every_alert_rule_code_has_a_title() -> None:
    assert {rule.code for rule in ALERT_RULES} | {"SEDATION_DEEP"} <= set(ALERT_TITLES)
    assert labels.label("BP_SYSTOLIC_HIGH") == "Systolic blood pressure high"


@pytest.mark.parametrize("protocol", all_protocols(), ids=lambda p: p.id)
def test_every_planned_check_and_protocol_reads_as_words(protocol: Protocol) -> None:
    assert labels.label(protocol.id) == protocol.title
    if protocol.route is None:
        return
    for check in protocol.monitoring_plan().checks:
        text = labels.label(check.check_id)
        assert "@" not in text and text != check.check_id
        assert "@" not in check.title


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("iv_racemic", "IV racemic ketamine"),
        ("esketamine_nasal", "Esketamine nasal spray"),
        ("moaas", "MOAA/S"),
        ("cadss6", "CADSS-6"),
        ("vitals@+15", "Vital signs, 15 min after the start"),
        ("spo2@-10", "Pulse oximetry, before the dose"),
        ("needs_review", "Needs review"),
        ("overdue", "Overdue"),
        ("proceed_with_caution", "Proceed with caution"),
        ("not-a-code", "not-a-code"),
    ],
)
def test_codes_read_as_their_labels(code: str, text: str) -> None:
    assert labels.label(code) == text


def test_adverse_event_grades_are_named() -> None:
    assert grade_label(2) == "Grade 2 — moderate"
    assert grade_label(9) == "Grade 9"


HIGH = VitalSigns(measured_at=START, systolic_mmhg=185, diastolic_mmhg=112, heart_rate_bpm=80)
BASE = VitalSigns(measured_at=START, systolic_mmhg=120, diastolic_mmhg=76, heart_rate_bpm=72)


def test_racemic_alerts_never_cite_the_spravato_label() -> None:
    racemic = evaluate_vitals(HIGH, BASE, drug=Drug.RACEMIC_KETAMINE)
    esketamine = evaluate_vitals(HIGH, BASE, drug=Drug.ESKETAMINE)
    assert {a.code for a in racemic} == {a.code for a in esketamine}
    assert not any("SPRAVATO" in a.evidence.citation for a in racemic)
    assert any("SPRAVATO" in a.evidence.citation for a in esketamine)
    elevated = VitalSigns(measured_at=START, systolic_mmhg=150, diastolic_mmhg=85, heart_rate_bpm=70, spo2_percent=98)  # fmt: skip
    finding = predose_check(elevated, drug=Drug.RACEMIC_KETAMINE).findings[0]
    assert finding.evidence is not None and "SPRAVATO" not in finding.evidence.citation


def _iv_plan() -> MonitoringPlan:
    protocol = next(p for p in all_protocols() if p.route is Route.IV_RACEMIC)
    return protocol.monitoring_plan()


def test_sign_off_waits_for_each_overdue_check_to_be_charted_or_explained() -> None:
    plan = _iv_plan()
    pre = next(c for c in plan.checks if c.offset_min < 0)
    done_at = START - dt.timedelta(minutes=10)
    later = START + dt.timedelta(hours=5)
    board = due_checks(plan, dose_started_at=START, now=later, charted={pre.check_id: done_at})
    overdue = [c.check.check_id for c in board if c.state == "overdue"]
    problems = rules.sign_off_problems(board, explained=())
    assert len(problems) == len(overdue) > 0
    assert all(p.code == "check_unexplained" and "@" not in p.message for p in problems)
    assert rules.sign_off_problems(board, explained=overdue) == []
    (alerts,) = rules.sign_off_problems(board, explained=overdue, open_alerts=2)
    assert alerts.code == "open_alerts"
