"""The building blocks of a rating-scale definition, and the results of scoring one.

A scale is one frozen ``Instrument``: its items and answer options, how a complete set of
answers becomes a total (``TotalRule``), which questions a skip rule leaves unasked
(``SkipRule``), which answers raise a safety flag (``FlagRule``), any yes/no classification
(``ClassificationRule``), severity bands, outcome thresholds (kept in the clinical-defaults
registry so a clinic can change them), LOINC codes, licence and sources. Every number carries
an ``Evidence`` with its confidence label. The scoring engine is ``scoring.py``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.registry import ClinicalDefault, Overrides

# One answer per item, in item order; ``None`` = not answered (or "not assessed").
Answers = tuple[int | None, ...]


class Rater(enum.StrEnum):
    """Who gives the answers."""

    SELF = "self"
    CLINICIAN = "clinician"


NO_PRORATION_SOURCE = Evidence(
    citation="clinical.md §5 implementation notes: no source defines proration for these scales",
    confidence=Confidence.UNCERTAIN,
    note="a missing item leaves the score incomplete until a published rule is adopted",
)


class MissingItemPolicy(enum.StrEnum):
    """What a missing answer does to the total.

    Only one policy has a basis so far: no published proration rule was found, so any missing
    (asked) item makes the total incomplete rather than guessed.
    """

    INCOMPLETE_IF_ANY_MISSING = "incomplete-if-any-missing"

    @property
    def evidence(self) -> Evidence:
        return NO_PRORATION_SOURCE


@dataclass(frozen=True, slots=True)
class AnswerOption:
    """One permitted answer to an item. ``not_assessed`` options are recorded as missing."""

    value: int
    label: str
    loinc: str | None = None
    not_assessed: bool = False


@dataclass(frozen=True, slots=True)
class Item:
    """One question or rating.

    ``label`` is a short neutral label written for this project. ``text`` holds the published
    wording and is set only where the licence allows redistribution; otherwise the clinic
    supplies its licensed text.
    """

    number: int
    label: str
    options: tuple[AnswerOption, ...]
    text: str | None = None
    loinc: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        values = [option.value for option in self.options]
        if len(set(values)) != len(values):
            raise ValueError(f"item {self.number}: answer values repeat")
        scored = sorted(self.scored_values)
        if not scored or scored != list(range(scored[0], scored[-1] + 1)):
            raise ValueError(f"item {self.number}: scored values must be consecutive integers")

    @property
    def scored_values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options if not option.not_assessed)

    @property
    def minimum(self) -> int:
        return min(self.scored_values)

    @property
    def maximum(self) -> int:
        return max(self.scored_values)

    def option(self, value: int) -> AnswerOption | None:
        return next((option for option in self.options if option.value == value), None)

    def range_text(self) -> str:
        text = f"{self.minimum}–{self.maximum}"
        unassessed = [str(option.value) for option in self.options if option.not_assessed]
        if unassessed:
            text += f" ({', '.join(unassessed)} = not assessed)"
        return text


def graded_options(
    lowest: int, highest: int, *, lowest_label: str, highest_label: str
) -> tuple[AnswerOption, ...]:
    """Options ``lowest..highest`` labelled only at the ends (for scales whose anchors are
    not ours to reproduce)."""
    labels = {lowest: f"{lowest} – {lowest_label}", highest: f"{highest} – {highest_label}"}
    return tuple(
        AnswerOption(value, labels.get(value, str(value))) for value in range(lowest, highest + 1)
    )


@dataclass(frozen=True, slots=True)
class SeverityBand:
    """A labelled range of totals, both ends inclusive."""

    id: str
    label: str
    minimum: int
    maximum: int

    def contains(self, total: int) -> bool:
        return self.minimum <= total <= self.maximum


@dataclass(frozen=True, slots=True)
class SeverityBands:
    """The bands of one scale, in ascending order, and where they come from.

    ``bands`` is empty where no validated bands exist; ``evidence`` then says so.
    """

    bands: tuple[SeverityBand, ...]
    evidence: Evidence

    def band_for(self, total: int) -> SeverityBand | None:
        return next((band for band in self.bands if band.contains(total)), None)

    def check_covers(self, minimum: int, maximum: int) -> None:
        """Raise ``ValueError`` unless the bands tile ``minimum..maximum`` exactly."""
        if not self.bands:
            return
        expected_start = minimum
        for band in self.bands:
            if band.minimum != expected_start or band.maximum < band.minimum:
                raise ValueError(f"severity band {band.id!r} leaves a gap or overlaps")
            expected_start = band.maximum + 1
        if expected_start != maximum + 1:
            raise ValueError(f"severity bands end at {expected_start - 1}, not {maximum}")


@dataclass(frozen=True, slots=True)
class RecallPeriod:
    """The time window the answers refer to."""

    description: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class LoincCodes:
    """Panel and total codes (item codes sit on each ``Item``); ``None`` where none is known."""

    panel: str | None
    total: str | None
    evidence: Evidence


LOINC_NOT_VERIFIED = LoincCodes(
    panel=None,
    total=None,
    evidence=Evidence(
        citation="No code verified; check loinc.org (clinical.md §8 item 4)",
        confidence=Confidence.UNCERTAIN,
    ),
)


@dataclass(frozen=True, slots=True)
class Licence:
    """Who holds the rights, and whether the published item wording may be shipped."""

    note: str
    text_redistributable: bool
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class OutcomeRules:
    """Thresholds for a pair of administrations, as registry defaults (clinics may override).

    ``None`` means the scale has no such rule; ``compare`` then reports ``None`` for it.
    """

    response_min_percent_drop: ClinicalDefault | None = None
    remission_max_total: ClinicalDefault | None = None
    mcid_points: ClinicalDefault | None = None


@dataclass(frozen=True, slots=True)
class ItemGroup:
    """Items scored together: a QIDS domain, a PCL-5 cluster."""

    id: str
    label: str
    items: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Subscore:
    id: str
    label: str
    value: int | None  # None while any item of the group is missing
    maximum: int


@dataclass(frozen=True, slots=True)
class SafetyFlag:
    """Something a clinician must see today, whatever the total; ``value`` is the answer that
    raised it, where one item did."""

    id: str
    message: str
    value: int | None = None


@dataclass(frozen=True, slots=True)
class Classification:
    """A yes/no reading of the answers (e.g. provisional PTSD); ``None`` if undecidable."""

    id: str
    label: str
    met: bool | None


# --- scoring-rule hooks -----------------------------------------------------------------


class TotalRule(Protocol):
    """How a complete set of answers becomes a total (and any subscores)."""

    def bounds(self, items: Sequence[Item]) -> tuple[int, int]:
        """Lowest and highest possible total; raise ``ValueError`` if the rule does not fit
        the items."""
        ...

    def total(self, answers: Answers) -> int:
        """Called only when every asked item is answered."""
        ...

    def subscores(self, items: Sequence[Item], answers: Answers) -> tuple[Subscore, ...]: ...


class SkipRule(Protocol):
    """Items that are not asked, given the other answers (not asked is not missing)."""

    @property
    def description(self) -> str: ...

    @property
    def evidence(self) -> Evidence: ...

    def not_asked(self, answers: Answers) -> frozenset[int]: ...


class FlagRule(Protocol):
    """Evaluated on every administration, complete or not."""

    @property
    def evidence(self) -> Evidence: ...

    def evaluate(self, answers: Answers) -> SafetyFlag | None: ...


class ClassificationRule(Protocol):
    @property
    def evidence(self) -> Evidence: ...

    def classify(
        self, answers: Answers, total: int | None, overrides: Overrides | None
    ) -> Classification: ...


def _check_groups(groups: Sequence[ItemGroup], items: Sequence[Item]) -> None:
    numbers = sorted(number for group in groups for number in group.items)
    if numbers != [item.number for item in items]:
        raise ValueError("item groups must name every item exactly once")


def _group_scores(
    groups: Sequence[ItemGroup],
    items: Sequence[Item],
    answers: Answers,
    combine: Callable[[Sequence[int]], int],
) -> tuple[Subscore, ...]:
    """Each group's answers combined (``sum`` or ``max``); ``None`` while one is missing."""
    scores = []
    for group in groups:
        values = [answers[number - 1] for number in group.items]
        known = [value for value in values if value is not None]
        scores.append(
            Subscore(
                id=group.id,
                label=group.label,
                value=combine(known) if len(known) == len(values) else None,
                maximum=combine([items[number - 1].maximum for number in group.items]),
            )
        )
    return tuple(scores)


