"""Esketamine label rules: by indication (TRD, MDSI) and by label (US FDA, EU/UK SmPC).

``label`` holds the indications, the clinic's label setting, the day-1 dose and the doses a
patient may be given; ``planning`` what a planned course needs reviewed; ``induction`` whether
induction still gives its 8 doses by the end of week 4. Sources are in ``sources``.
"""

from remission.clinical.esketamine.induction import (
    INDUCTION_DOSES,
    InductionProgress,
    induction_progress,
)
from remission.clinical.esketamine.label import (
    LABEL_KEY,
    EsketaminePatient,
    Indication,
    Label,
    LabelNotice,
    StartDose,
    clinic_label,
    dose_notices,
    needs_oral_antidepressant,
    start_dose,
)
from remission.clinical.esketamine.planning import course_review_notices

__all__ = [
    "INDUCTION_DOSES",
    "LABEL_KEY",
    "EsketaminePatient",
    "Indication",
    "InductionProgress",
    "Label",
    "LabelNotice",
    "StartDose",
    "clinic_label",
    "course_review_notices",
    "dose_notices",
    "induction_progress",
    "needs_oral_antidepressant",
    "start_dose",
]
