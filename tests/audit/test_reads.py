"""One audit write per request and patient (issue 12 item 12, issue 13): the reads of a request
are collected and written when it ends; a list, board or search is one event naming the
patients it showed; the chart's access log shows direct reads unless asked for lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.middleware import RequestContextMiddleware
from remission.audit.models import AuditAction, AuditEvent, AuditEventPatient
from remission.audit.patient_log import patient_log
from remission.audit.services import coalesced_reads, record_access, verify_chain
from remission.patients import selectors as patient_selectors
from remission.patients.models import Patient
from tests.world import client_for
from tests.world.controlled import dosing_session

pytestmark = pytest.mark.django_db


def _new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=since).order_by("id"))


def _last_id() -> int:
    newest = AuditEvent.objects.order_by("-id").first()
    return newest.id if newest else 0


@pytest.fixture
def booked_today(patient: Patient) -> list[Patient]:
    """Six patients with a session on today's board (the fixture patient first)."""
    others = [
        Patient.objects.create(
            clinic=patient.clinic,
            mrn=f"B-{i:03d}",
            legal_first_name=f"Board{i}",
            legal_last_name="Listed",
            date_of_birth=dt.date(1975, 1, 1) + dt.timedelta(days=i),
            sex_at_birth="male",
        )
        for i in range(5)
    ]
    shown = [patient, *others]
    for p in shown:
        dosing_session(p)
    return shown


def _read_inside(request_reads: Any) -> HttpResponse:
    """A request through the real middleware whose view does ``request_reads``."""

    def view(request: HttpRequest) -> HttpResponse:
        return request_reads(request)

    request = RequestFactory().get("/c/alpha/anything/", REMOTE_ADDR="10.0.0.7")
    return RequestContextMiddleware(view)(request)


def test_a_board_of_six_patients_writes_one_list_event_naming_the_six(
    members: dict[str, Membership], booked_today: list[Patient]
) -> None:
    since = _last_id()
    response = client_for(members[Role.NURSE]).get("/c/alpha/sessions/today/")
    assert response.status_code == 200
    events = _new_events(since)
    assert len(events) == 1
    (event,) = events
    assert event.action == AuditAction.LIST and event.patient_id is None
    assert "day board" in event.summary
    assert event.ip_address == "127.0.0.1"
    named = set(event.named_patients.values_list("patient_id", "names_only"))
    assert named == {(p.pk, True) for p in booked_today}
    assert verify_chain().ok


def test_a_chart_view_writes_one_event(members: dict[str, Membership], patient: Patient) -> None:
    since = _last_id()
    response = client_for(members[Role.PRESCRIBER]).get(f"/c/alpha/patients/{patient.pk}/")
    assert response.status_code == 200
    events = _new_events(since)
    assert [(e.action, e.patient_id) for e in events] == [(AuditAction.VIEW, patient.pk)]
    assert not AuditEventPatient.objects.filter(event__in=events).exists()


def test_a_request_reading_the_same_patient_sixteen_times_writes_one_event(
    members: dict[str, Membership], patient: Patient
) -> None:
    nurse = members[Role.NURSE]

    def sixteen_reads(request: HttpRequest) -> HttpResponse:
        for check in range(16):
            record_access(
                actor=nurse.user,
                clinic_id=nurse.clinic_id,
                action=AuditAction.VIEW,
                what="reconciliation" if check else "session",
                patient_ids=[patient.pk],
            )
        return HttpResponse("ok")

    since = _last_id()
    _read_inside(sixteen_reads)
    (event,) = _new_events(since)
    assert event.patient_id == patient.pk
    assert event.summary == "session; reconciliation"  # every purpose, each once
    assert event.ip_address == "10.0.0.7"  # written while the request was still bound


def test_reads_are_written_at_the_end_of_the_request_not_during_it(
    members: dict[str, Membership], patient: Patient
) -> None:
    nurse = members[Role.NURSE]
    during: list[int] = []

    def view(request: HttpRequest) -> HttpResponse:
        since = _last_id()
        record_access(
            actor=nurse.user,
            clinic_id=nurse.clinic_id,
            action=AuditAction.VIEW,
            what="chart",
            patient_ids=[patient.pk],
        )
        during.append(len(_new_events(since)))
        return HttpResponseRedirect("/c/alpha/")

    since = _last_id()
    response = _read_inside(view)
    assert response.status_code == 302
    assert during == [0]
    assert len(_new_events(since)) == 1  # a redirect still records the reads made before it


def test_reads_made_before_a_failure_are_still_recorded(
    members: dict[str, Membership], patient: Patient
) -> None:
    nurse = members[Role.NURSE]

    def failing(request: HttpRequest) -> HttpResponse:
        record_access(
            actor=nurse.user,
            clinic_id=nurse.clinic_id,
            action=AuditAction.VIEW,
            what="chart",
            patient_ids=[patient.pk],
        )
        raise RuntimeError("the view failed after reading")

    since = _last_id()
    with pytest.raises(RuntimeError):
        _read_inside(failing)
    (event,) = _new_events(since)
    assert event.patient_id == patient.pk