@dataclass(frozen=True, slots=True)
class SumOfItems:
    """Total = sum of all items; optional groups (clusters) are summed as subscores."""

    groups: tuple[ItemGroup, ...] = ()

    def bounds(self, items: Sequence[Item]) -> tuple[int, int]:
        if self.groups:
            _check_groups(self.groups, items)
        return sum(item.minimum for item in items), sum(item.maximum for item in items)

    def total(self, answers: Answers) -> int:
        return sum(answer for answer in answers if answer is not None)

    def subscores(self, items: Sequence[Item], answers: Answers) -> tuple[Subscore, ...]:
        return _group_scores(self.groups, items, answers, sum)


@dataclass(frozen=True, slots=True)
class SumOfGroupMaxima:
    """Each group (domain) scores the highest of its items; total = sum of the group scores."""

    groups: tuple[ItemGroup, ...]

    def bounds(self, items: Sequence[Item]) -> tuple[int, int]:
        _check_groups(self.groups, items)
        lowest = sum(max(items[n - 1].minimum for n in group.items) for group in self.groups)
        highest = sum(max(items[n - 1].maximum for n in group.items) for group in self.groups)
        return lowest, highest

    def total(self, answers: Answers) -> int:
        # answers are complete here; ``or 0`` only narrows the type
        return sum(max(answers[n - 1] or 0 for n in group.items) for group in self.groups)

    def subscores(self, items: Sequence[Item], answers: Answers) -> tuple[Subscore, ...]:
        return _group_scores(self.groups, items, answers, max)


