"""CGI-S, Clinical Global Impression – Severity (Guy 1976, ECDEU Assessment Manual).

One clinician rating, 1–7, from normal to among the most extremely ill; 0 = not assessed and
is recorded as missing [mem]. Each rating is its own band. No response or remission rule; the
change between two ratings is reported without thresholds. Public domain (US government
publication) [mem]. No LOINC code verified [?].
"""

from __future__ import annotations

from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments.base import (
    LOINC_NOT_VERIFIED,
    AnswerOption,
    Instrument,
    Item,
    Licence,
    OutcomeRules,
    Rater,
    RecallPeriod,
    SeverityBand,
    SeverityBands,
    SumOfItems,
)

SOURCE = Evidence(
    citation="Guy W. ECDEU Assessment Manual for Psychopharmacology, 1976",
    confidence=Confidence.RECALLED,
)

# (band id, label)
LEVELS = (
    ("normal", "Normal, not at all ill"),
    ("borderline", "Borderline ill"),
    ("mild", "Mildly ill"),
    ("moderate", "Moderately ill"),
    ("marked", "Markedly ill"),
    ("severe", "Severely ill"),
    ("extreme", "Among the most extremely ill"),
)

INSTRUMENT = Instrument(
    id="cgi-s",
    short_name="CGI-S",
    name="Clinical Global Impression – Severity",
    rater=Rater.CLINICIAN,
    recall_period=RecallPeriod(
        "At this time, against the clinician's experience with this population",
        SOURCE,
    ),
    items=(
        Item(
            number=1,
            label="Severity of illness",
            options=(
                AnswerOption(0, "Not assessed", not_assessed=True),
                *(AnswerOption(value, label) for value, (_, label) in enumerate(LEVELS, start=1)),
            ),
            note="Published question wording not re-checked, so not shipped.",
        ),
    ),
    scoring=SumOfItems(),
    severity=SeverityBands(
        bands=tuple(
            SeverityBand(band_id, label, value, value)
            for value, (band_id, label) in enumerate(LEVELS, start=1)
        ),
        evidence=SOURCE,
    ),
    outcome=OutcomeRules(),
    total_label="Rating",
    loinc=LOINC_NOT_VERIFIED,
    licence=Licence(
        note="Public domain (US government publication).",
        text_redistributable=True,
        evidence=Evidence(citation="clinical.md §5 licence column", confidence=Confidence.RECALLED),
    ),
    source=SOURCE,
)
