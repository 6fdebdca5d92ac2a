"""HAM-D17, Hamilton Depression Rating Scale, 17 items (Hamilton 1960).

Clinician-rated: nine items scored 0–4 and eight scored 0–2 [src]; the 0–2 items are 4–6
(insomnia), 12, 13, 14, 16 (weight loss) and 17 (insight) [mem]. Total = sum, 0–52. Item 16
has a history (A) and a measured-weight (B) form: rate one, enter one answer [mem]. Bands
after Zimmerman 2013: 0–7 / 8–16 / 17–23 / 24–52 [src]. Remission ≤ 7 [src]. Meaningful
change 3 points (NICE, expert opinion, cited in Kounali 2022) [src]. Generally treated as
public domain, but structured interviews have their own terms [mem/?]: no wording shipped.
"""

from __future__ import annotations

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments.base import (
    LOINC_NOT_VERIFIED,
    Instrument,
    Item,
    ItemFlag,
    Licence,
    OutcomeRules,
    Rater,
    RecallPeriod,
    SeverityBand,
    SeverityBands,
    SumOfItems,
    graded_options,
)
from remission.clinical.instruments.scoring import RESPONSE_MIN_PERCENT_DROP

SOURCE = Evidence(
    citation="Hamilton, J Neurol Neurosurg Psychiatry 1960;23:56–62",
    confidence=Confidence.PRIMARY,
    note="which items are 0–2 is recalled [mem]; 9 × 0–4 and 8 × 0–2 read [src]",
)

# (label, highest answer)
_ITEMS = (
    ("Depressed mood", 4),
    ("Guilt", 4),
    ("Suicide", 4),
    ("Early insomnia", 2),
    ("Middle insomnia", 2),
    ("Late insomnia", 2),
    ("Work and activities", 4),
    ("Psychomotor retardation", 4),
    ("Agitation", 4),
    ("Psychic anxiety", 4),
    ("Somatic anxiety", 4),
    ("Gastrointestinal symptoms", 2),
    ("General somatic symptoms", 2),
    ("Genital symptoms", 2),
    ("Hypochondriasis", 4),
    ("Weight loss", 2),
    ("Insight", 2),
)

REMISSION_MAX_TOTAL = registry.define(
    "instruments.hamd17.remission_max_total",
    7,
    unit="points",
    title="HAM-D17 remission: total at most",
    evidence=Evidence(citation="HAM-D17 ≤ 7 (clinical.md §5)", confidence=Confidence.PRIMARY),
    minimum=0,
    maximum=52,
)

MCID_POINTS = registry.define(
    "instruments.hamd17.mcid_points",
    3,
    unit="points",
    title="HAM-D17 meaningful improvement: at least",
    evidence=Evidence(
        citation="NICE expert opinion, as cited in Kounali et al. 2022",
        confidence=Confidence.PRIMARY,
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC9340848",
    ),
    minimum=1,
    maximum=52,
)

INSTRUMENT = Instrument(
    id="hamd17",
    short_name="HAM-D17",
    name="Hamilton Depression Rating Scale (17 items)",
    rater=Rater.CLINICIAN,
    recall_period=RecallPeriod(
        "The past week",
        Evidence(citation="Common administration convention", confidence=Confidence.RECALLED),
    ),
    items=tuple(
        Item(
            number=n,
            label=label,
            options=graded_options(0, top, lowest_label="absent", highest_label="most severe"),
            note="rate the history (A) or the measured-weight (B) form, not both"
            if n == 16
            else "",
        )
        for n, (label, top) in enumerate(_ITEMS, start=1)
    ),
    scoring=SumOfItems(),
    severity=SeverityBands(
        bands=(
            SeverityBand("none", "No depression", 0, 7),
            SeverityBand("mild", "Mild", 8, 16),
            SeverityBand("moderate", "Moderate", 17, 23),
            SeverityBand("severe", "Severe", 24, 52),
        ),
        evidence=Evidence(
            citation="Zimmerman et al. 2013",
            confidence=Confidence.PRIMARY,
            url="https://www.ncbi.nlm.nih.gov/pubmed/23759278",
            note="the ids-qids crosswalk uses 0–7 / 8–13 / 14–19 / 20–25 / ≥ 26 [src]",
        ),
    ),
    flag_rules=(
        ItemFlag(
            item=3,
            at_least=1,
            flag_id="hamd17_item3_positive",
            message="HAM-D17 item 3 (suicide) is rated above 0: assess suicide risk today.",
            evidence=Evidence(
                citation="Practice convention, as for PHQ-9 item 9",
                confidence=Confidence.UNCERTAIN,
            ),
        ),
    ),
    outcome=OutcomeRules(
        response_min_percent_drop=RESPONSE_MIN_PERCENT_DROP,
        remission_max_total=REMISSION_MAX_TOTAL,
        mcid_points=MCID_POINTS,
    ),
    loinc=LOINC_NOT_VERIFIED,
    licence=Licence(
        note="Generally treated as public domain (1960); structured interviews (SIGH-D, "
        "GRID-HAMD) have their own terms. The clinic supplies the wording it uses.",
        text_redistributable=False,
        evidence=Evidence(citation="clinical.md §5 licence column", confidence=Confidence.RECALLED),
    ),
    source=SOURCE,
)
