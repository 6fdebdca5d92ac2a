"""Server time and audit writes of the listing pages, before and after one audit write per request.

    git worktree add --detach /tmp/audit-baseline <the commit before>   # the baseline's code
    PYTHONPATH=src .venv/bin/python bench/audit_pages.py --baseline-src /tmp/audit-baseline/src
    PYTHONPATH=src .venv/bin/python bench/audit_pages.py --baseline-src /tmp/audit-baseline/src \
        --patients 2000 --reps 60 --rounds 4 --root /tmp/remission-audit-bench

Two trees are measured in the same run with the same virtualenv: *baseline* (``--baseline-src``,
a checkout of the commit before the change, first on ``PYTHONPATH``) and *current* (this
checkout). Each builds the same demo (``remission demo --patients N --seed S``) in its own
SQLite database under ``--root``; every round starts from a fresh copy of that database, so the
audit rows the measured requests write never make one tree's later rounds slower than the other's.

Pages, each a GET through Django's test ``Client`` as a force-logged-in demo user (middleware,
view, queries, template, the audit write; no network):

* the REMS dashboard ``/c/demo/rems/`` (nurse),
* the day board ``/c/demo/sessions/today/`` (nurse),
* the patient list ``/c/demo/patients/`` (front desk; 25 a page),
* the chart of the patient with the most audit events ``/c/demo/patients/<id>/`` (prescriber),
  which carries the access log.

``--reps`` timed requests of each page per round after ``--warmup`` untimed ones, in ``--rounds``
alternating rounds (baseline, current, baseline, …; each round a fresh process) so the shared
machine's changing load hits both alike. Recorded per page: p50/p95/mean of the server time,
SQL statements of one request, audit events and named-patient rows written by one request.
"""

from __future__ import annotations

import argparse
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
TREES = ("baseline", "current")


# --- orchestration (no Django here) -----------------------------------------------------------


def _env(src: Path, var: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "REMISSION_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "remission.config.settings",
        "ALLOWED_HOSTS": "testserver,localhost",
        "PYTHONPATH": str(src),
    }
    env.pop("DATABASE_URL", None)
    return env


def _remission(src: Path, var: Path, *args: str) -> None:
    command = [sys.executable, "-m", "remission", *args]
    subprocess.run(command, env=_env(src, var), check=True, stdout=subprocess.DEVNULL)


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(0.95 * len(ordered)) - 1)], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


def orchestrate(args: argparse.Namespace) -> None:
    root = Path(args.root)
    sources = {"baseline": Path(args.baseline_src).resolve(), "current": ROOT / "src"}
    results: dict[str, Any] = {"machine_start": machine(), "arguments": vars(args)}
    for tree in TREES:
        built = root / tree / "built"
        if built.exists() and not args.reuse:
            shutil.rmtree(built)
        if not (built / "remission.sqlite3").exists():
            built.mkdir(parents=True, exist_ok=True)
            print(f"building the {tree} demo ({args.patients} patients)…", flush=True)
            started = time.perf_counter()
            _remission(sources[tree], built, "migrate", "-v", "0")
            _remission(
                sources[tree],
                built,
                "demo",
                "--patients",
                str(args.patients),
                "--seed",
                str(args.seed),
            )
            results[f"{tree}_build_s"] = round(time.perf_counter() - started, 1)
    rounds: dict[str, list[dict[str, Any]]] = {tree: [] for tree in TREES}
    for number in range(args.rounds):
        for tree in TREES:
            print(f"round {number + 1}/{args.rounds}: measuring {tree}…", flush=True)
            run = root / tree / "run"
            if run.exists():
                shutil.rmtree(run)
            run.mkdir(parents=True)
            shutil.copy(root / tree / "built" / "remission.sqlite3", run / "remission.sqlite3")
            command = [sys.executable, str(HERE), "--phase", "measure", "--var", str(run)]
            command += ["--reps", str(args.reps), "--warmup", str(args.warmup)]
            subprocess.run(command, env=_env(sources[tree], run), check=True)
            rounds[tree].append(json.loads((run / "measure.json").read_text()))
    pages = list(rounds["current"][0]["pages"])
    summary: dict[str, Any] = {}
    for page in pages:
        row: dict[str, Any] = {}
        for tree in TREES:
            times = [t for r in rounds[tree] for t in r["pages"][page]["times_ms"]]
            first = rounds[tree][0]["pages"][page]
            row[tree] = {
                **_percentiles(times),
                "requests": len(times),
                "statements": first["statements"],
                "audit_events_per_request": first["audit_events"],
                "named_patient_rows_per_request": first["named_rows"],
                "patients_shown": first["patients_shown"],
            }
        row["p50_ratio_current_to_baseline"] = round(
            row["current"]["p50_ms"] / row["baseline"]["p50_ms"], 3
        )
        summary[page] = row
    results["pages"] = summary
    results["load_by_round"] = {tree: [r["load_average"] for r in rounds[tree]] for tree in TREES}
    results["machine_end"] = machine()
    out = root / "audit_pages.json"
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(summary, indent=2))
    print(f"written to {out}")


