"""The limits of a dose: sources, the configurable ``dosing.*`` defaults, ``DoseLimits``.

Soft bounds produce warnings a person acknowledges; hard bounds refuse (``HardLimitExceeded`` in
``remission.clinical.dosing``). Every default is registered with its unit, bounds and
``Evidence`` (``docs/clinical-rules.md``); a clinic may override it within those bounds.
Plausibility ranges (weight, height, concentration, infusion length) are not clinical limits:
values outside them cannot be a patient's measurement or a product, so they are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.routes import Route
from remission.clinical.units import HEIGHT_CM_MAX, HEIGHT_CM_MIN, WEIGHT_KG_MAX, WEIGHT_KG_MIN

# --- Sources ---------------------------------------------------------------------------------

STANDARD_IV_DOSE = Evidence(
    citation="Fava et al., Mol Psychiatry 2020;25:1592 (0.5 mg/kg over 40 min is the standard)",
    confidence=Confidence.PRIMARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC6447473",
)
CLINIC_IV_RANGE = Evidence(
    citation="Kwaśna et al. 2024 preprint: typical clinic range 0.5–1.0 mg/kg on actual weight",
    confidence=Confidence.PRIMARY,
    url="https://doi.org/10.21203/rs.3.rs-4619443/v1",
)
INFUSION_DURATION = Evidence(
    citation="Andrade, J Clin Psychiatry 2017;78:e852: infusions of 2–100 min reported; "
    "40 min is the standard protocol",
    confidence=Confidence.PRIMARY,
)
IM_DOSE = Evidence(
    citation="Chilukuri et al., Indian J Psychol Med 2014;36:71: 0.25 or 0.5 mg/kg IM",
    confidence=Confidence.PRIMARY,
    url="https://pubmed.ncbi.nlm.nih.gov/24701015/",
)
NO_AUTHORITATIVE_CAP = Evidence(
    citation="Practice convention of this project: no authoritative mg/kg or mg cap for "
    "ketamine in depression was found",
    confidence=Confidence.UNCERTAIN,
    note="set by the clinic's medical director",
)
WEIGHT_BASIS = Evidence(
    citation="Trials dose on actual body weight (e.g. ELEKT-D); Kwaśna 2024 supports actual "
    "weight; ideal/adjusted dosing appears only in secondary material",
    confidence=Confidence.PRIMARY,
    url="https://pubmed.ncbi.nlm.nih.gov/37224232/",
)
DEVINE_FORMULA = Evidence(
    citation="Devine, Drug Intell Clin Pharm 1974;8:650: IBW male 50 kg, female 45.5 kg, "
    "+2.3 kg per inch over 60 in",
    confidence=Confidence.RECALLED,
    note="defined from 60 in (152.4 cm) upward",
)
ADJUSTED_WEIGHT_FORMULA = Evidence(
    citation="Adjusted body weight = IBW + 0.4 × (actual − IBW), a pharmacy convention",
    confidence=Confidence.RECALLED,
    note="its use for ketamine appears only in secondary material",
)
BMI_PROMPT = Evidence(
    citation="Practice convention: prompt to confirm the weight basis at high BMI; BMI did not "
    "reduce response with actual-weight dosing (Freeman et al.)",
    confidence=Confidence.UNCERTAIN,
)
CONCENTRATION_RANGE = Evidence(
    citation="Plausibility range: ketamine injection is sold at 10, 50 and 100 mg/mL and is "
    "diluted for infusion",
    confidence=Confidence.RECALLED,
)
IM_VOLUME = Evidence(
    citation="Practice convention: about 5 mL at most per IM site in adults (deltoid about 2 mL)",
    confidence=Confidence.RECALLED,
)
LOWEST_TESTED_DOSE = Evidence(
    citation="Fava et al., Mol Psychiatry 2020;25:1592: 0.1 mg/kg was the lowest IV dose arm "
    "(0.1, 0.2, 0.5, 1.0 mg/kg); below it no dose has been studied for depression",
    confidence=Confidence.PRIMARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC6447473",
)
MG_CAP = Evidence(
    citation="Practice convention of this project: 1.0 mg/kg (the highest IV dose in a "
    "depression RCT, Fava 2020) for a 150 kg patient. The cap stops a wrong or implausible chart "
    "weight (a 400 kg entry) from producing a dose several times the intended one",
    confidence=Confidence.UNCERTAIN,
    note="a safety net, not a published limit; the medical director may lower or raise it",
)
FAST_INFUSION = Evidence(
    citation="Andrade 2017 (infusions of 2–100 min reported; 40 min standard) and the APA "
    "consensus (Sanacora et al., JAMA Psychiatry 2017;74:399: 0.5 mg/kg over 40 min); faster "
    "infusion of higher doses approaches anaesthetic induction and raises BP and dissociation",
    confidence=Confidence.SECONDARY,
    note="the thresholds (20 min at 0.75 mg/kg and above, 10 min at any dose) are conventions",
)
HEIGHT_FOR_BMI = Evidence(
    citation="Practice convention: BMI needs a height; at a high weight without one the weight "
    "basis cannot be checked (see the BMI prompt)",
    confidence=Confidence.UNCERTAIN,
)
ESKETAMINE_LABEL_DOSING = Evidence(
    citation="SPRAVATO prescribing information, section 2: 28 mg per device; induction day 1 "
    "56 mg, then 56 or 84 mg; 5 min between devices",
    confidence=Confidence.PRIMARY,
    url="https://www.spravatohcp.com/dosing-spravato-trd",
)


# --- Configurable limits ---------------------------------------------------------------------

_IV_SOFT_MIN = registry.define(
    "dosing.iv.mg_per_kg_soft_min",
    Decimal("0.5"),
    unit="mg/kg",
    title="IV racemic ketamine: doses below this need acknowledgement",
    evidence=STANDARD_IV_DOSE,
    minimum="0.05",
    maximum="2",
)
_IV_SOFT_MAX = registry.define(
    "dosing.iv.mg_per_kg_soft_max",
    Decimal("1.0"),
    unit="mg/kg",
    title="IV racemic ketamine: doses above this need acknowledgement",
    evidence=CLINIC_IV_RANGE,
    minimum="0.05",
    maximum="2",
)
_IV_HARD_MAX = registry.define(
    "dosing.iv.mg_per_kg_hard_max",
    Decimal("1.5"),
    unit="mg/kg",
    title="IV racemic ketamine: doses above this are refused",
    evidence=Evidence(
        citation=NO_AUTHORITATIVE_CAP.citation,
        confidence=Confidence.UNCERTAIN,
        note="1.5 mg/kg is half again the highest dose tested in a depression RCT (1.0 mg/kg, "
        "Fava 2020); a conservative default, not a published limit",
    ),
    minimum="0.05",
    maximum="2",
)
_IV_MG_CAP = registry.define(
    "dosing.iv.dose_mg_cap",
    Decimal("150"),
    unit="mg",
    title="IV racemic ketamine: a dose above this many mg is refused, whatever the weight",
    evidence=MG_CAP,
    minimum="50",
    maximum="300",
)
_IV_HARD_MIN = registry.define(
    "dosing.iv.mg_per_kg_hard_min",
    Decimal("0.1"),
    unit="mg/kg",
    title="IV racemic ketamine: doses below this are refused",
    evidence=LOWEST_TESTED_DOSE,
    minimum="0.05",
    maximum="0.5",
)
_IV_MINUTES_HARD_MIN = registry.define(
    "dosing.iv.infusion_minutes_hard_min",
    20,
    unit="min",
    title="IV infusions of a higher dose (see the next line) shorter than this are refused",
    evidence=FAST_INFUSION,
    minimum=10,
    maximum=40,
)
_IV_FAST_FROM = registry.define(
    "dosing.iv.short_infusion_refused_from_mg_per_kg",
    Decimal("0.75"),
    unit="mg/kg",
    title="IV: from this dose up, an infusion shorter than the minimum above is refused",
    evidence=FAST_INFUSION,
    minimum="0.5",
    maximum="1.5",
)
_IV_MINUTES_ABSOLUTE_MIN = registry.define(
    "dosing.iv.infusion_minutes_absolute_min",
    10,
    unit="min",
    title="IV infusions shorter than this are refused at any dose",
    evidence=FAST_INFUSION,
    minimum=5,
    maximum=20,
)
_IV_MINUTES_SOFT_MIN = registry.define(
    "dosing.iv.infusion_minutes_soft_min",
    40,
    unit="min",
    title="IV infusions shorter than this need acknowledgement",
    evidence=INFUSION_DURATION,
    minimum=20,
    maximum=240,
)
_IV_MINUTES_SOFT_MAX = registry.define(
    "dosing.iv.infusion_minutes_soft_max",
    100,
    unit="min",
    title="IV infusions longer than this need acknowledgement",
    evidence=INFUSION_DURATION,
    minimum=2,
    maximum=240,
)
_IM_SOFT_MIN = registry.define(
    "dosing.im.mg_per_kg_soft_min",
    Decimal("0.25"),
    unit="mg/kg",
    title="IM racemic ketamine: doses below this need acknowledgement",
    evidence=IM_DOSE,
    minimum="0.05",
    maximum="2",
)
_IM_SOFT_MAX = registry.define(
    "dosing.im.mg_per_kg_soft_max",
    Decimal("0.5"),
    unit="mg/kg",
    title="IM racemic ketamine: doses above this need acknowledgement",
    evidence=IM_DOSE,
    minimum="0.05",
    maximum="2",
)
_IM_HARD_MAX = registry.define(
    "dosing.im.mg_per_kg_hard_max",
    Decimal("1.0"),
    unit="mg/kg",
    title="IM racemic ketamine: doses above this are refused",
    evidence=Evidence(
        citation=NO_AUTHORITATIVE_CAP.citation,
        confidence=Confidence.UNCERTAIN,
        note="twice the highest IM dose in Chilukuri 2014; a conservative default",
    ),
    minimum="0.05",
    maximum="2",
)
_IM_MG_CAP = registry.define(
    "dosing.im.dose_mg_cap",
    Decimal("100"),
    unit="mg",
    title="IM racemic ketamine: a dose above this many mg is refused, whatever the weight",
    evidence=Evidence(
        citation=MG_CAP.citation,
        confidence=Confidence.UNCERTAIN,
        note="100 mg is twice the highest IM dose (0.5 mg/kg, Chilukuri 2014) for 100 kg",
    ),
    minimum="25",
    maximum="300",
)
_IM_HARD_MIN = registry.define(
    "dosing.im.mg_per_kg_hard_min",
    Decimal("0.1"),
    unit="mg/kg",
    title="IM racemic ketamine: doses below this are refused",
    evidence=LOWEST_TESTED_DOSE,
    minimum="0.05",
    maximum="0.25",
)
_IM_VOLUME_SOFT_MAX = registry.define(
    "dosing.im.volume_ml_soft_max",
    Decimal("5"),
    unit="mL",
    title="IM injection volumes above this need acknowledgement (split the dose or change site)",
    evidence=IM_VOLUME,
    minimum="0.5",
    maximum="10",
)
_BMI_PROMPT = registry.define(
    "dosing.bmi_prompt_kg_per_m2",
    Decimal("35"),
    unit="kg/m²",
    title="At or above this BMI, ask the prescriber to confirm the weight basis",
    evidence=BMI_PROMPT,
    minimum="25",
    maximum="60",
)
_HEIGHT_NEEDED_ABOVE = registry.define(
    "dosing.height_needed_above_kg",
    Decimal("120"),
    unit="kg",
    title="Above this weight with no height charted, the dose asks for a height (BMI unknown)",
    evidence=HEIGHT_FOR_BMI,
    minimum="60",
    maximum="250",
)
_CONCENTRATION_MIN = registry.define(
    "dosing.concentration_mg_per_ml_min",
    Decimal("0.1"),
    unit="mg/mL",
    title="Concentrations below this are refused as implausible",
    evidence=CONCENTRATION_RANGE,
    minimum="0.01",
    maximum="100",
)
_CONCENTRATION_MAX = registry.define(
    "dosing.concentration_mg_per_ml_max",
    Decimal("100"),
    unit="mg/mL",
    title="Concentrations above this are refused as implausible",
    evidence=CONCENTRATION_RANGE,
    minimum="0.01",
    maximum="100",
)
_ESKETAMINE_HARD_MAX = registry.define(
    "dosing.esketamine.dose_mg_hard_max",
    84,
    unit="mg",
    title="Esketamine nasal spray: doses above this are refused (label maximum 84 mg)",
    evidence=ESKETAMINE_LABEL_DOSING,
    minimum=28,
    maximum=84,
)


def esketamine_dose_mg_hard_max(overrides: registry.Overrides | None = None) -> Decimal:
    """The clinic's esketamine maximum in mg (``dosing.esketamine.dose_mg_hard_max``)."""
    return registry.resolve_decimal(_ESKETAMINE_HARD_MAX.key, overrides)


