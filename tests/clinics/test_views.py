"""The clinic settings screen: the esketamine label is chosen here and kept in the clinic's
clinical overrides (registry key ``esketamine.label``)."""

from __future__ import annotations

import pytest

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.clinical.esketamine import LABEL_KEY
from remission.clinics.models import Clinic
from tests.world import client_for

pytestmark = pytest.mark.django_db


def test_the_clinic_chooses_its_esketamine_label_in_its_settings(
    members: dict[str, Membership], clinic_a: Clinic
) -> None:
    director = client_for(members[Role.MEDICAL_DIRECTOR])
    page = director.get("/c/alpha/admin/settings/")
    assert b"Esketamine label" in page.content
    form = {
        "name": clinic_a.name,
        "country": "GB",
        "time_zone": clinic_a.time_zone,
        "esketamine_label": "eu-uk-smpc",
    }
    assert director.post("/c/alpha/admin/settings/", form).status_code == 302
    clinic_a.refresh_from_db()
    assert clinic_a.clinical_overrides == {LABEL_KEY: "eu-uk-smpc"}
    page = director.post("/c/alpha/admin/settings/", {**form, "esketamine_label": "japan"})
    assert page.status_code == 200 and b"Select a valid choice" in page.content
