"""Signing eligibility shows the intake's answers beside the rule results (issue 12 §5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.patients.models import Patient
from remission.treatment import services
from tests.world import client_for
from tests.world.treatment import INTAKE_ANSWERS

pytestmark = pytest.mark.django_db


def test_the_prescriber_signs_seeing_blood_pressure_history_and_medicines(
    members: dict[str, Membership], patient: Patient
) -> None:
    answers = {
        **INTAKE_ANSWERS,
        "blood_pressure_today": {"systolic_mmhg": 148, "diastolic_mmhg": 92},
        "history": {**INTAKE_ANSWERS["history"], "obstructive_sleep_apnoea": True},
    }
    intake = services.record_intake(
        membership=members[Role.NURSE], patient=patient, answers=answers
    )
    url = reverse("treatment:intake", args=["alpha", intake.pk])
    html = client_for(members[Role.PRESCRIBER]).get(url).content.decode()
    section = html.split('data-testid="intake-answers"')[1].split("</section>")[0]
    assert "148/92 mmHg" in section
    assert "obstructive sleep apnoea" in section
    assert "copd" not in section  # answered no
    assert "sertraline" in html and "Sign and lock" in html
    # the rule results are on the same page, before the answers
    assert html.index("route-card") < html.index('data-testid="intake-answers"')
