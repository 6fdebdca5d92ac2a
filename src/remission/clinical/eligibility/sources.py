"""The sources the eligibility rules cite, each with its confidence.

Wording follows ``shared/reference/clinical.md`` §2.3 (esketamine label), §3 (contraindications
table and intake checklist) and §4 (TRD definitions, MSM, ATHF).
"""

from __future__ import annotations

from remission.clinical.evidence import Confidence, Evidence

_SPRAVATO_HIGHLIGHTS_URL = "https://docslib.org/doc/9815815"

LABEL_CONTRAINDICATIONS = Evidence(
    citation="SPRAVATO (esketamine) prescribing information, Highlights: Contraindications",
    confidence=Confidence.PRIMARY,
    url=_SPRAVATO_HIGHLIGHTS_URL,
)
RACEMIC_VASCULAR_EXTRAPOLATION = Evidence(
    citation="SPRAVATO contraindications applied to racemic ketamine (reference §3); Ketalar "
    "contraindicates ketamine where a significant blood-pressure rise is a serious hazard",
    confidence=Confidence.UNCERTAIN,
    note="an extrapolation from the esketamine label; the Ketalar wording is recalled",
)
RACEMIC_HYPERSENSITIVITY = Evidence(
    citation="Ketalar (ketamine) label: hypersensitivity is a contraindication; racemic ketamine "
    "contains esketamine",
    confidence=Confidence.SECONDARY,
    note="the Ketalar wording was seen only in a secondary source",
)
TRIAL_EXCLUSIONS = Evidence(
    citation="Ketamine trial exclusion lists (PMC6884875 Table 1; PMC10812090 Table 1)",
    confidence=Confidence.PRIMARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC10812090",
)
PRETREATMENT_BP = Evidence(
    citation="SPRAVATO label section 2: if baseline BP is elevated (e.g. >140/90 mmHg) weigh "
    "the risk of short-term rises; clinic SOPs defer ketamine above 140/90",
    confidence=Confidence.RECALLED,
    note="label wording not re-read; the SOP attribution to Sanacora 2017 is unconfirmed",
)
BP_ICP_HAZARD = Evidence(
    citation="SPRAVATO label: do not give when a rise in blood pressure or intracranial "
    "pressure poses a serious risk; Ketalar contraindication for the same",
    confidence=Confidence.RECALLED,
)
INFORMED_CONSENT = Evidence(
    citation="Informed consent is a precondition of any elective treatment (AMA Code of Medical "
    "Ethics 2.1.1; trial exclusion: unable to consent, PMC10812090)",
    confidence=Confidence.PRIMARY,
    note="a hard stop until capacity is restored or a lawful substitute consents",
)
RECENT_CV_EVENT = Evidence(
    citation="SPRAVATO EU SmPC 4.3: contraindicated within 6 weeks of a myocardial infarction or "
    "stroke; ketamine trials excluded recent cardiovascular events",
    confidence=Confidence.RECALLED,
    note="applied to racemic ketamine by extension (a rise in BP and heart rate is expected)",
)
HYPERTENSIVE_CRISIS = Evidence(
    citation="ACC/AHA 2017 hypertension guideline: BP above 180/120 mmHg is a hypertensive "
    "crisis; no elective treatment that raises BP until it is treated",
    confidence=Confidence.SECONDARY,
)
LABEL_PSYCHOSIS = Evidence(
    citation="SPRAVATO label 5.2 (dissociation): carefully assess patients with psychosis "
    "before treatment; psychosis excluded in ketamine trials",
    confidence=Confidence.PRIMARY,
)
BIPOLAR_MOOD_STABILISER = Evidence(
    citation="Bipolar depression is usually treated with ketamine only with a mood stabiliser "
    "on board; mania excluded in trials",
    confidence=Confidence.SECONDARY,
)
LABEL_ABUSE = Evidence(
    citation="SPRAVATO label 5.3 (abuse and misuse): assess each patient's risk before "
    "prescribing; active substance use disorder excluded in trials",
    confidence=Confidence.PRIMARY,
)
LABEL_PREGNANCY = Evidence(
    citation="SPRAVATO label 5.10 (embryo-fetal toxicity): not recommended in pregnancy; "
    "breastfeeding not recommended",
    confidence=Confidence.PRIMARY,
)
LABEL_INTERACTIONS = Evidence(
    citation="SPRAVATO label section 7: CNS depressants increase sedation; psychostimulants "
    "and MAOIs increase blood pressure",
    confidence=Confidence.PRIMARY,
)
BENZODIAZEPINE_EXCLUSION = Evidence(
    citation="Trial exclusions: more than 2–3 mg lorazepam-equivalent per day "
    "(PMC6884875, PMC10812090)",
    confidence=Confidence.PRIMARY,
    note="the default 2 mg/day is the lower end, so the prompt errs toward review",
)
REMS_FORM = Evidence(
    citation="SPRAVATO REMS Patient Monitoring Form: concomitant benzodiazepines, "
    "non-benzodiazepine sedative hypnotics, psychostimulants, MAOIs (newer version: opioids)",
    confidence=Confidence.PRIMARY,
    url="https://manualspro.net/445029-spravato-patient-monitoring-form-instructions",
)
LAMOTRIGINE_ATTENUATION = Evidence(
    citation="Anand et al., Arch Gen Psychiatry 2000;57:270: lamotrigine pretreatment reduced "
    "ketamine's dissociative and perceptual effects and increased its mood-elevating effect in "
    "healthy volunteers; Mathew et al., Int J Neuropsychopharmacol 2010;13:71: in depressed "
    "patients, lamotrigine pretreatment made no difference to the antidepressant effect",
    confidence=Confidence.RECALLED,
)
ESKETAMINE_INDICATIONS = Evidence(
    citation="SPRAVATO indications: treatment-resistant depression in adults; depressive "
    "symptoms in adults with MDD with acute suicidal ideation or behaviour",
    confidence=Confidence.PRIMARY,
    url=_SPRAVATO_HIGHLIGHTS_URL,
)
ADULT_EVIDENCE_BASE = Evidence(
    citation="Ketamine depression trials enrolled adults; SPRAVATO is indicated in adults",
    confidence=Confidence.PRIMARY,
    url=_SPRAVATO_HIGHLIGHTS_URL,
)
LABEL_OLDER_ADULT_BP = Evidence(
    citation="SPRAVATO label Table 6: systolic rise ≥40 mmHg in 17% of patients ≥65 years vs 8% "
    "under 65",
    confidence=Confidence.PRIMARY,
    url="https://www.usmedicine.com/2021online-dir/inc/html/35.html",
)
LABEL_YOUNG_ADULT_SUICIDALITY = Evidence(
    citation="SPRAVATO label boxed warning: suicidal thoughts and behaviours in patients aged "
    "24 and younger (antidepressant class warning)",
    confidence=Confidence.PRIMARY,
)
LABEL_CYSTITIS = Evidence(
    citation="SPRAVATO label 5.9: ulcerative or interstitial cystitis; ask about and monitor "
    "lower urinary tract symptoms",
    confidence=Confidence.PRIMARY,
)
ESKETAMINE_HEPATIC = Evidence(
    citation="SPRAVATO label: not recommended in severe hepatic impairment",
    confidence=Confidence.RECALLED,
)
RACEMIC_HEPATIC = Evidence(
    citation="Ketamine is cleared by hepatic metabolism; no depression-specific guidance found",
    confidence=Confidence.UNCERTAIN,
)
COGNITION_AND_CONSENT = Evidence(
    citation="Trial exclusion: unable to consent; MMSE ≥25 required of older patients "
    "(PMC10812090); SPRAVATO label warning on cognitive impairment",
    confidence=Confidence.PRIMARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC10812090",
)
ANAESTHESIA_LISTS = Evidence(
    citation="Raised intraocular pressure, glaucoma and hyperthyroidism appear in anaesthesia "
    "lists of ketamine cautions",
    confidence=Confidence.SECONDARY,
)
LABEL_SUICIDALITY = Evidence(
    citation="SPRAVATO indication for MDD with acute suicidal ideation; limitation of use: it "
    "does not replace hospitalisation",
    confidence=Confidence.PRIMARY,
    url=_SPRAVATO_HIGHLIGHTS_URL,
)
BP_BEFORE_DOSING = Evidence(
    citation="SPRAVATO dosing: measure blood pressure before dosing",
    confidence=Confidence.PRIMARY,
    url="https://www.spravatohcp.com/dosing-spravato-trd",
)
MDD_DIAGNOSIS = Evidence(
    citation="Intake checklist item 1 (confirmed MDD); the trial evidence and the esketamine "
    "indications are in major depressive disorder",
    confidence=Confidence.PRIMARY,
)
ICD10CM_CODES = Evidence(
    citation="ICD-10-CM: F31 bipolar disorder; F20–F29 psychotic disorders; F32.3/F33.3 "
    "severe depression with psychotic features; F30 manic episode; F10–F19 substance use; "
    "I61 intracerebral haemorrhage; I67.1/I71/I72 aneurysm; Q28.2/Q28.3/Q27.3 AV malformation",
    confidence=Confidence.RECALLED,
)
TRD_DEFINITION = Evidence(
    citation="TRD: nonresponse to at least 2 antidepressants of adequate dose and duration in "
    "the current episode (FDA SPRAVATO approval; most trials)",
    confidence=Confidence.PRIMARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC11193313",
)
ADEQUATE_TRIAL_WEEKS = Evidence(
    citation="MGH-ATRQ as used in the TRANSFORM trials: adequate trial = at least 6 weeks at an "
    "adequate dose",
    confidence=Confidence.RECALLED,
    note="the ATHF uses at least 4 weeks at an adequate dose [2nd]",
)
PARTIAL_RESPONSE = Evidence(
    citation="MGH-ATRQ nonresponse = ≤25% improvement; EU-PEARL (Sforzini 2022) names 25–50% "
    "reduction 'partially responsive depression', separate from TRD",
    confidence=Confidence.RECALLED,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC9095475",
)
RACEMIC_TRD_EVIDENCE = Evidence(
    citation="Racemic ketamine trials enrolled mostly treatment-resistant depression "
    "(Fava 2020; Murrough 2013)",
    confidence=Confidence.PRIMARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC6447473",
)
MSM_TABLE = Evidence(
    citation="Maudsley Staging Method, Fekadu et al. 2009; BMC Psychiatry 2018;18:100 Table 3",
    confidence=Confidence.PRIMARY,
    url="https://bmcpsychiatry.biomedcentral.com/articles/10.1186/s12888-018-1679-x/tables/3",
)
MSM_TREATMENT_LEVELS = Evidence(
    citation="Maudsley Staging Method treatment dimension (Fekadu et al. 2009): antidepressant "
    "failure levels 1–5, augmentation 0/1, ECT 0/1",
    confidence=Confidence.RECALLED,
    note="verify against Fekadu 2009 / the 2018 standardisation before relying on it",
)
OSA_SEDATION = Evidence(
    citation="ASA Practice Guidelines for Moderate Procedural Sedation and Analgesia 2018 "
    "(Anesthesiology 2018;128:437): obstructive sleep apnoea and morbid obesity raise the risk "
    "of airway obstruction and hypoventilation under sedation; SPRAVATO REMS: respiratory "
    "depression is a monitored risk",
    confidence=Confidence.RECALLED,
    note="the guideline text was not re-read; BMI ≥35 is weighted up because the STOP-Bang "
    "BMI item and the ASA III example (BMI ≥40) both mark obesity as airway risk",
)
RESPIRATORY_DISEASE = Evidence(
    citation="APA consensus (Sanacora 2017): screen for respiratory disease before ketamine; "
    "SPRAVATO REMS (current): monitor for respiratory depression, with pulse oximetry",
    confidence=Confidence.RECALLED,
    url="https://www.accessdata.fda.gov/scripts/cder/rems/index.cfm?event=IndvRemsDetails.page&REMS=386",
    note="the REMS pulse-oximetry requirement is [src]; the APA screening list is [mem]",
)
HEART_FAILURE = Evidence(
    citation="Ketamine raises heart rate, blood pressure and myocardial oxygen demand "
    "(SPRAVATO label 5.6; Ketalar label); APA consensus: screen for cardiovascular disease; "
    "ASA class III–IV examples include heart failure",
    confidence=Confidence.RECALLED,
    note="no ketamine-for-depression source gives a heart-failure rule; review, not a hard stop",
)
HYPERTENSIVE_ENCEPHALOPATHY = Evidence(
    citation="SPRAVATO label 5.6 (increase in blood pressure): patients for whom a rise in blood "
    "pressure or intracranial pressure poses a serious risk, including a history of "
    "hypertensive encephalopathy, need careful assessment of benefit against risk",
    confidence=Confidence.RECALLED,
    note="the label's list of conditions was not re-read here",
)
ESKETAMINE_MODERATE_HEPATIC = Evidence(
    citation="SPRAVATO label 8.7 (hepatic impairment): patients with moderate hepatic "
    "impairment (Child-Pugh B) may need to be monitored for adverse reactions for a longer "
    "period; not studied, so not recommended, in severe impairment (Child-Pugh C)",
    confidence=Confidence.RECALLED,
)
ASA_OFFICE_SELECTION = Evidence(
    citation="ASA Guidelines for Office-Based Anesthesia: patients at undue risk of "
    "complications because of their medical condition are referred to an appropriate "
    "facility; ASA Practice Guidelines for Moderate Procedural Sedation 2018: patients with "
    "severe systemic disease need pre-procedure evaluation by the team (consultation as needed)",
    confidence=Confidence.UNCERTAIN,
    note="the tiers are this software's reading: ASA III → prescriber review; ASA IV–VI → a hard "
    "stop for elective office-based treatment. The ASA documents give no class cut-off for "
    "subanaesthetic ketamine; the medical director should confirm",
)
AIRWAY_MALLAMPATI = Evidence(
    citation="Mallampati SR et al., Can Anaesth Soc J 1985;32:429 (modified by Samsoon & Young "
    "1987): class III–IV predicts a more difficult airway",
    confidence=Confidence.RECALLED,
    note="optional at intake; weak alone as a predictor",
)
INVESTIGATIONS_WHEN_INDICATED = Evidence(
    citation="APA consensus (Sanacora 2017): pre-treatment history and examination, labs and "
    "ECG as clinically indicated; baseline urine toxicology when substance use is suspected",
    confidence=Confidence.SECONDARY,
    note="'when indicated' is not defined by the source: the indications used here (cardiac "
    "history or age for the ECG; hepatic impairment or heavy alcohol use for liver tests; a "
    "substance use disorder for the drug screen) are a clinic convention [?]",
)
GABAPENTINOID_DEPRESSION = Evidence(
    citation="FDA Drug Safety Communication (19 Dec 2019): serious breathing difficulties with "
    "gabapentin or pregabalin taken with CNS depressants or in patients with respiratory risk "
    "factors",
    confidence=Confidence.RECALLED,
)
ALCOHOL_INTERACTION = Evidence(
    citation="SPRAVATO label section 7: CNS depressants (alcohol among them) increase sedation; "
    "label 5.3: assess the risk of abuse; trials excluded acute intoxication",
    confidence=Confidence.PRIMARY,
    note="the split into occasional / regular / heavy is the form's, not the label's",
)
NALTREXONE_ATTENUATION = Evidence(
    citation="Williams et al., Am J Psychiatry 2018;175:1205: naltrexone pretreatment "
    "attenuated ketamine's antidepressant effect in a small crossover trial (n=12, stopped "
    "early); Yoon et al., JAMA Psychiatry 2019;76:337 found ketamine effective with "
    "naltrexone in depression with alcohol use disorder",
    confidence=Confidence.RECALLED,
    note="conflicting small studies; naltrexone also blocks opioid analgesia",
)
SAME_DAY_MEDICATION = Evidence(
    citation="SPRAVATO label section 7: CNS depressants increase sedation; psychostimulants "
    "raise blood pressure — the effect is largest when the medicine is on board during the dose",
    confidence=Confidence.PRIMARY,
    note="asking about doses on the day of treatment follows from this; the pre-dose "
    "checklist asks again on the day",
)
