"""Vital-sign thresholds for the chair-side checks, each a configurable default with its source.

Comparisons are part of the key names (``_above``, ``_at_or_above``, ``_below``) so a setting
cannot be read the wrong way round. Several limits are clinic conventions: they are labelled
``?`` and the medical director should confirm them.
"""

from __future__ import annotations

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.protocols import sources
from remission.clinical.routes import Drug

_SPRAVATO_PREDOSE_WORDING = Evidence(
    "SPRAVATO label §2: if baseline BP is elevated (e.g. >140/90 mmHg) consider the risk of "
    "short-term BP increases against the benefit (wording not re-read)",
    Confidence.RECALLED,
)
_SOP_HOLD = sources.convention(
    "clinic SOPs defer dosing at ≥160/100 mmHg (practitioner request: 'BP >160/100 → pause')"
)
_LABEL_TABLE_6 = Evidence(
    "SPRAVATO label Table 6: BP event levels SBP ≥180 and DBP ≥110 mmHg (trial reporting "
    "levels, used here as alert levels)",
    Confidence.PRIMARY,
    url="https://www.usmedicine.com/2021online-dir/inc/html/33.html",
)
_LABEL_RISE = Evidence(
    "SPRAVATO label 5.x: rise of ≥40 mmHg systolic and/or ≥25 mmHg diastolic in the first "
    "1.5 h in 8–19% of patients",
    Confidence.PRIMARY,
    url="https://www.usmedicine.com/2021online-dir/inc/html/33.html",
)
_CRISIS = Evidence(
    "ACC/AHA 2017 hypertension guideline (Whelton et al., Hypertension 2018;71:e13): a "
    "hypertensive crisis is BP above 180/120 mmHg; hold limits stay below it, alert limits at it "
    "or below",
    Confidence.SECONDARY,
)
_HYPOTENSION = Evidence(
    "Hypotension is conventionally SBP <90 or DBP <60 mmHg (e.g. AHA patient guidance); "
    "ketamine usually raises BP, so a low reading points to another cause to assess",
    Confidence.RECALLED,
)
_PADSS = Evidence(
    "PADSS (Chung et al., J Clin Anesth 1995;7:500; Anesth Analg 1995;80:896): vital signs within "
    "20 % of the pre-procedure value score 2 of 2; the same band is used here for a fall in "
    "session and for discharge, in both directions",
    Confidence.SECONDARY,
)
_SOP_HEART_RATE = sources.convention(
    "hold for HR >110 bpm appears in clinic SOPs; the attribution to Sanacora 2017 is unconfirmed"
)

