"""Scoring one administration of a scale, and comparing two.

Bad input — the wrong number of answers, an answer that is not one of the item's options, a
non-integer, an answer to a question the skip rule leaves unasked — raises
``ClinicalInputError``. A missing answer (``None``) is not an error: the score comes back
incomplete (``valid=False``, ``total=None``) with the reason, and safety flags are still
evaluated on the answers given.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments.base import (
    Answers,
    ChangeResult,
    Instrument,
    ScoreResult,
)
from remission.clinical.registry import Overrides

RESPONSE_MIN_PERCENT_DROP = registry.define(
    "instruments.response_min_percent_drop",
    50,
    unit="%",
    title="Response: drop from the baseline total of at least",
    evidence=Evidence(
        citation="Convention of the trials in clinical.md §5–6 (e.g. Murrough 2013, ELEKT-D 2023)",
        confidence=Confidence.PRIMARY,
        note="partial response 25–49% [mem] is not scored",
    ),
    minimum=1,
    maximum=100,
)

_ONE_DECIMAL = Decimal("0.1")


def score_answers(
    instrument: Instrument, answers: Sequence[object], overrides: Overrides | None = None
) -> ScoreResult:
    """Score one administration; ``answers`` holds one entry per item, ``None`` if missing."""
    given = _validated(instrument, answers)
    not_asked = _not_asked(instrument, given)
    missing = tuple(
        item.number
        for item in instrument.items
        if given[item.number - 1] is None and item.number not in not_asked
    )
    flags = tuple(
        flag for rule in instrument.flag_rules if (flag := rule.evaluate(given)) is not None
    )
    total = None if missing else instrument.scoring.total(given)
    return ScoreResult(
        instrument_id=instrument.id,
        answers=given,
        total=total,
        minimum=instrument.minimum_total,
        maximum=instrument.maximum_total,
        severity=None if total is None else instrument.severity.band_for(total),
        valid=total is not None,
        missing_items=missing,
        flags=flags,
        subscores=instrument.scoring.subscores(
            instrument.items, _asked_or_lowest(instrument, given, not_asked)
        ),
        classifications=tuple(
            rule.classify(given, total, overrides) for rule in instrument.classification_rules
        ),
        reason=_incomplete_reason(missing) if missing else None,
    )


def compare_results(
    instrument: Instrument,
    baseline: ScoreResult,
    followup: ScoreResult,
    overrides: Overrides | None = None,
) -> ChangeResult:
    """Change from ``baseline`` to ``followup``, with response, remission and MCID."""
    rules = instrument.outcome
    if rules is None:
        raise ClinicalInputError(
            f"{instrument.id}: comparing two administrations is not defined for this scale"
        )
    for result in (baseline, followup):
        if result.instrument_id != instrument.id:
            raise ClinicalInputError(
                f"{instrument.id}: cannot compare with a {result.instrument_id} score"
            )
    reasons = []
    if not baseline.valid:
        reasons.append("baseline score is incomplete")
    if not followup.valid:
        reasons.append("follow-up score is incomplete")

    remission: bool | None = None
    if rules.remission_max_total is not None and followup.total is not None:
        threshold = registry.resolve_decimal(rules.remission_max_total.key, overrides)
        remission = followup.total <= threshold

    change: int | None = None
    percent_change: Decimal | None = None
    response: bool | None = None
    meets_mcid: bool | None = None
    if baseline.total is not None and followup.total is not None:
        change = followup.total - baseline.total
        improvement = -change
        if rules.mcid_points is not None:
            meets_mcid = improvement >= registry.resolve_decimal(rules.mcid_points.key, overrides)
        if baseline.total == 0:
            reasons.append("baseline total is 0, so percent change and response are undefined")
        else:
            exact = Decimal(change) * 100 / Decimal(baseline.total)
            percent_change = exact.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
            if rules.response_min_percent_drop is not None:
                drop = registry.resolve_decimal(rules.response_min_percent_drop.key, overrides)
                # exact comparison: a 49.96 % drop must not become a response by rounding
                response = improvement * 100 >= drop * baseline.total
    return ChangeResult(
        instrument_id=instrument.id,
        baseline=baseline,
        followup=followup,
        change=change,
        percent_change=percent_change,
        response=response,
        remission=remission,
        meets_mcid=meets_mcid,
        reason="; ".join(reasons) or None,
    )


def _validated(instrument: Instrument, answers: Sequence[object]) -> Answers:
    """The answers as ints/None, "not assessed" options turned into ``None``."""
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise ClinicalInputError(f"{instrument.id}: answers must be a list, one per item")
    if len(answers) != len(instrument.items):
        hint = ""
        if len(answers) == len(instrument.all_items) != len(instrument.items):
            hint = " (leave out the unscored supplementary question)"
        raise ClinicalInputError(
            f"{instrument.id}: expected {len(instrument.items)} answers, got {len(answers)}{hint}"
        )
    given: list[int | None] = []
    for item, answer in zip(instrument.items, answers, strict=True):
        if answer is None:
            given.append(None)
            continue
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ClinicalInputError(
                f"{instrument.id}: item {item.number} answer {answer!r} is not a whole number"
            )
        option = item.option(answer)
        if option is None:
            raise ClinicalInputError(
                f"{instrument.id}: item {item.number} answer {answer} is out of range "
                f"{item.range_text()}"
            )
        given.append(None if option.not_assessed else answer)
    return tuple(given)


def _not_asked(instrument: Instrument, given: Answers) -> frozenset[int]:
    """Items the skip rule leaves unasked; answering one of them is refused."""
    rule = instrument.skip_rule
    if rule is None:
        return frozenset()
    not_asked = rule.not_asked(given)
    answered = sorted(number for number in not_asked if given[number - 1] is not None)
    if answered:
        raise ClinicalInputError(
            f"{instrument.id}: item {answered[0]} is answered but not asked "
            f"({rule.description}); leave it empty"
        )
    return not_asked


def _asked_or_lowest(instrument: Instrument, given: Answers, not_asked: frozenset[int]) -> Answers:
    """The answers with every item not asked at its lowest value, which neither a sum nor a
    highest-of domain counts: a domain of answered and not-asked items has its score."""
    return tuple(
        instrument.items[i].minimum if i + 1 in not_asked else value
        for i, value in enumerate(given)
    )


def _incomplete_reason(missing: tuple[int, ...]) -> str:
    listed = ", ".join(str(number) for number in missing)
    noun = "item" if len(missing) == 1 else "items"
    return f"incomplete: {noun} {listed} missing, so no total (missing items are not prorated)"
