"""CGI-I, Clinical Global Impression – Improvement (Guy 1976, ECDEU Assessment Manual).

One clinician rating, 1–7, from very much improved to very much worse, compared with the
patient's condition at baseline; 0 = not assessed and is recorded as missing [mem]. Each
rating is its own band. CGI-I 3 (minimally improved) ≈ ≤ 30 % improvement, "no meaningful
benefit" (Zhang 2022) [src]; CGI-I 1–2 is often read as response [mem]. It already rates
change, so comparing two CGI-I ratings is refused. Public domain [mem]. No LOINC code
verified [?].
"""

from __future__ import annotations

from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments.base import (
    LOINC_NOT_VERIFIED,
    AnswerOption,
    Instrument,
    Item,
    Licence,
    Rater,
    RecallPeriod,
    SeverityBand,
    SeverityBands,
    SumOfItems,
)

SOURCE = Evidence(
    citation="Guy W. ECDEU Assessment Manual for Psychopharmacology, 1976",
    confidence=Confidence.RECALLED,
    note="CGI-I 3 ≈ ≤ 30 % improvement (Zhang et al., J Clin Psychiatry 2022) [src]",
)

# (band id, label)
LEVELS = (
    ("very_much_improved", "Very much improved"),
    ("much_improved", "Much improved"),
    ("minimally_improved", "Minimally improved"),
    ("no_change", "No change"),
    ("minimally_worse", "Minimally worse"),
    ("much_worse", "Much worse"),
    ("very_much_worse", "Very much worse"),
)

INSTRUMENT = Instrument(
    id="cgi-i",
    short_name="CGI-I",
    name="Clinical Global Impression – Improvement",
    rater=Rater.CLINICIAN,
    recall_period=RecallPeriod("Compared with the patient's condition at baseline", SOURCE),
    items=(
        Item(
            number=1,
            label="Global improvement",
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
    total_label="Rating",
    loinc=LOINC_NOT_VERIFIED,
    licence=Licence(
        note="Public domain (US government publication).",
        text_redistributable=True,
        evidence=Evidence(citation="clinical.md §5 licence column", confidence=Confidence.RECALLED),
    ),
    source=SOURCE,
)
