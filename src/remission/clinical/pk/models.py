"""Published pharmacokinetic models of ketamine and esketamine, as data.

Each model lists its parameters with units, where they come from (``Evidence`` with a
confidence label), the population it was built in, its inter-individual variability (IIV)
where published, and how weight and other covariates scale it. The machinery that turns a
model's parameters into a ``LinearSystem`` (``PkModel``, the builders) is in
``remission.clinical.pk.builders``; its names are importable from here too.

Doses are mg of the model's drug as free base: racemic ketamine for the racemic models,
esketamine (S-ketamine) for ``fanta2015``, ``otto2021`` and ``perezruixo2021``. Concentrations
are ng/mL of free base in plasma (venous unless the model says otherwise).

Source notes: every number is as transcribed in ``shared/reference/pk.md`` and the primary or
secondary texts named there; values seen only in a secondary source or an implementation are
labelled accordingly and nothing is presented as more certain than it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.pk.builders import (
    Parameter,
    PkModel,
    RandomEffect,
    build_clearance_form,
    build_fanta,
    build_herd,
    build_micro,
    build_otto,
    build_perezruixo,
    cv_variance,
    frozen,
    ignore_covariates,
)
from remission.clinical.routes import PkRoute

# ---------------------------------------------------------------------------------------------
# shared evidence

_CLEMENTS_1982_IM = Evidence(
    citation=(
        "Clements JA, Nimmo WS, Grant IS. Bioavailability, pharmacokinetics and analgesic "
        "activity of ketamine in humans. J Pharm Sci 1982;71:539-542 (IM F ≈ 93 %)"
    ),
    confidence=Confidence.UNCERTAIN,
    note="F 0.93 seen only in secondary sources [UNVERIFIED primary].",
)
_IM_KA = Evidence(
    citation=(
        "IM absorption rate 0.087/min: derived (shared/reference/pk.md §2) from the commonly "
        "quoted IM Tmax of about 20 min with the Clements 250 µg/kg disposition"
    ),
    confidence=Confidence.UNCERTAIN,
    note="Tmax ~20 min is from secondary sources only; Abuhelwa 2022 (CPT) not retrieved.",
)
_IM_PARAMETERS = {
    "f_im": Parameter(0.93, "fraction", "IM bioavailability"),
    "ka_im_per_min": Parameter(0.087, "1/min", "IM first-order absorption rate constant"),
}
_IM_NOTE = (
    "IM: F 0.93 (Clements 1982) and ka 0.087/min (derived from Tmax ≈ 20 min), both uncertain."
)

CLEMENTS1981 = PkModel(
    id="clements1981",
    title="Clements & Nimmo 1981, racemic ketamine, 2-compartment (250 µg/kg set)",
    drug="racemic ketamine",
    analyte="ketamine",
    metabolites=(),
    evidence=(
        Evidence(
            citation=(
                "Clements JA, Nimmo WS. Pharmacokinetics and analgesic effect of ketamine in "
                "man. Br J Anaesth 1981;53:27-30 (PMID 7459184), 250 µg/kg parameter set"
            ),
            confidence=Confidence.UNCERTAIN,
            note=(
                "Constants as implemented in opentiva 'Clements250'; the paper's table was "
                "not seen [UNVERIFIED vs paper]. Derived CL 19 mL/min/kg and t½ 183 min "
                "match commonly quoted ketamine values."
            ),
        ),
        _CLEMENTS_1982_IM,
        _IM_KA,
    ),
    population="adult volunteers, IV 250 µg/kg",
    sampling="venous (as usually reported for this study; not re-checked)",
    structure="2-compartment mammillary; V1 proportional to weight",
    parameters=frozen(
        {
            "v1_l_per_kg": Parameter(1.7522, "L/kg", "central volume"),
            "k10_per_min": Parameter(0.0109, "1/min", "elimination rate constant"),
            "k12_per_min": Parameter(0.0186, "1/min", "central → peripheral"),
            "k21_per_min": Parameter(0.0137, "1/min", "peripheral → central"),
            **_IM_PARAMETERS,
        }
    ),
    covariate_scaling="V1 = 1.7522 L/kg × weight; rate constants independent of weight",
    routes=frozenset({PkRoute.IV_INFUSION, PkRoute.IV_BOLUS, PkRoute.INTRAMUSCULAR}),
    route_notes=MappingProxyType({PkRoute.INTRAMUSCULAR: _IM_NOTE}),
    builder=ignore_covariates(build_micro),
    variability_note="No inter-individual variability was published for this parameter set.",
)

DOMINO1984 = PkModel(
    id="domino1984",
    title="Domino et al. 1984, racemic ketamine, 3-compartment (STANPUMP set)",
    drug="racemic ketamine",
    analyte="ketamine",
    metabolites=(),
    evidence=(
        Evidence(
            citation=(
                "Domino EF, Domino SE, Smith RE, et al. Ketamine kinetics in unmedicated and "
                "diazepam-premedicated subjects. Clin Pharmacol Ther 1984;36(5):645-653 "
                "(PMID 6488686)"
            ),
            confidence=Confidence.SECONDARY,
            note=(
                "Constants as in stanpumpR R/drugs_ketamine.R (3 digits). opentiva uses "
                "4-digit values and cites PMID 7198883 [citation mismatch between tools]. "
                "V1 is only 0.063 L/kg: post-infusion concentrations fall very fast."
            ),
        ),
        _CLEMENTS_1982_IM,
        _IM_KA,
    ),
    population="adult volunteers (unmedicated and diazepam-premedicated)",
    sampling="not stated in the implementations",
    structure="3-compartment mammillary; V1 proportional to weight",
    parameters=frozen(
        {
            "v1_l_per_kg": Parameter(0.063, "L/kg", "central volume"),
            "k10_per_min": Parameter(0.438, "1/min", "elimination rate constant"),
            "k12_per_min": Parameter(0.592, "1/min", "central → shallow peripheral"),
            "k13_per_min": Parameter(0.590, "1/min", "central → deep peripheral"),
            "k21_per_min": Parameter(0.247, "1/min", "shallow peripheral → central"),
            "k31_per_min": Parameter(0.0146, "1/min", "deep peripheral → central"),
            **_IM_PARAMETERS,
        }
    ),
    covariate_scaling="V1 = 0.063 L/kg × weight; rate constants independent of weight",
    routes=frozenset({PkRoute.IV_INFUSION, PkRoute.IV_BOLUS, PkRoute.INTRAMUSCULAR}),
    route_notes=MappingProxyType({PkRoute.INTRAMUSCULAR: _IM_NOTE}),
    builder=ignore_covariates(build_micro),
    variability_note="No inter-individual variability was published for this parameter set.",
)

_HIJAZI_CL_CV = 13.3 / 36.0
_HIJAZI_V_CV = 8.6 / 16.0
HIJAZI2003 = PkModel(
    id="hijazi2003",
    title="Hijazi et al. 2003, racemic ketamine in ICU patients, 2-compartment",
    drug="racemic ketamine",
    analyte="ketamine",
    metabolites=(),
    evidence=(
        Evidence(
            citation=(
                "Hijazi Y, Bodonian C, Bolon M, Salord F, Boulieu R. Pharmacokinetics and "
                "haemodynamics of ketamine in intensive care patients with brain or spinal "
                "cord injury. Br J Anaesth 2003;90:155-160 (PMID 12538370)"
            ),
            confidence=Confidence.SECONDARY,
            note=(
                "CL 36.0 ± 13.3 mL/min/kg, Vβ 16.0 ± 8.6 L/kg, t½ 4.9 h from the abstract; "
                "micro-constants as in opentiva 'Hijazi' (consistent with the abstract)."
            ),
        ),
    ),
    population="12 adult ICU patients with brain or spinal-cord injury, long infusions",
    sampling="not retrieved",
    structure="2-compartment mammillary; V1 and CL proportional to weight",
    parameters=frozen(
        {
            "v1_l_per_kg": Parameter(1.08, "L/kg", "central volume"),
            "cl_l_per_min_per_kg": Parameter(
                0.0333 * 1.08, "L/min/kg", "clearance (k10 0.0333/min × V1)"
            ),
            "k12_per_min": Parameter(0.0088, "1/min", "central → peripheral"),
            "k21_per_min": Parameter(0.0030, "1/min", "peripheral → central"),
        }
    ),
    covariate_scaling="V1 = 1.08 L/kg and CL = 36 mL/min/kg × weight",
    routes=frozenset({PkRoute.IV_INFUSION, PkRoute.IV_BOLUS}),
    route_notes=MappingProxyType({}),
    builder=ignore_covariates(build_clearance_form),
    random_effects=(
        RandomEffect(
            "cl_l_per_min_per_kg",
            cv_variance(_HIJAZI_CL_CV),
            "log",
            "CL SD/mean 13.3/36.0 = 37 % (abstract), taken as log-normal CV",
        ),
        RandomEffect(
            "v1_l_per_kg",
            cv_variance(_HIJAZI_V_CV),
            "log",
            "Vβ SD/mean 8.6/16.0 = 54 % (abstract), applied to V1 with the peripheral "
            "volume scaled alike (distribution rate constants unchanged)",
        ),
    ),
    variability_note=(
        "Derived from the abstract's SDs of a 12-patient non-compartmental analysis, not a "
        "population model [UNVERIFIED as IIV]."
    ),
    warnings=(
        "hijazi2003 was built in adult ICU patients with brain or spinal-cord injury; it is "
        "not appropriate for outpatient depression treatment.",
    ),
)

HERD2007 = PkModel(
    id="herd2007",
    title="Herd, Anderson & Holford 2007, racemic ketamine in children, 2-compartment",
    drug="racemic ketamine",
    analyte="ketamine",
    metabolites=(),
    evidence=(
        Evidence(
            citation=(
                "Herd DW, Anderson BJ, Holford NHG. Modeling the norketamine metabolite in "
                "children and the implications for analgesia. Paediatr Anaesth "
                "2007;17:622-629 (PMID 17564643)"
            ),
            confidence=Confidence.SECONDARY,
            note="Parameters and BSV as in shared/reference/pk.md and opentiva 'Herd'.",
        ),
        Evidence(
            citation="Weight range 10.8–74.8 kg as coded in opentiva 'Herd' (age 1–14 y)",
            confidence=Confidence.UNCERTAIN,
            note="The study's own weight range was not seen.",
        ),
    ),
    population="54 children (8.3 ± 3.5 y, 32.5 kg), ED sedation with 1–1.5 mg/kg IV",
    sampling="not retrieved",
    structure="2-compartment mammillary, allometric to 70 kg",
    parameters=frozen(
        {
            "v1_l": Parameter(38.7, "L/70 kg", "central volume"),
            "v2_l": Parameter(102.0, "L/70 kg", "peripheral volume"),
            "cl_l_per_h": Parameter(90.0, "L/h/70 kg", "clearance"),
            "q_l_per_h": Parameter(215.0, "L/h/70 kg", "intercompartmental clearance"),
        }
    ),
    covariate_scaling="volumes × (weight/70)¹, clearances × (weight/70)^0.75",
    routes=frozenset({PkRoute.IV_INFUSION, PkRoute.IV_BOLUS}),
    route_notes=MappingProxyType({}),
    builder=ignore_covariates(build_herd),
    random_effects=(
        RandomEffect("v1_l", 0.64**2, "log", "BSV 64 % (taken as ω = 0.64)"),
        RandomEffect("v2_l", 0.517**2, "log", "BSV 51.7 % (taken as ω = 0.517)"),
        RandomEffect("cl_l_per_h", 0.381**2, "log", "BSV 38.1 % (taken as ω = 0.381)"),
        RandomEffect("q_l_per_h", 0.19**2, "log", "BSV 19 % (taken as ω = 0.19)"),
    ),
    variability_note=(
        "BSV percentages read as the SD of η (the Holford group's usual 'apparent CV' "
        "convention) [UNVERIFIED convention]."
    ),
    weight_limits_kg=(10.8, 74.8),
    warnings=("herd2007 is a paediatric model (children 1–14 y).",),
)

_FANTA_EVIDENCE = Evidence(
    citation=(
        "Fanta S, Kinnunen M, Backman JT, Kalso E. Population pharmacokinetics of S-ketamine "
        "and norketamine in healthy volunteers after intravenous and oral dosing. Eur J Clin "
        "Pharmacol 2015;71(4):441-447, doi:10.1007/s00228-015-1826-y"
    ),
    confidence=Confidence.SECONDARY,
    note=(
        "Structural values as fixed in Otto 2021 Table 3 (transcribed by nlmixr2lib "
        "Otto_2021_s_ketamine.R); Fanta's own IIV was not retrieved."
    ),
)
_OTTO_EVIDENCE = Evidence(
    citation=(
        "Otto ME, Bergmann KR, Jacobs G, van Esdonk MJ. Predictive performance of "
        "parent-metabolite population pharmacokinetic models of (S)-ketamine in healthy "
        "volunteers. Eur J Clin Pharmacol 2021;77(8):1181-1192, doi:10.1007/s00228-021-03104-1"
    ),
    confidence=Confidence.SECONDARY,
    note=(
        "Table 3 and supplementary NONMEM code as transcribed by nlmixr2lib "
        "(Otto_2021_s_ketamine.R): IIV, allometry and S-norketamine parameters."
    ),
)
_FANTA_PARAMETERS = {
    "v1_l": Parameter(133.0, "L/70 kg", "central volume"),
    "cl_l_per_h": Parameter(95.2, "L/h/70 kg", "clearance"),
    "vp1_l": Parameter(187.0, "L", "first peripheral volume"),
    "q1_l_per_h": Parameter(23.2, "L/h", "first intercompartmental clearance"),
    "vp2_l": Parameter(98.8, "L", "second peripheral volume"),
    "q2_l_per_h": Parameter(157.0, "L/h", "second intercompartmental clearance"),
}
_FANTA_RANDOM = (
    RandomEffect("v1_l", 0.084177, "log", "ω² 0.084 (Otto 2021 Table 3)"),
    RandomEffect("cl_l_per_h", 0.026048, "log", "ω² 0.026 (Otto 2021 Table 3)"),
)
_FANTA_COVARIANCE = {("v1_l", "cl_l_per_h"): 0.02261}

FANTA2015 = PkModel(
    id="fanta2015",
    title="Fanta et al. 2015, S-ketamine (esketamine) IV, 3-compartment",
    drug="esketamine",
    analyte="esketamine",
    metabolites=(),
    evidence=(_FANTA_EVIDENCE, _OTTO_EVIDENCE),
    population="11 healthy men; 0.125 mg/kg IV bolus and 0.25 mg/kg oral S-ketamine",
    sampling="venous",
    structure="3-compartment mammillary, allometric V1 and CL (Otto 2021 implementation)",
    parameters=frozen(_FANTA_PARAMETERS),
    covariate_scaling="V1 × (weight/70)¹, CL × (weight/70)^0.75; peripherals not scaled",
    routes=frozenset({PkRoute.IV_INFUSION, PkRoute.IV_BOLUS}),
    route_notes=MappingProxyType({}),
    builder=ignore_covariates(build_fanta),
    random_effects=_FANTA_RANDOM,
    random_effect_covariances=MappingProxyType(_FANTA_COVARIANCE),
    variability_note="IIV on V1 and CL as re-estimated by Otto 2021 on Fanta's structure.",
)

OTTO2021 = PkModel(
    id="otto2021",
    title="Otto et al. 2021, S-ketamine + S-norketamine IV (Fanta disposition)",
    drug="esketamine",
    analyte="esketamine",
    metabolites=("noresketamine",),
    evidence=(_OTTO_EVIDENCE, _FANTA_EVIDENCE),
    population="48 healthy adults (CHDR1311 and CHDR1016), 10 mg/30 min and stepped infusions",
    sampling="venous",
    structure=(
        "S-ketamine 3-compartment (Fanta, fixed) → all clearance forms S-norketamine "
        "(2-compartment), in S-ketamine mass equivalents as fitted"
    ),
    parameters=frozen(
        {
            **_FANTA_PARAMETERS,
            "v_nk_l": Parameter(98.638, "L/70 kg", "S-norketamine central volume"),
            "cl_nk_l_per_h": Parameter(57.72, "L/h/70 kg", "S-norketamine clearance"),
            "vp_nk_l": Parameter(160.04, "L", "S-norketamine peripheral volume"),
            "q_nk_l_per_h": Parameter(42.778, "L/h", "S-norketamine intercompartmental CL"),
        }
    ),
    covariate_scaling=(
        "central volumes × (weight/70)¹, elimination clearances × (weight/70)^0.75 for both "
        "analytes; peripherals not scaled (as in the supplementary code)"
    ),
    routes=frozenset({PkRoute.IV_INFUSION, PkRoute.IV_BOLUS}),
    route_notes=MappingProxyType({}),
    builder=ignore_covariates(build_otto),
    random_effects=(
        *_FANTA_RANDOM,
        RandomEffect("v_nk_l", 0.040426, "log", "ω² 0.040 (Otto 2021 Table 3)"),
        RandomEffect("cl_nk_l_per_h", 0.10319, "log", "ω² 0.103 (Otto 2021 Table 3)"),
    ),
    random_effect_covariances=MappingProxyType(
        {**_FANTA_COVARIANCE, ("v_nk_l", "cl_nk_l_per_h"): 0.04456}
    ),
    variability_note=(
        "Metabolite amounts are S-ketamine mass equivalents without molar-mass conversion, "
        "exactly as fitted (converting would lower S-norketamine by 6 %)."
    ),
)

PEREZRUIXO2021 = PkModel(
    id="perezruixo2021",
    title="Perez-Ruixo et al. 2021, esketamine nasal spray + noresketamine",
    drug="esketamine",
    analyte="esketamine",
    metabolites=("noresketamine",),
    evidence=(
        Evidence(
            citation=(
                "Perez-Ruixo C, Rossenu S, Zannikos P, et al. Population pharmacokinetics of "
                "esketamine nasal spray and its metabolite noresketamine in healthy subjects "
                "and patients with treatment-resistant depression. Clin Pharmacokinet "
                "2021;60(4):501-516, doi:10.1007/s40262-020-00953-4"
            ),
            confidence=Confidence.SECONDARY,
            note=(
                "Abstract (FRn 54 %, Vss 752 L, CL 114 L/h, F 54/51 %) plus Table 3 as "
                "transcribed by nlmixr2lib PerezRuixo_2020_esketamine.R. Known issue: the "
                "model reproduces the published noresketamine Cmax but not its AUC0-24."
            ),
        ),
        Evidence(
            citation="Spravato (esketamine) nasal spray label: 28 mg per device, 5 min apart",
            confidence=Confidence.SECONDARY,
        ),
    ),
    population=(
        "820 subjects (256 healthy, 564 TRD), 13 studies; IN 14–112 mg, IV 28 mg over 40 min, "
        "oral 84 mg; 18–86 y, 39–170 kg"
    ),
    sampling="venous plasma",
    structure=(
        "esketamine 3-compartment + hepato-portal (well-stirred first pass) compartment; "
        "nasal depot (first order) and swallowed part (zero then first order, via liver); "
        "noresketamine 2-compartment (apparent)"
    ),
    parameters=frozen(
        {
            "frn": Parameter(0.54, "fraction", "nasal-cavity fraction of the first device"),
            "ka_n_per_h": Parameter(2.93, "1/h", "nasal absorption rate constant"),
            "ka_sw_per_h": Parameter(1.45, "1/h", "swallowed-part absorption rate constant"),
            "fgut": Parameter(0.64, "fraction", "gut fraction of the swallowed part"),
            "vc_l": Parameter(192.0, "L", "central volume"),
            "q1_l_per_h": Parameter(84.3, "L/h", "intercompartmental clearance 1"),
            "vp1_l": Parameter(143.0, "L", "shallow peripheral volume"),
            "q2_l_per_h": Parameter(37.6, "L/h", "intercompartmental clearance 2"),
            "vp2_l": Parameter(417.0, "L", "deep peripheral volume"),
            "qh_l_per_h": Parameter(151.0, "L/h", "hepatic blood flow (age ≤ 60 y)"),
            "vh_l": Parameter(101.0, "L", "hepato-portal volume"),
            "kel_per_h": Parameter(1.11, "1/h", "hepatic elimination to other metabolites"),
            "kmet_per_h": Parameter(2.77, "1/h", "hepatic metabolism to noresketamine"),
            "vcn_l": Parameter(70.0, "L", "noresketamine central volume / F"),
            "cln_l_per_h": Parameter(38.0, "L/h", "noresketamine clearance / F"),
            "vpn_l": Parameter(115.0, "L", "noresketamine peripheral volume / F"),
            "q3_l_per_h": Parameter(26.1, "L/h", "noresketamine intercompartmental CL / F"),
        }
    ),
    covariate_scaling=(
        "no weight effect; Qh − 2.19 L/h per year above 60 y; Asian: kel × 0.36, CLn/F × 0.81; "
        "Japanese: FRn × 1.34 (capped at 1); 2nd and later devices of a dose: FRn × 0.62; "
        "swallowed part enters the gut over 0.53 h"
    ),
    routes=frozenset({PkRoute.NASAL, PkRoute.IV_INFUSION, PkRoute.IV_BOLUS}),
    route_notes=MappingProxyType(
        {
            PkRoute.NASAL: "devices 5 min apart; FRn 0.54 for the first device, × 0.62 after",
            PkRoute.IV_INFUSION: "IV data: 28 mg over 40 min (ESKETINTRD1009)",
        }
    ),
    builder=build_perezruixo,
    random_effects=(
        RandomEffect("frn", 0.708**2, "logit", "70.8 % read as the SD of η on logit(FRn)"),
        RandomEffect("ka_n_per_h", cv_variance(0.615), "log", "CV 61.5 %"),
        RandomEffect("ka_sw_per_h", cv_variance(1.32), "log", "CV 132 %"),
        RandomEffect("vc_l", cv_variance(0.275), "log", "CV 27.5 %"),
        RandomEffect("vp1_l", cv_variance(0.493), "log", "CV 49.3 %"),
        RandomEffect("qh_l_per_h", cv_variance(0.232), "log", "CV 23.2 %"),
        RandomEffect("vh_l", cv_variance(0.346), "log", "CV 34.6 %"),
        RandomEffect("kel_per_h", cv_variance(1.20), "log", "CV 120 %"),
        RandomEffect("vcn_l", cv_variance(0.316), "log", "CV 31.6 %"),
        RandomEffect("cln_l_per_h", cv_variance(0.254), "log", "CV 25.4 %"),
    ),
    variability_note=(
        "CV % converted with ω² = ln(1 + CV²). The IIV on kmet is stated in the paper but its "
        "value is missing from Table 3: it is left out rather than guessed."
    ),
    weight_required=False,
)

MODELS: Mapping[str, PkModel] = MappingProxyType(
    {
        m.id: m
        for m in (
            CLEMENTS1981,
            DOMINO1984,
            HIJAZI2003,
            HERD2007,
            FANTA2015,
            OTTO2021,
            PEREZRUIXO2021,
        )
    }
)
DEFAULT_ADULT_IV_MODEL = CLEMENTS1981.id


def get_model(model_id: str) -> PkModel:
    try:
        return MODELS[model_id]
    except KeyError:
        known = ", ".join(MODELS)
        raise ClinicalInputError(f"unknown PK model {model_id!r} (known: {known})") from None
