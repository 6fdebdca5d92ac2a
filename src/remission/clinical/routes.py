"""The routes of administration the clinic gives, and everything that follows from a route.

``Route`` is the one route of the clinical core: dosing, eligibility, protocols, monitoring and
the PK curve all speak of it. Its values are the strings stored today in a dose order
(``DoseOrder.route``) and in a signed eligibility decision (``routes``), so no data migration is
needed.

Each route's facts are data, each with its ``Evidence`` (``ROUTE_FACTS``):

* the drug (racemic ketamine or esketamine);
* how a dose enters a PK model (``PkRoute``: an IV infusion, an IM injection, nasal devices);
* the treatment consent the route requires (``TreatmentConsent``; its values are those of the
  app's consent types);
* the route family (IV, IM, esketamine nasal) — the unit of "one active course per route
  family", of the minimum interval between doses and of the pre-dose checklist. A treatment
  course stores its family code (``TreatmentCourse.route``: ``iv``, ``im``,
  ``esketamine_nasal``), and registry keys ``protocols.<family>.min_interval_hours`` use it;
* a display label.

FHIR codes (SNOMED CT route, RxNorm product) are not needed yet; they join this table later,
one column each, when the FHIR export needs them.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence


class Route(enum.StrEnum):
    """Route of administration (and drug): racemic ketamine IV or IM, esketamine nasal spray."""

    IV_RACEMIC = "iv_racemic"
    IM_RACEMIC = "im_racemic"
    ESKETAMINE_NASAL = "esketamine_nasal"

    @property
    def facts(self) -> RouteFacts:
        return ROUTE_FACTS[self]

    @property
    def drug(self) -> Drug:
        return self.facts.drug

    @property
    def pk_route(self) -> PkRoute:
        return self.facts.pk_route

    @property
    def consent(self) -> TreatmentConsent:
        return self.facts.consent

    @property
    def family(self) -> RouteFamily:
        return self.facts.family

    @property
    def label(self) -> str:
        return self.facts.label

    @classmethod
    def of_family_code(cls, code: str) -> Route | None:
        """The route of a stored family code (a treatment course's ``route``).

        ``None`` for a code that is no family (``none``, empty: a course without a drug). Each
        family has exactly one route today (checked below), so the code names the route.
        """
        family = RouteFamily.of_code(code)
        return None if family is None else _ROUTE_OF_FAMILY[family]


class Drug(enum.StrEnum):
    RACEMIC_KETAMINE = "racemic ketamine"
    ESKETAMINE = "esketamine"


class PkRoute(enum.StrEnum):
    """How a dose enters a PK model (``remission.clinical.pk``).

    Finer than ``Route`` in one place: an IV dose is either an infusion or a bolus.
    """

    IV_INFUSION = "iv"
    IV_BOLUS = "bolus"
    INTRAMUSCULAR = "im"
    NASAL = "nasal"


class RouteFamily(enum.StrEnum):
    """Routes a patient has one active course of at a time; the value is stored on a course."""

    IV = "iv"
    IM = "im"
    ESKETAMINE_NASAL = "esketamine_nasal"

    @property
    def label(self) -> str:
        """The name of the family's route, as screens show it."""
        return _ROUTE_OF_FAMILY[self].label

    @classmethod
    def of_code(cls, code: str) -> RouteFamily | None:
        """The family of a stored code; ``None`` for any other (``none``: no drug)."""
        try:
            return cls(code)
        except ValueError:
            return None


class TreatmentConsent(enum.StrEnum):
    """The treatment consent a route requires (the values of the app's consent types)."""

    KETAMINE_TREATMENT = "ketamine_treatment"
    ESKETAMINE_TREATMENT = "esketamine_treatment"


@dataclass(frozen=True, slots=True)
class RouteFacts:
    route: Route
    label: str
    drug: Drug
    pk_route: PkRoute
    consent: TreatmentConsent
    family: RouteFamily
    evidence: tuple[Evidence, ...]


# --- Sources ---------------------------------------------------------------------------------

RACEMIC_IV = Evidence(
    citation="Clinical reference §1: racemic ketamine 0.5 mg/kg IV over 40 min (Murrough 2013, "
    "Phillips 2019, ELEKT-D 2023)",
    confidence=Confidence.PRIMARY,
    url="https://pubmed.ncbi.nlm.nih.gov/37224232/",
)
RACEMIC_IM = Evidence(
    citation="Chilukuri et al., Indian J Psychol Med 2014;36:71: racemic ketamine 0.25 or "
    "0.5 mg/kg IM",
    confidence=Confidence.PRIMARY,
    url="https://pubmed.ncbi.nlm.nih.gov/24701015/",
)
ESKETAMINE_NASAL_SPRAY = Evidence(
    citation="SPRAVATO prescribing information: esketamine nasal spray, 28 mg per device",
    confidence=Confidence.PRIMARY,
    url="https://www.spravatohcp.com/dosing-spravato-trd",
)
TREATMENT_CONSENT = Evidence(
    citation="Clinic convention: one written treatment consent per drug (racemic ketamine "
    "off-label, IV or IM; esketamine as labelled, beside the REMS enrollment); the consent "
    "text is the clinic's",
    confidence=Confidence.UNCERTAIN,
)
ROUTE_FAMILY = Evidence(
    citation="Clinic convention: one active course per route family; the minimum interval "
    "and the pre-dose checklist are set per family",
    confidence=Confidence.UNCERTAIN,
)

_FACTS = (
    RouteFacts(
        route=Route.IV_RACEMIC,
        label="IV racemic ketamine",
        drug=Drug.RACEMIC_KETAMINE,
        pk_route=PkRoute.IV_INFUSION,
        consent=TreatmentConsent.KETAMINE_TREATMENT,
        family=RouteFamily.IV,
        evidence=(RACEMIC_IV, TREATMENT_CONSENT, ROUTE_FAMILY),
    ),
    RouteFacts(
        route=Route.IM_RACEMIC,
        label="IM racemic ketamine",
        drug=Drug.RACEMIC_KETAMINE,
        pk_route=PkRoute.INTRAMUSCULAR,
        consent=TreatmentConsent.KETAMINE_TREATMENT,
        family=RouteFamily.IM,
        evidence=(RACEMIC_IM, TREATMENT_CONSENT, ROUTE_FAMILY),
    ),
    RouteFacts(
        route=Route.ESKETAMINE_NASAL,
        label="Esketamine nasal spray",
        drug=Drug.ESKETAMINE,
        pk_route=PkRoute.NASAL,
        consent=TreatmentConsent.ESKETAMINE_TREATMENT,
        family=RouteFamily.ESKETAMINE_NASAL,
        evidence=(ESKETAMINE_NASAL_SPRAY, TREATMENT_CONSENT, ROUTE_FAMILY),
    ),
)

ROUTE_FACTS: Mapping[Route, RouteFacts] = types.MappingProxyType({f.route: f for f in _FACTS})
ALL_ROUTES: tuple[Route, ...] = tuple(ROUTE_FACTS)

_ROUTE_OF_FAMILY: Mapping[RouteFamily, Route] = types.MappingProxyType(
    {f.family: f.route for f in _FACTS}
)
if (
    set(ROUTE_FACTS) != set(Route)
    or len(_FACTS) != len(_ROUTE_OF_FAMILY)
    or set(_ROUTE_OF_FAMILY) != set(RouteFamily)
):
    raise RuntimeError("every route needs its facts, and every family exactly one route")

registry.define_table(
    "routes",
    title="Routes of administration",
    intro="What follows from each route: its drug, how a dose enters the PK model, the "
    "treatment consent it requires and its route family (a course stores the family code).",
    columns=("Route", "Label", "Drug", "PK route", "Consent required", "Family"),
    rows=tuple(
        registry.TableRow(
            cells=(
                f"`{f.route.value}`",
                f.label,
                f.drug.value,
                f"`{f.pk_route.value}`",
                f"`{f.consent.value}`",
                f"`{f.family.value}`",
            ),
            evidence=f.evidence,
        )
        for f in _FACTS
    ),
)
