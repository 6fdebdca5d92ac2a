"""Server time of the chair-side session page on a clinic with 10 years of history.

    PYTHONPATH=src .venv/bin/python bench/session_page.py          # the defaults below
    PYTHONPATH=src .venv/bin/python bench/session_page.py --patients 3000 --years 10 \
        --baseline-days 30 --reps 200 --rounds 4 --root /tmp/remission-bench

Two clinics are built, each in its own throwaway SQLite database under ``--root`` (one
``REMISSION_VAR_DIR`` each, migrated from scratch), with the demo's patient and treatment
generators (``remission.demo.treatment``):

* *history*: ``--patients`` registered over ``--years`` of history (every session charted in
  full, every created row with its audit event);
* *baseline* (named, measured in the same run): the same clinic one month old —
  ``--baseline-days`` of history, patients registered at the same rate (at least
  ``--baseline-min-patients``).

In each clinic the same session is then charted through the chair-side services (today's
infusion of the IV patient with the longest record, under observation: checklist, PHQ-9,
order and second check, vitals / MOAA/S every 15 min, CADSS-6, infusion started and stopped),
and measured with Django's test ``Client`` as a force-logged-in nurse:

* GET ``/c/<slug>/sessions/<id>/`` (the full page);
* POST ``/c/<slug>/sessions/<id>/vitals/`` as the screen sends it (HTMX: the session part is
  re-rendered); the saved reading is removed after each timed POST, untimed, so every POST
  sees the same chart.

``--reps`` timed requests of each kind after ``--warmup`` untimed ones, in ``--rounds``
alternating rounds (baseline, history, baseline, …, each round a fresh process) so that the
machine's changing load hits both alike. Server time is the wall time of ``Client.get/post``
(middleware, view, queries, template; no network). The SQL statements of one request are
counted and timed one by one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from machine import machine  # bench/machine.py, beside this script

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent


# --- orchestration (no Django here) -----------------------------------------------------------


def _phase(args: argparse.Namespace, phase: str, var: Path, **extra: Any) -> dict[str, Any]:
    env = {
        **os.environ,
        "REMISSION_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "remission.config.settings",
        "ALLOWED_HOSTS": "testserver,localhost",
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("DATABASE_URL", None)
    command = [sys.executable, str(HERE), "--phase", phase, "--var", str(var)]
    for key, value in extra.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    command += ["--seed", str(args.seed), "--warmup", str(args.warmup)]
    subprocess.run(command, env=env, check=True)
    return json.loads((var / f"{phase}.json").read_text())


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(0.95 * len(ordered)) - 1)], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "max_ms": round(ordered[-1], 2),
    }


def orchestrate(args: argparse.Namespace) -> None:
    root = Path(args.root)
    results: dict[str, Any] = {"machine_start": machine(), "arguments": vars(args)}
    history_days = round(args.years * 365.25)
    # The baseline is the same clinic one month old: patients registered at the same rate, but
    # at least enough for a busy day on the chairs.
    baseline_patients = max(
        args.baseline_min_patients, args.patients * args.baseline_days // history_days
    )
    clinics = (
        ("baseline", args.baseline_days, baseline_patients),
        ("history", history_days, args.patients),
    )
    for name, days, patients in clinics:
        var = root / name
        if var.exists() and not args.reuse:
            shutil.rmtree(var)
        var.mkdir(parents=True, exist_ok=True)
        if not (var / "build.json").exists():
            print(f"building the {name} clinic ({days} days of history)…", flush=True)
            _phase(args, "build", var, patients=patients, days=days, chairs=args.chairs)
        results[f"{name}_build"] = json.loads((var / "build.json").read_text())
    # Measure in alternating rounds so that a change in the machine's load hits both alike.
    per_round = max(1, args.reps // args.rounds)
    rounds: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in clinics}
    for number in range(args.rounds):
        for name, _, _ in clinics:
            print(f"round {number + 1}/{args.rounds}: measuring the {name} clinic…", flush=True)
            rounds[name].append(_phase(args, "measure", root / name, reps=per_round))
    for name, _, _ in clinics:
        first = rounds[name][0]
        measured: dict[str, Any] = {
            key: first[key] for key in ("session", "status", "patient_sessions", "patient_scales")
        }
        measured["entries"] = first["entries_before"]
        for kind in ("get", "post"):
            times = [t for r in rounds[name] for t in r[kind]["times_ms"]]
            measured[kind] = {
                "reps": len(times),
                **_percentiles(times),
                "round_p50_ms": [r[kind]["p50_ms"] for r in rounds[name]],
                **{k: first[kind][k] for k in ("queries", "query_ms", "slowest_queries")},
                "response_kb": first[kind]["response_kb"],
            }
        results[f"{name}_measure"] = measured
    results["machine_end"] = machine()
    for kind in ("get", "post"):
        base = results["baseline_measure"][kind]
        big = results["history_measure"][kind]
        results[f"{kind}_ratio"] = {
            "p50": round(big["p50_ms"] / base["p50_ms"], 3),
            "p95": round(big["p95_ms"] / base["p95_ms"], 3),
        }
    out = Path(args.out or root / "results.json")
    out.write_text(json.dumps(results, indent=2, default=str))
    print(json.dumps(_summary(results), indent=2))
    print(f"full results: {out}")


def _summary(results: dict[str, Any]) -> dict[str, Any]:
    summary: dict[str, Any] = {"machine": results["machine_start"]}
    for name in ("baseline", "history"):
        build, measure = results[f"{name}_build"], results[f"{name}_measure"]
        summary[name] = {
            "history_days": build["history_days"],
            "patients": build["patients"],
            "sessions": build["counts"].get("chairside.TreatmentSession"),
            "build_s": round(build["seconds"], 1),
            "database_mb": build["database_mb"],
            "patient_sessions": measure["patient_sessions"],
            **{
                kind: {k: measure[kind][k] for k in ("p50_ms", "p95_ms", "queries", "query_ms")}
                for kind in ("get", "post")
            },
        }
    summary["ratio_history_over_baseline"] = {
        "get": results["get_ratio"],
        "post": results["post_ratio"],
    }
    return summary


# --- phases (each in its own process, with the clinic's REMISSION_VAR_DIR) ----------------------


def _setup_django() -> None:
    import django

    django.setup()


def build(args: argparse.Namespace) -> None:
    """Migrate, register the patients, and generate ``--days`` of treatment history."""
    _setup_django()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from remission.demo.treatment import build_treatment

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    with transaction.atomic():
        clinic = _clinic_with_staff()
        _patients(clinic, args.patients, args.seed, timezone.localdate())
    registered = time.perf_counter()
    demo = build_treatment(
        clinic=clinic,
        seed=args.seed,
        history_days=args.days,
        chairs=args.chairs,
        rems_forms=False,
        maintenance_stop_per_dose=1 / 60,
    )
    done = time.perf_counter()
    size = Path(os.environ["REMISSION_VAR_DIR"], "remission.sqlite3").stat().st_size
    _write(
        args,
        "build",
        {
            "history_days": args.days,
            "patients": args.patients,
            "chairs": args.chairs,
            "seconds": done - started,
            "migrate_s": migrated - started,
            "patients_s": registered - migrated,
            "treatment_s": done - registered,
            "treatment_timings": demo.timings,
            "counts": demo.counts,
            "database_mb": round(size / 2**20, 1),
        },
    )


def _clinic_with_staff() -> Any:
    from remission.accounts.models import Membership, User
    from remission.accounts.roles import Role
    from remission.clinics.models import Clinic

    clinic = Clinic.objects.create(
        slug="bench",
        name="Benchmark Clinic",
        phone="(207) 555-0100",
        time_zone="America/New_York",
        rems_certification_number="BENCH-REMS-1",
        require_two_factor=False,
    )
    for username, role in (
        ("director", Role.MEDICAL_DIRECTOR),
        ("prescriber", Role.PRESCRIBER),
        ("nurse", Role.NURSE),
        ("frontdesk", Role.FRONT_DESK),
    ):
        user = User(
            username=username,
            email=f"{username}@bench.remission.example",
            first_name=username.title(),
            last_name="Bench",
        )
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, clinic=clinic, role=role)
    return clinic


def _patients(clinic: Any, count: int, seed: int, today: dt.date) -> None:
    """The demo's synthetic patients, bulk-created (the page never reads their audit trail)."""
    from collections import defaultdict

    from remission.clinical.synthetic.patients import generate_patients
    from remission.demo.builder import patient_records
    from remission.patients.models import Patient

    patients = []
    records: dict[type, list[Any]] = defaultdict(list)
    for synthetic in generate_patients(count, seed=seed, today=today):
        patient, rows = patient_records(synthetic, clinic, None, today)
        patients.append(patient)
        for row in rows:
            records[type(row)].append(row)
    Patient.objects.bulk_create(patients)
    for model, rows in records.items():
        model.objects.bulk_create(rows)


