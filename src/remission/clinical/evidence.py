"""Sources and confidence labels carried by every clinical rule.

The labels follow ``shared/reference/clinical.md``:

* ``src``  – read in the primary source (or a verbatim copy of it);
* ``2nd``  – read only in a secondary source;
* ``mem``  – recalled from the literature, not re-checked;
* ``?``    – uncertain, conflicting or a practice convention.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Confidence(enum.StrEnum):
    PRIMARY = "src"
    SECONDARY = "2nd"
    RECALLED = "mem"
    UNCERTAIN = "?"

    @property
    def description(self) -> str:
        return _CONFIDENCE_TEXT[self]


_CONFIDENCE_TEXT = {
    Confidence.PRIMARY: "read in the primary source",
    Confidence.SECONDARY: "read only in a secondary source",
    Confidence.RECALLED: "recalled from the literature, not re-checked",
    Confidence.UNCERTAIN: "uncertain, conflicting or a practice convention",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a rule or number comes from, and how sure we are of it."""

    citation: str
    confidence: Confidence
    url: str = ""
    note: str = ""

    def label(self) -> str:
        return f"{self.citation} [{self.confidence.value}]"
