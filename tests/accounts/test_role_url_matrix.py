"""Every patient-data address × every role, asserted against the rights table in
``remission.accounts.roles`` (rendered in docs/security.md). A member of another clinic gets
404 on every address of clinic A, exactly like a missing record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from remission.accounts.models import Membership
from remission.accounts.roles import Capability, Role, capabilities_of
from remission.chairside.models import FollowUpCall
from remission.patients.models import Patient
from remission.patients.records import RECORD_KINDS
from remission.safety.models import SafetyEscalation
from tests.world import client_for
from tests.world.treatment import treatment_world

C = Capability


@dataclass(frozen=True)
class Address:
    name: str  # URL name, or "api:<route>" for API routes
    method: str
    path: str
    capability: Capability
    ok_status: int = 200
    body: dict[str, Any] | None = None
    form: dict[str, str] | None = None  # a form POST (answers 302 when allowed)


def addresses(patient: Patient) -> list[Address]:
    base = f"/c/{patient.clinic.slug}"
    pid = patient.pk
    rows = [
        Address("patients:list", "GET", f"{base}/patients/", C.VIEW_PATIENT_LIST),
        Address("patients:create", "GET", f"{base}/patients/new/", C.EDIT_DEMOGRAPHICS),
        Address("patients:export", "GET", f"{base}/patients/export.csv", C.EXPORT_PATIENTS),
        Address("patients:chart", "GET", f"{base}/patients/{pid}/", C.VIEW_DEMOGRAPHICS),
        Address("patients:edit", "GET", f"{base}/patients/{pid}/edit/", C.EDIT_DEMOGRAPHICS),
        Address("patients:audit_log", "GET", f"{base}/patients/{pid}/log/", C.VIEW_ACCESS_LOG),
        Address("clinics:members", "GET", f"{base}/admin/staff/", C.MANAGE_USERS),
        Address("clinics:settings", "GET", f"{base}/admin/settings/", C.MANAGE_CLINIC),
        *staff_addresses(patient),
        Address("audit:log", "GET", f"{base}/audit/", C.VIEW_AUDIT_LOG),
        Address("audit:export", "GET", f"{base}/audit/export.csv", C.VIEW_AUDIT_LOG),
        Address(
            "api:list",
            "GET",
            f"/api/v1/clinics/{patient.clinic.slug}/patients",
            C.VIEW_PATIENT_LIST,
        ),
        Address(
            "api:read",
            "GET",
            f"/api/v1/clinics/{patient.clinic.slug}/patients/{pid}",
            C.VIEW_DEMOGRAPHICS,
        ),
        Address(
            "api:create",
            "POST",
            f"/api/v1/clinics/{patient.clinic.slug}/patients",
            C.EDIT_DEMOGRAPHICS,
            201,
            {
                "mrn": "API-1",
                "legal_first_name": "Ana",
                "legal_last_name": "Api",
                "date_of_birth": "1990-01-01",
                "sex_at_birth": "female",
            },
        ),
    ]
    consent = patient.consents.filter(file__gt="").get()
    rows.append(
        Address(
            "patients:consent_file",
            "GET",
            f"{base}/patients/{pid}/consents/{consent.pk}/file/",
            C.VIEW_CONSENTS,
        )
    )
    for slug, kind in RECORD_KINDS.items():
        record = kind.model._default_manager.filter(patient=patient).first()
        assert record is not None, slug
        rows += [
            Address(
                f"patients:record_create/{slug}",
                "GET",
                f"{base}/patients/{pid}/{slug}/new/",
                kind.edit_capability,
            ),
            Address(
                f"patients:record_edit/{slug}",
                "GET",
                f"{base}/patients/{pid}/{slug}/{record.pk}/edit/",
                kind.edit_capability,
            ),
            Address(
                f"patients:record_delete/{slug}",
                "GET",
                f"{base}/patients/{pid}/{slug}/{record.pk}/delete/",
                kind.edit_capability,
            ),
        ]
    return rows + treatment_addresses(patient)


def staff_addresses(patient: Patient) -> list[Address]:
    """Acting on a colleague's credentials, an invitation or a role request: only with the
    right to manage users (a missing invitation or request answers 404 to those who have it)."""
    base = f"/c/{patient.clinic.slug}/admin"
    therapist = Membership.objects.get(clinic=patient.clinic, role=Role.THERAPIST)
    nobody = "00000000-0000-0000-0000-000000000000"
    return [
        Address(
            "clinics:member_reset_password",
            "POST",
            f"{base}/staff/{therapist.pk}/reset-password/",
            C.MANAGE_USERS,
            ok_status=302,
            form={},
        ),
        Address(
            "clinics:invitation_action",
            "POST",
            f"{base}/invitations/{nobody}/resend/",
            C.MANAGE_USERS,
            ok_status=404,
            form={},
        ),
        Address(
            "clinics:grant_decide",
            "POST",
            f"{base}/role-requests/0/",
            C.MANAGE_USERS,
            ok_status=404,
            form={"decision": "approve"},
        ),
    ]


def treatment_addresses(patient: Patient) -> list[Address]:
    """The treatment workflow's screens and actions (world built by ``treatment_world``)."""
    base = f"/c/{patient.clinic.slug}"
    pid = patient.pk
    escalation = SafetyEscalation.objects.filter(patient=patient).first()
    escalation_id = escalation.pk if escalation else 0
    intake = patient.intakes.get()
    course = patient.courses.get()
    session = course.sessions.order_by("scheduled_start").first()
    alert = session.alerts.get()
    call = FollowUpCall.objects.get(patient=patient)
    s = f"{base}/sessions/{session.pk}"
    post = "POST"
    return [
        Address("treatment:overview", "GET", f"{base}/treatment/patients/{pid}/", C.VIEW_CLINICAL),
        Address(
            "treatment:intake_new",
            "GET",
            f"{base}/treatment/patients/{pid}/intake/new/",
            C.RUN_INTAKE,
        ),
        Address(
            "treatment:course_new",
            "GET",
            f"{base}/treatment/patients/{pid}/courses/new/",
            C.MANAGE_COURSES,
        ),
        Address(
            "treatment:intake", "GET", f"{base}/treatment/intakes/{intake.pk}/", C.VIEW_CLINICAL
        ),
        Address(
            "treatment:intake_sign",
            post,
            f"{base}/treatment/intakes/{intake.pk}/sign/",
            C.SIGN_ELIGIBILITY,
            400,
            form={"decision": "needs_review", "note": "matrix"},
        ),
        Address(
            "treatment:intake_addendum",
            post,
            f"{base}/treatment/intakes/{intake.pk}/addendum/",
            C.SIGN_ELIGIBILITY,
            302,
            form={"reason": "matrix", "text": "matrix"},
        ),
        Address(
            "treatment:course", "GET", f"{base}/treatment/courses/{course.pk}/", C.VIEW_CLINICAL
        ),
        Address(
            "treatment:course_phase",
            post,
            f"{base}/treatment/courses/{course.pk}/phase/",
            C.MANAGE_COURSES,
            400,  # a course cannot move back to evaluation: refused inline on the course page
            form={"to_phase": "evaluation"},
        ),
        Address(
            "treatment:course_reevaluation",
            post,
            f"{base}/treatment/courses/{course.pk}/reevaluation/",
            C.MANAGE_COURSES,
            302,
            form={"note": "matrix", "next_due": "2099-01-01"},
        ),
        Address(
            "treatment:reevaluations", "GET", f"{base}/treatment/reevaluations/", C.VIEW_CLINICAL
        ),
        Address("treatment:courses", "GET", f"{base}/treatment/courses/", C.VIEW_CLINICAL),
        Address("scheduling:calendar", "GET", f"{base}/treatment/calendar/", C.VIEW_SCHEDULE),
        Address(
            "scheduling:calendar_settings",
            "GET",
            f"{base}/treatment/calendar/settings/",
            C.MANAGE_CLINIC,
        ),
        Address("scheduling:shifts", "GET", f"{base}/treatment/shifts/", C.MANAGE_SCHEDULE),
        Address(
            "assessments:entry",
            "GET",
            f"{base}/assessments/{pid}/phq9/new/?context=follow_up",
            C.VIEW_CLINICAL,
        ),
        Address("scheduling:board", "GET", f"{base}/sessions/today/", C.VIEW_SCHEDULE),
        Address("scheduling:book_visit", "GET", f"{base}/sessions/visits/new/", C.MANAGE_SCHEDULE),
        Address("follow_up:list", "GET", f"{base}/follow-up/", C.FOLLOW_UP_CALLS),
        Address("follow_up:call", "GET", f"{base}/follow-up/{call.pk}/", C.FOLLOW_UP_CALLS),
        Address(
            "follow_up:call/post",
            post,
            f"{base}/follow-up/{call.pk}/",
            C.FOLLOW_UP_CALLS,
            302,
            form={"outcome": "no_answer"},
        ),
        Address("safety:open", "GET", f"{base}/safety/", C.VIEW_CLINICAL),
        Address("safety:patient", "GET", f"{base}/safety/patients/{pid}/", C.VIEW_CLINICAL),
        Address("safety:escalation", "GET", f"{base}/safety/{escalation_id}/", C.VIEW_CLINICAL),
        Address("rems:dashboard", "GET", f"{base}/rems/", C.MANAGE_REMS),
        Address("controlled:inventory", "GET", f"{base}/controlled/", C.VIEW_CONTROLLED_SUBSTANCES),
        Address(
            "controlled:reconciliation",
            "GET",
            f"{base}/controlled/reconciliation/",
            C.VIEW_CONTROLLED_SUBSTANCES,
        ),
        Address(
            "controlled:export",
            "GET",
            f"{base}/controlled/ledger.csv",
            C.VIEW_CONTROLLED_SUBSTANCES,
        ),
        *[
            Address(
                f"controlled:{name}",
                "GET",
                f"{base}/controlled/{path}/",
                C.MANAGE_CONTROLLED_SUBSTANCES,
            )
            for name, path in (
                ("product_create", "products/new"),
                ("receive", "receive"),
                ("dispense", "dispense"),
                ("waste", "waste"),
                ("return", "return"),
                ("count", "count"),
                ("adjust", "adjust"),
            )
        ],
        Address("rems:enroll", "GET", f"{base}/rems/enrollments/new/?patient={pid}", C.MANAGE_REMS),
        Address("chairside:session", "GET", f"{s}/", C.VIEW_SESSIONS),
        Address("chairside:checks", "GET", f"{s}/checks/", C.VIEW_SESSIONS),
        Address("chairside:concentration", "GET", f"{s}/concentration.svg", C.VIEW_SESSIONS),
        Address("scheduling:reschedule", "GET", f"{s}/reschedule/", C.MANAGE_SCHEDULE),
        Address("scheduling:check_in", post, f"{s}/check-in/", C.MANAGE_SCHEDULE, 302, form={}),
        Address(
            "chairside:checklist",
            post,
            f"{s}/checklist/",
            C.CHART_SESSIONS,
            302,
            form={"item": "identity", "answer": "yes"},
        ),
        Address(
            "chairside:vitals",
            post,
            f"{s}/vitals/",
            C.CHART_SESSIONS,
            302,
            form={"heart_rate_bpm": "70"},
        ),
        Address(
            "chairside:scale",
            post,
            f"{s}/scale/moaas/",
            C.CHART_SESSIONS,
            302,
            form={"moaas-item_1": "5"},
        ),
        Address("chairside:order", post, f"{s}/order/", C.ORDER_DOSES, 302, form={}),
        Address("chairside:verify", post, f"{s}/verify/", C.VERIFY_DOSES, 302, form={}),
        Address(
            "chairside:administer",
            post,
            f"{s}/administer/",
            C.CHART_SESSIONS,
            302,
            form={"action": "pause"},
        ),
        Address(
            "chairside:acknowledge",
            post,
            f"{s}/alerts/{alert.pk}/ack/",
            C.CHART_SESSIONS,
            302,
            form={"action_taken": "rechecked"},
        ),
        Address(
            "chairside:adverse_event",
            post,
            f"{s}/adverse-event/",
            C.CHART_SESSIONS,
            302,
            form={"ae-event_type": "nausea", "ae-grade": "1"},
        ),
        Address(
            "chairside:note",
            post,
            f"{s}/note/",
            C.CHART_SESSIONS,
            302,
            form={"note-text": "matrix"},
        ),
        # refused (no dose yet): the page is shown again with the form as sent, not redirected
        Address(
            "chairside:discharge_assessment",
            post,
            f"{s}/discharge/assessment/",
            C.CHART_SESSIONS,
            200,
            form={"dis-pain": "2", "dis-oriented": "on"},
        ),
        Address("chairside:discharge", post, f"{s}/discharge/", C.CHART_SESSIONS, 302, form={}),
        Address(
            "chairside:missed_check",
            post,
            f"{s}/missed-check/",
            C.CHART_SESSIONS,
            302,
            form={"check_id": "vitals@+15", "missed-reason": "matrix"},
        ),
        Address("chairside:sign", post, f"{s}/sign/", C.SIGN_SESSIONS, 302, form={}),
        Address(
            "chairside:addendum",
            post,
            f"{s}/addendum/",
            C.SIGN_SESSIONS,
            302,
            form={"add-reason": "matrix", "add-text": "matrix"},
        ),
        Address(
            "chairside:not_dosed",
            post,
            f"{s}/not-dosed/",
            C.CHART_SESSIONS,
            302,
            form={"not_dosed-reason": "matrix"},
        ),
    ]


