"""Treatment protocols: definitions, session schedules and in-session monitoring plans.

``definitions`` declares each protocol with its sources; ``schedule`` dates a course on a
clinic calendar; ``staffing`` says how many dosing sessions the staff on shift can monitor;
``monitoring_plan`` says what is checked when during a dosing session.
"""

from remission.clinical.protocols.definitions import (
    PROTOCOLS,
    Cadence,
    DoseSpec,
    Phase,
    Protocol,
    SessionKind,
    SessionTiming,
    all_protocols,
    get_protocol,
)
from remission.clinical.protocols.monitoring_plan import (
    CheckPhase,
    MonitoringPlan,
    ObservationFrom,
    PlannedCheck,
)
from remission.clinical.protocols.schedule import (
    ChairBooking,
    ClinicCalendar,
    OpeningHours,
    PatientBooking,
    Schedule,
    ScheduledSession,
    SessionMove,
    SlotCheck,
    check_slot,
    generate_schedule,
    parse_weekdays,
)
from remission.clinical.protocols.staffing import StaffingGap, StaffShift, staffing_gaps
from remission.clinical.protocols.visits import VISIT_MINUTES_KEY, visit_problems

__all__ = [
    "PROTOCOLS",
    "VISIT_MINUTES_KEY",
    "Cadence",
    "ChairBooking",
    "CheckPhase",
    "ClinicCalendar",
    "DoseSpec",
    "MonitoringPlan",
    "ObservationFrom",
    "OpeningHours",
    "PatientBooking",
    "Phase",
    "PlannedCheck",
    "Protocol",
    "Schedule",
    "ScheduledSession",
    "SessionKind",
    "SessionMove",
    "SessionTiming",
    "SlotCheck",
    "StaffShift",
    "StaffingGap",
    "all_protocols",
    "check_slot",
    "generate_schedule",
    "get_protocol",
    "parse_weekdays",
    "staffing_gaps",
    "visit_problems",
]