PREDOSE_CAUTION_SYSTOLIC = registry.define(
    "monitoring.predose_caution_systolic_above_mmhg",
    140,
    unit="mmHg",
    title="Pre-dose: systolic BP above which the prescriber weighs risk before dosing",
    evidence=_SPRAVATO_PREDOSE_WORDING,
    minimum=100,
    maximum=200,
)
PREDOSE_CAUTION_DIASTOLIC = registry.define(
    "monitoring.predose_caution_diastolic_above_mmhg",
    90,
    unit="mmHg",
    title="Pre-dose: diastolic BP above which the prescriber weighs risk before dosing",
    evidence=_SPRAVATO_PREDOSE_WORDING,
    minimum=60,
    maximum=130,
)
PREDOSE_HOLD_SYSTOLIC = registry.define(
    "monitoring.predose_hold_systolic_at_or_above_mmhg",
    160,
    unit="mmHg",
    title="Pre-dose: systolic BP at or above which the dose is held",
    evidence=_SOP_HOLD,
    minimum=120,
    maximum=170,  # below crisis (_CRISIS)
)
PREDOSE_HOLD_DIASTOLIC = registry.define(
    "monitoring.predose_hold_diastolic_at_or_above_mmhg",
    100,
    unit="mmHg",
    title="Pre-dose: diastolic BP at or above which the dose is held",
    evidence=_SOP_HOLD,
    minimum=70,
    maximum=110,  # below crisis (_CRISIS)
)
ALERT_SYSTOLIC = registry.define(
    "monitoring.alert_systolic_at_or_above_mmhg",
    180,
    unit="mmHg",
    title="In session: alert at systolic BP at or above",
    evidence=_LABEL_TABLE_6,
    minimum=140,
    maximum=180,  # at crisis at the latest (_CRISIS)
)
ALERT_DIASTOLIC = registry.define(
    "monitoring.alert_diastolic_at_or_above_mmhg",
    110,
    unit="mmHg",
    title="In session: alert at diastolic BP at or above",
    evidence=_LABEL_TABLE_6,
    minimum=80,
    maximum=120,  # at crisis at the latest (_CRISIS)
)
ALERT_SYSTOLIC_RISE = registry.define(
    "monitoring.alert_systolic_rise_at_or_above_mmhg",
    40,
    unit="mmHg",
    title="In session: alert at a systolic rise from baseline of at least",
    evidence=_LABEL_RISE,
    minimum=10,
    maximum=80,
)
ALERT_DIASTOLIC_RISE = registry.define(
    "monitoring.alert_diastolic_rise_at_or_above_mmhg",
    25,
    unit="mmHg",
    title="In session: alert at a diastolic rise from baseline of at least",
    evidence=_LABEL_RISE,
    minimum=5,
    maximum=60,
)
HYPOTENSION_SYSTOLIC = registry.define(
    "monitoring.hypotension_systolic_below_mmhg",
    90,
    unit="mmHg",
    title="Hypotension: systolic BP below this holds the dose and alerts in session",
    evidence=_HYPOTENSION,
    minimum=80,
    maximum=100,
)
HYPOTENSION_DIASTOLIC = registry.define(
    "monitoring.hypotension_diastolic_below_mmhg",
    50,
    unit="mmHg",
    title="Hypotension: diastolic BP below this holds the dose and alerts in session",
    evidence=Evidence(
        _HYPOTENSION.citation,
        Confidence.UNCERTAIN,
        note="default 50, not 60: a diastolic of 50–59 mmHg alone is common in healthy adults "
        "and would hold many sessions; a clinic may raise it to 60",
    ),
    minimum=40,
    maximum=60,
)
BP_FALL_PERCENT = registry.define(
    "monitoring.bp_fall_from_baseline_at_or_above_percent",
    20,
    unit="%",
    title="A fall in systolic BP of at least this much holds the dose (against the intake BP) "
    "and alerts in session (against the pre-dose BP)",
    evidence=_PADSS,
    minimum=10,
    maximum=40,
)
ALERT_HEART_RATE_HIGH = registry.define(
    "monitoring.alert_heart_rate_above_bpm",
    110,
    unit="bpm",
    title="Alert when heart rate is above",
    evidence=_SOP_HEART_RATE,
    minimum=80,
    maximum=180,
)
ALERT_HEART_RATE_LOW = registry.define(
    "monitoring.alert_heart_rate_below_bpm",
    50,
    unit="bpm",
    title="Alert when heart rate is below",
    evidence=sources.convention("bradycardia alert below 50 bpm"),
    minimum=30,
    maximum=70,
)
ALERT_SPO2_LOW = registry.define(
    "monitoring.alert_spo2_below_percent",
    92,
    unit="%",
    title="Alert when SpO2 is below",
    evidence=sources.convention(
        "SpO2 <92%; the SPRAVATO REMS requires pulse oximetry but sets no threshold"
    ),
    minimum=85,
    maximum=97,
)
ALERT_RESPIRATORY_RATE_LOW = registry.define(
    "monitoring.alert_respiratory_rate_below_per_min",
    10,
    unit="/min",
    title="Alert when respiratory rate is below (respiratory depression)",
    evidence=sources.convention("respiratory rate <10/min"),
    minimum=4,
    maximum=14,
)
ALERT_RESPIRATORY_RATE_HIGH = registry.define(
    "monitoring.alert_respiratory_rate_above_per_min",
    24,
    unit="/min",
    title="Alert when respiratory rate is above",
    evidence=sources.convention("respiratory rate >24/min"),
    minimum=16,
    maximum=40,
)
ALERT_SEDATION = registry.define(
    "monitoring.alert_moaas_at_or_below",
    3,
    unit="MOAA/S points",
    title="Alert when MOAA/S sedation score is at or below (5 = awake, 0 = unresponsive)",
    evidence=sources.convention(
        "MOAA/S ≤3 (responds only to loud or repeated name); the label measures sedation with "
        "the MOAA/S and reports loss of consciousness (MOAA/S 0) in 0.3%"
    ),
    minimum=0,
    maximum=4,
)
CHECK_DUE_WINDOW = registry.define(
    "monitoring.check_due_window_before_min",
    5,
    unit="min",
    title="A planned check shows as due this many minutes before its time",
    evidence=sources.convention("chair-side board timing"),
    minimum=0,
    maximum=15,
)
CHECK_GRACE = registry.define(
    "monitoring.check_overdue_after_min",
    5,
    unit="min",
    title="A planned check not charted this many minutes after its time is overdue",
    evidence=sources.convention("chair-side board timing"),
    minimum=1,
    maximum=30,
)
DISCHARGE_WITHIN_BASELINE_PERCENT = registry.define(
    "monitoring.discharge_within_baseline_percent",
    20,
    unit="%",
    title="Discharge: systolic and diastolic BP and heart rate within this much of the pre-dose "
    "values, above or below (and under the absolute limits that follow)",
    evidence=_PADSS,
    minimum=10,
    maximum=40,
)
DISCHARGE_SYSTOLIC_BELOW = registry.define(
    "monitoring.discharge_systolic_below_mmhg",
    160,
    unit="mmHg",
    title="Discharge: systolic BP below this absolute limit, whatever the baseline",
    evidence=sources.convention("absolute BP limit for discharge, as for the pre-dose hold"),
    minimum=120,
    maximum=170,
)
DISCHARGE_DIASTOLIC_BELOW = registry.define(
    "monitoring.discharge_diastolic_below_mmhg",
    100,
    unit="mmHg",
    title="Discharge: diastolic BP below this absolute limit, whatever the baseline",
    evidence=sources.convention("absolute BP limit for discharge, as for the pre-dose hold"),
    minimum=70,
    maximum=110,
)
DISCHARGE_VITALS_MAX_AGE = registry.define(
    "monitoring.discharge_vitals_max_age_min",
    15,
    unit="min",
    title="Discharge: the last vital signs must be no older than",
    evidence=Evidence(
        "REMS Patient Monitoring Form: BP before the session ends (age limit is a convention)",
        Confidence.UNCERTAIN,
    ),
    minimum=5,
    maximum=60,
)
DISCHARGE_CADSS6 = registry.define(
    "monitoring.discharge_cadss6_at_or_below",
    2,
    unit="CADSS-6 points",
    title="Discharge: dissociation resolved when CADSS-6 (0–24) is at or below this or baseline",
    evidence=sources.convention(
        "no validated CADSS cut-off exists (Williamson 2023); the REMS requires dissociation "
        "to have resolved"
    ),
    minimum=0,
    maximum=8,
)
DISCHARGE_ESCORT = registry.define(
    "monitoring.discharge_requires_escort",
    True,
    unit="",
    title="Discharge: a responsible adult escort must be present at discharge",
    evidence=Evidence(
        "PADSS (Chung 1995): discharge needs a responsible adult to accompany the patient home; "
        "SPRAVATO: no driving until the next day after restful sleep (an escort for ketamine "
        "sessions is a clinic convention)",
        Confidence.UNCERTAIN,
        url="https://www.spravatohcp.com/dosing-spravato-trd",
    ),
)