def _request(client: Any, address: Address) -> int:
    if address.form is not None:
        response = client.post(address.path, address.form)
    elif address.method == "POST":
        response = client.post(
            address.path, data=json.dumps(address.body), content_type="application/json"
        )
    else:
        response = client.get(address.path)
    return int(response.status_code)


@pytest.fixture
def consent_file(
    settings: Any, tmp_path: Any, patient: Patient, members: dict[str, Membership]
) -> None:
    settings.MEDIA_ROOT = tmp_path
    treatment_world(members, patient)


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_every_patient_data_address_follows_the_rights_table(
    role: str, members: dict[str, Membership], patient: Patient, consent_file: None
) -> None:
    client = client_for(members[role])
    allowed = capabilities_of(role)
    mismatches = []
    for address in addresses(patient):
        expected = address.ok_status if address.capability in allowed else 403
        status = _request(client, address)
        if status != expected:
            mismatches.append(f"{address.method} {address.name}: expected {expected}, got {status}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_a_member_of_another_clinic_gets_404_on_every_address(
    outsider: Membership, patient: Patient, consent_file: None
) -> None:
    client = client_for(outsider)
    statuses = {a.name: _request(client, a) for a in addresses(patient)}
    assert statuses == dict.fromkeys(statuses, 404)


@pytest.mark.django_db
def test_a_missing_patient_answers_exactly_like_another_clinics_patient(
    members: dict[str, Membership], outsider: Membership, patient: Patient
) -> None:
    missing = client_for(members[Role.MEDICAL_DIRECTOR]).get(
        "/c/alpha/patients/00000000-0000-0000-0000-000000000000/"
    )
    foreign = client_for(outsider).get(f"/c/alpha/patients/{patient.pk}/")
    assert missing.status_code == foreign.status_code == 404
    assert _main(missing.content) == _main(foreign.content)
    assert "No such" not in _main(missing.content)