def test_a_patient_read_directly_is_not_named_again_by_the_list_of_the_same_request(
    members: dict[str, Membership], patient: Patient, booked_today: list[Patient]
) -> None:
    nurse = members[Role.NURSE]
    since = _last_id()
    with coalesced_reads():
        for action, ids in (
            (AuditAction.LIST, [p.pk for p in booked_today]),
            (AuditAction.VIEW, [patient.pk]),
            (AuditAction.VIEW, [booked_today[1].pk, booked_today[2].pk]),  # a worklist
        ):
            record_access(
                actor=nurse.user,
                clinic_id=nurse.clinic_id,
                action=action,
                what=str(action),
                patient_ids=ids,
            )
    direct, shown = _new_events(since)
    assert direct.patient_id == patient.pk
    assert shown.action == AuditAction.VIEW  # the most revealing purpose of the set
    named = dict(shown.named_patients.values_list("patient_id", "names_only"))
    assert patient.pk not in named
    assert named == {
        **{p.pk: True for p in booked_today[3:]},
        booked_today[1].pk: False,
        booked_today[2].pk: False,
    }


def test_the_access_log_shows_direct_reads_and_lists_only_on_request(
    members: dict[str, Membership], patient: Patient, booked_today: list[Patient]
) -> None:
    nurse, director = members[Role.NURSE], members[Role.MEDICAL_DIRECTOR]
    client_for(nurse).get("/c/alpha/sessions/today/")
    client_for(nurse).get(f"/c/alpha/patients/{patient.pk}/")
    listing = AuditEvent.objects.get(action=AuditAction.LIST, summary__contains="day board")
    chart_read = AuditEvent.objects.filter(patient_id=patient.pk, action=AuditAction.VIEW).latest(
        "id"
    )

    chart = patient_selectors.patient_chart(membership=director, patient_id=patient.pk)
    assert chart_read in chart.access_log and listing not in chart.access_log
    _, default = patient_selectors.patient_audit_trail(membership=director, patient_id=patient.pk)
    assert listing not in default.events and chart_read in default.events
    _, with_lists = patient_selectors.patient_audit_trail(
        membership=director, patient_id=patient.pk, include_lists=True
    )
    assert listing in with_lists.events and chart_read in with_lists.events
    assert [e.id for e in with_lists.events] == sorted(
        (e.id for e in with_lists.events), reverse=True
    )

    page = client_for(director).get(f"/c/alpha/patients/{patient.pk}/log/").content.decode()
    assert "Also show lists that included this patient" in page
    assert "day board" not in page
    page = client_for(director).get(f"/c/alpha/patients/{patient.pk}/log/?lists=1").content.decode()
    assert "day board" in page


def test_the_access_log_pages_by_event_id(members: dict[str, Membership], patient: Patient) -> None:
    nurse = members[Role.NURSE]
    for n in range(7):
        record_access(
            actor=nurse.user,
            clinic_id=nurse.clinic_id,
            action=AuditAction.VIEW,
            what=f"read {n}",
            patient_ids=[patient.pk],
        )
    everything = patient_log(patient.pk, limit=1000).events
    first = patient_log(patient.pk, limit=5)
    assert first.events == everything[:5] and first.older_than == everything[4].id
    second = patient_log(patient.pk, limit=5, before=first.older_than)
    assert second.events == everything[5:10]


def test_the_access_log_query_does_not_grow_with_the_times_the_patient_was_viewed(
    members: dict[str, Membership], patient: Patient, booked_today: list[Patient]
) -> None:
    nurse = members[Role.NURSE]

    def read(action: AuditAction, ids: list[Any], times: int) -> None:
        for _ in range(times):
            record_access(
                actor=nurse.user,
                clinic_id=nurse.clinic_id,
                action=action,
                what="x",
                patient_ids=ids,
            )

    read(AuditAction.VIEW, [patient.pk], 30)
    read(AuditAction.LIST, [p.pk for p in booked_today], 30)
    read(AuditAction.EXPORT, [p.pk for p in booked_today], 30)
    for include_lists in (False, True):
        with CaptureQueriesContext(connection) as queries:
            page = patient_log(patient.pk, include_lists=include_lists, limit=20)
        assert len(page.events) == 20
        statements = [q["sql"] for q in queries.captured_queries]
        assert len(statements) == 3, [
            s[:90] for s in statements
        ]  # a bounded read per source, then the rows
        assert all("LIMIT 21" in q["sql"] for q in queries.captured_queries[:-1])
    if connection.vendor == "sqlite":
        # Every source is read newest first from its index: no sort of the patient's history.
        for sql in (q["sql"] for q in queries.captured_queries[:-1]):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
            assert "USING COVERING INDEX audit_" in plan or "USING INDEX audit_" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
