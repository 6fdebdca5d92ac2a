"""Eligibility screening per route, treatment-resistance counting and Maudsley staging.

Decision support only. ``assess_eligibility`` turns a structured ``Intake`` into one record per
route (IV racemic ketamine, IM racemic ketamine, esketamine nasal spray). Each route is
``contraindicated`` (at least one absolute reason), ``needs_review`` (at least one relative
reason) or ``eligible`` (cautions at most). Every reason found is listed with its severity, a
message, the routes it applies to and its ``Evidence``; nothing is hidden behind the status.
The record always carries ``DECISION_SUPPORT_NOTICE``: a prescriber reviews and signs off.

Sources are those of ``shared/reference/clinical.md`` §2.3 (esketamine label), §3
(contraindications table and intake checklist), §4 (TRD definitions, MSM, ATHF). Confidence
labels: ``src`` primary source, ``2nd`` secondary only, ``mem`` recalled, ``?`` uncertain or a
practice convention.

Decisions worth knowing:

* The esketamine label's absolute contraindications (aneurysmal vascular disease, AVM,
  intracerebral haemorrhage, hypersensitivity) are applied to racemic IV and IM ketamine too, as
  the reference recommends. For racemic routes that is an extrapolation, and those reasons carry
  their own, lower, confidence.
* Diagnosis codes (ICD-10-CM) are read as well as the history flags: an aneurysm, AVM or
  intracerebral-haemorrhage code, a bipolar (F31), psychotic-disorder (F20–F29),
  psychotic-features (F32.3, F33.3, ...) or manic-episode code raises the same reason as the
  flag, so a coded condition is not missed when its box is left unticked. The code meanings
  are recalled [mem]; the flags remain the primary input.
* Treatment resistance counts trials that were adequate in dose, lasted at least the configured
  weeks, had adherence better than poor, belong to the current episode, and ended without
  response. Intolerance is not counted as non-response. Partial response counts only when
  ``eligibility.trd_partial_response_counts_as_failure`` is set.
* The Maudsley Staging Method needs at least one failed trial (its treatment dimension starts
  at level 1 and its minimum total is 3). With no failed trial the staging is **not computed**:
  ``maudsley`` is ``None`` and ``maudsley_not_staged_reason`` says why. ``stage_maudsley``
  itself refuses zero failures with ``ClinicalInputError``.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from remission.clinical import registry
from remission.clinical.dosing import Sex
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.routes import ALL_ROUTES, Drug, Route

__all__ = [
    "DECISION_SUPPORT_NOTICE",
    "Adherence",
    "AntidepressantTrial",
    "BaselineSeverity",
    "BloodPressure",
    "CurrentMedications",
    "EligibilityAssessment",
    "Intake",
    "MaudsleyStaging",
    "MedicalHistory",
    "MsmBand",
    "MsmPart",
    "PregnancyStatus",
    "Reason",
    "RouteDecision",
    "RouteStatus",
    "Severity",
    "Sex",
    "Substance",
    "SubstanceUseDisorder",
    "TreatmentResistance",
    "TrialAssessment",
    "TrialOutcome",
    "assess_eligibility",
    "assess_treatment_resistance",
    "classify_trial",
    "stage_maudsley",
]

DECISION_SUPPORT_NOTICE = (
    "Decision support only, not a decision: a prescriber reviews every reason listed here "
    "and signs off before any treatment."
)


# --- Vocabulary ------------------------------------------------------------------------------


class PregnancyStatus(enum.StrEnum):
    NOT_APPLICABLE = "not_applicable"
    NOT_PREGNANT = "not_pregnant"
    PREGNANT = "pregnant"
    PLANNING = "planning"
    UNKNOWN = "unknown"


class SubstanceUseDisorder(enum.StrEnum):
    NONE = "none"
    IN_REMISSION = "in_remission"
    ACTIVE = "active"


class Substance(enum.StrEnum):
    ALCOHOL = "alcohol"
    KETAMINE = "ketamine"
    PHENCYCLIDINE = "phencyclidine"
    OPIOIDS = "opioids"
    STIMULANTS = "stimulants"
    SEDATIVES = "sedatives"
    CANNABIS = "cannabis"
    HALLUCINOGENS = "hallucinogens"
    OTHER = "other"


class Adherence(enum.StrEnum):
    GOOD = "good"
    PARTIAL = "partial"
    POOR = "poor"


class TrialOutcome(enum.StrEnum):
    NONE = "none"
    PARTIAL = "partial"
    RESPONSE = "response"
    REMISSION = "remission"
    INTOLERANCE = "intolerance"


class BaselineSeverity(enum.StrEnum):
    """Baseline severity in the Maudsley Staging Method's categories."""

    SUBSYNDROMAL = "subsyndromal"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE_WITHOUT_PSYCHOSIS = "severe_without_psychosis"
    SEVERE_WITH_PSYCHOSIS = "severe_with_psychosis"


class Severity(enum.StrEnum):
    ABSOLUTE = "absolute"
    RELATIVE = "relative"
    CAUTION = "caution"


class RouteStatus(enum.StrEnum):
    ELIGIBLE = "eligible"
    NEEDS_REVIEW = "needs_review"
    CONTRAINDICATED = "contraindicated"


