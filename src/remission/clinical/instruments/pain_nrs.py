"""Pain NRS, 0–10 numeric rating scale of pain intensity.

One self-rated item, 0 = no pain, 10 = worst pain imaginable. Bands 0 / 1–3 / 4–6 / 7–10 are a
common convention [mem]. About 2 points (or about 30 %) is a clinically important change
(Farrar et al., Pain 2001;94:149) [src]. Public domain. LOINC 72514-3 as used in public code
[2nd].
"""

from __future__ import annotations

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
    graded_options,
)

SOURCE = Evidence(
    citation="11-point numeric rating scale; Farrar et al., Pain 2001;94:149–158",
    confidence=Confidence.PRIMARY,
    url="https://pubmed.ncbi.nlm.nih.gov/11690728/",
)

MCID_POINTS = registry.define(
    "instruments.pain_nrs.mcid_points",
    2,
    unit="points",
    title="Pain NRS clinically important improvement: at least",
    evidence=Evidence(
        citation="Farrar et al. 2001",
        confidence=Confidence.PRIMARY,
        url=SOURCE.url,
        note="about 30 % is the relative equivalent",
    ),
    minimum=1,
    maximum=10,
)

INSTRUMENT = Instrument(
    id="pain-nrs",
    short_name="Pain NRS",
    name="Pain numeric rating scale (0–10)",
    rater=Rater.SELF,
    recall_period=RecallPeriod(
        "As set by the clinic's form (e.g. pain now)",
        Evidence(citation="No single convention", confidence=Confidence.UNCERTAIN),
    ),
    items=(
        Item(
            number=1,
            label="Pain intensity",
            options=graded_options(
                0, 10, lowest_label="no pain", highest_label="worst pain imaginable"
            ),
        ),
    ),
    scoring=SumOfItems(),
    severity=SeverityBands(
        bands=(
            SeverityBand("none", "No pain", 0, 0),
            SeverityBand("mild", "Mild", 1, 3),
            SeverityBand("moderate", "Moderate", 4, 6),
            SeverityBand("severe", "Severe", 7, 10),
        ),
        evidence=Evidence(citation="Common convention", confidence=Confidence.RECALLED),
    ),
    outcome=OutcomeRules(mcid_points=MCID_POINTS),
    total_label="Rating",
    loinc=LoincCodes(
        panel=None,
        total="72514-3",
        evidence=Evidence(
            citation='"Pain severity 0–10 verbal numeric rating", as used in public code',
            confidence=Confidence.SECONDARY,
        ),
    ),
    licence=Licence(
        note="Public domain.",
        text_redistributable=True,
        evidence=Evidence(citation="clinical.md §5 licence column", confidence=Confidence.RECALLED),
    ),
    source=SOURCE,
)
