"""Rating scales: one module per scale, each a single declarative ``Instrument``.

Forms, the patient portal, the API, FHIR Questionnaires, PDFs and charts all read these
definitions; nothing else defines items, options, bands or thresholds.

    >>> from remission.clinical import instruments
    >>> instruments.score("phq9", [2, 2, 1, 1, 0, 1, 2, 1, 0]).total
    10

Answers are given in item order, one per item; ``None`` marks a missing answer. Outcome
thresholds live in the clinical-defaults registry; pass a clinic's ``overrides`` to use its
settings.
"""

from __future__ import annotations

from collections.abc import Sequence

from remission.clinical.errors import ClinicalInputError
from remission.clinical.instruments import (
    cadss6,
    cgi_i,
    cgi_s,
    gad7,
    hamd17,
    madrs,
    moaas,
    pain_nrs,
    pcl5,
    phq9,
    qids_sr16,
    suicide_screen,
)
from remission.clinical.instruments.base import (
    AnswerOption,
    ChangeResult,
    Classification,
    Instrument,
    Item,
    SafetyFlag,
    ScoreResult,
    SeverityBand,
    Subscore,
)
from remission.clinical.instruments.scoring import compare_results, score_answers
from remission.clinical.registry import Overrides

__all__ = [
    "AnswerOption",
    "ChangeResult",
    "Classification",
    "Instrument",
    "Item",
    "SafetyFlag",
    "ScoreResult",
    "SeverityBand",
    "Subscore",
    "all_instruments",
    "compare",
    "compare_scores",
    "get",
    "ids",
    "score",
]

_INSTRUMENTS: dict[str, Instrument] = {
    module.INSTRUMENT.id: module.INSTRUMENT
    for module in (
        phq9,
        gad7,
        qids_sr16,
        madrs,
        hamd17,
        cadss6,
        moaas,
        pcl5,
        pain_nrs,
        cgi_s,
        cgi_i,
        suicide_screen,
    )
}


def get(instrument_id: str) -> Instrument:
    """The definition with this id, or ``ClinicalInputError``."""
    try:
        return _INSTRUMENTS[instrument_id]
    except KeyError:
        known = ", ".join(_INSTRUMENTS)
        raise ClinicalInputError(f"unknown instrument {instrument_id!r} (known: {known})") from None


def all_instruments() -> tuple[Instrument, ...]:
    return tuple(_INSTRUMENTS.values())


def ids() -> tuple[str, ...]:
    return tuple(_INSTRUMENTS)


def score(
    instrument_id: str, answers: Sequence[object], *, overrides: Overrides | None = None
) -> ScoreResult:
    """Score one administration (see ``scoring.score_answers``)."""
    return score_answers(get(instrument_id), answers, overrides)


def compare(
    instrument_id: str,
    baseline_answers: Sequence[object],
    followup_answers: Sequence[object],
    *,
    overrides: Overrides | None = None,
) -> ChangeResult:
    """Score both administrations and report change, response, remission and MCID."""
    instrument = get(instrument_id)
    return compare_results(
        instrument,
        score_answers(instrument, baseline_answers, overrides),
        score_answers(instrument, followup_answers, overrides),
        overrides,
    )


def compare_scores(
    baseline: ScoreResult, followup: ScoreResult, *, overrides: Overrides | None = None
) -> ChangeResult:
    """As ``compare``, for administrations already scored."""
    return compare_results(get(followup.instrument_id), baseline, followup, overrides)