def _main(html: bytes) -> str:
    text = html.decode()
    return text[text.index("<main") : text.index("</main>")]


PATIENT_DATA_NAMESPACES = {
    "patients",
    "clinics",
    "audit",
    "scheduling",
    "treatment",
    "chairside",
    "assessments",
    "rems",
    "controlled",
    "safety",
    "follow_up",
}


def _named_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif (
                isinstance(entry, URLPattern)
                and entry.name
                and namespace in PATIENT_DATA_NAMESPACES
            ):
                names.add(f"{namespace}:{entry.name}")

    walk(get_resolver().url_patterns, "")
    return names


@pytest.mark.django_db
def test_the_matrix_covers_every_patient_data_route(patient: Patient, consent_file: None) -> None:
    covered = {a.name.split("/")[0] for a in addresses(patient) if not a.name.startswith("api:")}
    # Staff administration sub-pages act on members, not patients; they are tested with the
    # MANAGE_USERS capability in test_admin_screens.
    not_patient_data = {"clinics:member_edit", "clinics:member_reset_two_factor"}
    # The REMS form pages need an esketamine session with a dose charted; they are asserted
    # for every role (VIEW_SESSIONS or MANAGE_REMS) in test_rems_views.py.
    not_patient_data |= {"rems:session", "rems:pdf", "rems:submit"}
    # A lot's ledger needs a received lot; test_controlled_views.py asserts it for every role.
    not_patient_data |= {"controlled:lot"}
    assert _named_routes() - not_patient_data == covered


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_writes_are_refused_without_the_capability(
    role: str, members: dict[str, Membership], patient: Patient
) -> None:
    client = client_for(members[role])
    allowed = capabilities_of(role)
    response = client.post(
        f"/c/alpha/patients/{patient.pk}/allergies/new/", {"substance": "Latex", "severity": "mild"}
    )
    expected = 302 if C.EDIT_HISTORY in allowed else 403
    assert response.status_code == expected
    assert patient.allergies.filter(substance="Latex").exists() == (expected == 302)
