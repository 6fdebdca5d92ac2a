"""Reading intakes stored by the older intake form, so a signed intake keeps its meaning.

Before the medication list and the pre-sedation assessment, the form asked yes/no per medicine
class (``medications`` was an object of booleans with ``lorazepam_equivalent_mg_per_day``) and
did not ask about sleep apnoea, COPD, heart failure, hypertensive encephalopathy or moderate
hepatic impairment. ``upgrade_answers`` turns such stored answers into the current schema
without inventing anything:

* the boxes move, unchanged, to ``legacy_medication_boxes`` and the rules read them exactly as
  before (same reasons, same severities); the list is empty;
* ``alcohol`` and ``presedation`` are ``null``: not asked then, so no reason is drawn from them;
* the history flags the older form did not have read as not reported, which is what the signed
  assessment was computed from.

Answers already in the current shape pass through untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# history flags added with the pre-sedation assessment (absent from older stored answers)
ADDED_HISTORY_FLAGS = (
    "heart_failure",
    "hypertensive_encephalopathy_history",
    "obstructive_sleep_apnoea",
    "copd",
    "moderate_hepatic_impairment",
)
# the medicine classes the SPRAVATO REMS monitoring form asks about, as the boxes named them
REMS_FORM_CLASSES = ("benzodiazepine", "z_drug", "stimulant", "maoi", "opioid")


def is_legacy(data: object) -> bool:
    """Stored by the older form: ``medications`` is an object of yes/no boxes, not a list."""
    return isinstance(data, Mapping) and isinstance(data.get("medications"), Mapping)


def upgrade_answers(data: object) -> object:
    """Older stored answers in the current schema (see the module text); others unchanged."""
    if not is_legacy(data):
        return data
    assert isinstance(data, Mapping)
    upgraded: dict[str, Any] = dict(data)
    upgraded["legacy_medication_boxes"] = upgraded.pop("medications")
    upgraded["medications"] = []
    upgraded.setdefault("alcohol", None)
    upgraded.setdefault("presedation", None)
    history = upgraded.get("history")
    if isinstance(history, Mapping):
        upgraded["history"] = {**dict.fromkeys(ADDED_HISTORY_FLAGS, False), **history}
    return upgraded
