"""GAD-7, Generalized Anxiety Disorder scale (Spitzer et al., Arch Intern Med 2006).

Seven self-rated items with the PHQ-9 answer options (0–3, last 2 weeks); total = sum, 0–21.
Bands 0–4 / 5–9 / 10–14 / 15–21 [src: code configs]. Remission < 5 is a convention [mem];
meaningful change 3.3 points on average (Bauer-Staeb 2021) [src]. Same Pfizer notice as the
PHQ-9, so the wording ships [src]. LOINC panel 69737-5 [mem], total 70274-6 and items [src].
"""

from __future__ import annotations

from decimal import Decimal

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments.base import (
    Instrument,
    Item,
    Licence,
    LoincCodes,
    OutcomeRules,
    Rater,
    RecallPeriod,
    SeverityBand,
    SeverityBands,
    SumOfItems,
)
from remission.clinical.instruments.phq9 import FREQUENCY_OPTIONS, PFIZER_NOTICE
from remission.clinical.instruments.scoring import RESPONSE_MIN_PERCENT_DROP

SOURCE = Evidence(
    citation="Spitzer, Kroenke, Williams & Löwe, Arch Intern Med 2006;166:1092–1097",
    confidence=Confidence.PRIMARY,
    url="https://www.phqscreeners.com/",
)

_ITEMS = (
    ("Nervousness", "Feeling nervous, anxious or on edge", "69725-0"),
    ("Uncontrolled worry", "Not being able to stop or control worrying", "68509-9"),
    ("Excessive worry", "Worrying too much about different things", "69733-4"),
    ("Trouble relaxing", "Trouble relaxing", "69734-2"),
    ("Restlessness", "Being so restless that it is hard to sit still", "69735-9"),
    ("Irritability", "Becoming easily annoyed or irritable", "69689-8"),
    ("Dread", "Feeling afraid as if something awful might happen", "69736-7"),
)

REMISSION_MAX_TOTAL = registry.define(
    "instruments.gad7.remission_max_total",
    4,
    unit="points",
    title="GAD-7 remission: total at most (i.e. below 5)",
    evidence=Evidence(citation="GAD-7 < 5 (convention)", confidence=Confidence.RECALLED),
    minimum=0,
    maximum=21,
)

MCID_POINTS = registry.define(
    "instruments.gad7.mcid_points",
    Decimal("3.3"),
    unit="points",
    title="GAD-7 meaningful improvement: at least",
    evidence=Evidence(
        citation="Bauer-Staeb et al. 2021, average MCID",
        confidence=Confidence.PRIMARY,
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC8485844",
        note="4 points is often quoted [mem]; about 1.5 points at moderate severity "
        "(Kounali 2022) [src]",
    ),
    minimum=1,
    maximum=21,
)

INSTRUMENT = Instrument(
    id="gad7",
    short_name="GAD-7",
    name="Generalized Anxiety Disorder 7-item scale",
    rater=Rater.SELF,
    recall_period=RecallPeriod("Over the last 2 weeks", SOURCE),
    instructions=(
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    ),
    items=tuple(
        Item(number=n, label=label, text=text, loinc=loinc, options=FREQUENCY_OPTIONS)
        for n, (label, text, loinc) in enumerate(_ITEMS, start=1)
    ),
    scoring=SumOfItems(),
    severity=SeverityBands(
        bands=(
            SeverityBand("minimal", "Minimal", 0, 4),
            SeverityBand("mild", "Mild", 5, 9),
            SeverityBand("moderate", "Moderate", 10, 14),
            SeverityBand("severe", "Severe", 15, 21),
        ),
        evidence=Evidence(
            citation="Spitzer 2006 bands, as configured in public code",
            confidence=Confidence.PRIMARY,
        ),
    ),
    outcome=OutcomeRules(
        response_min_percent_drop=RESPONSE_MIN_PERCENT_DROP,
        remission_max_total=REMISSION_MAX_TOTAL,
        mcid_points=MCID_POINTS,
    ),
    loinc=LoincCodes(
        panel="69737-5",
        total="70274-6",
        evidence=Evidence(
            citation="Item and total codes from public FHIR code (clinical.md §5)",
            confidence=Confidence.PRIMARY,
            note="panel code recalled, not re-checked [mem]",
        ),
    ),
    licence=Licence(
        note=f"Pfizer copyright, free to reproduce. Required notice: {PFIZER_NOTICE}",
        text_redistributable=True,
        evidence=Evidence(
            citation="Pfizer notice, as quoted in public FHIR Questionnaires",
            confidence=Confidence.PRIMARY,
        ),
    ),
    source=SOURCE,
)
