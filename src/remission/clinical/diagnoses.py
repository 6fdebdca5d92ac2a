"""The ICD-10-CM codes a ketamine clinic records, grouped by condition, and a search by code or
by name.

A curated catalogue rather than the full classification: codes outside it are refused so a
typo never becomes a diagnosis. It covers the indications (depressive, bipolar, anxiety and
trauma-related disorders, chronic pain), the conditions the eligibility rules read (psychosis,
mania, substance use, aneurysm, arteriovenous malformation, intracerebral haemorrhage) and the
comorbidities an intake records (hypertension, diabetes, sleep apnoea, COPD, heart failure,
liver disease, thyroid disease, glaucoma, cystitis, epilepsy, migraine).

Titles are short paraphrases of the ICD-10-CM tabular titles (CMS/NCHS ICD-10-CM, public
domain) [mem: codes and titles recalled, not re-checked against the current release; check
before billing use]. Only codes the author was sure exist as billable codes are listed; codes
whose subdivision changed in recent releases (I71.4 abdominal aortic aneurysm, G20 Parkinson's
disease, G35 multiple sclerosis) are left out rather than guessed. ICD-10-CM has no dedicated
code for treatment-resistant depression [?]; it is recorded as a flag on a
major-depressive-disorder diagnosis instead.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from remission.clinical.evidence import Confidence, Evidence

ICD10CM = Evidence(
    citation="ICD-10-CM (CMS/NCHS), code titles paraphrased",
    confidence=Confidence.RECALLED,
    url="https://www.cms.gov/medicare/coding-billing/icd-10-codes",
    note="codes recalled, not re-checked against the current release",
)

# The shape of an ICD-10-CM code: a letter, two characters, then up to four after a dot.
CODE_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


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
    CARDIOVASCULAR = "cardiovascular"
    CEREBROVASCULAR = "cerebrovascular"
    METABOLIC = "metabolic"
    RESPIRATORY = "respiratory"
    LIVER = "liver"
    NEUROLOGICAL = "neurological"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _GROUP_LABELS[self]


_GROUP_LABELS = {
    ConditionGroup.MDD_SINGLE: "Depression, single episode",
    ConditionGroup.MDD_RECURRENT: "Depression, recurrent",
    ConditionGroup.BIPOLAR: "Bipolar and manic disorders",
    ConditionGroup.PTSD: "Trauma and stressor-related",
    ConditionGroup.ANXIETY: "Anxiety",
    ConditionGroup.OCD: "Obsessive-compulsive",
    ConditionGroup.CHRONIC_PAIN: "Chronic pain and headache",
    ConditionGroup.SUBSTANCE_USE: "Substance use",
    ConditionGroup.PSYCHOSIS: "Psychotic disorders",
    ConditionGroup.CARDIOVASCULAR: "Heart and blood pressure",
    ConditionGroup.CEREBROVASCULAR: "Brain vessels and aneurysm",
    ConditionGroup.METABOLIC: "Diabetes, thyroid and metabolic",
    ConditionGroup.RESPIRATORY: "Breathing and sleep",
    ConditionGroup.LIVER: "Liver",
    ConditionGroup.NEUROLOGICAL: "Neurological and eye",
    ConditionGroup.OTHER: "Other",
}


@dataclass(frozen=True, slots=True)
class DiagnosisCode:
    code: str
    title: str
    group: ConditionGroup
    # other names staff search by: abbreviations, British spellings
    synonyms: tuple[str, ...] = ()

    @property
    def is_depressive_episode(self) -> bool:
        """MDD codes on which a treatment-resistant flag makes sense."""
        return self.group in {ConditionGroup.MDD_SINGLE, ConditionGroup.MDD_RECURRENT}

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


_G = ConditionGroup
_MDD = ("MDD", "depression")
_BP = ("bipolar",)
_SUD = ("substance use disorder",)
# code, title, group, synonyms
_CODES: tuple[tuple[str, str, ConditionGroup, tuple[str, ...]], ...] = (
    ("F32.0", "Major depressive disorder, single episode, mild", _G.MDD_SINGLE, _MDD),
    ("F32.1", "Major depressive disorder, single episode, moderate", _G.MDD_SINGLE, _MDD),
    ("F32.2", "Major depressive disorder, single episode, severe without psychotic features",
     _G.MDD_SINGLE, _MDD),
    ("F32.3", "Major depressive disorder, single episode, severe with psychotic features",
     _G.MDD_SINGLE, _MDD),
    ("F32.4", "Major depressive disorder, single episode, in partial remission",
     _G.MDD_SINGLE, _MDD),
    ("F32.5", "Major depressive disorder, single episode, in full remission",
     _G.MDD_SINGLE, _MDD),
    ("F32.9", "Major depressive disorder, single episode, unspecified", _G.MDD_SINGLE, _MDD),
    ("F32.A", "Depression, unspecified", _G.MDD_SINGLE, _MDD),
    ("F33.0", "Major depressive disorder, recurrent, mild", _G.MDD_RECURRENT, _MDD),
    ("F33.1", "Major depressive disorder, recurrent, moderate", _G.MDD_RECURRENT, _MDD),
    ("F33.2", "Major depressive disorder, recurrent, severe without psychotic features",
     _G.MDD_RECURRENT, _MDD),
    ("F33.3", "Major depressive disorder, recurrent, severe with psychotic symptoms",
     _G.MDD_RECURRENT, _MDD),
    ("F33.40", "Major depressive disorder, recurrent, in remission, unspecified",
     _G.MDD_RECURRENT, _MDD),
    ("F33.41", "Major depressive disorder, recurrent, in partial remission",
     _G.MDD_RECURRENT, _MDD),
    ("F33.42", "Major depressive disorder, recurrent, in full remission",
     _G.MDD_RECURRENT, _MDD),
    ("F33.8", "Other recurrent depressive disorders", _G.MDD_RECURRENT, _MDD),
    ("F33.9", "Major depressive disorder, recurrent, unspecified", _G.MDD_RECURRENT, _MDD),
    ("F34.1", "Dysthymic disorder", _G.OTHER, ("persistent depressive disorder",)),
    ("F32.81", "Premenstrual dysphoric disorder", _G.OTHER, ("PMDD",)),
    ("F30.9", "Manic episode, unspecified", _G.BIPOLAR, ("mania",)),
    ("F31.0", "Bipolar disorder, current episode hypomanic", _G.BIPOLAR, ("hypomania",)),
    ("F31.10", "Bipolar disorder, current episode manic without psychotic features, "
     "unspecified", _G.BIPOLAR, ("mania",)),
    ("F31.2", "Bipolar disorder, current episode manic severe with psychotic features",
     _G.BIPOLAR, ("mania",)),
    ("F31.30", "Bipolar disorder, current episode depressed, mild or moderate severity, "
     "unspecified", _G.BIPOLAR, _BP),
    ("F31.31", "Bipolar disorder, current episode depressed, mild", _G.BIPOLAR, _BP),
    ("F31.32", "Bipolar disorder, current episode depressed, moderate", _G.BIPOLAR, _BP),
    ("F31.4", "Bipolar disorder, current episode depressed, severe, without psychotic "
     "features", _G.BIPOLAR, _BP),
    ("F31.5", "Bipolar disorder, current episode depressed, severe, with psychotic features",
     _G.BIPOLAR, _BP),
    ("F31.60", "Bipolar disorder, current episode mixed, unspecified", _G.BIPOLAR, _BP),
    ("F31.64", "Bipolar disorder, current episode mixed, severe, with psychotic features",
     _G.BIPOLAR, _BP),
    ("F31.70", "Bipolar disorder, currently in remission, most recent episode unspecified",
     _G.BIPOLAR, _BP),
    ("F31.81", "Bipolar II disorder", _G.BIPOLAR, _BP),
    ("F31.9", "Bipolar disorder, unspecified", _G.BIPOLAR, _BP),
    ("F43.10", "Post-traumatic stress disorder, unspecified", _G.PTSD, ("PTSD",)),
    ("F43.11", "Post-traumatic stress disorder, acute", _G.PTSD, ("PTSD",)),
    ("F43.12", "Post-traumatic stress disorder, chronic", _G.PTSD, ("PTSD",)),
    ("F43.20", "Adjustment disorder, unspecified", _G.PTSD, ()),
    ("F43.21", "Adjustment disorder with depressed mood", _G.PTSD, ()),
    ("F43.23", "Adjustment disorder with mixed anxiety and depressed mood", _G.PTSD, ()),
    ("F41.1", "Generalized anxiety disorder", _G.ANXIETY, ("GAD", "generalised")),
    ("F41.0", "Panic disorder without agoraphobia", _G.ANXIETY, ()),
    ("F40.01", "Agoraphobia with panic disorder", _G.ANXIETY, ()),
    ("F40.10", "Social phobia, unspecified", _G.ANXIETY, ("social anxiety disorder",)),
    ("F41.8", "Other specified anxiety disorders", _G.ANXIETY, ()),
    ("F41.9", "Anxiety disorder, unspecified", _G.ANXIETY, ()),
    ("F42.2", "Mixed obsessional thoughts and acts", _G.OCD, ("OCD",)),
    ("F42.9", "Obsessive-compulsive disorder, unspecified", _G.OCD, ("OCD",)),
    ("G89.29", "Other chronic pain", _G.CHRONIC_PAIN, ()),
    ("G89.4", "Chronic pain syndrome", _G.CHRONIC_PAIN, ()),
    ("G90.50", "Complex regional pain syndrome I, unspecified", _G.CHRONIC_PAIN, ("CRPS",)),
    ("M79.7", "Fibromyalgia", _G.CHRONIC_PAIN, ()),
    ("M54.50", "Low back pain, unspecified", _G.CHRONIC_PAIN, ("lumbago",)),
    ("G50.0", "Trigeminal neuralgia", _G.CHRONIC_PAIN, ()),
    ("G43.709", "Chronic migraine without aura, not intractable, without status migrainosus",
     _G.CHRONIC_PAIN, ()),
    ("G43.909", "Migraine, unspecified, not intractable, without status migrainosus",
     _G.CHRONIC_PAIN, ()),
    ("F10.10", "Alcohol abuse, uncomplicated", _G.SUBSTANCE_USE, _SUD),
    ("F10.11", "Alcohol abuse, in remission", _G.SUBSTANCE_USE, _SUD),
    ("F10.20", "Alcohol dependence, uncomplicated", _G.SUBSTANCE_USE, _SUD),
    ("F10.21", "Alcohol dependence, in remission", _G.SUBSTANCE_USE, _SUD),
    ("F11.10", "Opioid abuse, uncomplicated", _G.SUBSTANCE_USE, _SUD),
    ("F11.20", "Opioid dependence, uncomplicated", _G.SUBSTANCE_USE, _SUD),
    ("F11.21", "Opioid dependence, in remission", _G.SUBSTANCE_USE, _SUD),
    ("F12.10", "Cannabis abuse, uncomplicated", _G.SUBSTANCE_USE, _SUD),
    ("F12.20", "Cannabis dependence, uncomplicated", _G.SUBSTANCE_USE, _SUD),
    ("F13.20", "Sedative, hypnotic or anxiolytic dependence, uncomplicated",
     _G.SUBSTANCE_USE, ("benzodiazepine", *_SUD)),
    ("F14.20", "Cocaine dependence, uncomplicated", _G.SUBSTANCE_USE, _SUD),
    ("F15.20", "Other stimulant dependence, uncomplicated", _G.SUBSTANCE_USE,
     ("amphetamine", *_SUD)),
    ("F16.20", "Hallucinogen dependence, uncomplicated", _G.SUBSTANCE_USE, _SUD),
    ("F17.210", "Nicotine dependence, cigarettes, uncomplicated", _G.SUBSTANCE_USE,
     ("smoking", "tobacco")),
    ("F19.20", "Other psychoactive substance dependence, uncomplicated", _G.SUBSTANCE_USE,
     ("ketamine", *_SUD)),
    ("F20.9", "Schizophrenia, unspecified", _G.PSYCHOSIS, ()),
    ("F22", "Delusional disorders", _G.PSYCHOSIS, ()),
    ("F23", "Brief psychotic disorder", _G.PSYCHOSIS, ()),
    ("F25.9", "Schizoaffective disorder, unspecified", _G.PSYCHOSIS, ()),
    ("F29", "Unspecified psychosis not due to a substance or known physiological condition",
     _G.PSYCHOSIS, ()),
    ("I10", "Essential (primary) hypertension", _G.CARDIOVASCULAR,
     ("high blood pressure", "HTN")),
    ("I11.9", "Hypertensive heart disease without heart failure", _G.CARDIOVASCULAR, ()),
    ("I20.0", "Unstable angina", _G.CARDIOVASCULAR, ()),
    ("I21.9", "Acute myocardial infarction, unspecified", _G.CARDIOVASCULAR,
     ("heart attack", "MI")),
    ("I25.10", "Atherosclerotic heart disease of native coronary artery without angina "
     "pectoris", _G.CARDIOVASCULAR, ("coronary artery disease", "CAD")),
    ("I48.91", "Unspecified atrial fibrillation", _G.CARDIOVASCULAR, ("AF", "AFib")),
    ("I50.9", "Heart failure, unspecified", _G.CARDIOVASCULAR, ("CHF", "cardiac failure")),
    ("E78.5", "Hyperlipidemia, unspecified", _G.CARDIOVASCULAR,
     ("hyperlipidaemia", "high cholesterol")),
    ("I61.9", "Nontraumatic intracerebral hemorrhage, unspecified", _G.CEREBROVASCULAR,
     ("haemorrhage", "ICH", "brain bleed")),
    ("I63.9", "Cerebral infarction, unspecified", _G.CEREBROVASCULAR, ("stroke",)),
    ("I67.1", "Cerebral aneurysm, nonruptured", _G.CEREBROVASCULAR, ("intracranial",)),
    ("I71.9", "Aortic aneurysm of unspecified site, without rupture", _G.CEREBROVASCULAR,
     ("AAA",)),
    ("Q28.2", "Arteriovenous malformation of cerebral vessels", _G.CEREBROVASCULAR,
     ("AVM",)),
    ("E10.9", "Type 1 diabetes mellitus without complications", _G.METABOLIC, ("diabetes",)),
    ("E11.9", "Type 2 diabetes mellitus without complications", _G.METABOLIC, ("diabetes",)),
    ("E66.9", "Obesity, unspecified", _G.METABOLIC, ()),
    ("E03.9", "Hypothyroidism, unspecified", _G.METABOLIC, ("thyroid",)),
    ("E05.90", "Thyrotoxicosis, unspecified without thyrotoxic crisis or storm",
     _G.METABOLIC, ("hyperthyroidism", "thyroid")),
    ("G47.33", "Obstructive sleep apnea (adult) (pediatric)", _G.RESPIRATORY,
     ("OSA", "apnoea")),
    ("J44.9", "Chronic obstructive pulmonary disease, unspecified", _G.RESPIRATORY,
     ("COPD",)),
    ("J45.909", "Unspecified asthma, uncomplicated", _G.RESPIRATORY, ()),
    ("G47.00", "Insomnia, unspecified", _G.RESPIRATORY, ("sleep",)),
    ("K70.30", "Alcoholic cirrhosis of liver without ascites", _G.LIVER, ()),
    ("K70.9", "Alcoholic liver disease, unspecified", _G.LIVER, ()),
    ("K71.9", "Toxic liver disease, unspecified", _G.LIVER, ("drug-induced",)),
    ("K72.90", "Hepatic failure, unspecified without coma", _G.LIVER, ("liver failure",)),
    ("K73.9", "Chronic hepatitis, unspecified", _G.LIVER, ()),
    ("K74.60", "Unspecified cirrhosis of liver", _G.LIVER, ()),
    ("K75.81", "Nonalcoholic steatohepatitis (NASH)", _G.LIVER, ("MASH", "fatty liver")),
    ("K76.0", "Fatty (change of) liver, not elsewhere classified", _G.LIVER,
     ("NAFLD", "steatosis")),
    ("B18.2", "Chronic viral hepatitis C", _G.LIVER, ("HCV",)),
    ("G40.909", "Epilepsy, unspecified, not intractable, without status epilepticus",
     _G.NEUROLOGICAL, ("seizure",)),
    ("G93.2", "Benign intracranial hypertension", _G.NEUROLOGICAL,
     ("raised intracranial pressure", "IIH")),
    ("G30.9", "Alzheimer's disease, unspecified", _G.NEUROLOGICAL, ("dementia",)),
    ("H40.9", "Unspecified glaucoma", _G.NEUROLOGICAL, ("intraocular pressure",)),
    ("N30.10", "Interstitial cystitis (chronic) without hematuria", _G.OTHER,
     ("bladder", "ketamine cystitis")),
    ("N30.90", "Cystitis, unspecified without hematuria", _G.OTHER, ("bladder",)),
    ("F60.3", "Borderline personality disorder", _G.OTHER, ("BPD", "EUPD")),
    ("F90.9", "Attention-deficit hyperactivity disorder, unspecified type", _G.OTHER,
     ("ADHD",)),
    ("R45.851", "Suicidal ideations", _G.OTHER, ("suicidal",)),
)  # fmt: skip

CATALOGUE: dict[str, DiagnosisCode] = {
    code: DiagnosisCode(code=code, title=title, group=group, synonyms=synonyms)
    for code, title, group, synonyms in _CODES
}


def normalise(text: str) -> str:
    """A typed code as the catalogue spells it: upper case, no spaces, the dot put back after
    the third character when it was left out ('f332' -> 'F33.2')."""
    code = "".join(text.split()).upper()
    if len(code) > 3 and "." not in code:
        code = f"{code[:3]}.{code[3:]}"
    return code


def lookup(code: str) -> DiagnosisCode | None:
    """The catalogue entry for ``code`` (case, spaces and a missing dot ignored), or None."""
    return CATALOGUE.get(normalise(code))


def search(query: str, *, limit: int = 20) -> list[DiagnosisCode]:
    """Entries matching ``query`` by code or by name, best first.

    A query that looks like a code matches codes starting with it ('F33', 'f33.1', 'I10');
    otherwise every word of the query must begin a word of the title or a synonym
    ('hypertension', 'sleep apnoea', 'PTSD', 'liver'). An exact code comes first, then codes
    by prefix, then names, each in catalogue order.
    """
    text = query.strip()
    if not text:
        return []
    code = normalise(text)
    by_code = [e for e in CATALOGUE.values() if e.code.startswith(code.rstrip("."))]
    by_code.sort(key=lambda e: e.code != code)
    words = _words(text)
    by_name = [e for e in CATALOGUE.values() if e not in by_code and _matches_words(e, words)]
    return (by_code + by_name)[:limit]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _matches_words(entry: DiagnosisCode, words: list[str]) -> bool:
    if not words:
        return False
    haystack = _words(" ".join((entry.title, *entry.synonyms)))
    return all(any(w.startswith(q) for w in haystack) for q in words)


def grouped() -> list[tuple[ConditionGroup, list[DiagnosisCode]]]:
    """The catalogue by condition group, in the groups' order (for a picker)."""
    return [
        (group, [e for e in CATALOGUE.values() if e.group is group])
        for group in ConditionGroup
        if any(e.group is group for e in CATALOGUE.values())
    ]
