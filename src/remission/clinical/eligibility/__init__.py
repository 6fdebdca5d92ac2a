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

The package, one concern per module (a reviewer can read one at a time):

* ``vocabulary`` — the answers, outcomes and severities the intake and the record use;
* ``intake`` — the intake schema (built from JSON by ``remission.clinical.parsing``);
  ``legacy`` reads answers stored by the older form (yes/no medicine boxes) unchanged in meaning;
* ``presedation`` — ASA physical status, the STOP-Bang count, Mallampati, investigations;
* ``exposure`` — the medicine classes an intake records (from the list, or the older boxes);
* ``sources`` — every source the rules cite; ``settings`` — the configurable thresholds;
* ``staging`` — treatment resistance and the Maudsley Staging Method;
* ``contraindications`` — one module per family: ``vascular`` (and hypersensitivity),
  ``cardiovascular``, ``intracranial``, ``psychiatric``, ``substances``, ``pregnancy``,
  ``medications``, ``age_and_indication``, ``other_conditions``, ``presedation`` (ASA, airway
  and OSA, COPD, investigations indicated but not done);
* ``reasons`` — a reason found; ``decision`` — each route's decision and the assessment record.

This module re-exports the public API: ``from remission.clinical.eligibility import Intake``.
"""

from remission.clinical.dosing import Sex
from remission.clinical.eligibility.contraindications.presedation import (
    Indication,
    indicated_investigations,
)
from remission.clinical.eligibility.decision import (
    DECISION_SUPPORT_NOTICE,
    EligibilityAssessment,
    RouteDecision,
    assess_eligibility,
)
from remission.clinical.eligibility.intake import (
    AntidepressantTrial,
    BloodPressure,
    CurrentMedications,
    Intake,
    MedicalHistory,
)
from remission.clinical.eligibility.legacy import upgrade_answers
from remission.clinical.eligibility.presedation import (
    AsaClass,
    Investigation,
    Mallampati,
    PreSedationAssessment,
    StopBangAnswers,
    StopBangBand,
    StopBangScore,
    Test,
    stop_bang,
)
from remission.clinical.eligibility.reasons import Reason
from remission.clinical.eligibility.staging import (
    MaudsleyStaging,
    MsmPart,
    TreatmentResistance,
    TrialAssessment,
    assess_treatment_resistance,
    classify_trial,
    stage_maudsley,
)
from remission.clinical.eligibility.vocabulary import (
    Adherence,
    BaselineSeverity,
    MsmBand,
    PregnancyStatus,
    RouteStatus,
    Severity,
    Substance,
    SubstanceUseDisorder,
    TrialOutcome,
)
from remission.clinical.routes import ALL_ROUTES  # the routes every assessment decides

__all__ = [
    "ALL_ROUTES",
    "DECISION_SUPPORT_NOTICE",
    "Adherence",
    "AntidepressantTrial",
    "AsaClass",
    "BaselineSeverity",
    "BloodPressure",
    "CurrentMedications",
    "EligibilityAssessment",
    "Indication",
    "Intake",
    "Investigation",
    "Mallampati",
    "MaudsleyStaging",
    "MedicalHistory",
    "MsmBand",
    "MsmPart",
    "PreSedationAssessment",
    "PregnancyStatus",
    "Reason",
    "RouteDecision",
    "RouteStatus",
    "Severity",
    "Sex",
    "StopBangAnswers",
    "StopBangBand",
    "StopBangScore",
    "Substance",
    "SubstanceUseDisorder",
    "Test",
    "TreatmentResistance",
    "TrialAssessment",
    "TrialOutcome",
    "assess_eligibility",
    "assess_treatment_resistance",
    "classify_trial",
    "indicated_investigations",
    "stage_maudsley",
    "stop_bang",
    "upgrade_answers",
]
