"""Today's doses on the pre-dose checklist (``clinical.monitoring.todays_doses``) and the
checklist's new lines (resuscitation equipment; the questions, judged by the core)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from remission.clinical import session_rules
from remission.clinical.monitoring import checklist
from remission.clinical.monitoring.todays_doses import (
    BenzodiazepineTaken,
    DayStatus,
    decide,
)
from remission.clinical.routes import RouteFamily

NONE_TAKEN = {
    "benzodiazepine_today": "no",
    "stimulant_this_morning": "no",
    "opioid_today": "no",
    "alcohol_last_24h": "no",
}


def test_nothing_taken_proceeds():
    assert decide(NONE_TAKEN).status is DayStatus.PROCEED
    assert decide({}).findings == ()  # unanswered: an open checklist line, not a decision


@pytest.mark.parametrize(
    ("changes", "taken", "status", "code"),
    [
        ({"stimulant_this_morning": "yes"}, None, DayStatus.CAUTION, "stimulant_this_morning"),
        ({"opioid_today": "yes"}, None, DayStatus.CAUTION, "opioid_today"),
        ({"alcohol_last_24h": "yes"}, None, DayStatus.HOLD, "alcohol_last_24h"),
        ({"benzodiazepine_today": "yes"}, None, DayStatus.HOLD,
         "benzodiazepine_today_amount_unknown"),
        ({"benzodiazepine_today": "yes"}, BenzodiazepineTaken("lorazepam", None), DayStatus.HOLD,
         "benzodiazepine_today_amount_unknown"),
        ({"benzodiazepine_today": "yes"}, BenzodiazepineTaken("sertraline", Decimal(1)),
         DayStatus.HOLD, "benzodiazepine_today_amount_unknown"),
        ({"benzodiazepine_today": "yes"}, BenzodiazepineTaken("lorazepam", Decimal(2)),
         DayStatus.CAUTION, "benzodiazepine_today"),  # at the limit: not above it
        ({"benzodiazepine_today": "yes"}, BenzodiazepineTaken("lorazepam", Decimal("2.5")),
         DayStatus.HOLD, "benzodiazepine_today_above_hold"),
        ({"benzodiazepine_today": "yes"}, BenzodiazepineTaken("diazepam", Decimal(20)),
         DayStatus.CAUTION, "benzodiazepine_today"),  # 2 mg lorazepam-equivalent
        ({"benzodiazepine_today": "yes"}, BenzodiazepineTaken("alprazolam", Decimal("1.5")),
         DayStatus.HOLD, "benzodiazepine_today_above_hold"),  # 3 mg lorazepam-equivalent
    ],
)  # fmt: skip
def test_each_answer_leads_to_its_outcome(changes, taken, status, code):
    decision = decide({**NONE_TAKEN, **changes}, benzodiazepine=taken)
    assert decision.status is status
    assert [f.code for f in decision.findings] == [code]
    assert all(f.evidence.citation for f in decision.findings)


def test_a_hold_wins_over_cautions_and_every_finding_is_listed():
    decision = decide(
        {**NONE_TAKEN, "opioid_today": "yes", "alcohol_last_24h": "yes",
         "stimulant_this_morning": "yes"}
    )  # fmt: skip
    assert decision.status is DayStatus.HOLD
    assert [f.code for f in decision.findings] == [
        "stimulant_this_morning",
        "opioid_today",
        "alcohol_last_24h",
    ]
    assert [f.code for f in decision.holds] == ["alcohol_last_24h"]


def test_the_benzodiazepine_hold_limit_is_configurable_within_bounds():
    key = "monitoring.predose_benzodiazepine_today_hold_above_mg_lorazepam_equivalent"
    taken = BenzodiazepineTaken("lorazepam", Decimal(1))
    held = decide({"benzodiazepine_today": "yes"}, benzodiazepine=taken, overrides={key: "0.5"})
    assert held.status is DayStatus.HOLD
    with pytest.raises(Exception, match="above the maximum"):
        decide({"benzodiazepine_today": "yes"}, benzodiazepine=taken, overrides={key: 5})


def test_a_hold_stops_the_dose_start_with_its_reason():
    decision = decide({**NONE_TAKEN, "alcohol_last_24h": "yes"})
    facts = session_rules.StartFacts(
        unmet_checklist=(), has_order=True, order_verified=True, predose=None,
        todays_doses=decision,
    )  # fmt: skip
    messages = [p.message for p in session_rules.start_problems(facts)]
    assert (
        "Today's doses say hold: alcohol in the last 24 hours: hold the dose (a CNS "
        "depressant on board)" in messages
    )


def test_a_caution_does_not_stop_the_dose_start():
    decision = decide({**NONE_TAKEN, "opioid_today": "yes"})
    facts = session_rules.StartFacts(
        unmet_checklist=(), has_order=True, order_verified=True, predose=None,
        todays_doses=decision,
    )  # fmt: skip
    assert not [p for p in session_rules.start_problems(facts) if p.code == "todays_doses_hold"]


@pytest.mark.parametrize("family", list(RouteFamily))
def test_every_dosing_route_checks_resuscitation_equipment_and_asks_todays_doses(family):
    codes = [i.code for i in checklist.items_for(family)]
    assert "resuscitation_equipment" in codes
    questions = [i.code for i in checklist.items_for(family) if i.question]
    assert questions == list(NONE_TAKEN)
    resus = checklist.item("resuscitation_equipment")
    assert resus is not None and not resus.question
    assert all(word in resus.label for word in ("airway", "suction", "oxygen", "AED", "drugs"))