@dataclass(frozen=True, slots=True)
class ItemFlag:
    """Flag when one item's answer lies in ``at_least..at_most`` (either end optional)."""

    item: int
    flag_id: str
    message: str
    evidence: Evidence
    at_least: int | None = None
    at_most: int | None = None

    def evaluate(self, answers: Answers) -> SafetyFlag | None:
        answer = answers[self.item - 1]
        if answer is None:
            return None
        if self.at_least is not None and answer < self.at_least:
            return None
        if self.at_most is not None and answer > self.at_most:
            return None
        return SafetyFlag(self.flag_id, self.message, answer)


# --- the definition ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Instrument:
    """One rating scale, defined once; forms, FHIR, PDFs and charts all read this."""

    id: str
    short_name: str
    name: str
    rater: Rater
    recall_period: RecallPeriod
    items: tuple[Item, ...]
    scoring: TotalRule
    severity: SeverityBands
    loinc: LoincCodes
    licence: Licence
    source: Evidence
    instructions: str | None = None  # the published stem, only where redistributable
    supplementary_items: tuple[Item, ...] = ()  # asked but not scored (PHQ-9 difficulty)
    skip_rule: SkipRule | None = None
    flag_rules: tuple[FlagRule, ...] = ()
    classification_rules: tuple[ClassificationRule, ...] = ()
    outcome: OutcomeRules | None = None  # None: comparing two administrations is refused
    missing_policy: MissingItemPolicy = MissingItemPolicy.INCOMPLETE_IF_ANY_MISSING
    higher_is_worse: bool = True
    total_label: str = "Total score"
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        numbers = [item.number for item in self.items]
        if numbers != list(range(1, len(self.items) + 1)):
            raise ValueError(f"{self.id}: items must be numbered 1..n in order")
        minimum, maximum = self.scoring.bounds(self.items)
        self.severity.check_covers(minimum, maximum)
        if not self.licence.text_redistributable:
            shipped = [item for item in self.all_items if item.text]
            if shipped or self.instructions:
                raise ValueError(f"{self.id}: the licence does not allow shipping item text")
        if self.outcome is not None and not self.higher_is_worse:
            raise ValueError(f"{self.id}: outcome rules assume a higher total is worse")

    @property
    def all_items(self) -> tuple[Item, ...]:
        return self.items + self.supplementary_items

    @property
    def minimum_total(self) -> int:
        return self.scoring.bounds(self.items)[0]

    @property
    def maximum_total(self) -> int:
        return self.scoring.bounds(self.items)[1]


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """One scored administration.

    ``total`` is ``None`` when the score is invalid (``reason`` says why). Flags are evaluated
    on the answers given, so a positive safety item is flagged even on an incomplete form.
    """

    instrument_id: str
    answers: Answers
    total: int | None
    minimum: int
    maximum: int
    severity: SeverityBand | None
    valid: bool
    missing_items: tuple[int, ...]
    flags: tuple[SafetyFlag, ...]
    subscores: tuple[Subscore, ...] = ()
    classifications: tuple[Classification, ...] = ()
    reason: str | None = None

    @property
    def missing(self) -> int:
        return len(self.missing_items)


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """Baseline versus follow-up of one scale.

    ``change`` is follow-up minus baseline (negative = fewer symptoms). ``percent_change`` is
    ``100 × change / baseline`` as a ``Decimal`` rounded half-up to one decimal place.
    ``response`` (drop of at least the response percentage, computed exactly, not from the
    rounded percentage), ``remission`` (follow-up at or below the threshold) and
    ``meets_mcid`` (improvement of at least the MCID) are ``None`` where the scale has no
    such rule or a score is incomplete; ``reason`` then explains.
    """

    instrument_id: str
    baseline: ScoreResult
    followup: ScoreResult
    change: int | None
    percent_change: Decimal | None
    response: bool | None
    remission: bool | None
    meets_mcid: bool | None
    reason: str | None = None
