"""The ``remission`` console script: deployment checks, serving, errors in one line, and
concurrent audited writers on the SQLite file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _remission(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "remission", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "TEST_DATABASE_URL", "SECRET_KEY"}
    }
    env.update(
        {"REMISSION_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "remission.config.settings"}
    )
    env.update(extra)
    return env


def test_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    env = _clean_env(
        tmp_path,
        SECRET_KEY="x" * 20 + "-production-secret-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="clinic.example.org",
        REMISSION_HTTPS="1",
    )
    result = _remission("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_serve_with_an_unreachable_database_exits_with_one_line(tmp_path: Path) -> None:
    env = _clean_env(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:9/none")
    result = _remission("serve", "--bind", "127.0.0.1:0", env=env)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("CommandError: cannot reach the database")


def test_serve_on_an_unmigrated_database_exits_with_one_line(tmp_path: Path) -> None:
    result = _remission("serve", "--bind", "127.0.0.1:0", env=_clean_env(tmp_path))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["CommandError: the database is not migrated: run `remission migrate` first"]


def test_serve_collects_static_files_so_the_first_page_renders(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    assert _remission("migrate", "-v", "0", env=env).returncode == 0
    assert not (tmp_path / "static").exists()
    with socket.socket() as probe:  # a free port for the server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "remission", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        status = None
        deadline = time.monotonic() + 60
        while status is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as page:
                    status, body = page.status, page.read().decode()
            except OSError:
                time.sleep(0.25)
        assert status == 200
        assert "/static/remission/app." in body  # the hashed name from the manifest
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_pure_commands_report_bad_arguments_in_one_line(tmp_path: Path) -> None:
    result = _remission("clinical-rules", "--bogus", env=_clean_env(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "unrecognized arguments" in result.stderr


_CONCURRENT_AUDIT_WRITERS = """
import threading
import django

django.setup()
from django.db import connection
from remission.audit.models import AuditAction
from remission.audit.services import EventSpec, append, verify_chain

failures = []

def writer(n):
    try:
        for i in range(40):
            append([EventSpec(AuditAction.VIEW, None, None, summary=f"writer {n} read {i}")])
    except Exception as exc:
        failures.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(failures), failures[:1], verify_chain())
"""


def test_concurrent_audited_writes_on_the_sqlite_file_wait_for_each_other(
    tmp_path: Path,
) -> None:
    """Every audited read is a read-then-write transaction; on the production SQLite file six
    concurrent writers must queue for the lock, not fail with "database is locked"."""
    env = _clean_env(tmp_path)
    assert _remission("migrate", "-v", "0", env=env).returncode == 0
    result = subprocess.run(
        [sys.executable, "-c", _CONCURRENT_AUDIT_WRITERS],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "0 [] ChainVerification(ok=True, events_checked=240, broken_at=None, reason='')"
    )
