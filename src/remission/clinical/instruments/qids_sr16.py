"""QIDS-SR16, Quick Inventory of Depressive Symptomatology, self-report (Rush et al. 2003).

Sixteen self-rated items, 0–3 over the past 7 days, scored as nine domains: sleep = highest of
items 1–4, appetite/weight = highest of items 6–9, psychomotor = highest of items 15–16, the
other six domains one item each; total = sum of the domains, 0–27 [src: ids-qids.org].
Bands 0–5 / 6–10 / 11–15 / 16–20 / 21–27 [src]. Remission ≤ 5 (STAR*D) [src]. No MCID in
points was found: "≤ 30 % improvement ≈ no meaningful benefit" (Zhang 2022) [src].
Free for clinicians and researchers per the authors' site [2nd/mem]: the item wording is not
shipped; labels here are our own.
"""

from __future__ import annotations

from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments.base import (
    LOINC_NOT_VERIFIED,
    Answers,
    Instrument,
    Item,
    ItemFlag,
    ItemGroup,
    Licence,
    OutcomeRules,
    Rater,
    RecallPeriod,
    SeverityBand,
    SeverityBands,
    SumOfGroupMaxima,
    graded_options,
)
from remission.clinical.instruments.scoring import RESPONSE_MIN_PERCENT_DROP

SOURCE = Evidence(
    citation="Rush et al., Biol Psychiatry 2003;54:573–583; scoring per ids-qids.org",
    confidence=Confidence.PRIMARY,
    url="https://ids-qids.org/interpretation.html",
)

_LABELS = (
    "Falling asleep",
    "Sleep during the night",
    "Waking too early",
    "Sleeping too much",
    "Sad mood",
    "Decreased appetite",
    "Increased appetite",
    "Decreased weight",
    "Increased weight",
    "Concentration and decisions",
    "View of self",
    "Thoughts of death or suicide",
    "General interest",
    "Energy",
    "Feeling slowed down",
    "Feeling restless",
)

DOMAINS = (
    ItemGroup("sleep", "Sleep (highest of items 1–4)", (1, 2, 3, 4)),
    ItemGroup("sad_mood", "Sad mood", (5,)),
    ItemGroup("appetite_weight", "Appetite/weight (highest of items 6–9)", (6, 7, 8, 9)),
    ItemGroup("concentration", "Concentration", (10,)),
    ItemGroup("self_view", "View of self", (11,)),
    ItemGroup("suicidal_ideation", "Suicidal ideation", (12,)),
    ItemGroup("interest", "Interest", (13,)),
    ItemGroup("energy", "Energy", (14,)),
    ItemGroup("psychomotor", "Psychomotor (highest of items 15–16)", (15, 16)),
)


@dataclass(frozen=True, slots=True)
class EitherItemRule:
    """The form asks for one item of each pair (6 or 7, 8 or 9): once one is answered, its
    partner is not asked; both answered count at their highest, as the domain rule does."""

    pairs: tuple[tuple[int, int], ...]
    description: str
    evidence: Evidence

    def not_asked(self, answers: Answers) -> frozenset[int]:
        skipped = set()
        for first, second in self.pairs:
            a, b = answers[first - 1], answers[second - 1]
            if a is not None and b is None:
                skipped.add(second)
            elif b is not None and a is None:
                skipped.add(first)
        return frozenset(skipped)


EITHER_APPETITE_OR_WEIGHT = EitherItemRule(
    pairs=((6, 7), (8, 9)),
    description="complete either item 6 or 7 (appetite) and either item 8 or 9 (weight)",
    evidence=SOURCE,
)

REMISSION_MAX_TOTAL = registry.define(
    "instruments.qids_sr16.remission_max_total",
    5,
    unit="points",
    title="QIDS-SR16 remission: total at most",
    evidence=Evidence(
        citation="STAR*D (Trivedi et al. 2006)",
        confidence=Confidence.PRIMARY,
    ),
    minimum=0,
    maximum=27,
)

INSTRUMENT = Instrument(
    id="qids-sr16",
    short_name="QIDS-SR16",
    name="Quick Inventory of Depressive Symptomatology, Self-Report (16 items)",
    rater=Rater.SELF,
    recall_period=RecallPeriod("The past 7 days", SOURCE),
    items=tuple(
        Item(
            number=n,
            label=label,
            options=graded_options(0, 3, lowest_label="none", highest_label="most severe"),
        )
        for n, label in enumerate(_LABELS, start=1)
    ),
    scoring=SumOfGroupMaxima(DOMAINS),
    skip_rule=EITHER_APPETITE_OR_WEIGHT,
    severity=SeverityBands(
        bands=(
            SeverityBand("none", "None", 0, 5),
            SeverityBand("mild", "Mild", 6, 10),
            SeverityBand("moderate", "Moderate", 11, 15),
            SeverityBand("severe", "Severe", 16, 20),
            SeverityBand("very_severe", "Very severe", 21, 27),
        ),
        evidence=Evidence(
            citation="ids-qids.org interpretation",
            confidence=Confidence.PRIMARY,
            url="https://ids-qids.org/interpretation.html",
        ),
    ),
    flag_rules=(
        ItemFlag(
            item=12,
            at_least=1,
            flag_id="qids_item12_positive",
            message="QIDS-SR16 item 12 is positive (thoughts of death or suicide): "
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
    ),
    loinc=LOINC_NOT_VERIFIED,
    licence=Licence(
        note="Free for clinicians and researchers per the authors' site; check commercial "
        "terms. The clinic supplies the item wording.",
        text_redistributable=False,
        evidence=Evidence(
            citation="ids-qids.org terms as summarised in clinical.md §5",
            confidence=Confidence.SECONDARY,
        ),
    ),
    source=SOURCE,
    notes=(
        "No MCID in points: ≤ 30 % improvement ≈ no meaningful benefit, equated with CGI-I 3 "
        "(Zhang et al., J Clin Psychiatry 2022) [src].",
    ),
)
