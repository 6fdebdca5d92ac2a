"""Dates and times are entered and shown one way, ISO 8601 (2026-03-04, 14:30, 24-hour).

Django's English formats also accept 03/04/2026 and 03/04/26, which a reader from outside the
United States takes for 3 April: an ambiguous date in a medical record is a known hazard, so
only the ISO forms are accepted and the form widgets (``remission.forms``) say so.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
]
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
