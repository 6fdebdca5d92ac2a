"""MOAA/S, Modified Observer's Assessment of Alertness/Sedation (Chernik et al. 1990).

One clinician rating, 0–5: 5 = responds readily to name in a normal tone, 0 = no response to a
painful stimulus; lower = deeper sedation [mem]. The esketamine label measures sedation with
it and reports that 0.3 % of patients lost consciousness (MOAA/S 0) [src: label 5.1]; so a 0
raises ``moaas_unresponsive``. Whether a patient may leave (back to 5, stable) is a
monitoring rule, not part of the scale. Bands map the ratings onto the ASA depth-of-sedation
continuum [mem]; mappings differ between papers. Labels are our own wording.
"""

from __future__ import annotations

from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments.base import (
    AnswerOption,
    Instrument,
    Item,
    ItemFlag,
    Licence,
    LoincCodes,
    Rater,
    RecallPeriod,
    SeverityBand,
    SeverityBands,
    SumOfItems,
)

SOURCE = Evidence(
    citation="Chernik et al., J Clin Psychopharmacol 1990;10:244–251",
    confidence=Confidence.RECALLED,
    note="used for sedation in the esketamine label, section 5.1 [src]",
)

INSTRUMENT = Instrument(
    id="moaas",
    short_name="MOAA/S",
    name="Modified Observer's Assessment of Alertness/Sedation",
    rater=Rater.CLINICIAN,
    recall_period=RecallPeriod(
        "The moment of assessment",
        Evidence(citation="Observer rating of current state", confidence=Confidence.RECALLED),
    ),
    items=(
        Item(
            number=1,
            label="Response to voice and touch",
            options=(
                AnswerOption(0, "No response to a painful stimulus"),
                AnswerOption(1, "Responds only to a painful stimulus"),
                AnswerOption(2, "Responds only to mild prodding or shaking"),
                AnswerOption(3, "Responds only when the name is called loudly or repeatedly"),
                AnswerOption(4, "Slow response to the name in a normal tone"),
                AnswerOption(5, "Responds readily to the name in a normal tone"),
            ),
        ),
    ),
    scoring=SumOfItems(),
    severity=SeverityBands(
        bands=(
            SeverityBand("unresponsive", "Unresponsive", 0, 0),
            SeverityBand("deep", "Deep sedation", 1, 1),
            SeverityBand("moderate", "Moderate sedation", 2, 3),
            SeverityBand("mild", "Mild sedation", 4, 4),
            SeverityBand("alert", "Alert", 5, 5),
        ),
        evidence=Evidence(
            citation="Mapping onto the ASA continuum of depth of sedation",
            confidence=Confidence.RECALLED,
            note="published mappings differ (e.g. whether 4 is minimal or mild sedation)",
        ),
    ),
    flag_rules=(
        ItemFlag(
            item=1,
            at_most=0,
            flag_id="moaas_unresponsive",
            message="MOAA/S 0: no response to a painful stimulus (loss of consciousness). "
            "Check airway, breathing and oxygen saturation now.",
            evidence=Evidence(
                citation="SPRAVATO label 5.1: 0.3 % lost consciousness (MOAA/S = 0)",
                confidence=Confidence.PRIMARY,
            ),
        ),
    ),
    higher_is_worse=False,
    total_label="Rating",
    loinc=LoincCodes(
        panel=None,
        total=None,
        evidence=Evidence(citation="No LOINC code verified", confidence=Confidence.UNCERTAIN),
    ),
    licence=Licence(
        note="Published observer scale; our labels paraphrase the levels.",
        text_redistributable=False,
        evidence=Evidence(
            citation="No licence terms found for the original wording",
            confidence=Confidence.UNCERTAIN,
        ),
    ),
    source=SOURCE,
)
