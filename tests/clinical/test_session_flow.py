"""What a session waits for next (``clinical.session_flow``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.clinical.session_flow import SessionProgress, Waiting, waiting_for

STATUSES = (
    "scheduled",
    "checked_in",
    "pre_dose",
    "dosing",
    "observing",
    "ready",
    "discharged",
    "cancelled",
    "no_show",
)


def _p(status: str, **facts: bool) -> SessionProgress:
    values = {
        "dosing": True,
        "ordered": False,
        "verified": False,
        "started": False,
        "signed": False,
    }
    values.update(facts)
    return SessionProgress(status=status, **values)


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        (_p("scheduled"), Waiting.CHECK_IN),
        (_p("checked_in"), Waiting.ORDER),
        (_p("pre_dose", ordered=True), Waiting.VERIFICATION),
        (_p("pre_dose", ordered=True, verified=True), Waiting.DOSE_START),
        (_p("dosing", ordered=True, verified=True, started=True), Waiting.DOSE_END),
        (_p("observing", ordered=True, verified=True, started=True), Waiting.DISCHARGE),
        (_p("ready", ordered=True, verified=True, started=True), Waiting.DISCHARGE),
        (_p("discharged", started=True), Waiting.SIGN_OFF),
        (_p("discharged", signed=True), Waiting.NOTHING),
        (_p("cancelled"), Waiting.NOTHING),
        (_p("checked_in", dosing=False), Waiting.DISCHARGE),
    ],
)
def test_each_step_waits_for_the_next(progress: SessionProgress, expected: Waiting) -> None:
    assert waiting_for(progress) is expected


@given(
    status=st.sampled_from(STATUSES),
    facts=st.fixed_dictionaries(
        {k: st.booleans() for k in ("dosing", "ordered", "verified", "started")}
    ),
)
def test_a_signed_session_waits_for_nothing_and_every_step_names_who(
    status: str, facts: dict[str, bool]
) -> None:
    assert waiting_for(SessionProgress(status=status, signed=True, **facts)) is Waiting.NOTHING
    step = waiting_for(SessionProgress(status=status, signed=False, **facts))
    assert step.label and (step.who or step is Waiting.NOTHING)