class MsmBand(enum.StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


RACEMIC_ROUTES: tuple[Route, ...] = tuple(r for r in ALL_ROUTES if r.drug is Drug.RACEMIC_KETAMINE)
ESKETAMINE_ONLY: tuple[Route, ...] = tuple(r for r in ALL_ROUTES if r.drug is Drug.ESKETAMINE)


# --- Intake ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BloodPressure:
    systolic_mmhg: int
    diastolic_mmhg: int

    def __post_init__(self) -> None:
        _require_whole_in_range("systolic_mmhg", self.systolic_mmhg, 50, 300)
        _require_whole_in_range("diastolic_mmhg", self.diastolic_mmhg, 20, 200)
        if self.diastolic_mmhg >= self.systolic_mmhg:
            raise ClinicalInputError(
                f"diastolic_mmhg {self.diastolic_mmhg} must be below "
                f"systolic_mmhg {self.systolic_mmhg}"
            )

    def __str__(self) -> str:
        return f"{self.systolic_mmhg}/{self.diastolic_mmhg} mmHg"


@dataclass(frozen=True, slots=True)
class MedicalHistory:
    """History flags from the intake checklist (reference §3). Every flag must be answered."""

    aneurysmal_vascular_disease: bool
    arteriovenous_malformation: bool
    intracerebral_haemorrhage: bool
    hypersensitivity_to_ketamine_or_esketamine: bool
    uncontrolled_hypertension: bool
    recent_myocardial_infarction: bool
    unstable_angina: bool
    significant_arrhythmia: bool
    recent_stroke: bool
    raised_intracranial_pressure: bool
    recent_head_injury: bool
    psychosis_history: bool
    current_psychotic_features: bool
    current_mania: bool
    bipolar_disorder: bool
    substance_use_disorder: SubstanceUseDisorder
    substances: tuple[Substance, ...]
    cystitis_or_lower_urinary_tract_symptoms: bool
    severe_hepatic_impairment: bool
    cognitive_impairment: bool
    unable_to_consent: bool
    glaucoma_or_raised_intraocular_pressure: bool
    hyperthyroidism: bool
    acute_suicidality: bool

    def __post_init__(self) -> None:
        if self.substances and self.substance_use_disorder is SubstanceUseDisorder.NONE:
            raise ClinicalInputError(
                "substances are listed but substance_use_disorder is 'none': "
                "set it to 'active' or 'in_remission', or leave substances empty"
            )

    @classmethod
    def nothing_reported(cls, **reported: Any) -> MedicalHistory:
        """Every flag answered 'no', except the ones given as keyword arguments."""
        answers: dict[str, Any] = {
            f.name: False for f in dataclasses.fields(cls) if f.name not in _NON_FLAG_HISTORY
        }
        answers["substance_use_disorder"] = SubstanceUseDisorder.NONE
        answers["substances"] = ()
        answers.update(reported)
        return cls(**answers)


_NON_FLAG_HISTORY = frozenset({"substance_use_disorder", "substances"})


@dataclass(frozen=True, slots=True)
class CurrentMedications:
    """Current medicines by class (reference §3 checklist item 9; REMS form items)."""

    maoi: bool
    benzodiazepine: bool
    lorazepam_equivalent_mg_per_day: Decimal | None
    z_drug: bool
    opioid: bool
    stimulant: bool
    lamotrigine: bool
    mood_stabiliser: bool
    other_blood_pressure_raising: bool

    def __post_init__(self) -> None:
        dose = self.lorazepam_equivalent_mg_per_day
        if dose is None:
            return
        if not self.benzodiazepine:
            raise ClinicalInputError(
                "lorazepam_equivalent_mg_per_day is given but benzodiazepine is false"
            )
        if not dose.is_finite() or not Decimal(0) < dose <= Decimal(100):
            raise ClinicalInputError(
                f"lorazepam_equivalent_mg_per_day must be above 0 and at most 100, got {dose}"
            )

    @classmethod
    def none_taken(cls, **taken: Any) -> CurrentMedications:
        """No medicine of any listed class, except the ones given as keyword arguments."""
        answers: dict[str, Any] = {f.name: False for f in dataclasses.fields(cls)}
        answers["lorazepam_equivalent_mg_per_day"] = None
        answers.update(taken)
        return cls(**answers)


@dataclass(frozen=True, slots=True)
class AntidepressantTrial:
    """One antidepressant trial as the intake records it (reference §4, ATHF/MGH-ATRQ items)."""

    drug: str
    adequate_dose: bool
    duration_weeks: Decimal
    adherence: Adherence
    outcome: TrialOutcome
    current_episode: bool
    augmentation: bool

    def __post_init__(self) -> None:
        if not self.drug.strip():
            raise ClinicalInputError("drug must name the antidepressant")
        weeks = self.duration_weeks
        if not weeks.is_finite() or not Decimal(0) <= weeks <= Decimal(520):
            raise ClinicalInputError(f"duration_weeks must be between 0 and 520, got {weeks}")


ICD10CM_CODE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


@dataclass(frozen=True, slots=True)
class Intake:
    """A structured screening intake. Build it directly, or from JSON with ``from_mapping``."""

    age_years: int
    sex: Sex
    pregnancy: PregnancyStatus
    breastfeeding: bool
    blood_pressure_today: BloodPressure | None
    history: MedicalHistory
    diagnoses_icd10cm: tuple[str, ...]
    medications: CurrentMedications
    antidepressant_trials: tuple[AntidepressantTrial, ...]
    ect_used_in_current_episode: bool
    current_episode_months: int
    baseline_severity: BaselineSeverity

    def __post_init__(self) -> None:
        _require_whole_in_range("age_years", self.age_years, 0, 120)
        _require_whole_in_range("current_episode_months", self.current_episode_months, 0, 1200)
        for code in self.diagnoses_icd10cm:
            if not ICD10CM_CODE.match(code):
                raise ClinicalInputError(
                    f"diagnoses_icd10cm: {code!r} is not an ICD-10-CM code "
                    "(upper case with a dot, e.g. 'F33.1')"
                )

    @classmethod
    def from_mapping(cls, data: object) -> Intake:
        """Validate JSON-like data (e.g. ``json.load`` output) and build an ``Intake``.

        Every field is required (``blood_pressure_today`` may be ``null``); unknown fields,
        wrong types and out-of-range values raise ``ClinicalInputError`` naming the field path.
        """
        return _parse_dataclass(cls, data, "")


def _require_whole_in_range(name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClinicalInputError(f"{name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ClinicalInputError(f"{name} must be between {low} and {high}, got {value}")


# --- Parsing JSON-like input -----------------------------------------------------------------

_Parsed = TypeVar("_Parsed")


def _parse_dataclass(cls: type[_Parsed], raw: object, path: str) -> _Parsed:
    where = path or "intake"
    if not isinstance(raw, Mapping) or not all(isinstance(k, str) for k in raw):
        raise ClinicalInputError(f"{where}: expected an object, got {_json_type(raw)}")
    hints = get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    unknown = sorted(set(raw) - set(names))
    if unknown:
        raise ClinicalInputError(
            f"unknown field {_join(path, unknown[0])!r}{_suggestion(unknown[0], names)}"
        )
    missing = [name for name in names if name not in raw]
    if missing:
        raise ClinicalInputError("missing field(s) " + ", ".join(_join(path, m) for m in missing))
    values = {name: _parse_value(hints[name], raw[name], _join(path, name)) for name in names}
    try:
        return cls(**values)
    except ClinicalInputError as error:
        raise ClinicalInputError(f"{path}: {error}" if path else str(error)) from None


def _parse_value(annotation: Any, raw: object, path: str) -> object:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        if raw is None:
            return None
        (only,) = options
        return _parse_value(only, raw, path)
    if origin is tuple:
        item_type = get_args(annotation)[0]
        if not isinstance(raw, list):
            raise ClinicalInputError(f"{path}: expected a list, got {_json_type(raw)}")
        return tuple(_parse_value(item_type, item, f"{path}[{i}]") for i, item in enumerate(raw))
    if annotation is bool:
        if not isinstance(raw, bool):
            raise ClinicalInputError(f"{path}: expected true or false, got {_json_type(raw)}")
        return raw
    if annotation is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ClinicalInputError(f"{path}: expected a whole number, got {_json_type(raw)}")
        return raw
    if annotation is Decimal:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ClinicalInputError(f"{path}: expected a number, got {_json_type(raw)}")
        return Decimal(str(raw))
    if annotation is str:
        if not isinstance(raw, str):
            raise ClinicalInputError(f"{path}: expected text, got {_json_type(raw)}")
        return raw
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        allowed = [member.value for member in annotation]
        if raw not in allowed:
            shown = "null" if raw is None else repr(raw)
            raise ClinicalInputError(
                f"{path}: {shown} is not one of " + ", ".join(str(a) for a in allowed)
            )
        return annotation(raw)
    if dataclasses.is_dataclass(annotation):
        return _parse_dataclass(annotation, raw, path)  # type: ignore[arg-type]
    raise TypeError(f"no parser for {annotation!r}")  # a programming error, not bad input


def _suggestion(unknown: str, names: Sequence[str]) -> str:
    """'; did you mean ...?' for a misspelt field, matching whole names or any word of one."""
    candidates: dict[str, str] = {}
    for name in names:
        for word in name.split("_"):
            candidates.setdefault(word, name)
        candidates[name] = name
    close = difflib.get_close_matches(unknown, list(candidates), n=1, cutoff=0.8)
    return f"; did you mean {candidates[close[0]]!r}?" if close else ""


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _json_type(raw: object) -> str:
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        return f"text {raw!r}"
    if isinstance(raw, int | float):
        return f"the number {raw}"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, Mapping):
        return "an object"
    return type(raw).__name__


# --- Sources ---------------------------------------------------------------------------------

_SPRAVATO_HIGHLIGHTS_URL = "https://docslib.org/doc/9815815"

LABEL_CONTRAINDICATIONS = Evidence(
    citation="SPRAVATO (esketamine) prescribing information, Highlights: Contraindications",
    confidence=Confidence.PRIMARY,
    url=_SPRAVATO_HIGHLIGHTS_URL,
)
RACEMIC_VASCULAR_EXTRAPOLATION = Evidence(
    citation="SPRAVATO contraindications applied to racemic ketamine (reference §3); Ketalar "
    "contraindicates ketamine where a significant blood-pressure rise is a serious hazard",
    confidence=Confidence.UNCERTAIN,
    note="an extrapolation from the esketamine label; the Ketalar wording is recalled",
)
RACEMIC_HYPERSENSITIVITY = Evidence(
    citation="Ketalar (ketamine) label: hypersensitivity is a contraindication; racemic ketamine "
    "contains esketamine",
    confidence=Confidence.SECONDARY,
    note="the Ketalar wording was seen only in a secondary source",
)
TRIAL_EXCLUSIONS = Evidence(
    citation="Ketamine trial exclusion lists (PMC6884875 Table 1; PMC10812090 Table 1)",
    confidence=Confidence.PRIMARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC10812090",
)
PRETREATMENT_BP = Evidence(
    citation="SPRAVATO label section 2: if baseline BP is elevated (e.g. >140/90 mmHg) weigh "
    "the risk of short-term rises; clinic SOPs defer ketamine above 140/90",
    confidence=Confidence.RECALLED,
    note="label wording not re-read; the SOP attribution to Sanacora 2017 is unconfirmed",
)
BP_ICP_HAZARD = Evidence(
    citation="SPRAVATO label: do not give when a rise in blood pressure or intracranial "
    "pressure poses a serious risk; Ketalar contraindication for the same",
    confidence=Confidence.RECALLED,
)
LABEL_PSYCHOSIS = Evidence(
    citation="SPRAVATO label 5.2 (dissociation): carefully assess patients with psychosis "
    "before treatment; psychosis excluded in ketamine trials",
    confidence=Confidence.PRIMARY,
)
BIPOLAR_MOOD_STABILISER = Evidence(
    citation="Bipolar depression is usually treated with ketamine only with a mood stabiliser "
    "on board; mania excluded in trials",
    confidence=Confidence.SECONDARY,
)
LABEL_ABUSE = Evidence(
    citation="SPRAVATO label 5.3 (abuse and misuse): assess each patient's risk before "
    "prescribing; active substance use disorder excluded in trials",
    confidence=Confidence.PRIMARY,
)
LABEL_PREGNANCY = Evidence(
    citation="SPRAVATO label 5.10 (embryo-fetal toxicity): not recommended in pregnancy; "
    "breastfeeding not recommended",
    confidence=Confidence.PRIMARY,
)
LABEL_INTERACTIONS = Evidence(
    citation="SPRAVATO label section 7: CNS depressants increase sedation; psychostimulants "
    "and MAOIs increase blood pressure",
    confidence=Confidence.PRIMARY,
)
BENZODIAZEPINE_EXCLUSION = Evidence(
    citation="Trial exclusions: more than 2–3 mg lorazepam-equivalent per day "
    "(PMC6884875, PMC10812090)",
    confidence=Confidence.PRIMARY,
    note="the default 2 mg/day is the lower end, so the prompt errs toward review",
)
REMS_FORM = Evidence(
    citation="SPRAVATO REMS Patient Monitoring Form: concomitant benzodiazepines, "
    "non-benzodiazepine sedative hypnotics, psychostimulants, MAOIs (newer version: opioids)",
    confidence=Confidence.PRIMARY,
    url="https://manualspro.net/445029-spravato-patient-monitoring-form-instructions",
)
LAMOTRIGINE_ATTENUATION = Evidence(
    citation="Lamotrigine may attenuate ketamine's effects",
    confidence=Confidence.RECALLED,
)
ESKETAMINE_INDICATIONS = Evidence(
    citation="SPRAVATO indications: treatment-resistant depression in adults; depressive "
    "symptoms in adults with MDD with acute suicidal ideation or behaviour",
    confidence=Confidence.PRIMARY,
    url=_SPRAVATO_HIGHLIGHTS_URL,
)
ADULT_EVIDENCE_BASE = Evidence(
    citation="Ketamine depression trials enrolled adults; SPRAVATO is indicated in adults",
    confidence=Confidence.PRIMARY,
    url=_SPRAVATO_HIGHLIGHTS_URL,
)
LABEL_OLDER_ADULT_BP = Evidence(
    citation="SPRAVATO label Table 6: systolic rise ≥40 mmHg in 17% of patients ≥65 years vs 8% "
    "under 65",
    confidence=Confidence.PRIMARY,
    url="https://www.usmedicine.com/2021online-dir/inc/html/35.html",
)
LABEL_YOUNG_ADULT_SUICIDALITY = Evidence(
    citation="SPRAVATO label boxed warning: suicidal thoughts and behaviours in patients aged "
    "24 and younger (antidepressant class warning)",
    confidence=Confidence.PRIMARY,
)
LABEL_CYSTITIS = Evidence(
    citation="SPRAVATO label 5.9: ulcerative or interstitial cystitis; ask about and monitor "
    "lower urinary tract symptoms",
    confidence=Confidence.PRIMARY,
)
ESKETAMINE_HEPATIC = Evidence(
    citation="SPRAVATO label: not recommended in severe hepatic impairment",
    confidence=Confidence.RECALLED,
)
RACEMIC_HEPATIC = Evidence(
    citation="Ketamine is cleared by hepatic metabolism; no depression-specific guidance found",
    confidence=Confidence.UNCERTAIN,
)
COGNITION_AND_CONSENT = Evidence(
    citation="Trial exclusion: unable to consent; MMSE ≥25 required of older patients "
    "(PMC10812090); SPRAVATO label warning on cognitive impairment",
    confidence=Confidence.PRIMARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC10812090",
)
ANAESTHESIA_LISTS = Evidence(
    citation="Raised intraocular pressure, glaucoma and hyperthyroidism appear in anaesthesia "
    "lists of ketamine cautions",
    confidence=Confidence.SECONDARY,
)
LABEL_SUICIDALITY = Evidence(
    citation="SPRAVATO indication for MDD with acute suicidal ideation; limitation of use: it "
    "does not replace hospitalisation",
    confidence=Confidence.PRIMARY,
    url=_SPRAVATO_HIGHLIGHTS_URL,
)
BP_BEFORE_DOSING = Evidence(
    citation="SPRAVATO dosing: measure blood pressure before dosing",
    confidence=Confidence.PRIMARY,
    url="https://www.spravatohcp.com/dosing-spravato-trd",
)
MDD_DIAGNOSIS = Evidence(
    citation="Intake checklist item 1 (confirmed MDD); the trial evidence and the esketamine "
    "indications are in major depressive disorder",
    confidence=Confidence.PRIMARY,
)
ICD10CM_CODES = Evidence(
    citation="ICD-10-CM: F31 bipolar disorder; F20–F29 psychotic disorders; F32.3/F33.3 "
    "severe depression with psychotic features; F30 manic episode; F10–F19 substance use; "
    "I61 intracerebral haemorrhage; I67.1/I71/I72 aneurysm; Q28.2/Q28.3/Q27.3 AV malformation",
    confidence=Confidence.RECALLED,
)
TRD_DEFINITION = Evidence(
    citation="TRD: nonresponse to at least 2 antidepressants of adequate dose and duration in "
    "the current episode (FDA SPRAVATO approval; most trials)",
    confidence=Confidence.PRIMARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC11193313",
)
ADEQUATE_TRIAL_WEEKS = Evidence(
    citation="MGH-ATRQ as used in the TRANSFORM trials: adequate trial = at least 6 weeks at an "
    "adequate dose",
    confidence=Confidence.RECALLED,
    note="the ATHF uses at least 4 weeks at an adequate dose [2nd]",
)
PARTIAL_RESPONSE = Evidence(
    citation="MGH-ATRQ nonresponse = ≤25% improvement; EU-PEARL (Sforzini 2022) names 25–50% "
    "reduction 'partially responsive depression', separate from TRD",
    confidence=Confidence.RECALLED,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC9095475",
)
RACEMIC_TRD_EVIDENCE = Evidence(
    citation="Racemic ketamine trials enrolled mostly treatment-resistant depression "
    "(Fava 2020; Murrough 2013)",
    confidence=Confidence.PRIMARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC6447473",
)
MSM_TABLE = Evidence(
    citation="Maudsley Staging Method, Fekadu et al. 2009; BMC Psychiatry 2018;18:100 Table 3",
    confidence=Confidence.PRIMARY,
    url="https://bmcpsychiatry.biomedcentral.com/articles/10.1186/s12888-018-1679-x/tables/3",
)
MSM_TREATMENT_LEVELS = Evidence(
    citation="Maudsley Staging Method treatment dimension (Fekadu et al. 2009): antidepressant "
    "failure levels 1–5, augmentation 0/1, ECT 0/1",
    confidence=Confidence.RECALLED,
    note="verify against Fekadu 2009 / the 2018 standardisation before relying on it",
)


# --- Configurable thresholds -----------------------------------------------------------------

_SYSTOLIC_MAX = registry.define(
    "eligibility.pretreatment_systolic_max_mmhg",
    140,
    unit="mmHg",
    title="Today's systolic BP above this needs prescriber review before treatment",
    evidence=PRETREATMENT_BP,
    minimum=100,
    maximum=200,
)
_DIASTOLIC_MAX = registry.define(
    "eligibility.pretreatment_diastolic_max_mmhg",
    90,
    unit="mmHg",
    title="Today's diastolic BP above this needs prescriber review before treatment",
    evidence=PRETREATMENT_BP,
    minimum=60,
    maximum=130,
)
_BENZODIAZEPINE_MAX = registry.define(
    "eligibility.benzodiazepine_lorazepam_equivalent_max_mg_per_day",
    Decimal("2"),
    unit="mg/day lorazepam-equivalent",
    title="Benzodiazepine doses above this need prescriber review",
    evidence=BENZODIAZEPINE_EXCLUSION,
    minimum="0",
    maximum="10",
)
_TRD_MINIMUM_FAILURES = registry.define(
    "eligibility.trd_minimum_failed_trials",
    2,
    unit="trials",
    title="Adequate failed antidepressant trials in the current episode that define TRD",
    evidence=TRD_DEFINITION,
    minimum=1,
    maximum=5,
)
_TRD_MINIMUM_WEEKS = registry.define(
    "eligibility.trd_adequate_trial_minimum_weeks",
    6,
    unit="weeks",
    title="Shortest trial at an adequate dose that counts as adequate (ATHF: 4)",
    evidence=ADEQUATE_TRIAL_WEEKS,
    minimum=2,
    maximum=12,
)
_TRD_PARTIAL_COUNTS = registry.define(
    "eligibility.trd_partial_response_counts_as_failure",
    False,
    unit="",
    title="Count an adequate trial with partial response as a failed trial",
    evidence=PARTIAL_RESPONSE,
)

ELIGIBILITY_SETTINGS = (
    _SYSTOLIC_MAX,
    _DIASTOLIC_MAX,
    _BENZODIAZEPINE_MAX,
    _TRD_MINIMUM_FAILURES,
    _TRD_MINIMUM_WEEKS,
    _TRD_PARTIAL_COUNTS,
)

ADULT_AGE_YEARS = 18
OLDER_ADULT_AGE_YEARS = 65  # label Table 6 reports BP rises separately from this age
YOUNG_ADULT_MAX_AGE_YEARS = 24  # antidepressant class warning on suicidality


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """One finding: why a route is contraindicated, needs review, or needs care."""

    code: str
    severity: Severity
    message: str
    routes: tuple[Route, ...]
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class RouteDecision:
    route: Route
    status: RouteStatus
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class TrialAssessment:
    drug: str
    counts_as_failure: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class MsmPart:
    """One dimension of the Maudsley Staging Method: what was found, its points, and the rule."""

    dimension: str
    finding: str
    points: int
    rule: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class MaudsleyStaging:
    duration: MsmPart
    severity: MsmPart
    antidepressant_failures: MsmPart
    augmentation: MsmPart
    ect: MsmPart
    total: int
    band: MsmBand
    band_rule: str
    evidence: Evidence = MSM_TABLE

    @property
    def parts(self) -> tuple[MsmPart, ...]:
        return (
            self.duration,
            self.severity,
            self.antidepressant_failures,
            self.augmentation,
            self.ect,
        )


@dataclass(frozen=True, slots=True)
class TreatmentResistance:
    failed_adequate_trials: int
    is_treatment_resistant: bool
    rule: str
    trials: tuple[TrialAssessment, ...]
    minimum_failed_trials: int
    adequate_trial_minimum_weeks: int
    partial_response_counts_as_failure: bool
    adequate_trials_with_partial_response: int
    evidence: tuple[Evidence, ...]
    notes: tuple[str, ...]
    maudsley: MaudsleyStaging | None
    maudsley_not_staged_reason: str | None


@dataclass(frozen=True, slots=True)
class EligibilityAssessment:
    decision_support_notice: str
    routes: tuple[RouteDecision, ...]
    treatment_resistance: TreatmentResistance
    settings_used: Mapping[str, registry.DefaultValue]

    def decision_for(self, route: Route) -> RouteDecision:
        for decision in self.routes:
            if decision.route is route:
                return decision
        raise KeyError(route)


# --- Treatment resistance and Maudsley staging -----------------------------------------------

_FAILED_OUTCOMES = frozenset({TrialOutcome.NONE})


def classify_trial(
    trial: AntidepressantTrial,
    *,
    minimum_weeks: int | Decimal,
    partial_response_counts_as_failure: bool,
) -> TrialAssessment:
    """Whether one trial counts toward TRD, with the reasons in words.

    Counts when: adequate dose, at least ``minimum_weeks`` (``ADEQUATE_TRIAL_WEEKS`` [mem]),
    adherence not poor (ATHF lowers poorly adhered trials [2nd]), in the current episode
    (``TRD_DEFINITION`` [src]), and outcome no response (or partial response if so configured,
    ``PARTIAL_RESPONSE`` [mem]). Intolerance is not non-response.
    """
    shortfalls: list[str] = []
    if not trial.adequate_dose:
        shortfalls.append("dose not adequate")
    if trial.duration_weeks < minimum_weeks:
        shortfalls.append(f"{trial.duration_weeks} weeks is under {minimum_weeks}")
    if trial.adherence is Adherence.POOR:
        shortfalls.append("adherence poor")
    if not trial.current_episode:
        shortfalls.append("not in the current episode")
    failed = set(_FAILED_OUTCOMES)
    if partial_response_counts_as_failure:
        failed.add(TrialOutcome.PARTIAL)
    if trial.outcome not in failed:
        shortfalls.append(f"outcome {trial.outcome.value.replace('_', ' ')} is not a failure")
    if shortfalls:
        return TrialAssessment(trial.drug, False, "not counted: " + "; ".join(shortfalls))
    return TrialAssessment(
        trial.drug,
        True,
        f"counted: adequate dose for {trial.duration_weeks} weeks in the current episode, "
        f"adherence {trial.adherence.value}, outcome {trial.outcome.value}",
    )


def assess_treatment_resistance(
    trials: Sequence[AntidepressantTrial],
    *,
    ect_used_in_current_episode: bool,
    current_episode_months: int,
    baseline_severity: BaselineSeverity,
    overrides: registry.Overrides | None = None,
) -> TreatmentResistance:
    """Count adequate failed trials, decide TRD, and stage with the MSM where possible.

    TRD = at least ``eligibility.trd_minimum_failed_trials`` (default 2, ``TRD_DEFINITION``
    [src]) adequate failed trials in the current episode. MSM is computed only with at least one
    failed trial (see the module docstring).
    """
    minimum_failures = int(registry.resolve_decimal(_TRD_MINIMUM_FAILURES.key, overrides))
    minimum_weeks = int(registry.resolve_decimal(_TRD_MINIMUM_WEEKS.key, overrides))
    partial_counts = bool(registry.resolve(_TRD_PARTIAL_COUNTS.key, overrides))
    assessments = tuple(
        classify_trial(
            trial,
            minimum_weeks=minimum_weeks,
            partial_response_counts_as_failure=partial_counts,
        )
        for trial in trials
    )
    failures = sum(1 for a in assessments if a.counts_as_failure)
    partial_adequate = sum(
        1
        for trial in trials
        if trial.outcome is TrialOutcome.PARTIAL
        and classify_trial(
            trial, minimum_weeks=minimum_weeks, partial_response_counts_as_failure=True
        ).counts_as_failure
    )
    notes = [
        "The ATHF treats 4 weeks at an adequate dose as the minimum duration; set "
        "eligibility.trd_adequate_trial_minimum_weeks to 4 to count that way.",
        "The TRANSFORM trials also required one of the failed trials to be assessed "
        "prospectively; this count uses the recorded history only.",
    ]
    if partial_adequate and not partial_counts:
        notes.append(
            f"{partial_adequate} adequate trial(s) ended in partial response and are not "
            "counted (EU-PEARL 'partially responsive depression')."
        )
    augmentation_used = any(t.augmentation and t.current_episode for t in trials)
    maudsley: MaudsleyStaging | None = None
    not_staged: str | None = None
    if failures:
        maudsley = stage_maudsley(
            current_episode_months=current_episode_months,
            baseline_severity=baseline_severity,
            failed_antidepressant_trials=failures,
            augmentation_used=augmentation_used,
            ect_used=ect_used_in_current_episode,
        )
    else:
        not_staged = (
            "not staged: the Maudsley Staging Method needs at least one failed adequate "
            "antidepressant trial in the current episode (its minimum total is 3)"
        )
    return TreatmentResistance(
        failed_adequate_trials=failures,
        is_treatment_resistant=failures >= minimum_failures,
        rule=(
            f"TRD = at least {minimum_failures} adequate trials without response in the current "
            f"episode (adequate dose, at least {minimum_weeks} weeks, adherence not poor)"
        ),
        trials=assessments,
        minimum_failed_trials=minimum_failures,
        adequate_trial_minimum_weeks=minimum_weeks,
        partial_response_counts_as_failure=partial_counts,
        adequate_trials_with_partial_response=partial_adequate,
        evidence=(TRD_DEFINITION, ADEQUATE_TRIAL_WEEKS, PARTIAL_RESPONSE),
        notes=tuple(notes),
        maudsley=maudsley,
        maudsley_not_staged_reason=not_staged,
    )


_MSM_SEVERITY_POINTS: dict[BaselineSeverity, tuple[int, str]] = {
    BaselineSeverity.SUBSYNDROMAL: (1, "subsyndromal = 1"),
    BaselineSeverity.MILD: (2, "syndromal, mild = 2"),
    BaselineSeverity.MODERATE: (3, "syndromal, moderate = 3"),
    BaselineSeverity.SEVERE_WITHOUT_PSYCHOSIS: (4, "severe without psychosis = 4"),
    BaselineSeverity.SEVERE_WITH_PSYCHOSIS: (5, "severe with psychosis = 5"),
}

# (highest number of failed antidepressants in the level, points, rule text)
_MSM_FAILURE_LEVELS: tuple[tuple[int | None, int, str], ...] = (
    (2, 1, "level 1: 1–2 medications = 1"),
    (4, 2, "level 2: 3–4 medications = 2"),
    (6, 3, "level 3: 5–6 medications = 3"),
    (10, 4, "level 4: 7–10 medications = 4"),
    (None, 5, "level 5: more than 10 medications = 5"),
)


def stage_maudsley(
    *,
    current_episode_months: int,
    baseline_severity: BaselineSeverity,
    failed_antidepressant_trials: int,
    augmentation_used: bool,
    ect_used: bool,
) -> MaudsleyStaging:
    """Maudsley Staging Method: total 3–15; mild 3–6, moderate 7–10, severe 11–15.

    Duration, severity and the bands: ``MSM_TABLE`` [src]. Treatment-failure levels,
    augmentation and ECT points: ``MSM_TREATMENT_LEVELS`` [mem]. Refuses fewer than one failed
    trial (``ClinicalInputError``): the method's treatment dimension starts at level 1.
    """
    _require_whole_in_range("current_episode_months", current_episode_months, 0, 1200)
    if failed_antidepressant_trials < 1:
        raise ClinicalInputError(
            "the Maudsley Staging Method needs at least one failed antidepressant trial, "
            f"got {failed_antidepressant_trials}"
        )
    if current_episode_months <= 12:
        duration_points, duration_rule = 1, "acute (≤12 months) = 1"
    elif current_episode_months <= 24:
        duration_points, duration_rule = 2, "sub-acute (13–24 months) = 2"
    else:
        duration_points, duration_rule = 3, "chronic (>24 months) = 3"
    duration = MsmPart(
        "duration", f"{current_episode_months} months", duration_points, duration_rule, MSM_TABLE
    )
    severity_points, severity_rule = _MSM_SEVERITY_POINTS[baseline_severity]
    severity = MsmPart(
        "severity",
        baseline_severity.value.replace("_", " "),
        severity_points,
        severity_rule,
        MSM_TABLE,
    )
    for highest, points, rule in _MSM_FAILURE_LEVELS:
        if highest is None or failed_antidepressant_trials <= highest:
            failures = MsmPart(
                "antidepressant_failures",
                f"{failed_antidepressant_trials} failed antidepressant trial(s)",
                points,
                rule,
                MSM_TREATMENT_LEVELS,
            )
            break
    augmentation = MsmPart(
        "augmentation",
        "augmentation used" if augmentation_used else "augmentation not used",
        int(augmentation_used),
        "not used = 0, used = 1",
        MSM_TREATMENT_LEVELS,
    )
    ect = MsmPart(
        "ect",
        "ECT used" if ect_used else "ECT not used",
        int(ect_used),
        "not used = 0, used = 1",
        MSM_TREATMENT_LEVELS,
    )
    total = sum(p.points for p in (duration, severity, failures, augmentation, ect))
    if total <= 6:
        band, band_rule = MsmBand.MILD, "mild = 3–6"
    elif total <= 10:
        band, band_rule = MsmBand.MODERATE, "moderate = 7–10"
    else:
        band, band_rule = MsmBand.SEVERE, "severe = 11–15"
    return MaudsleyStaging(
        duration=duration,
        severity=severity,
        antidepressant_failures=failures,
        augmentation=augmentation,
        ect=ect,
        total=total,
        band=band,
        band_rule=band_rule,
    )


# --- Eligibility rules -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Settings:
    systolic_max_mmhg: int
    diastolic_max_mmhg: int
    benzodiazepine_max_mg_per_day: Decimal

    @classmethod
    def resolve(cls, overrides: registry.Overrides | None) -> _Settings:
        return cls(
            systolic_max_mmhg=int(registry.resolve_decimal(_SYSTOLIC_MAX.key, overrides)),
            diastolic_max_mmhg=int(registry.resolve_decimal(_DIASTOLIC_MAX.key, overrides)),
            benzodiazepine_max_mg_per_day=registry.resolve_decimal(
                _BENZODIAZEPINE_MAX.key, overrides
            ),
        )


def assess_eligibility(
    intake: Intake, *, overrides: registry.Overrides | None = None
) -> EligibilityAssessment:
    """Every reason found in ``intake``, and each route's status. Decision support only."""
    if overrides:
        registry.validate_overrides(overrides)
    settings = _Settings.resolve(overrides)
    resistance = assess_treatment_resistance(
        intake.antidepressant_trials,
        ect_used_in_current_episode=intake.ect_used_in_current_episode,
        current_episode_months=intake.current_episode_months,
        baseline_severity=intake.baseline_severity,
        overrides=overrides,
    )
    reasons = [
        *_vascular_and_hypersensitivity(intake),
        *_cardiovascular(intake, settings),
        *_intracranial(intake),
        *_psychiatric(intake),
        *_substance_use(intake),
        *_reproductive(intake),
        *_medications(intake, settings),
        *_age_and_indication(intake, resistance),
        *_other_conditions(intake),
    ]
    decisions = tuple(_decide(route, reasons) for route in ALL_ROUTES)
    return EligibilityAssessment(
        decision_support_notice=DECISION_SUPPORT_NOTICE,
        routes=decisions,
        treatment_resistance=resistance,
        settings_used={d.key: registry.resolve(d.key, overrides) for d in ELIGIBILITY_SETTINGS},
    )


_SEVERITY_ORDER = {Severity.ABSOLUTE: 0, Severity.RELATIVE: 1, Severity.CAUTION: 2}


def _decide(route: Route, reasons: Sequence[Reason]) -> RouteDecision:
    mine = sorted(
        (r for r in reasons if route in r.routes),
        key=lambda r: (_SEVERITY_ORDER[r.severity], r.code),
    )
    severities = {r.severity for r in mine}
    if Severity.ABSOLUTE in severities:
        status = RouteStatus.CONTRAINDICATED
    elif Severity.RELATIVE in severities:
        status = RouteStatus.NEEDS_REVIEW
    else:
        status = RouteStatus.ELIGIBLE
    return RouteDecision(route=route, status=status, reasons=tuple(mine))


def _codes(intake: Intake, *prefixes: str) -> tuple[str, ...]:
    return tuple(c for c in intake.diagnoses_icd10cm if c.startswith(prefixes))


def _from_codes(codes: Sequence[str]) -> str:
    return f" (diagnosis code {', '.join(codes)})" if codes else ""


def _vascular_and_hypersensitivity(intake: Intake) -> list[Reason]:
    """Absolute: SPRAVATO contraindications [src], applied to racemic ketamine too [?]/[2nd].

    Raised by the history flag or by a diagnosis code (``ICD10CM_CODES`` [mem]): I67.1, I71,
    I72 aneurysm; Q28.2, Q28.3, Q27.3 arteriovenous malformation; I61, I69.1 intracerebral
    haemorrhage or its sequelae.
    """
    history = intake.history
    found: list[Reason] = []
    vascular = (
        (
            history.aneurysmal_vascular_disease,
            _codes(intake, "I67.1", "I71", "I72"),
            "aneurysmal_vascular_disease",
            "aneurysmal vascular disease (aorta, intracranial or peripheral arteries)",
        ),
        (
            history.arteriovenous_malformation,
            _codes(intake, "Q28.2", "Q28.3", "Q27.3"),
            "arteriovenous_malformation",
            "arteriovenous malformation",
        ),
        (
            history.intracerebral_haemorrhage,
            _codes(intake, "I61", "I69.1"),
            "intracerebral_haemorrhage",
            "history of intracerebral haemorrhage",
        ),
    )
    for flagged, coded, code, what in vascular:
        if flagged or coded:
            message = f"{what}{_from_codes(coded)}: ketamine raises blood pressure"
            found.append(
                Reason(
                    code,
                    Severity.ABSOLUTE,
                    f"{message}; contraindicated on the esketamine label",
                    ESKETAMINE_ONLY,
                    LABEL_CONTRAINDICATIONS,
                )
            )
            found.append(
                Reason(
                    code,
                    Severity.ABSOLUTE,
                    f"{message}; the esketamine contraindication is applied to racemic ketamine",
                    RACEMIC_ROUTES,
                    RACEMIC_VASCULAR_EXTRAPOLATION,
                )
            )
    if history.hypersensitivity_to_ketamine_or_esketamine:
        found.append(
            Reason(
                "hypersensitivity",
                Severity.ABSOLUTE,
                "hypersensitivity to esketamine, ketamine or an excipient",
                ESKETAMINE_ONLY,
                LABEL_CONTRAINDICATIONS,
            )
        )
        found.append(
            Reason(
                "hypersensitivity",
                Severity.ABSOLUTE,
                "hypersensitivity to ketamine or esketamine (racemic ketamine contains both "
                "enantiomers)",
                RACEMIC_ROUTES,
                RACEMIC_HYPERSENSITIVITY,
            )
        )
    return found


def _cardiovascular(intake: Intake, settings: _Settings) -> list[Reason]:
    """Relative: uncontrolled HTN, unstable CV disease (trial exclusions [src]); today's BP
    above the configured threshold (label/SOP example 140/90 [mem])."""
    history = intake.history
    found: list[Reason] = []
    if history.uncontrolled_hypertension:
        found.append(
            Reason(
                "uncontrolled_hypertension",
                Severity.RELATIVE,
                "uncontrolled hypertension: defer until controlled (controlled hypertension is "
                "not an exclusion)",
                ALL_ROUTES,
                TRIAL_EXCLUSIONS,
            )
        )
    unstable = (
        (history.recent_myocardial_infarction, "recent_myocardial_infarction", "recent MI"),
        (history.unstable_angina, "unstable_angina", "unstable angina"),
        (history.significant_arrhythmia, "significant_arrhythmia", "significant arrhythmia"),
        (
            history.recent_stroke,
            "recent_stroke",
            "recent stroke (unstable cerebrovascular disease)",
        ),
    )
    for present, code, what in unstable:
        if present:
            found.append(
                Reason(
                    code,
                    Severity.RELATIVE,
                    f"{what}: exclude or defer until stable; ketamine raises blood pressure "
                    "and heart rate",
                    ALL_ROUTES,
                    TRIAL_EXCLUSIONS,
                )
            )
    bp = intake.blood_pressure_today
    if bp is None:
        found.append(
            Reason(
                "blood_pressure_not_recorded",
                Severity.CAUTION,
                "today's blood pressure is not recorded: measure it before dosing",
                ALL_ROUTES,
                BP_BEFORE_DOSING,
            )
        )
    elif (
        bp.systolic_mmhg > settings.systolic_max_mmhg
        or bp.diastolic_mmhg > settings.diastolic_max_mmhg
    ):
        found.append(
            Reason(
                "blood_pressure_above_pretreatment_threshold",
                Severity.RELATIVE,
                f"today's blood pressure {bp} is above "
                f"{settings.systolic_max_mmhg}/{settings.diastolic_max_mmhg} mmHg: weigh the "
                "risk of the expected rise, or defer",
                ALL_ROUTES,
                PRETREATMENT_BP,
            )
        )
    return found


def _intracranial(intake: Intake) -> list[Reason]:
    """Relative: conditions where a rise in BP or ICP is hazardous (label, Ketalar [mem])."""
    history = intake.history
    found: list[Reason] = []
    for present, code, what in (
        (history.raised_intracranial_pressure, "raised_intracranial_pressure", "raised ICP"),
        (history.recent_head_injury, "recent_head_injury", "recent head injury"),
    ):
        if present:
            found.append(
                Reason(
                    code,
                    Severity.RELATIVE,
                    f"{what}: a rise in blood pressure or intracranial pressure is a serious "
                    "risk; usually excluded",
                    ALL_ROUTES,
                    BP_ICP_HAZARD,
                )
            )
    return found


def _psychiatric(intake: Intake) -> list[Reason]:
    """Psychosis and mania (label 5.2, trial exclusions [src]); bipolar disorder ([2nd]).

    Diagnosis codes raise the same reasons as the flags (``ICD10CM_CODES`` [mem]).
    """
    history = intake.history
    found: list[Reason] = []
    psychotic_now = _codes(intake, "F32.3", "F33.3", "F31.2", "F31.5", "F30.2")
    if history.current_psychotic_features or psychotic_now:
        found.append(
            Reason(
                "current_psychotic_features",
                Severity.RELATIVE,
                "current psychotic features" + _from_codes(psychotic_now) + ": dissociation may "
                "worsen psychosis; excluded in trials",
                ALL_ROUTES,
                LABEL_PSYCHOSIS,
            )
        )
    psychotic_disorder = _codes(intake, "F20", "F22", "F23", "F24", "F25", "F28", "F29")
    if history.psychosis_history or psychotic_disorder:
        found.append(
            Reason(
                "psychosis_history",
                Severity.RELATIVE,
                "history of psychosis or a psychotic disorder"
                + _from_codes(psychotic_disorder)
                + ": assess carefully before treatment",
                ALL_ROUTES,
                LABEL_PSYCHOSIS,
            )
        )
    manic_now = _codes(intake, "F30", "F31.0", "F31.1", "F31.2", "F31.6")
    if history.current_mania or manic_now:
        found.append(
            Reason(
                "current_mania",
                Severity.RELATIVE,
                "current manic, hypomanic or mixed episode"
                + _from_codes(manic_now)
                + ": excluded in trials",
                ALL_ROUTES,
                TRIAL_EXCLUSIONS,
            )
        )
    bipolar = _codes(intake, "F31")
    if history.bipolar_disorder or bipolar:
        if intake.medications.mood_stabiliser:
            found.append(
                Reason(
                    "bipolar_disorder_on_mood_stabiliser",
                    Severity.CAUTION,
                    "bipolar disorder" + _from_codes(bipolar) + " with a mood stabiliser: "
                    "evidence is limited; watch for switching",
                    ALL_ROUTES,
                    BIPOLAR_MOOD_STABILISER,
                )
            )
        else:
            found.append(
                Reason(
                    "bipolar_disorder_without_mood_stabiliser",
                    Severity.RELATIVE,
                    "bipolar disorder" + _from_codes(bipolar) + " without a mood stabiliser: "
                    "usually treated only with a mood stabiliser on board",
                    ALL_ROUTES,
                    BIPOLAR_MOOD_STABILISER,
                )
            )
    return found


_SUBSTANCE_CODE_PREFIXES = ("F10", "F11", "F12", "F13", "F14", "F15", "F16", "F18", "F19")
_DISSOCIATIVE_SUBSTANCES = frozenset({Substance.KETAMINE, Substance.PHENCYCLIDINE})


def _substance_use(intake: Intake) -> list[Reason]:
    """Active SUD relative, SUD in remission caution (label 5.3, trial exclusions [src])."""
    history = intake.history
    substances = ", ".join(s.value for s in history.substances) or "substance not recorded"
    dissociative = _DISSOCIATIVE_SUBSTANCES & set(history.substances)
    extra = "; includes ketamine or PCP: high risk of misuse" if dissociative else ""
    found: list[Reason] = []
    if history.substance_use_disorder is SubstanceUseDisorder.ACTIVE:
        found.append(
            Reason(
                "active_substance_use_disorder",
                Severity.RELATIVE,
                f"active substance use disorder ({substances}){extra}: excluded in trials; "
                "ketamine is a drug of misuse (Schedule III)",
                ALL_ROUTES,
                LABEL_ABUSE,
            )
        )
    elif history.substance_use_disorder is SubstanceUseDisorder.IN_REMISSION:
        found.append(
            Reason(
                "substance_use_disorder_in_remission",
                Severity.CAUTION,
                f"substance use disorder in remission ({substances}){extra}: assess the risk "
                "of misuse; urine toxicology if indicated",
                ALL_ROUTES,
                LABEL_ABUSE,
            )
        )
    else:
        coded = _codes(intake, *_SUBSTANCE_CODE_PREFIXES)
        if coded:
            found.append(
                Reason(
                    "substance_code_without_disorder_recorded",
                    Severity.CAUTION,
                    f"substance-related diagnosis {', '.join(coded)} but no substance use "
                    "disorder recorded: confirm the substance-use history",
                    ALL_ROUTES,
                    ICD10CM_CODES,
                )
            )
    return found


def _reproductive(intake: Intake) -> list[Reason]:
    """Pregnancy and breastfeeding relative, unknown or planned pregnancy caution (label 5.10)."""
    found: list[Reason] = []
    status = intake.pregnancy
    if status is PregnancyStatus.PREGNANT:
        found.append(
            Reason(
                "pregnancy",
                Severity.RELATIVE,
                "pregnant: not recommended (embryo-fetal toxicity); excluded in trials",
                ALL_ROUTES,
                LABEL_PREGNANCY,
            )
        )
    elif status is PregnancyStatus.UNKNOWN:
        found.append(
            Reason(
                "pregnancy_status_unknown",
                Severity.CAUTION,
                "pregnancy status unknown: test where relevant before treatment",
                ALL_ROUTES,
                LABEL_PREGNANCY,
            )
        )
    elif status is PregnancyStatus.PLANNING:
        found.append(
            Reason(
                "planning_pregnancy",
                Severity.CAUTION,
                "planning a pregnancy: discuss contraception and timing",
                ALL_ROUTES,
                LABEL_PREGNANCY,
            )
        )
    if intake.breastfeeding:
        found.append(
            Reason(
                "breastfeeding",
                Severity.RELATIVE,
                "breastfeeding: not recommended",
                ALL_ROUTES,
                LABEL_PREGNANCY,
            )
        )
    return found


def _medications(intake: Intake, settings: _Settings) -> list[Reason]:
    """Interactions (label 7 [src]), benzodiazepine dose (trial exclusions [src]), REMS items."""
    meds = intake.medications
    found: list[Reason] = []
    if meds.benzodiazepine:
        dose = meds.lorazepam_equivalent_mg_per_day
        limit = settings.benzodiazepine_max_mg_per_day
        if dose is None:
            found.append(
                Reason(
                    "benzodiazepine_dose_unknown",
                    Severity.RELATIVE,
                    f"benzodiazepine taken but the lorazepam-equivalent dose is not recorded: "
                    f"doses above {limit} mg/day need review",
                    ALL_ROUTES,
                    BENZODIAZEPINE_EXCLUSION,
                )
            )
        elif dose > limit:
            found.append(
                Reason(
                    "benzodiazepine_above_threshold",
                    Severity.RELATIVE,
                    f"benzodiazepine {dose} mg/day lorazepam-equivalent is above {limit} mg/day: "
                    "excluded in trials; may blunt the response and adds sedation",
                    ALL_ROUTES,
                    BENZODIAZEPINE_EXCLUSION,
                )
            )
        found.append(
            Reason(
                "cns_depressant_benzodiazepine",
                Severity.CAUTION,
                "benzodiazepine: added sedation; monitor",
                ALL_ROUTES,
                LABEL_INTERACTIONS,
            )
        )
    simple = (
        (meds.z_drug, "cns_depressant_z_drug", "Z-drug hypnotic: added sedation; monitor"),
        (meds.opioid, "cns_depressant_opioid", "opioid: added sedation and respiratory risk"),
        (meds.maoi, "maoi", "MAOI: blood pressure may rise further; monitor closely"),
        (meds.stimulant, "stimulant", "psychostimulant: blood pressure may rise further"),
        (
            meds.other_blood_pressure_raising,
            "other_blood_pressure_raising_medication",
            "another blood-pressure-raising medicine: monitor blood pressure",
        ),
    )
    for taken, code, message in simple:
        if taken:
            found.append(Reason(code, Severity.CAUTION, message, ALL_ROUTES, LABEL_INTERACTIONS))
    if meds.lamotrigine:
        found.append(
            Reason(
                "lamotrigine",
                Severity.CAUTION,
                "lamotrigine may attenuate the response to ketamine",
                ALL_ROUTES,
                LAMOTRIGINE_ATTENUATION,
            )
        )
    rems_items = [
        name
        for taken, name in (
            (meds.benzodiazepine, "benzodiazepine"),
            (meds.z_drug, "non-benzodiazepine sedative hypnotic"),
            (meds.stimulant, "psychostimulant"),
            (meds.maoi, "MAOI"),
            (meds.opioid, "opioid"),
        )
        if taken
    ]
    if rems_items:
        found.append(
            Reason(
                "rems_concomitant_medication",
                Severity.CAUTION,
                "record on the SPRAVATO REMS Patient Monitoring Form: " + ", ".join(rems_items),
                ESKETAMINE_ONLY,
                REMS_FORM,
            )
        )
    return found


def _age_and_indication(intake: Intake, resistance: TreatmentResistance) -> list[Reason]:
    """Age, MDD diagnosis and the esketamine indications (label [src])."""
    found: list[Reason] = []
    age = intake.age_years
    if age < ADULT_AGE_YEARS:
        found.append(
            Reason(
                "under_18",
                Severity.RELATIVE,
                f"age {age}: outside the adult indication and the adult trial evidence",
                ALL_ROUTES,
                ADULT_EVIDENCE_BASE,
            )
        )
    if age >= OLDER_ADULT_AGE_YEARS:
        found.append(
            Reason(
                "esketamine_age_65_or_over",
                Severity.CAUTION,
                f"age {age}: large blood-pressure rises were about twice as common at 65 and over",
                ESKETAMINE_ONLY,
                LABEL_OLDER_ADULT_BP,
            )
        )
    if age <= YOUNG_ADULT_MAX_AGE_YEARS:
        found.append(
            Reason(
                "age_24_or_under_suicidality_warning",
                Severity.CAUTION,
                f"age {age}: antidepressant class warning on suicidal thoughts and behaviours "
                "at 24 and under; monitor",
                ESKETAMINE_ONLY,
                LABEL_YOUNG_ADULT_SUICIDALITY,
            )
        )
    if not _codes(intake, "F32", "F33"):
        found.append(
            Reason(
                "no_major_depression_diagnosis",
                Severity.RELATIVE,
                "no major depressive disorder diagnosis (ICD-10-CM F32.x or F33.x) recorded",
                ALL_ROUTES,
                MDD_DIAGNOSIS,
            )
        )
    if not resistance.is_treatment_resistant:
        counted = (
            f"{resistance.failed_adequate_trials} adequate failed trial(s) recorded; "
            f"TRD needs {resistance.minimum_failed_trials}"
        )
        if not intake.history.acute_suicidality:
            found.append(
                Reason(
                    "esketamine_indication_not_met",
                    Severity.RELATIVE,
                    f"not treatment-resistant ({counted}) and no acute suicidal ideation: "
                    "outside the esketamine indications",
                    ESKETAMINE_ONLY,
                    ESKETAMINE_INDICATIONS,
                )
            )
        found.append(
            Reason(
                "not_treatment_resistant",
                Severity.CAUTION,
                f"not treatment-resistant ({counted}): the racemic ketamine evidence is mostly "
                "in treatment-resistant depression",
                RACEMIC_ROUTES,
                RACEMIC_TRD_EVIDENCE,
            )
        )
    return found


def _other_conditions(intake: Intake) -> list[Reason]:
    """Cystitis, hepatic, cognition/consent, glaucoma, hyperthyroidism, suicidality."""
    history = intake.history
    found: list[Reason] = []
    if history.cystitis_or_lower_urinary_tract_symptoms:
        found.append(
            Reason(
                "cystitis_or_lower_urinary_tract_symptoms",
                Severity.CAUTION,
                "cystitis or lower urinary tract symptoms: record at baseline and monitor",
                ALL_ROUTES,
                LABEL_CYSTITIS,
            )
        )
    if history.severe_hepatic_impairment:
        found.append(
            Reason(
                "severe_hepatic_impairment",
                Severity.RELATIVE,
                "severe hepatic impairment: esketamine not recommended",
                ESKETAMINE_ONLY,
                ESKETAMINE_HEPATIC,
            )
        )
        found.append(
            Reason(
                "severe_hepatic_impairment",
                Severity.CAUTION,
                "severe hepatic impairment: ketamine is cleared by the liver; expect slower "
                "clearance",
                RACEMIC_ROUTES,
                RACEMIC_HEPATIC,
            )
        )
    if history.unable_to_consent:
        found.append(
            Reason(
                "unable_to_consent",
                Severity.RELATIVE,
                "unable to give informed consent: treatment cannot start without valid "
                "consent; review capacity",
                ALL_ROUTES,
                COGNITION_AND_CONSENT,
            )
        )
    if history.cognitive_impairment:
        found.append(
            Reason(
                "cognitive_impairment",
                Severity.CAUTION,
                "cognitive impairment: assess capacity (trials required MMSE ≥25 in older "
                "patients); monitor cognition",
                ALL_ROUTES,
                COGNITION_AND_CONSENT,
            )
        )
    if history.glaucoma_or_raised_intraocular_pressure:
        found.append(
            Reason(
                "glaucoma_or_raised_intraocular_pressure",
                Severity.CAUTION,
                "glaucoma or raised intraocular pressure: ketamine may raise intraocular pressure",
                ALL_ROUTES,
                ANAESTHESIA_LISTS,
            )
        )
    if history.hyperthyroidism:
        found.append(
            Reason(
                "hyperthyroidism",
                Severity.CAUTION,
                "hyperthyroidism: sympathomimetic effects may be exaggerated",
                ALL_ROUTES,
                ANAESTHESIA_LISTS,
            )
        )
    if history.acute_suicidality:
        found.append(
            Reason(
                "acute_suicidality",
                Severity.CAUTION,
                "acute suicidality: not a contraindication, but a safety plan is needed and "
                "hospitalisation considered; ketamine does not replace hospitalisation",
                ALL_ROUTES,
                LABEL_SUICIDALITY,
            )
        )
    return found
