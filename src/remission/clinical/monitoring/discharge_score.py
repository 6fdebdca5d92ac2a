"""The discharge score a clinic chooses: the modified PADSS or the modified Aldrete score.

Both scores have five items of 0–2 points (10 in all) and pass at 9 or more in their sources.
The vital-sign items are computed from the last charted vital signs against the pre-dose
baseline (never typed in by hand, so they cannot disagree with the chart); the nurse charts the
others. The score is one criterion of the one discharge readiness
(``discharge.evaluate_discharge``), beside the ketamine-specific ones (oriented, MOAA/S 5,
dissociation resolved, escort present, driving advice given).

Sources (all read only in secondary copies, so labelled ``2nd`` or ``?``):

* modified PADSS: Chung, Chung & Ong, Anesth Analg 1995;80:896 and Marshall & Chung, Anesth Analg
  1999;88:508 — vital signs (BP and pulse) within 20 % of the pre-procedure value 2, 20–40 % 1,
  more than 40 % 0; ambulation; nausea and vomiting; pain; surgical bleeding; discharge at ≥ 9;
* modified Aldrete: Aldrete, J Clin Anesth 1995;7:89 — activity, respiration, circulation (BP
  against the pre-anaesthetic level), consciousness, SpO2 (> 92 % on room air 2; needs oxygen to
  stay above 90 % 1; below 90 % even with oxygen 0); discharge from recovery at ≥ 9. Copies
  disagree whether the circulation band is ± 20 / 50 *mmHg* or ± 20 / 50 *%* of the
  pre-anaesthetic BP; the percentage (Aldrete & Kroulik 1970) is used here and labelled ``?``.

Neither source makes a single 0 disqualifying on its own (the "no item below 1" rule belongs to
White & Song's fast-track score, a different scale), so none is added; at the default pass mark
of 9 a 0 cannot pass anyway, and the vitals criterion of the readiness holds BP and pulse within
the PADSS 20 % band whatever the score.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.monitoring.vitals import VitalSigns
from remission.clinical.protocols.datetimes import require_aware
from remission.clinical.registry import Overrides

ITEM_MAXIMUM = 2


class ScoreSystem(enum.StrEnum):
    PADSS = "padss"
    ALDRETE = "aldrete"


class ScoreItem(enum.StrEnum):
    VITAL_SIGNS = "vital_signs"  # PADSS, computed
    AMBULATION = "ambulation"
    NAUSEA_VOMITING = "nausea_vomiting"
    PAIN = "pain"
    BLEEDING = "bleeding"
    ACTIVITY = "activity"  # Aldrete
    RESPIRATION = "respiration"
    CIRCULATION = "circulation"  # computed
    CONSCIOUSNESS = "consciousness"
    SPO2 = "spo2"  # computed


@dataclass(frozen=True, slots=True)
class ItemDefinition:
    item: ScoreItem
    label: str
    levels: tuple[str, str, str]  # what 0, 1 and 2 points mean
    computed: bool = False  # from the charted vital signs, not charted by hand


@dataclass(frozen=True, slots=True)
class ScoreDefinition:
    system: ScoreSystem
    title: str
    items: tuple[ItemDefinition, ...]
    evidence: Evidence

    @property
    def maximum(self) -> int:
        return ITEM_MAXIMUM * len(self.items)

    @property
    def charted_items(self) -> tuple[ItemDefinition, ...]:
        return tuple(d for d in self.items if not d.computed)


PADSS_EVIDENCE = Evidence(
    "Modified PADSS (Chung, Chung & Ong, Anesth Analg 1995;80:896; Marshall & Chung, Anesth "
    "Analg 1999;88:508): vital signs, ambulation, nausea/vomiting, pain, surgical bleeding, "
    "0–2 each, fit for discharge at ≥ 9 of 10",
    Confidence.SECONDARY,
    note="item wording from secondary tables (e.g. World J Gastrointest Endosc 2013;5:502)",
)
ALDRETE_EVIDENCE = Evidence(
    "Modified Aldrete score (Aldrete, J Clin Anesth 1995;7:89): activity, respiration, "
    "circulation, consciousness, SpO2, 0–2 each, discharge from recovery at ≥ 9 of 10",
    Confidence.SECONDARY,
    note="copies differ on the circulation band (± 20 mmHg or ± 20 %); % is used here",
)
_VITALS_BAND = Evidence(
    "PADSS vital signs: BP and pulse within 20 % of the pre-procedure value 2, 20–40 % 1, "
    "> 40 % 0 (the worst of systolic, diastolic and heart rate is scored)",
    Confidence.SECONDARY,
)
_CIRCULATION_BAND = Evidence(
    "Aldrete circulation: BP within 20 % of the pre-anaesthetic level 2, 20–50 % 1, > 50 % 0 "
    "(the worst of systolic and diastolic is scored)",
    Confidence.UNCERTAIN,
    note="some copies give ± 20 / ± 50 mmHg instead of %",
)

PADSS = ScoreDefinition(
    ScoreSystem.PADSS,
    "modified PADSS",
    (
        ItemDefinition(
            ScoreItem.VITAL_SIGNS,
            "Vital signs",
            (
                "BP or pulse > 40 % from pre-dose",
                "20–40 % from pre-dose",
                "within 20 % of pre-dose",
            ),
            computed=True,
        ),
        ItemDefinition(
            ScoreItem.AMBULATION,
            "Ambulation",
            ("unable to walk, or dizzy", "walks with assistance", "steady gait, no dizziness"),
        ),
        ItemDefinition(
            ScoreItem.NAUSEA_VOMITING,
            "Nausea and vomiting",
            (
                "severe: continues despite treatment",
                "moderate: needed parenteral treatment",
                "none or minimal: none or oral treatment",
            ),
        ),
        ItemDefinition(
            ScoreItem.PAIN,
            "Pain",
            ("severe (NRS 7–10)", "moderate (NRS 4–6)", "none or minimal (NRS 0–3)"),
        ),
        ItemDefinition(
            ScoreItem.BLEEDING,
            "Bleeding (cannula site)",
            ("severe", "moderate", "none or minimal"),
        ),
    ),
    PADSS_EVIDENCE,
)
ALDRETE = ScoreDefinition(
    ScoreSystem.ALDRETE,
    "modified Aldrete",
    (
        ItemDefinition(
            ScoreItem.ACTIVITY,
            "Activity",
            (
                "moves no extremities",
                "moves two extremities",
                "moves four extremities voluntarily or on command",
            ),
        ),
        ItemDefinition(
            ScoreItem.RESPIRATION,
            "Respiration",
            ("apnoeic", "dyspnoea or limited breathing", "breathes deeply and coughs freely"),
        ),
        ItemDefinition(
            ScoreItem.CIRCULATION,
            "Circulation",
            ("BP > 50 % from pre-dose", "BP 20–50 % from pre-dose", "BP within 20 % of pre-dose"),
            computed=True,
        ),
        ItemDefinition(
            ScoreItem.CONSCIOUSNESS,
            "Consciousness",
            ("not responding", "arousable on calling", "fully awake"),
        ),
        ItemDefinition(
            ScoreItem.SPO2,
            "SpO₂",
            (
                "below 90 % even with oxygen",
                "needs oxygen to stay above 90 %",
                "above 92 % on room air",
            ),
            computed=True,
        ),
    ),
    ALDRETE_EVIDENCE,
)
SCORES: Mapping[ScoreSystem, ScoreDefinition] = {
    ScoreSystem.PADSS: PADSS,
    ScoreSystem.ALDRETE: ALDRETE,
}

# the SpO2 levels of the modified Aldrete score, in %
SPO2_ROOM_AIR_ABOVE = 92
SPO2_WITH_OXYGEN_AT_OR_ABOVE = 90
# the deviation bands from the pre-dose baseline, in %: (2 points up to, 1 point up to)
_BANDS: Mapping[ScoreItem, tuple[int, int, tuple[str, ...], Evidence]] = {
    ScoreItem.VITAL_SIGNS: (
        20,
        40,
        ("systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm"),
        _VITALS_BAND,
    ),
    ScoreItem.CIRCULATION: (20, 50, ("systolic_mmhg", "diastolic_mmhg"), _CIRCULATION_BAND),
}
_LABELS = {
    "systolic_mmhg": "systolic BP",
    "diastolic_mmhg": "diastolic BP",
    "heart_rate_bpm": "heart rate",
}


registry.define_table(
    "monitoring.discharge_score_items",
    title="Discharge score items (modified PADSS, modified Aldrete)",
    intro="Each item scores 0–2; the clinic's score (monitoring.discharge_score) must reach its "
    "pass mark with every item scored. Items marked computed come from the last vital signs "
    "against the pre-dose baseline; the nurse charts the others.",
    columns=("Score", "Item", "2 points", "1 point", "0 points", "How"),
    rows=tuple(
        registry.TableRow(
            cells=(
                score.title,
                d.label,
                d.levels[2],
                d.levels[1],
                d.levels[0],
                "computed" if d.computed else "charted",
            ),
            evidence=(score.evidence, *(() if d.item not in _BANDS else (_BANDS[d.item][3],))),
        )
        for score in SCORES.values()
        for d in score.items
    ),
)

DISCHARGE_SCORE = registry.define(
    "monitoring.discharge_score",
    ScoreSystem.PADSS.value,
    unit="",
    title="Discharge: the score the clinic uses (padss: modified PADSS; aldrete: modified Aldrete)",
    evidence=Evidence(
        "Both scores are validated for discharge after ambulatory anaesthesia, not for ketamine "
        "sessions; PADSS is the default because it scores ambulation and nausea",
        Confidence.UNCERTAIN,
    ),
    choices=tuple(s.value for s in ScoreSystem),
)
DISCHARGE_PASS_MARK = registry.define(
    "monitoring.discharge_score_at_or_above",
    9,
    unit="points of 10",
    title="Discharge: the score must be at least this (both scores have 10 points)",
    evidence=Evidence(
        PADSS_EVIDENCE.citation + "; " + ALDRETE_EVIDENCE.citation, Confidence.SECONDARY
    ),
    minimum=8,
    maximum=10,
)


@dataclass(frozen=True, slots=True)
class DischargeCharting:
    """What the nurse charts at discharge: the score's hand-charted items (0–2 each, by item)
    and the ketamine-specific checks."""

    charted_at: dt.datetime
    points: Mapping[ScoreItem, int] = field(default_factory=dict)
    supplemental_oxygen: bool = False  # for the Aldrete SpO2 item
    oriented: bool = False  # to person, place and time
    escort_present: bool = False  # a responsible adult is here to take the patient home
    driving_advice_given: bool = False  # no driving until the next day after restful sleep

    def __post_init__(self) -> None:
        object.__setattr__(self, "charted_at", require_aware(self.charted_at, "charted_at"))
        points: dict[ScoreItem, int] = {}
        for raw, value in self.points.items():
            try:
                item = ScoreItem(raw)
            except ValueError:
                raise ClinicalInputError(f"unknown discharge score item {raw!r}") from None
            if item in (ScoreItem.VITAL_SIGNS, ScoreItem.CIRCULATION, ScoreItem.SPO2):
                raise ClinicalInputError(
                    f"{item.value} is computed from the charted vital signs, not charted"
                )
            if isinstance(value, bool) or value not in range(ITEM_MAXIMUM + 1):
                raise ClinicalInputError(f"{item.value} must be 0, 1 or 2, got {value!r}")
            points[item] = value
        object.__setattr__(self, "points", points)


@dataclass(frozen=True, slots=True)
class ItemScore:
    item: ScoreItem
    label: str
    points: int | None  # None: not charted, or not computable from the chart
    description: str  # the level scored, or why there is no score
    computed: bool
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class DischargeScore:
    system: ScoreSystem
    title: str
    items: tuple[ItemScore, ...]
    maximum: int
    pass_mark: int
    evidence: Evidence

    @property
    def total(self) -> int:
        """The sum of the items scored (missing items count nothing)."""
        return sum(i.points for i in self.items if i.points is not None)

    @property
    def missing(self) -> tuple[ItemScore, ...]:
        return tuple(i for i in self.items if i.points is None)

    @property
    def passed(self) -> bool:
        return not self.missing and self.total >= self.pass_mark


def items_outside(score: ScoreDefinition, names: Iterable[str]) -> list[str]:
    """A reason for each charted item name that the score does not chart by hand."""
    asked = {d.item.value for d in score.charted_items}
    return [
        f"{name} is not an item of the {score.title} score" for name in names if name not in asked
    ]


def chosen_score(overrides: Overrides | None = None) -> ScoreDefinition:
    return SCORES[ScoreSystem(str(registry.resolve(DISCHARGE_SCORE.key, overrides)))]


def score_discharge(
    charting: DischargeCharting | None,
    *,
    latest: VitalSigns | None,
    baseline: VitalSigns | None,
    overrides: Overrides | None = None,
) -> DischargeScore:
    """The clinic's score from the nurse's charting and the last vital signs since the dose."""
    definition = chosen_score(overrides)
    items = tuple(_item(d, definition, charting, latest, baseline) for d in definition.items)
    return DischargeScore(
        system=definition.system,
        title=definition.title,
        items=items,
        maximum=definition.maximum,
        pass_mark=int(registry.resolve_decimal(DISCHARGE_PASS_MARK.key, overrides)),
        evidence=definition.evidence,
    )


def deviation_points(
    item: ScoreItem, reading: VitalSigns, baseline: VitalSigns
) -> tuple[int | None, str]:
    """PADSS vital signs or Aldrete circulation: points for the largest deviation from the
    pre-dose baseline, and what was found (None when BP was not taken in either)."""
    within_two, within_one, measures, _ = _BANDS[item]
    worst: tuple[Decimal, str] | None = None
    for measure in measures:
        value, base = getattr(reading, measure), getattr(baseline, measure)
        if value is None or base is None:
            if measure != "heart_rate_bpm":  # BP is needed; pulse only when both have it
                return None, f"no {_LABELS[measure]} in the last or the pre-dose vital signs"
            continue
        percent = abs(Decimal(value - base)) * 100 / Decimal(base)
        if worst is None or percent > worst[0]:
            worst = (percent, f"{_LABELS[measure]} {value} vs pre-dose {base}")
    assert worst is not None
    percent, found = worst
    points = 2 if percent <= within_two else 1 if percent <= within_one else 0
    return points, f"{found} ({percent.quantize(Decimal('1'))} %)"


def spo2_points(spo2_percent: int, supplemental_oxygen: bool) -> int:
    """Aldrete SpO2: > 92 % on room air 2; at least 90 % (or more on oxygen) 1; below 90 % 0."""
    if spo2_percent > SPO2_ROOM_AIR_ABOVE and not supplemental_oxygen:
        return 2
    return 1 if spo2_percent >= SPO2_WITH_OXYGEN_AT_OR_ABOVE else 0


def _item(
    definition: ItemDefinition,
    score: ScoreDefinition,
    charting: DischargeCharting | None,
    latest: VitalSigns | None,
    baseline: VitalSigns | None,
) -> ItemScore:
    def scored(points: int | None, description: str, evidence: Evidence) -> ItemScore:
        return ItemScore(
            definition.item, definition.label, points, description, definition.computed, evidence
        )

    if not definition.computed:
        points = None if charting is None else charting.points.get(definition.item)
        if points is None:
            return scored(None, "not charted", score.evidence)
        return scored(points, definition.levels[points], score.evidence)
    if latest is None:
        return scored(None, "no vital signs since the dose", score.evidence)
    if definition.item is ScoreItem.SPO2:
        if latest.spo2_percent is None:
            return scored(None, "no SpO₂ in the last vital signs", score.evidence)
        oxygen = charting is not None and charting.supplemental_oxygen
        points = spo2_points(latest.spo2_percent, oxygen)
        air = "on oxygen" if oxygen else "on room air"
        return scored(points, f"SpO₂ {latest.spo2_percent} % {air}", score.evidence)
    evidence = _BANDS[definition.item][3]
    if baseline is None:
        return scored(None, "no pre-dose vital signs to compare with", evidence)
    points, found = deviation_points(definition.item, latest, baseline)
    return scored(points, found, evidence)
