"""Roles and what each may do. This table is the single source of truth for authorisation.

Selectors and services call ``require(membership, Capability.X)``; views only hide what a role
may not use. ``docs/security.md`` renders this table (``remission roles --markdown``) and the
role × URL test asserts it against every patient-data address.
"""

from __future__ import annotations

import enum

from django.db import models


class Role(models.TextChoices):
    MEDICAL_DIRECTOR = "medical_director", "Medical director"
    PRESCRIBER = "prescriber", "Prescriber"
    NURSE = "nurse", "Nurse"
    THERAPIST = "therapist", "Therapist"
    FRONT_DESK = "front_desk", "Front desk"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


class Capability(enum.StrEnum):
    VIEW_PATIENT_LIST = "view_patient_list"
    VIEW_DEMOGRAPHICS = "view_demographics"
    EDIT_DEMOGRAPHICS = "edit_demographics"
    VIEW_CLINICAL = "view_clinical"
    EDIT_DIAGNOSES = "edit_diagnoses"
    EDIT_HISTORY = "edit_history"
    VIEW_CONSENTS = "view_consents"
    MANAGE_CONSENTS = "manage_consents"
    VIEW_ACCESS_LOG = "view_access_log"
    VIEW_SCHEDULE = "view_schedule"
    MANAGE_SCHEDULE = "manage_schedule"
    RUN_INTAKE = "run_intake"
    SIGN_ELIGIBILITY = "sign_eligibility"
    MANAGE_COURSES = "manage_courses"
    VIEW_SESSIONS = "view_sessions"
    CHART_SESSIONS = "chart_sessions"
    ORDER_DOSES = "order_doses"
    VERIFY_DOSES = "verify_doses"
    SIGN_SESSIONS = "sign_sessions"
    FOLLOW_UP_CALLS = "follow_up_calls"
    CLOSE_ESCALATIONS = "close_escalations"
    MANAGE_REMS = "manage_rems"
    VIEW_CONTROLLED_SUBSTANCES = "view_controlled_substances"
    MANAGE_CONTROLLED_SUBSTANCES = "manage_controlled_substances"
    EXPORT_PATIENTS = "export_patients"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_USERS = "manage_users"
    APPROVE_CLINICAL_ROLES = "approve_clinical_roles"
    MANAGE_CLINIC = "manage_clinic"

    @property
    def description(self) -> str:
        return CAPABILITY_DESCRIPTIONS[self]


CAPABILITY_DESCRIPTIONS: dict[Capability, str] = {
    Capability.VIEW_PATIENT_LIST: "List and search patients (name, MRN, date of birth)",
    Capability.VIEW_DEMOGRAPHICS: "Open a chart's demographics, contacts and providers",
    Capability.EDIT_DEMOGRAPHICS: "Register patients and edit demographics",
    Capability.VIEW_CLINICAL: "See diagnoses, allergies, measurements, treatment history",
    Capability.EDIT_DIAGNOSES: "Record and change diagnoses",
    Capability.EDIT_HISTORY: "Record allergies, weights/heights and antidepressant trials",
    Capability.VIEW_CONSENTS: "See consents and their files",
    Capability.MANAGE_CONSENTS: "Record and revoke consents",
    Capability.VIEW_ACCESS_LOG: "See who accessed and changed a patient's chart",
    Capability.VIEW_SCHEDULE: "See the clinic calendar and the day board (no clinical notes)",
    Capability.MANAGE_SCHEDULE: "Book, reschedule, cancel and mark no-shows",
    Capability.RUN_INTAKE: "Run a clinical intake (history, medications, baseline scales)",
    Capability.SIGN_ELIGIBILITY: "Sign an eligibility decision",
    Capability.MANAGE_COURSES: "Plan treatment courses and change their phase",
    Capability.VIEW_SESSIONS: "Open chair-side session records",
    Capability.CHART_SESSIONS: (
        "Chart sessions: checklist, vitals, scales, administration, events; end one undosed"
    ),
    Capability.ORDER_DOSES: "Write the dose order for a session",
    Capability.VERIFY_DOSES: "Independently verify a dose order (second person)",
    Capability.SIGN_SESSIONS: "Sign off and lock a session; write addenda",
    Capability.FOLLOW_UP_CALLS: "See the follow-up calls after discharge and record them",
    Capability.CLOSE_ESCALATIONS: "Record the disposition of a suicide-risk escalation",
    Capability.MANAGE_REMS: "Record REMS enrollment and submit monitoring forms",
    Capability.VIEW_CONTROLLED_SUBSTANCES: "See the controlled-substance log and reconciliation",
    Capability.MANAGE_CONTROLLED_SUBSTANCES: "Receive, dispense and waste controlled substances",
    Capability.EXPORT_PATIENTS: "Export the patient register (CSV)",
    Capability.VIEW_AUDIT_LOG: "Filter and export the clinic's audit log",
    Capability.MANAGE_USERS: "Invite staff, change roles, deactivate members",
    Capability.APPROVE_CLINICAL_ROLES: (
        "Approve a prescriber or medical-director role asked for by someone else"
    ),
    Capability.MANAGE_CLINIC: "Change clinic settings (time zone, two-factor, REMS number)",
}

