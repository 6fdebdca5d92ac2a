"""CADSS-6, six-item Clinician-Administered Dissociative States Scale (Rodrigues et al.,
J Affect Disord 2021;282:160).

Items 1, 2, 6, 7, 15 and 22 of the full CADSS (Bremner 1998), each 0–4; total = sum, 0–24
[src; range arithmetic]. Rated at timed points in a dosing session. Correlates with the full
CADSS (rs 0.91–0.95) but was derived retrospectively and is not yet validated [src]; no
CADSS cut-off separated patients with and without dissociative adverse events (Williamson
2023) [src], so there are no severity bands. Item themes are paraphrased [mem]; author
copyright, permission terms unknown [?]: no wording shipped.
"""

from __future__ import annotations

from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments.base import (
    AnswerOption,
    Instrument,
    Item,
    Licence,
    LoincCodes,
    OutcomeRules,
    Rater,
    RecallPeriod,
    SeverityBands,
    SumOfItems,
)

SOURCE = Evidence(
    citation="Rodrigues et al., J Affect Disord 2021;282:160",
    confidence=Confidence.PRIMARY,
    url="https://research.regionh.dk/en/publications/a-simplified-6item-clinician-administered-dissociative-symptom-scale-cadss6-",
    note="not yet validated; item themes paraphrased from memory [mem]",
)

_OPTIONS = (
    AnswerOption(0, "Not at all"),
    AnswerOption(1, "Slightly"),
    AnswerOption(2, "Moderately"),
    AnswerOption(3, "Considerably"),
    AnswerOption(4, "Extremely"),
)

# (our label, item number in the full CADSS)
_ITEMS = (
    ("Slowed sense of time", 1),
    ("Unreality, dream-like feeling", 2),
    ("Detached from own body", 6),
    ("Changed body size or shape", 7),
    ("Spacing out, losing track", 15),
    ("Gaps in memory", 22),
)

INSTRUMENT = Instrument(
    id="cadss6",
    short_name="CADSS-6",
    name="Clinician-Administered Dissociative States Scale, 6-item version",
    rater=Rater.CLINICIAN,
    recall_period=RecallPeriod(
        "The dosing session so far, at the time points of the clinic's session protocol",
        Evidence(
            citation="Use in ketamine sessions (clinical.md §2.2, §5)",
            confidence=Confidence.RECALLED,
        ),
    ),
    items=tuple(
        Item(number=n, label=label, options=_OPTIONS, note=f"CADSS item {full_number}")
        for n, (label, full_number) in enumerate(_ITEMS, start=1)
    ),
    scoring=SumOfItems(),
    severity=SeverityBands(
        bands=(),
        evidence=Evidence(
            citation="No validated bands: CADSS-6 not yet validated (Rodrigues 2021); no CADSS "
            "cut-off discriminated dissociation adverse events (Williamson 2023)",
            confidence=Confidence.PRIMARY,
            note='a "> 4 = dissociation present" convention is sometimes used [?]',
        ),
    ),
    # change from a pre-dose rating is reported; no response or remission rule exists
    outcome=OutcomeRules(),
    loinc=LoincCodes(
        panel=None,
        total=None,
        evidence=Evidence(citation="No LOINC code found", confidence=Confidence.UNCERTAIN),
    ),
    licence=Licence(
        note="Author copyright (J. D. Bremner); permission terms unknown. The clinic supplies "
        "licensed item wording.",
        text_redistributable=False,
        evidence=Evidence(
            citation="clinical.md §5 licence column", confidence=Confidence.UNCERTAIN
        ),
    ),
    source=SOURCE,
)
