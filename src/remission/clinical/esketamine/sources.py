"""The sources the esketamine label rules cite, each with its confidence.

Two labels govern esketamine nasal spray (SPRAVATO): the US prescribing information (FDA) and
the EU summary of product characteristics (SmPC; the UK SmPC reads the same in the parts used
here). Wording follows ``shared/reference/clinical.md`` and, for the SmPC, the copies named in
each entry. A clinic's medical director signs off the rules.
"""

from __future__ import annotations

from remission.clinical.evidence import Confidence, Evidence

US_TRD_DOSING = Evidence(
    "SPRAVATO US prescribing information §2 (TRD): weeks 1–4 twice weekly, day 1 56 mg, then "
    "56 or 84 mg; weeks 5–8 weekly; week 9 on every 2 weeks or weekly",
    Confidence.PRIMARY,
    url="https://liobm.com/spravato/",
)
US_NO_AGE_BASED_START = Evidence(
    "SPRAVATO US prescribing information §2: one day-1 dose for TRD, 56 mg, for every adult; "
    "the US label has no 28 mg start and no age-based start at 65 or over",
    Confidence.RECALLED,
    note="the elderly study (TRANSFORM-3) started at 28 mg, but the US dosing section did not "
    "adopt it as far as recalled; not re-checked against the current US label",
)
US_TRD_MONOTHERAPY = Evidence(
    "FDA approval of SPRAVATO as monotherapy for adults with TRD, 21 January 2025 (before it, "
    "only together with an oral antidepressant)",
    Confidence.SECONDARY,
    note="read in a summary citing the Johnson & Johnson release, not in the label itself",
)
US_MDSI = Evidence(
    "SPRAVATO US prescribing information §1–2: depressive symptoms in adults with MDD with "
    "acute suicidal ideation or behaviour, together with an oral antidepressant; 84 mg twice "
    "weekly for 4 weeks, may be reduced to 56 mg twice weekly for tolerability; benefit "
    "evaluated at week 4, use beyond 4 weeks not systematically evaluated",
    Confidence.RECALLED,
    note="the indication, the oral antidepressant and the 4-week schedule were read in the "
    "label Highlights [src]; the 84 mg dose is recalled",
)
SMPC_ELDERLY_START = Evidence(
    "Spravato EU/UK SmPC 4.2, adults 65 or over (TRD): induction day 1 28 mg, then 28, 56 or "
    "84 mg twice weekly; all dose changes in 28 mg steps",
    Confidence.SECONDARY,
    url="https://patient-info.co.uk/spravato-70554/summary-of-medicine-characteristics",
    note="read in copies of the SmPC and in Janssen's UK prescribing information "
    "(janssen-pi.co.uk), not in the EMA document itself",
)
SMPC_JAPANESE_ANCESTRY_START = Evidence(
    "Spravato EU/UK SmPC 4.2: a 28 mg day-1 start for patients of Japanese ancestry, as for "
    "patients 65 or over",
    Confidence.UNCERTAIN,
    note="recalled, and NOT found in the SmPC copies read here (they show the 65-or-over "
    "table only); verify in the current SmPC 4.2 before relying on it",
)
SMPC_TRD_WITH_SSRI_OR_SNRI = Evidence(
    "Spravato EU/UK SmPC 4.1: for TRD, in combination with an SSRI or SNRI (no monotherapy)",
    Confidence.SECONDARY,
    url="https://www.rxreasoner.com/monographs/spravato/usage",
    note="read in copies of the SmPC; the chart records 'on an oral antidepressant', not "
    "which class, so the prescriber confirms it is an SSRI or SNRI",
)
SMPC_PSYCHIATRIC_EMERGENCY = Evidence(
    "Spravato EU/UK SmPC 4.1–4.2: moderate to severe MDD as a psychiatric emergency, "
    "co-administered with oral antidepressant therapy; adults under 65: 84 mg twice weekly for "
    "4 weeks, reduced to 56 mg on tolerability",
    Confidence.SECONDARY,
    url="https://uat.mimsdev.com/hongkong/drug/info/spravato",
    note="the copies read give this dose for adults under 65 only; no dose for 65 or over",
)
SMPC_RECENT_CV_EVENT = Evidence(
    "Spravato EU/UK SmPC 4.3: contraindicated where a rise in BP or intracranial pressure is a "
    "serious risk, including a cardiovascular event (myocardial infarction, stroke) within "
    "6 weeks",
    Confidence.RECALLED,
    note="a hard stop at eligibility for every route (remission.clinical.eligibility, "
    "cardiovascular rules), whichever label the clinic follows",
)
INDUCTION_FOUR_WEEKS = Evidence(
    "SPRAVATO prescribing information §2 (and SmPC 4.2): induction is weeks 1–4, twice weekly "
    "(8 doses); benefit is evaluated at the end of induction",
    Confidence.PRIMARY,
    url="https://liobm.com/spravato/",
    note="that a missed dose should not stretch induction past week 4 unremarked is this "
    "project's reading; the label does not say how to make up missed doses",
)
