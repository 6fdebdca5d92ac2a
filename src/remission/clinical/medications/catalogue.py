"""The coded medication catalogue the intake's medication list picks from.

Only the drugs the rules name are listed: benzodiazepines (with their approximate lorazepam
equivalent), the Z-drug hypnotics, psychostimulants, MAOIs, opioids, gabapentinoids,
naltrexone, lamotrigine and the other mood stabilisers, and the common oral antidepressants.
Anything else on a patient's list is entered as ``other`` with its name and is not judged.

RxNorm ingredient codes (RXCUI, term type IN): a code is given only where it was read in a
curated public table (the CPIC pharmacogenomics drug table, ``cpicpgx/cpic-schema`` drug.sql)
or agreed in two independent public code bases. Where neither held, ``rxnorm`` is ``None``
rather than a code from memory: look the drug up in RxNav before relying on it. The catalogue's
confidence is therefore ``2nd`` (``CATALOGUE``), not a check against the RxNorm release.

Lorazepam equivalents follow the Ashton benzodiazepine equivalence table (doses equivalent to
diazepam 10 mg: alprazolam 0.5, chlordiazepoxide 25, clonazepam 0.5, lorazepam 1, oxazepam
20, temazepam 20 mg), read as reproduced in a 2023 clinical guideline table beside the VA/DoD
values, which differ (lorazepam 2 mg there). Equivalents are **approximate**: individual
response, age, liver function and other drugs change them (``LORAZEPAM_EQUIVALENTS``).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence

CATALOGUE = Evidence(
    citation="RxNorm ingredient codes (RXCUI, TTY=IN) as listed in the CPIC drug table "
    "(cpicpgx/cpic-schema, drug.sql); lorazepam, alprazolam, clonazepam, gabapentin and "
    "pregabalin codes agreed in two further public code bases",
    confidence=Confidence.SECONDARY,
    url="https://github.com/cpicpgx/cpic-schema",
    note="drugs whose code could not be cross-checked carry no code; verify in RxNav "
    "(https://mor.nlm.nih.gov/RxNav) before exchanging codes with another system",
)
LORAZEPAM_EQUIVALENTS = Evidence(
    citation="Ashton CH, Benzodiazepine Equivalence Table (benzo.org.uk, rev. 2007): doses "
    "equivalent to diazepam 10 mg = lorazepam 1 mg; alprazolam 0.5, clonazepam 0.5, "
    "chlordiazepoxide 25, oxazepam 20, temazepam 20 mg",
    confidence=Confidence.SECONDARY,
    url="https://www.benzo.org.uk/bzequiv.htm",
    note="approximate: read as reproduced beside the VA/DoD 2021 values (which put lorazepam "
    "2 mg = diazepam 10 mg) in a guideline table; equivalence varies between people",
)

RXNORM_CODE = re.compile(r"^[1-9][0-9]{0,7}$")


class DrugClass(enum.StrEnum):
    BENZODIAZEPINE = "benzodiazepine"
    Z_DRUG = "z_drug"
    STIMULANT = "stimulant"
    MAOI = "maoi"
    OPIOID = "opioid"
    GABAPENTINOID = "gabapentinoid"
    NALTREXONE = "naltrexone"
    LAMOTRIGINE = "lamotrigine"
    MOOD_STABILISER = "mood_stabiliser"
    ORAL_ANTIDEPRESSANT = "oral_antidepressant"

    @property
    def label(self) -> str:
        return _CLASS_LABELS[self]


_CLASS_LABELS = {
    DrugClass.BENZODIAZEPINE: "benzodiazepine",
    DrugClass.Z_DRUG: "non-benzodiazepine sedative hypnotic (Z-drug)",
    DrugClass.STIMULANT: "psychostimulant",
    DrugClass.MAOI: "MAO inhibitor",
    DrugClass.OPIOID: "opioid",
    DrugClass.GABAPENTINOID: "gabapentinoid",
    DrugClass.NALTREXONE: "naltrexone (opioid antagonist)",
    DrugClass.LAMOTRIGINE: "lamotrigine",
    DrugClass.MOOD_STABILISER: "mood stabiliser",
    DrugClass.ORAL_ANTIDEPRESSANT: "oral antidepressant",
}


@dataclass(frozen=True, slots=True)
class Drug:
    """One catalogue entry: a key the intake stores, a name, its RxNorm ingredient code
    (``None``: not cross-checked), its classes, and for a benzodiazepine the lorazepam mg that
    one mg of it is approximately equivalent to."""

    key: str
    name: str
    rxnorm: str | None
    classes: frozenset[DrugClass]
    lorazepam_mg_per_mg: Decimal | None = None


def _drug(
    key: str,
    rxnorm: str | None,
    *classes: DrugClass,
    lorazepam_mg_per_mg: str | None = None,
) -> Drug:
    return Drug(
        key=key,
        name=key.replace("_", " "),
        rxnorm=rxnorm,
        classes=frozenset(classes),
        lorazepam_mg_per_mg=None if lorazepam_mg_per_mg is None else Decimal(lorazepam_mg_per_mg),
    )


_B, _Z, _S = DrugClass.BENZODIAZEPINE, DrugClass.Z_DRUG, DrugClass.STIMULANT
_M, _O, _G = DrugClass.MAOI, DrugClass.OPIOID, DrugClass.GABAPENTINOID
_AD, _MS = DrugClass.ORAL_ANTIDEPRESSANT, DrugClass.MOOD_STABILISER

DRUGS: tuple[Drug, ...] = (
    # benzodiazepines: lorazepam mg per mg = 1 / (Ashton dose equivalent to lorazepam 1 mg)
    _drug("alprazolam", "596", _B, lorazepam_mg_per_mg="2"),
    _drug("chlordiazepoxide", None, _B, lorazepam_mg_per_mg="0.04"),
    _drug("clonazepam", "2598", _B, lorazepam_mg_per_mg="2"),
    _drug("diazepam", "3322", _B, lorazepam_mg_per_mg="0.1"),
    _drug("lorazepam", "6470", _B, lorazepam_mg_per_mg="1"),
    _drug("oxazepam", "7781", _B, lorazepam_mg_per_mg="0.05"),
    _drug("temazepam", None, _B, lorazepam_mg_per_mg="0.05"),
    # Z-drugs (sedative hypnotics, not converted: they are not benzodiazepines)
    _drug("zolpidem", None, _Z),
    _drug("zopiclone", None, _Z),
    _drug("eszopiclone", None, _Z),
    # psychostimulants (SPRAVATO label 7 names amphetamines, methylphenidate, modafinil)
    _drug("amphetamine", None, _S),
    _drug("dextroamphetamine", None, _S),
    _drug("lisdexamfetamine", None, _S),
    _drug("methylphenidate", "6901", _S),
    _drug("modafinil", "30125", _S),
    # MAO inhibitors (phenelzine, tranylcypromine and isocarboxazid are oral antidepressants;
    # selegiline for depression is a skin patch, so it is not counted as oral)
    _drug("phenelzine", None, _M, _AD),
    _drug("tranylcypromine", None, _M, _AD),
    _drug("isocarboxazid", None, _M, _AD),
    _drug("selegiline", None, _M),
    # opioids
    _drug("buprenorphine", None, _O),
    _drug("codeine", "2670", _O),
    _drug("fentanyl", "4337", _O),
    _drug("hydrocodone", None, _O),
    _drug("methadone", "6813", _O),
    _drug("morphine", "7052", _O),
    _drug("oxycodone", "7804", _O),
    _drug("tramadol", "10689", _O),
    # gabapentinoids
    _drug("gabapentin", "25480", _G),
    _drug("pregabalin", "187832", _G),
    # opioid antagonist
    _drug("naltrexone", "7243", DrugClass.NALTREXONE),
    # lamotrigine and other mood stabilisers
    _drug("lamotrigine", "28439", DrugClass.LAMOTRIGINE, _MS),
    _drug("lithium", None, _MS),
    _drug("valproic_acid", "11118", _MS),
    _drug("carbamazepine", "2002", _MS),
    # common oral antidepressants
    _drug("amitriptyline", "704", _AD),
    _drug("bupropion", "42347", _AD),
    _drug("citalopram", "2556", _AD),
    _drug("clomipramine", "2597", _AD),
    _drug("desvenlafaxine", None, _AD),
    _drug("duloxetine", "72625", _AD),
    _drug("escitalopram", "321988", _AD),
    _drug("fluoxetine", "4493", _AD),
    _drug("fluvoxamine", "42355", _AD),
    _drug("imipramine", "5691", _AD),
    _drug("mirtazapine", "15996", _AD),
    _drug("nortriptyline", "7531", _AD),
    _drug("paroxetine", "32937", _AD),
    _drug("sertraline", "36437", _AD),
    _drug("trazodone", None, _AD),
    _drug("venlafaxine", "39786", _AD),
    _drug("vilazodone", None, _AD),
    _drug("vortioxetine", "1455099", _AD),
)

OTHER = "other"  # a medicine outside the catalogue: named in free text, not judged
_BY_KEY = {d.key: d for d in DRUGS}


def drug(key: str) -> Drug | None:
    """The catalogue entry for ``key``; ``None`` for ``other`` or an unknown key."""
    return _BY_KEY.get(key)


def is_known(key: str) -> bool:
    return key == OTHER or key in _BY_KEY


def drugs_in(drug_class: DrugClass) -> tuple[Drug, ...]:
    return tuple(d for d in DRUGS if drug_class in d.classes)


registry.define_table(
    "medications.catalogue",
    title="Medication catalogue",
    intro="The drugs the intake's medication list codes, with their RxNorm ingredient code "
    "(— : not cross-checked, none given), the classes the rules read, and for benzodiazepines "
    "the approximate lorazepam mg one mg is equivalent to (Ashton).",
    columns=("Drug", "RxNorm", "Classes", "Lorazepam mg per mg"),
    rows=tuple(
        registry.TableRow(
            cells=(
                d.name,
                d.rxnorm or "—",
                ", ".join(sorted(c.value for c in d.classes)),
                "" if d.lorazepam_mg_per_mg is None else f"{d.lorazepam_mg_per_mg:f}",
            ),
            evidence=(CATALOGUE,)
            if d.lorazepam_mg_per_mg is None
            else (CATALOGUE, LORAZEPAM_EQUIVALENTS),
        )
        for d in DRUGS
    ),
)