# Input plausibility, not clinical limits (shared with ``remission.clinical.units``): values
# outside these cannot be a patient's measurement, so they are refused, never clamped.
PLAUSIBLE_WEIGHT_KG = (WEIGHT_KG_MIN, WEIGHT_KG_MAX)
PLAUSIBLE_HEIGHT_CM = (HEIGHT_CM_MIN, HEIGHT_CM_MAX)
MAXIMUM_INFUSION_MINUTES = Decimal("1440")

ESKETAMINE_MG_PER_DEVICE = 28
ESKETAMINE_MINUTES_BETWEEN_DEVICES = 5


@dataclass(frozen=True, slots=True)
class DoseLimits:
    """Per-protocol limits for one weight-based route.

    ``*_soft_*`` bounds produce warnings; ``mg_per_kg_hard_max`` and ``dose_mg_hard_max`` refuse.
    ``dose_mg_hard_max`` is ``None`` when the clinic sets no mg cap.
    """

    route: Route
    mg_per_kg_soft_min: Decimal
    mg_per_kg_soft_max: Decimal
    mg_per_kg_hard_max: Decimal
    dose_mg_hard_max: Decimal | None
    bmi_prompt_kg_per_m2: Decimal
    concentration_mg_per_ml_min: Decimal
    concentration_mg_per_ml_max: Decimal
    mg_per_kg_hard_min: Decimal = Decimal("0")
    height_needed_above_kg: Decimal | None = None
    infusion_minutes_soft_min: Decimal | None = None
    infusion_minutes_soft_max: Decimal | None = None
    infusion_minutes_hard_min: Decimal | None = None  # from ``short_infusion_from_mg_per_kg`` up
    short_infusion_from_mg_per_kg: Decimal | None = None
    infusion_minutes_absolute_min: Decimal | None = None
    volume_ml_soft_max: Decimal | None = None

    def __post_init__(self) -> None:
        if self.route is Route.ESKETAMINE_NASAL:
            raise ClinicalInputError("esketamine is dosed in devices, not by weight")
        _require_ordered(
            "mg/kg limits",
            ("hard minimum", self.mg_per_kg_hard_min),
            ("soft minimum", self.mg_per_kg_soft_min),
            ("soft maximum", self.mg_per_kg_soft_max),
            ("hard maximum", self.mg_per_kg_hard_max),
        )
        _require_ordered(
            "concentration limits",
            ("minimum", self.concentration_mg_per_ml_min),
            ("maximum", self.concentration_mg_per_ml_max),
        )
        if (
            self.infusion_minutes_soft_min is not None
            and self.infusion_minutes_soft_max is not None
        ):
            _require_ordered(
                "infusion minutes",
                ("soft minimum", self.infusion_minutes_soft_min),
                ("soft maximum", self.infusion_minutes_soft_max),
            )
        if self.dose_mg_hard_max is not None and self.dose_mg_hard_max <= 0:
            raise ClinicalInputError("dose_mg_hard_max must be positive, or None for no cap")

    @classmethod
    def for_route(cls, route: Route, overrides: registry.Overrides | None = None) -> DoseLimits:
        """The registry defaults for ``route``, with the clinic's overrides applied."""

        def value(default: registry.ClinicalDefault) -> Decimal:
            return registry.resolve_decimal(default.key, overrides)

        common = {
            "height_needed_above_kg": value(_HEIGHT_NEEDED_ABOVE),
            "bmi_prompt_kg_per_m2": value(_BMI_PROMPT),
            "concentration_mg_per_ml_min": value(_CONCENTRATION_MIN),
            "concentration_mg_per_ml_max": value(_CONCENTRATION_MAX),
        }
        if route is Route.IV_RACEMIC:
            cap = value(_IV_MG_CAP)
            return cls(
                route=route,
                mg_per_kg_hard_min=value(_IV_HARD_MIN),
                mg_per_kg_soft_min=value(_IV_SOFT_MIN),
                mg_per_kg_soft_max=value(_IV_SOFT_MAX),
                mg_per_kg_hard_max=value(_IV_HARD_MAX),
                dose_mg_hard_max=cap or None,
                infusion_minutes_soft_min=value(_IV_MINUTES_SOFT_MIN),
                infusion_minutes_soft_max=value(_IV_MINUTES_SOFT_MAX),
                infusion_minutes_hard_min=value(_IV_MINUTES_HARD_MIN),
                short_infusion_from_mg_per_kg=value(_IV_FAST_FROM),
                infusion_minutes_absolute_min=value(_IV_MINUTES_ABSOLUTE_MIN),
                **common,
            )
        if route is Route.IM_RACEMIC:
            cap = value(_IM_MG_CAP)
            return cls(
                route=route,
                mg_per_kg_hard_min=value(_IM_HARD_MIN),
                mg_per_kg_soft_min=value(_IM_SOFT_MIN),
                mg_per_kg_soft_max=value(_IM_SOFT_MAX),
                mg_per_kg_hard_max=value(_IM_HARD_MAX),
                dose_mg_hard_max=cap or None,
                volume_ml_soft_max=value(_IM_VOLUME_SOFT_MAX),
                **common,
            )
        raise ClinicalInputError("esketamine is dosed in devices, not by weight")


def _require_ordered(what: str, *named: tuple[str, Decimal]) -> None:
    for (low_name, low), (high_name, high) in pairwise(named):
        if low > high:
            raise ClinicalInputError(f"{what}: {low_name} {low} is above {high_name} {high}")