# --- the sources that apply to racemic ketamine (IV, IM) -------------------------------------
# The SPRAVATO label's figures are about esketamine; for a racemic dose the same numbers are
# kept as defaults but cited for what they are there: conventions read from the racemic
# ketamine literature (the clinical reference, §1.5 and §7.2).
_RACEMIC_ALERT_LEVEL = Evidence(
    "Racemic ketamine (IV, IM): no label sets in-session alert levels; 180/110 mmHg is used as "
    "the hypertensive-excursion level (about 1 % of infusion sessions in the ketamine-infusion "
    "literature, e.g. the Yale retrospective, Gen Hosp Psychiatry 2024) and sits at the ACC/AHA "
    "2017 crisis boundary (Whelton et al. 2018)",
    Confidence.UNCERTAIN,
    note="a clinic convention; the 1 % figure is derived, the study's own cut-off not re-read",
)
_RACEMIC_RISE = Evidence(
    "Racemic ketamine 0.5 mg/kg IV raises BP transiently: mean rise +12.6/+8.5 mmHg (Vankawala "
    "2021 meta-analysis), largest at 30–40 min and back to baseline after the infusion "
    "(Riva-Posse 2018); a rise of 40/25 mmHg is far outside that mean and is applied as a "
    "clinic convention",
    Confidence.UNCERTAIN,
)
_RACEMIC_PREDOSE = sources.convention(
    "clinic SOPs treat or defer racemic ketamine at a baseline BP above 140/90 mmHg (their "
    "attribution to the APA consensus, Sanacora 2017, is unconfirmed)"
)
_RACEMIC_SEDATION = sources.convention(
    "MOAA/S ≤3 (responds only to loud or repeated name): sedation deeper than intended for a "
    "sub-anaesthetic racemic dose"
)
RACEMIC_EVIDENCE: dict[str, Evidence] = {
    PREDOSE_CAUTION_SYSTOLIC.key: _RACEMIC_PREDOSE,
    PREDOSE_CAUTION_DIASTOLIC.key: _RACEMIC_PREDOSE,
    ALERT_SYSTOLIC.key: _RACEMIC_ALERT_LEVEL,
    ALERT_DIASTOLIC.key: _RACEMIC_ALERT_LEVEL,
    ALERT_SYSTOLIC_RISE.key: _RACEMIC_RISE,
    ALERT_DIASTOLIC_RISE.key: _RACEMIC_RISE,
    ALERT_SEDATION.key: _RACEMIC_SEDATION,
    ALERT_SPO2_LOW.key: sources.convention("SpO2 <92% (no racemic ketamine source sets one)"),
}


def evidence_for(setting: registry.ClinicalDefault, drug: Drug | None) -> Evidence:
    """The source a threshold is cited with for ``drug``: a racemic dose never cites the
    SPRAVATO label; esketamine (or an unknown drug) the setting's own source."""
    if drug is Drug.RACEMIC_KETAMINE:
        return RACEMIC_EVIDENCE.get(setting.key, setting.evidence)
    return setting.evidence
