"""PCL-5, PTSD Checklist for DSM-5 (Weathers et al. 2013; Blevins et al. 2015).

Twenty self-rated items, 0–4 over the past month; total = sum, 0–80. Clusters B = items 1–5,
C = 6–7, D = 8–14, E = 15–20 [src]. There are no empirically derived severity bands [src].
Two provisional-PTSD readings [src]: a total at or above a cut-off of 31–33 (a registry
setting, default 33), and the DSM rule — an item rated ≥ 2 counts as endorsed, and it takes
≥ 1 B, ≥ 1 C, ≥ 2 D and ≥ 2 E. Change: 10 points is clinically meaningful, 5 points is
reliable change [2nd]. LOINC codes conflict in public code [?], so none is shipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments.base import (
    AnswerOption,
    Answers,
    Classification,
    Instrument,
    Item,
    ItemGroup,
    Licence,
    LoincCodes,
    OutcomeRules,
    Rater,
    RecallPeriod,
    SeverityBands,
    SumOfItems,
)
from remission.clinical.registry import ClinicalDefault, Overrides

SCORING_SOURCE = Evidence(
    citation="PCL-5 scoring and interpretation (comorbidityguidelines.org.au, after NCPTSD)",
    confidence=Confidence.PRIMARY,
    url="https://comorbidityguidelines.org.au/appendix-s-ptsd-checklist-for-dsm5-pcl5/pcl5-scoring-and-interpretation",
)

SOURCE = Evidence(
    citation="Weathers et al. 2013 (National Center for PTSD); Blevins et al., "
    "J Trauma Stress 2015;28:489–498",
    confidence=Confidence.PRIMARY,
    url=SCORING_SOURCE.url,
)

_OPTIONS = (
    AnswerOption(0, "Not at all"),
    AnswerOption(1, "A little bit"),
    AnswerOption(2, "Moderately"),
    AnswerOption(3, "Quite a bit"),
    AnswerOption(4, "Extremely"),
)

_LABELS = (
    "Intrusive memories",
    "Distressing dreams",
    "Reliving the event",
    "Upset by reminders",
    "Physical reactions to reminders",
    "Avoiding inner reminders",
    "Avoiding outer reminders",
    "Memory gaps for the event",
    "Negative beliefs",
    "Blame",
    "Negative feelings",
    "Loss of interest",
    "Feeling distant from others",
    "Trouble feeling positive emotions",
    "Irritability or aggression",
    "Risk-taking",
    "Hypervigilance",
    "Startle",
    "Concentration",
    "Sleep",
)

CLUSTERS = (
    ItemGroup("B", "Intrusion (B)", (1, 2, 3, 4, 5)),
    ItemGroup("C", "Avoidance (C)", (6, 7)),
    ItemGroup("D", "Negative cognition and mood (D)", (8, 9, 10, 11, 12, 13, 14)),
    ItemGroup("E", "Arousal and reactivity (E)", (15, 16, 17, 18, 19, 20)),
)

PROVISIONAL_PTSD_MIN_TOTAL = registry.define(
    "instruments.pcl5.provisional_ptsd_min_total",
    33,
    unit="points",
    title="PCL-5 provisional PTSD: total at least",
    evidence=Evidence(
        citation="Cut-off 31–33 or above",
        confidence=Confidence.PRIMARY,
        url=SCORING_SOURCE.url,
    ),
    minimum=31,
    maximum=33,
)

MCID_POINTS = registry.define(
    "instruments.pcl5.mcid_points",
    10,
    unit="points",
    title="PCL-5 clinically meaningful improvement: at least",
    evidence=Evidence(
        citation="Therapist and calculator sites citing the National Center for PTSD",
        confidence=Confidence.SECONDARY,
        note="5 points = reliable change",
    ),
    minimum=1,
    maximum=80,
)


@dataclass(frozen=True, slots=True)
class TotalCutOff:
    """Provisional PTSD when the total reaches the configured cut-off."""

    setting: ClinicalDefault
    evidence: Evidence

    def classify(
        self, answers: Answers, total: int | None, overrides: Overrides | None
    ) -> Classification:
        cut_off = registry.resolve_decimal(self.setting.key, overrides)
        return Classification(
            id="provisional_ptsd_total",
            label=f"Provisional PTSD: total ≥ {cut_off}",
            met=None if total is None else total >= cut_off,
        )


@dataclass(frozen=True, slots=True)
class DsmClusterRule:
    """Provisional PTSD when enough items of each cluster are endorsed."""

    endorsed_at_least: int
    required: tuple[tuple[ItemGroup, int], ...]  # (cluster, endorsed items needed)
    evidence: Evidence

    def classify(
        self, answers: Answers, total: int | None, overrides: Overrides | None
    ) -> Classification:
        endorsed = {
            number
            for number, answer in enumerate(answers, start=1)
            if answer is not None and answer >= self.endorsed_at_least
        }
        met = None
        if None not in answers:
            met = all(
                len(endorsed.intersection(cluster.items)) >= needed
                for cluster, needed in self.required
            )
        return Classification(
            id="provisional_ptsd_dsm",
            label="Provisional PTSD: DSM-5 cluster rule",
            met=met,
        )


INSTRUMENT = Instrument(
    id="pcl5",
    short_name="PCL-5",
    name="PTSD Checklist for DSM-5",
    rater=Rater.SELF,
    recall_period=RecallPeriod(
        "The past month (a past-week version exists)",
        Evidence(citation="PCL-5 (clinical.md §5)", confidence=Confidence.RECALLED),
    ),
    items=tuple(
        Item(number=n, label=label, options=_OPTIONS) for n, label in enumerate(_LABELS, start=1)
    ),
    scoring=SumOfItems(groups=CLUSTERS),
    severity=SeverityBands(
        bands=(),
        evidence=Evidence(
            citation="No empirically derived severity bands",
            confidence=Confidence.PRIMARY,
            url=SCORING_SOURCE.url,
        ),
    ),
    classification_rules=(
        TotalCutOff(PROVISIONAL_PTSD_MIN_TOTAL, PROVISIONAL_PTSD_MIN_TOTAL.evidence),
        DsmClusterRule(
            endorsed_at_least=2,
            required=tuple(zip(CLUSTERS, (1, 1, 2, 2), strict=True)),
            evidence=SCORING_SOURCE,
        ),
    ),
    outcome=OutcomeRules(mcid_points=MCID_POINTS),
    loinc=LoincCodes(
        panel=None,
        total=None,
        evidence=Evidence(
            citation="Conflicting codes in public code (71969-0, 96843-5, 89244-8); "
            "look it up in LOINC",
            confidence=Confidence.UNCERTAIN,
        ),
    ),
    licence=Licence(
        note="US VA National Center for PTSD; generally public domain. Item wording is not "
        "shipped here until that is confirmed; labels are our own.",
        text_redistributable=False,
        evidence=Evidence(citation="clinical.md §5 licence column", confidence=Confidence.RECALLED),
    ),
    source=SOURCE,
)
