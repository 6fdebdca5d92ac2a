"""MADRS, Montgomery–Åsberg Depression Rating Scale (Br J Psychiatry 1979;134:382–389).

Ten clinician-rated items, 0–6 (anchors at 0, 2, 4, 6); total = sum, 0–60 [src]. Bands after
Snaith 1986: 0–6 / 7–19 / 20–34 / 35–60 [src]. Remission ≤ 10 (KetECT) or ≤ 12 (SUSTAIN-3):
both are used, so it is a registry setting, default 10 [src]. TRD meaningful change 10 points
(Turkoz 2021) [src]. Copyright status unclear [?]: no item wording or anchors are shipped.
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
    citation="Montgomery & Åsberg, Br J Psychiatry 1979;134:382–389",
    confidence=Confidence.PRIMARY,
)

_LABELS = (
    "Observed sadness",
    "Reported sadness",
    "Inner tension",
    "Reduced sleep",
    "Reduced appetite",
    "Concentration",
    "Difficulty getting started",
    "Reduced capacity to feel",
    "Pessimistic thoughts",
    "Suicidal thoughts",
)

REMISSION_MAX_TOTAL = registry.define(
    "instruments.madrs.remission_max_total",
    10,
    unit="points",
    title="MADRS remission: total at most (10 in KetECT, 12 in SUSTAIN-3)",
    evidence=Evidence(
        citation="KetECT 2022 (≤ 10); SUSTAIN-3 (≤ 12)",
        confidence=Confidence.PRIMARY,
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC9154276",
    ),
    minimum=0,
    maximum=60,
)

MCID_POINTS = registry.define(
    "instruments.madrs.mcid_points",
    10,
    unit="points",
    title="MADRS meaningful improvement: at least",
    evidence=Evidence(
        citation="Turkoz et al. 2021, meaningful change threshold in TRD (esketamine trials)",
        confidence=Confidence.PRIMARY,
        url="https://pubmed.ncbi.nlm.nih.gov/33261932/",
    ),
    minimum=1,
    maximum=60,
)

INSTRUMENT = Instrument(
    id="madrs",
    short_name="MADRS",
    name="Montgomery–Åsberg Depression Rating Scale",
    rater=Rater.CLINICIAN,
    recall_period=RecallPeriod(
        "The past week (a validated 24-hour version exists for rapid-acting treatments)",
        Evidence(
            citation="Montgomery & Åsberg 1979 [mem]; MADRS-24h: Johnson et al., "
            "J Clin Psychiatry [src]",
            confidence=Confidence.RECALLED,
            note="sleep and appetite items behave poorly over 24 hours [src]",
        ),
    ),
    items=tuple(
        Item(
            number=n,
            label=label,
            options=graded_options(0, 6, lowest_label="absent", highest_label="most severe"),
        )
        for n, label in enumerate(_LABELS, start=1)
    ),
    scoring=SumOfItems(),
    severity=SeverityBands(
        bands=(
            SeverityBand("normal", "Normal", 0, 6),
            SeverityBand("mild", "Mild", 7, 19),
            SeverityBand("moderate", "Moderate", 20, 34),
            SeverityBand("severe", "Severe", 35, 60),
        ),
        evidence=Evidence(
            citation="Snaith et al. 1986, as quoted in a text copy",
            confidence=Confidence.PRIMARY,
            note="alternatives: severe ≥ 31 (Müller 2003) [src]; severe ≥ 34 (CamCOPS) [src]",
        ),
    ),
    flag_rules=(
        ItemFlag(
            item=10,
            at_least=1,
            flag_id="madrs_item10_positive",
            message="MADRS item 10 is rated above 0 (suicidal thoughts): "
            "assess suicide risk today.",
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
        note="Copyright status unclear; widely reproduced but not assumed public domain. "
        "Check with the rights holder before shipping wording; the clinic supplies it.",
        text_redistributable=False,
        evidence=Evidence(
            citation="clinical.md §5 licence column", confidence=Confidence.UNCERTAIN
        ),
    ),
    source=SOURCE,
)
