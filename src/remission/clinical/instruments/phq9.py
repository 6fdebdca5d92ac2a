"""PHQ-9, Patient Health Questionnaire (Kroenke, Spitzer & Williams, J Gen Intern Med 2001).

Nine self-rated items, 0–3 over the last 2 weeks; total = sum, 0–27. Bands 0–4 / 5–9 /
10–14 / 15–19 / 20–27 [src]. Remission < 5 (SUSTAIN-3) [src]; TRD meaningful change
6 points (Turkoz 2021) [src]. Item 9 ≥ 1 is the usual trigger for a suicide-risk screen [2nd].
The published wording ships here: the Pfizer notice allows reproduction [src].
LOINC codes agree across several public FHIR code bases [src per clinical.md §5].
"""

from __future__ import annotations

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments.base import (
    AnswerOption,
    Instrument,
    Item,
    ItemFlag,
    Licence,
    LoincCodes,
    OutcomeRules,
    Rater,
    RecallPeriod,
    SeverityBand,
    SeverityBands,
    SumOfItems,
)
from remission.clinical.instruments.scoring import RESPONSE_MIN_PERCENT_DROP

SOURCE = Evidence(
    citation="Kroenke, Spitzer & Williams, J Gen Intern Med 2001;16:606–613",
    confidence=Confidence.PRIMARY,
    url="https://www.phqscreeners.com/",
)

PFIZER_NOTICE = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)

# Answer codes: LOINC answer list used by the public PHQ-9/GAD-7 Questionnaires.
FREQUENCY_OPTIONS = (
    AnswerOption(0, "Not at all", loinc="LA6568-5"),
    AnswerOption(1, "Several days", loinc="LA6569-3"),
    AnswerOption(2, "More than half the days", loinc="LA6570-1"),
    AnswerOption(3, "Nearly every day", loinc="LA6571-9"),
)

_ITEMS = (
    ("Anhedonia", "Little interest or pleasure in doing things", "44250-9"),
    ("Depressed mood", "Feeling down, depressed, or hopeless", "44255-8"),
    ("Sleep", "Trouble falling or staying asleep, or sleeping too much", "44259-0"),
    ("Energy", "Feeling tired or having little energy", "44254-1"),
    ("Appetite", "Poor appetite or overeating", "44251-7"),
    (
        "Self-worth",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your "
        "family down",
        "44258-2",
    ),
    (
        "Concentration",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "44252-5",
    ),
    (
        "Psychomotor change",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual",
        "44253-3",
    ),
    (
        "Thoughts of death or self-harm",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
        "44260-8",
    ),
)

DIFFICULTY_ITEM = Item(
    number=10,
    label="Functional difficulty (not scored)",
    text=(
        "If you checked off any problems, how difficult have these problems made it for you to "
        "do your work, take care of things at home, or get along with other people?"
    ),
    loinc="69722-7",
    options=(
        AnswerOption(0, "Not difficult at all", loinc="LA6572-7"),
        AnswerOption(1, "Somewhat difficult", loinc="LA6573-5"),
        # public code disagrees on LA6574-3/LA6575-0; most FHIR Questionnaires read this way
        AnswerOption(2, "Very difficult", loinc="LA6575-0"),
        AnswerOption(3, "Extremely difficult", loinc="LA6574-3"),
    ),
    note="Asked after item 9; not part of the total and not one of the 9 answers.",
)

REMISSION_MAX_TOTAL = registry.define(
    "instruments.phq9.remission_max_total",
    4,
    unit="points",
    title="PHQ-9 remission: total at most (i.e. below 5)",
    evidence=Evidence(
        citation="PHQ-9 < 5, as used in SUSTAIN-3 (clinical.md §5)",
        confidence=Confidence.PRIMARY,
    ),
    minimum=0,
    maximum=27,
)

MCID_POINTS = registry.define(
    "instruments.phq9.mcid_points",
    6,
    unit="points",
    title="PHQ-9 meaningful improvement: at least",
    evidence=Evidence(
        citation="Turkoz et al. 2021, meaningful change threshold in TRD (esketamine trials)",
        confidence=Confidence.PRIMARY,
        url="https://pubmed.ncbi.nlm.nih.gov/33261932/",
        note="alternatives: 5 points (Löwe 2004) [mem]; 3.7 points on average "
        "(Bauer-Staeb 2021) [src]",
    ),
    minimum=1,
    maximum=27,
)

INSTRUMENT = Instrument(
    id="phq9",
    short_name="PHQ-9",
    name="Patient Health Questionnaire-9",
    rater=Rater.SELF,
    recall_period=RecallPeriod("Over the last 2 weeks", SOURCE),
    instructions=(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ),
    items=tuple(
        Item(number=n, label=label, text=text, loinc=loinc, options=FREQUENCY_OPTIONS)
        for n, (label, text, loinc) in enumerate(_ITEMS, start=1)
    ),
    supplementary_items=(DIFFICULTY_ITEM,),
    scoring=SumOfItems(),
    severity=SeverityBands(
        bands=(
            SeverityBand("minimal", "Minimal", 0, 4),
            SeverityBand("mild", "Mild", 5, 9),
            SeverityBand("moderate", "Moderate", 10, 14),
            SeverityBand("moderately_severe", "Moderately severe", 15, 19),
            SeverityBand("severe", "Severe", 20, 27),
        ),
        evidence=Evidence(
            citation="Kroenke 2001 bands, as used in public code and clinic pages",
            confidence=Confidence.PRIMARY,
        ),
    ),
    flag_rules=(
        ItemFlag(
            item=9,
            at_least=1,
            flag_id="phq9_item9_positive",
            message="PHQ-9 item 9 is positive (thoughts of death or self-harm): "
            "assess suicide risk today.",
            evidence=Evidence(
                citation="PHQ-9 item 9 ≥ 1 as the trigger for a suicide-risk screen "
                "(public FHIR data dictionary)",
                confidence=Confidence.SECONDARY,
            ),
        ),
    ),
    outcome=OutcomeRules(
        response_min_percent_drop=RESPONSE_MIN_PERCENT_DROP,
        remission_max_total=REMISSION_MAX_TOTAL,
        mcid_points=MCID_POINTS,
    ),
    loinc=LoincCodes(
        panel="44249-1",
        total="44261-6",
        evidence=Evidence(
            citation="Several public FHIR code bases agree (clinical.md §5)",
            confidence=Confidence.PRIMARY,
            note="answer codes LA6574-3/LA6575-0 of the difficulty item disagree in public "
            "code [2nd]",
        ),
    ),
    licence=Licence(
        note=f"Pfizer copyright, free to reproduce. Required notice: {PFIZER_NOTICE}",
        text_redistributable=True,
        evidence=Evidence(
            citation="Pfizer notice, as quoted in public FHIR Questionnaires",
            confidence=Confidence.PRIMARY,
        ),
    ),
    source=SOURCE,
)
