"""The sources the protocol, monitoring and outcome rules cite, each with its confidence.

Wording follows ``shared/reference/clinical.md``; a clinic's medical director signs off the rules.
"""

from __future__ import annotations

from remission.clinical.evidence import Confidence, Evidence

MURROUGH_2013 = Evidence(
    "Murrough et al., Biol Psychiatry 2013: up to 6 infusions of 0.5 mg/kg, 3×/week over 12 days",
    Confidence.PRIMARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC3725185",
)
PHILLIPS_2019 = Evidence(
    "Phillips et al., Am J Psychiatry 2019;176:401: 6 infusions 3×/week over 2 weeks, "
    "then 4 once-weekly maintenance infusions for responders",
    Confidence.PRIMARY,
    url="https://pubmed.ncbi.nlm.nih.gov/30922101/",
)
ELEKT_D_2023 = Evidence(
    "Anand et al. (ELEKT-D), N Engl J Med 2023: 0.5 mg/kg over 40 min, 2×/week for 3 weeks",
    Confidence.PRIMARY,
    url="https://pubmed.ncbi.nlm.nih.gov/37224232/",
)
NO_VALIDATED_MAINTENANCE = Evidence(
    "Clinical reference §1.3: no validated maintenance or booster schedule exists "
    "(Andrade 2017: individualise; ASA: a defined course at the minimum effective dose)",
    Confidence.PRIMARY,
    url="https://asahq.org/advocating-for-you/guidance/ketamine-safe-use",
)
CHILUKURI_2014 = Evidence(
    "Chilukuri et al., Indian J Psychol Med 2014;36:71: 0.25 or 0.5 mg/kg IM "
    "about as effective as 0.5 mg/kg IV (n=27, open label)",
    Confidence.PRIMARY,
    url="https://pubmed.ncbi.nlm.nih.gov/24701015/",
)
SPRAVATO_DOSING = Evidence(
    "SPRAVATO prescribing information §2: weeks 1–4 twice weekly (day 1 56 mg, then 56 or "
    "84 mg); weeks 5–8 weekly; week 9 on every 2 weeks or weekly",
    Confidence.PRIMARY,
    url="https://liobm.com/spravato/",
)
SPRAVATO_MONITORING = Evidence(
    "SPRAVATO label 5.1/5.2 and REMS: monitor at least 2 h and until clinically stable; "
    "BP before dosing, ~40 min after, then as clinically warranted",
    Confidence.PRIMARY,
    url="https://www.spravatohcp.com/dosing-spravato-trd",
)
SPRAVATO_REMS = Evidence(
    "FDA SPRAVATO REMS: pulse oximetry and a prescriber on site; monitor until sedation, "
    "dissociation and respiratory depression have resolved",
    Confidence.PRIMARY,
    url="https://www.accessdata.fda.gov/scripts/cder/rems/index.cfm?event=IndvRemsDetails.page&REMS=386",
)
IV_BP_EVERY_10_15_MIN = Evidence(
    "Riva-Posse 2018 (BP every 10 min during, every 15 min after the infusion); Yale 2024 "
    "(every 10 min; BP peaks ~40 min after the start)",
    Confidence.PRIMARY,
    url="https://doi.org/10.1016/j.jad.2018.02.025",
)
JOURNEY_CLINICAL_KAP = Evidence(
    "Journey Clinical KAP platform (vendor page): dosing at most twice a week, with "
    "psychotherapy sessions around dosing",
    Confidence.SECONDARY,
)
ASKP3_STANDARDS = Evidence(
    "ASKP3 Standards of Practice (2020): detailed content not read; preparation and "
    "integration sessions are a practice convention",
    Confidence.UNCERTAIN,
    url="https://jewelketamine.com/our-standards",
)


def convention(text: str) -> Evidence:
    """A clinic convention that no source sets: labelled ``?`` so nobody mistakes it for data."""
    return Evidence(f"Clinic convention: {text}", Confidence.UNCERTAIN)