# --- the measuring phase (in its own process, with one tree's code and database) --------------


class _Counter:
    """A database execute wrapper that notes every statement."""

    def __init__(self, statements: list[str]) -> None:
        self.statements = statements

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements.append(sql)
        return execute(sql, params, many, context)


def measure(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from remission.accounts.models import User
    from remission.audit.models import AuditEvent
    from remission.patients.models import Patient

    call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment does
    try:
        named_model: Any = apps.get_model("audit", "AuditEventPatient")
    except LookupError:  # the baseline has no patient sets
        named_model = None

    def rows() -> tuple[int, int]:
        named = named_model.objects.count() if named_model is not None else 0
        return AuditEvent.objects.count(), named

    busiest = (
        AuditEvent.objects.filter(patient_id__isnull=False)
        .values("patient_id")
        .annotate(n=Count("id"))
        .order_by("-n", "patient_id")
        .first()
    )
    assert busiest is not None
    patient = Patient.objects.get(pk=busiest["patient_id"])
    slug = patient.clinic.slug
    pages = {
        "REMS dashboard": ("nurse", f"/c/{slug}/rems/"),
        "day board": ("nurse", f"/c/{slug}/sessions/today/"),
        "patient list": ("frontdesk", f"/c/{slug}/patients/"),
        "chart (busiest patient)": ("prescriber", f"/c/{slug}/patients/{patient.pk}/"),
    }
    clients: dict[str, Client] = {}
    out: dict[str, Any] = {"load_average": os.getloadavg(), "pages": {}}
    for page, (username, url) in pages.items():
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(User.objects.get(username=username))
        for _ in range(args.warmup):
            assert client.get(url).status_code == 200, url
        events_before, named_before = rows()
        statements: list[str] = []
        with connection.execute_wrapper(_Counter(statements)):
            response = client.get(url)
        assert response.status_code == 200, url
        events_after, named_after = rows()
        new = AuditEvent.objects.order_by("-id")[: events_after - events_before]
        shown = {e.patient_id for e in new if e.patient_id}
        if named_model is not None:
            shown |= set(
                named_model.objects.filter(event__in=list(new)).values_list("patient_id", flat=True)
            )
        times: list[float] = []
        for _ in range(args.reps):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        out["pages"][page] = {
            "url": url,
            "times_ms": times,
            "statements": len(statements),
            "audit_events": events_after - events_before,
            "named_rows": named_after - named_before,
            "patients_shown": len(shown),
        }
    Path(args.var, "measure.json").write_text(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", help="the baseline checkout's src/ directory")
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reps", type=int, default=30, help="timed requests per page per round")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--root", default="/tmp/remission-audit-bench")  # noqa: S108 (throwaway)
    parser.add_argument("--reuse", action="store_true", help="keep databases already built")
    parser.add_argument("--phase", choices=["measure"], help=argparse.SUPPRESS)
    parser.add_argument("--var", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "measure":
        measure(args)
    elif not args.baseline_src:
        parser.error("--baseline-src is required (a checkout of the commit before the change)")
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