def measure(args: argparse.Namespace) -> None:
    _setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from remission.accounts.models import User
    from remission.chairside.models import VitalSignEntry
    from remission.clinics.models import Clinic
    from remission.scheduling.models import TreatmentSession

    call_command("migrate", verbosity=0)  # a reused clinic catches up with the code
    call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment does
    clinic = Clinic.objects.get(slug="bench")
    marker = Path(args.var, "bench-session.txt")
    if marker.exists():  # a later round measures the same session
        session = TreatmentSession.objects.get(pk=marker.read_text().strip())
    else:
        session = _charted_session(clinic)
        marker.write_text(str(session.pk))
    client = Client()
    client.force_login(User.objects.get(username="nurse"))
    page = f"/c/{clinic.slug}/sessions/{session.pk}/"
    vitals = f"{page}vitals/"
    data = {
        "systolic_mmhg": "128",
        "diastolic_mmhg": "80",
        "heart_rate_bpm": "76",
        "spo2_percent": "98",
        "respiratory_rate_per_min": "14",
    }

    def get() -> Any:
        response = client.get(page)
        assert response.status_code == 200, response.status_code
        return response

    def post() -> Any:
        response = client.post(vitals, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code
        assert b"Vital signs saved" in response.content, "the vitals were not saved"
        return response

    def undo_post() -> None:
        """Keep the chart the same size for every POST (untimed): remove the reading just
        saved. Its audit event stays, as it would."""
        VitalSignEntry.objects.filter(session=session).order_by("-pk")[0].delete()

    entries = _entries(session)
    results: dict[str, Any] = {
        "session": str(session.pk),
        "status": session.status,
        "patient_sessions": session.patient.sessions.count(),
        "patient_scales": session.patient.scales.count(),
    }
    results["entries_before"] = entries
    for name, request, after in (("get", get, None), ("post", post, undo_post)):
        for _ in range(args.warmup):
            request()
            if after:
                after()
        queries: list[dict[str, Any]] = []
        with connection.execute_wrapper(_Timer(queries)):
            body = request()
        if after:
            after()
        times = []
        for _ in range(args.reps):
            start = time.perf_counter()
            request()
            times.append((time.perf_counter() - start) * 1000)
            if after:
                after()
        results[name] = {
            "reps": args.reps,
            **_percentiles(times),
            "times_ms": [round(t, 3) for t in times],
            "queries": len(queries),
            "query_ms": round(sum(q["ms"] for q in queries), 2),
            "slowest_queries": sorted(queries, key=lambda q: -q["ms"])[:5],
            "response_kb": round(len(body.content) / 1024, 1),
        }
    results["entries_after"] = _entries(session)
    _write(args, "measure", results)


class _Timer:
    """Times every SQL statement of a request (Django's own timings round to 1 ms)."""

    def __init__(self, into: list[dict[str, Any]]) -> None:
        self.into = into

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.into.append({"ms": (time.perf_counter() - start) * 1000, "sql": sql[:400]})


def _charted_session(clinic: Any) -> Any:
    """The measured session, identical in both clinics: today's infusion of the IV patient with
    the longest record, charted through the services up to the observation (check-in,
    checklist, pre-session PHQ-9, order and second check, pre-dose vitals and CADSS-6, infusion
    started and stopped, vitals and MOAA/S every 15 min, CADSS-6 at the end)."""
    from django.db.models import Count
    from django.utils import timezone

    from remission.accounts.models import Membership
    from remission.accounts.roles import Role
    from remission.assessments.models import AssessmentContext
    from remission.audit.services import audited_save
    from remission.chairside import services
    from remission.scheduling import services as scheduling
    from remission.scheduling.models import SessionKind, TreatmentSession
    from remission.treatment.models import TreatmentCourse

    nurse = Membership.objects.get(clinic=clinic, role=Role.NURSE)
    prescriber = Membership.objects.get(clinic=clinic, role=Role.PRESCRIBER)
    course = (
        TreatmentCourse.objects.filter(clinic=clinic, route="iv")
        .annotate(n=Count("sessions"))
        .order_by("-n", "start_date")
        .first()
    )
    assert course is not None, "the clinic has no IV course"
    now = timezone.now().replace(second=0, microsecond=0)
    t0 = now - dt.timedelta(minutes=70)  # the dose started 70 min ago

    def at(minutes: int) -> dt.datetime:
        return t0 + dt.timedelta(minutes=minutes)

    session = TreatmentSession(
        clinic=clinic,
        patient=course.patient,
        course=course,
        kind=SessionKind.DOSING,
        sequence=course.sessions.count() + 1,
        dose_number=course.sessions.count() + 1,
        scheduled_start=at(-15),
        duration_min=120,
    )
    audited_save(session, actor=nurse.user, summary="benchmark session")
    scheduling.check_in(membership=nurse, session=session)
    for item in ("identity", "fasting", "escort", "resuscitation_equipment", "pregnancy_test"):
        answer = "n/a" if item == "pregnancy_test" else "yes"
        services.answer_checklist(membership=nurse, session=session, item=item, answer=answer)
    for question in ("benzodiazepine_today", "stimulant_this_morning", "opioid_today",
                     "alcohol_last_24h"):  # fmt: skip
        services.answer_checklist(membership=nurse, session=session, item=question, answer="no")
    services.record_session_scale(
        membership=nurse, session=session, instrument_id="phq9",
        answers=[2, 1, 1, 2, 1, 1, 1, 0, 0], administered_at=at(-14),
        context=AssessmentContext.PRE_SESSION,
    )  # fmt: skip
    order = services.order_dose(membership=prescriber, session=session, acknowledge_warnings=True)
    services.verify_dose(membership=nurse, order=order)
    readings = {-10: (124, 78, 72), 15: (133, 84, 76), 30: (139, 88, 79), 40: (140, 88, 78)}
    readings |= {55: (134, 84, 76)}
    for minute, (sbp, dbp, hr) in readings.items():
        if minute == 15:
            services.record_administration(
                membership=nurse, session=session, action="start", at=at(0), lot_number="KH26-001"
            )
        if minute == 55:
            services.record_administration(
                membership=nurse, session=session, action="stop", at=at(41)
            )
        services.record_vitals(
            membership=nurse, session=session, measured_at=at(minute),
            check_id=f"vitals@{minute:+d}", systolic_mmhg=sbp, diastolic_mmhg=dbp,
            heart_rate_bpm=hr, spo2_percent=98, respiratory_rate_per_min=14,
        )  # fmt: skip
        if minute == -10:
            services.record_session_scale(
                membership=nurse, session=session, instrument_id="cadss6",
                answers=[0, 0, 0, 0, 0, 0], administered_at=at(-5),
            )  # fmt: skip
        elif minute <= 40:
            services.record_session_scale(
                membership=nurse, session=session, instrument_id="moaas", answers=[5],
                administered_at=at(minute), check_id=f"moaas@{minute:+d}",
            )  # fmt: skip
        if minute == 40:
            services.record_session_scale(
                membership=nurse, session=session, instrument_id="cadss6",
                answers=[1, 2, 1, 0, 1, 0], administered_at=at(40), check_id="cadss6@+40",
            )  # fmt: skip
    session.refresh_from_db()
    assert session.status == "observing", session.status
    return session


def _entries(session: Any) -> dict[str, int]:
    return {
        "vitals": session.vitals.count(),
        "scales": session.scales.count(),
        "administration": session.administration.count(),
        "alerts": session.alerts.count(),
        "checklist": session.checklist.count(),
    }


def _write(args: argparse.Namespace, phase: str, payload: dict[str, Any]) -> None:
    Path(args.var, f"{phase}.json").write_text(json.dumps(payload, indent=2, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phase", choices=("all", "build", "measure"), default="all")
    parser.add_argument("--root", default="/tmp/remission-bench")  # noqa: S108 (throwaway)
    parser.add_argument("--var", help="(phases) the clinic's REMISSION_VAR_DIR")
    parser.add_argument("--patients", type=int, default=3000)
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--baseline-days", type=int, default=30)
    parser.add_argument("--baseline-min-patients", type=int, default=100)
    parser.add_argument("--days", type=int, help="(build phase) days of history")
    parser.add_argument("--chairs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=200, help="timed requests of each kind")
    parser.add_argument("--rounds", type=int, default=4, help="alternating measurement rounds")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep already built clinics")
    parser.add_argument("--out", help="where to write the combined JSON")
    args = parser.parse_args()
    if args.phase == "build":
        build(args)
    elif args.phase == "measure":
        measure(args)
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
