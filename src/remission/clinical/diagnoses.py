"""The ICD-10-CM codes a ketamine clinic records, grouped by condition.

A curated catalogue rather than the full classification: codes outside it are refused so a
typo never becomes a diagnosis. Descriptions are short paraphrases of the ICD-10-CM titles
(CMS/NCHS ICD-10-CM, public domain) [mem: code titles recalled, check against the current
release before billing use]. ICD-10-CM has no dedicated code for treatment-resistant
depression [?]; it is recorded as a flag on a major-depressive-disorder diagnosis instead.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from remission.clinical.evidence import Confidence, Evidence

ICD10CM = Evidence(
    citation="ICD-10-CM (CMS/NCHS), code titles paraphrased",
    confidence=Confidence.RECALLED,
    url="https://www.cms.gov/medicare/coding-billing/icd-10-codes",
)


class ConditionGroup(enum.StrEnum):
    MDD_SINGLE = "mdd_single"
    MDD_RECURRENT = "mdd_recurrent"
    BIPOLAR = "bipolar"
    PTSD = "ptsd"
    ANXIETY = "anxiety"
    OCD = "ocd"
    CHRONIC_PAIN = "chronic_pain"
    SUBSTANCE_USE = "substance_use"
    PSYCHOSIS = "psychosis"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class DiagnosisCode:
    code: str
    title: str
    group: ConditionGroup

    @property
    def is_depressive_episode(self) -> bool:
        """MDD codes on which a treatment-resistant flag makes sense."""
        return self.group in {ConditionGroup.MDD_SINGLE, ConditionGroup.MDD_RECURRENT}


_G = ConditionGroup
_CODES: tuple[tuple[str, str, ConditionGroup], ...] = (
    ("F32.0", "Major depressive disorder, single episode, mild", _G.MDD_SINGLE),
    ("F32.1", "Major depressive disorder, single episode, moderate", _G.MDD_SINGLE),
    (
        "F32.2",
        "Major depressive disorder, single episode, severe without psychotic features",
        _G.MDD_SINGLE,
    ),
    (
        "F32.3",
        "Major depressive disorder, single episode, severe with psychotic features",
        _G.MDD_SINGLE,
    ),
    ("F32.4", "Major depressive disorder, single episode, in partial remission", _G.MDD_SINGLE),
    ("F32.5", "Major depressive disorder, single episode, in full remission", _G.MDD_SINGLE),
    ("F32.9", "Major depressive disorder, single episode, unspecified", _G.MDD_SINGLE),
    ("F32.A", "Depression, unspecified", _G.MDD_SINGLE),
    ("F33.0", "Major depressive disorder, recurrent, mild", _G.MDD_RECURRENT),
    ("F33.1", "Major depressive disorder, recurrent, moderate", _G.MDD_RECURRENT),
    (
        "F33.2",
        "Major depressive disorder, recurrent, severe without psychotic features",
        _G.MDD_RECURRENT,
    ),
    (
        "F33.3",
        "Major depressive disorder, recurrent, severe with psychotic symptoms",
        _G.MDD_RECURRENT,
    ),
    ("F33.40", "Major depressive disorder, recurrent, in remission, unspecified", _G.MDD_RECURRENT),
    ("F33.41", "Major depressive disorder, recurrent, in partial remission", _G.MDD_RECURRENT),
    ("F33.42", "Major depressive disorder, recurrent, in full remission", _G.MDD_RECURRENT),
    ("F33.8", "Other recurrent depressive disorders", _G.MDD_RECURRENT),
    ("F33.9", "Major depressive disorder, recurrent, unspecified", _G.MDD_RECURRENT),
    ("F34.1", "Dysthymic disorder", _G.OTHER),
    (
        "F31.30",
        "Bipolar disorder, current episode depressed, mild or moderate, unspecified",
        _G.BIPOLAR,
    ),
    ("F31.31", "Bipolar disorder, current episode depressed, mild", _G.BIPOLAR),
    ("F31.32", "Bipolar disorder, current episode depressed, moderate", _G.BIPOLAR),
    (
        "F31.4",
        "Bipolar disorder, current episode depressed, severe, without psychotic features",
        _G.BIPOLAR,
    ),
    (
        "F31.5",
        "Bipolar disorder, current episode depressed, severe, with psychotic features",
        _G.BIPOLAR,
    ),
    (
        "F31.64",
        "Bipolar disorder, current episode mixed, severe, with psychotic features",
        _G.BIPOLAR,
    ),
    ("F31.81", "Bipolar II disorder", _G.BIPOLAR),
    ("F31.9", "Bipolar disorder, unspecified", _G.BIPOLAR),
    ("F43.10", "Post-traumatic stress disorder, unspecified", _G.PTSD),
    ("F43.11", "Post-traumatic stress disorder, acute", _G.PTSD),
    ("F43.12", "Post-traumatic stress disorder, chronic", _G.PTSD),
    ("F41.1", "Generalized anxiety disorder", _G.ANXIETY),
    ("F41.0", "Panic disorder without agoraphobia", _G.ANXIETY),
    ("F41.9", "Anxiety disorder, unspecified", _G.ANXIETY),
    ("F42.2", "Mixed obsessional thoughts and acts", _G.OCD),
    ("G89.29", "Other chronic pain", _G.CHRONIC_PAIN),
    ("G89.4", "Chronic pain syndrome", _G.CHRONIC_PAIN),
    ("G90.50", "Complex regional pain syndrome I, unspecified", _G.CHRONIC_PAIN),
    ("M79.7", "Fibromyalgia", _G.CHRONIC_PAIN),
    (
        "G43.709",
        "Chronic migraine without aura, not intractable, without status migrainosus",
        _G.CHRONIC_PAIN,
    ),
    ("F10.20", "Alcohol dependence, uncomplicated", _G.SUBSTANCE_USE),
    ("F10.21", "Alcohol dependence, in remission", _G.SUBSTANCE_USE),
    ("F11.20", "Opioid dependence, uncomplicated", _G.SUBSTANCE_USE),
    ("F11.21", "Opioid dependence, in remission", _G.SUBSTANCE_USE),
    ("F12.20", "Cannabis dependence, uncomplicated", _G.SUBSTANCE_USE),
    ("F14.20", "Cocaine dependence, uncomplicated", _G.SUBSTANCE_USE),
    ("F15.20", "Other stimulant dependence, uncomplicated", _G.SUBSTANCE_USE),
    ("F16.20", "Hallucinogen dependence, uncomplicated", _G.SUBSTANCE_USE),
    ("F19.20", "Other psychoactive substance dependence, uncomplicated", _G.SUBSTANCE_USE),
    ("F20.9", "Schizophrenia, unspecified", _G.PSYCHOSIS),
    ("F25.9", "Schizoaffective disorder, unspecified", _G.PSYCHOSIS),
    (
        "F29",
        "Unspecified psychosis not due to a substance or known physiological condition",
        _G.PSYCHOSIS,
    ),
    ("R45.851", "Suicidal ideations", _G.OTHER),
)

CATALOGUE: dict[str, DiagnosisCode] = {
    code: DiagnosisCode(code=code, title=title, group=group) for code, title, group in _CODES
}


def lookup(code: str) -> DiagnosisCode | None:
    """The catalogue entry for ``code`` (case and spaces ignored), or None."""
    return CATALOGUE.get(code.strip().upper())