_C = Capability
_ALL = frozenset(Capability)

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.MEDICAL_DIRECTOR: _ALL,
    Role.PRESCRIBER: frozenset(
        {
            _C.VIEW_PATIENT_LIST,
            _C.VIEW_DEMOGRAPHICS,
            _C.EDIT_DEMOGRAPHICS,
            _C.VIEW_CLINICAL,
            _C.EDIT_DIAGNOSES,
            _C.EDIT_HISTORY,
            _C.VIEW_CONSENTS,
            _C.MANAGE_CONSENTS,
            _C.VIEW_ACCESS_LOG,
            _C.EXPORT_PATIENTS,
            _C.VIEW_SCHEDULE,
            _C.MANAGE_SCHEDULE,
            _C.RUN_INTAKE,
            _C.SIGN_ELIGIBILITY,
            _C.MANAGE_COURSES,
            _C.VIEW_SESSIONS,
            _C.CHART_SESSIONS,
            _C.ORDER_DOSES,
            _C.VERIFY_DOSES,
            _C.SIGN_SESSIONS,
            _C.FOLLOW_UP_CALLS,
            _C.CLOSE_ESCALATIONS,
            _C.MANAGE_REMS,
            _C.VIEW_CONTROLLED_SUBSTANCES,
            _C.MANAGE_CONTROLLED_SUBSTANCES,
        }
    ),
    Role.NURSE: frozenset(
        {
            _C.VIEW_PATIENT_LIST,
            _C.VIEW_DEMOGRAPHICS,
            _C.EDIT_DEMOGRAPHICS,
            _C.VIEW_CLINICAL,
            _C.EDIT_HISTORY,
            _C.VIEW_CONSENTS,
            _C.MANAGE_CONSENTS,
            _C.VIEW_SCHEDULE,
            _C.MANAGE_SCHEDULE,
            _C.RUN_INTAKE,
            _C.VIEW_SESSIONS,
            _C.CHART_SESSIONS,
            _C.VERIFY_DOSES,
            _C.FOLLOW_UP_CALLS,
            _C.MANAGE_REMS,
            _C.VIEW_CONTROLLED_SUBSTANCES,
            _C.MANAGE_CONTROLLED_SUBSTANCES,
        }
    ),
    Role.THERAPIST: frozenset(
        {
            _C.VIEW_PATIENT_LIST,
            _C.VIEW_DEMOGRAPHICS,
            _C.VIEW_CLINICAL,
            _C.VIEW_CONSENTS,
            _C.VIEW_SCHEDULE,
            _C.VIEW_SESSIONS,
        }
    ),
    Role.FRONT_DESK: frozenset(
        {
            _C.VIEW_PATIENT_LIST,
            _C.VIEW_DEMOGRAPHICS,
            _C.EDIT_DEMOGRAPHICS,
            _C.VIEW_CONSENTS,
            _C.MANAGE_CONSENTS,
            _C.VIEW_SCHEDULE,
            _C.MANAGE_SCHEDULE,
        }
    ),
    Role.CLINIC_ADMIN: frozenset(
        {
            _C.VIEW_PATIENT_LIST,
            _C.VIEW_DEMOGRAPHICS,
            _C.VIEW_ACCESS_LOG,
            _C.VIEW_AUDIT_LOG,
            _C.MANAGE_USERS,
            _C.MANAGE_CLINIC,
            _C.VIEW_SCHEDULE,
            _C.MANAGE_REMS,
            _C.VIEW_CONTROLLED_SUBSTANCES,
        }
    ),
}


def capabilities_of(role: str) -> frozenset[Capability]:
    return ROLE_CAPABILITIES.get(role, frozenset())


def roles_table_markdown() -> str:
    """The rights table for ``docs/security.md``."""
    roles = list(Role)
    header = "| Capability | " + " | ".join(r.label for r in roles) + " |"
    rule = "|---|" + "---|" * len(roles)
    rows = [
        f"| {cap.description} (`{cap.value}`) | "
        + " | ".join("✔" if cap in ROLE_CAPABILITIES[r] else "—" for r in roles)
        + " |"
        for cap in Capability
    ]
    return "\n".join([header, rule, *rows])
