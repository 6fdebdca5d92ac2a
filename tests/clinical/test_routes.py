"""The one Route of the core, and the tables that follow from it."""

from __future__ import annotations

import pytest

from remission.clinical import registry
from remission.clinical.monitoring import checklist
from remission.clinical.pk.route_models import ROUTE_MODELS, model_for
from remission.clinical.routes import (
    ROUTE_FACTS,
    Drug,
    PkRoute,
    Route,
    RouteFamily,
    TreatmentConsent,
)


def test_route_values_are_the_strings_stored_on_dose_orders_and_eligibility_decisions() -> None:
    assert [r.value for r in Route] == ["iv_racemic", "im_racemic", "esketamine_nasal"]


@pytest.mark.parametrize(
    ("route", "drug", "pk_route", "consent", "family"),
    [
        (
            Route.IV_RACEMIC,
            Drug.RACEMIC_KETAMINE,
            PkRoute.IV_INFUSION,
            TreatmentConsent.KETAMINE_TREATMENT,
            RouteFamily.IV,
        ),
        (
            Route.IM_RACEMIC,
            Drug.RACEMIC_KETAMINE,
            PkRoute.INTRAMUSCULAR,
            TreatmentConsent.KETAMINE_TREATMENT,
            RouteFamily.IM,
        ),
        (
            Route.ESKETAMINE_NASAL,
            Drug.ESKETAMINE,
            PkRoute.NASAL,
            TreatmentConsent.ESKETAMINE_TREATMENT,
            RouteFamily.ESKETAMINE_NASAL,
        ),
    ],
)
def test_each_route_names_its_drug_pk_route_consent_and_family(
    route: Route,
    drug: Drug,
    pk_route: PkRoute,
    consent: TreatmentConsent,
    family: RouteFamily,
) -> None:
    assert (route.drug, route.pk_route, route.consent, route.family) == (
        drug,
        pk_route,
        consent,
        family,
    )
    assert route.label
    assert all(e.citation for e in ROUTE_FACTS[route].evidence)


def test_a_stored_course_code_reads_back_as_its_route_and_none_as_no_route() -> None:
    for route in Route:
        assert Route.of_family_code(route.family.value) is route
    assert Route.of_family_code("none") is None
    assert Route.of_family_code("") is None


def test_every_route_has_a_pk_model_that_takes_its_pk_route() -> None:
    assert set(ROUTE_MODELS) == set(Route)
    for route in Route:
        assert route.pk_route in model_for(route).routes
        assert ROUTE_MODELS[route].evidence.citation


def test_the_nasal_preparation_item_is_for_esketamine_only_and_every_item_has_a_source() -> None:
    nasal = [i.code for i in checklist.items_for(RouteFamily.ESKETAMINE_NASAL)]
    iv = [i.code for i in checklist.items_for(RouteFamily.IV)]
    assert nasal == [*iv, "nasal_preparation"]
    assert checklist.items_for(None) == ()
    assert all(i.evidence.citation for i in checklist.CHECKLIST)


def test_the_route_tables_are_on_the_rules_page() -> None:
    keys = {t.key for t in registry.all_tables()}
    assert keys >= {"routes", "pk.route_models", "monitoring.predose_checklist"}
    page = registry.render_markdown()
    for key in ("routes", "pk.route_models", "monitoring.predose_checklist"):
        assert f"`{key}` (fixed, not a clinic setting)" in page
