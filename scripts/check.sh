#!/usr/bin/env bash
# Every check `make test` runs. Prints, at the end, each suite it skipped and why;
# with REMISSION_REQUIRE_ALL=1 a skipped suite is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export REMISSION_VAR_DIR="${REMISSION_VAR_DIR:-$PWD/var/test}"
export DJANGO_SETTINGS_MODULE=remission.config.test_settings
mkdir -p "$REMISSION_VAR_DIR"

failed=()
skipped=()
ran=()

step() {
  local name="$1"; shift
  echo
  echo "==> $name"
  if "$@"; then ran+=("$name"); else failed+=("$name"); fi
}

step "ruff lint" "$BIN/ruff" check .
step "ruff format" "$BIN/ruff" format --check .
step "mypy" "$BIN/mypy"
step "import contracts (pure clinical core, layers)" "$BIN/lint-imports" --no-cache
step "pytest on SQLite" "$BIN/pytest" -q -n 2 -m "not e2e" -p no:randomly

# Tests that book relative to "now" run with the clock pinned to each day of one week, late
# evening in the clinic's zone (another UTC date) and the days before both daylight-saving changes.
for clock in 2026-11-30T14:30Z 2026-12-01T14:30Z 2026-12-02T14:30Z 2026-12-03T14:30Z \
  2026-12-04T14:30Z 2026-12-05T14:30Z 2026-12-06T14:30Z 2026-12-03T04:30Z \
  2026-10-31T14:30Z 2027-03-13T14:30Z; do
  step "calendar tests at $clock" env REMISSION_TEST_CLOCK="$clock" \
    "$BIN/pytest" -q -n 2 -m calendar -p no:randomly
done

if [ -n "${REMISSION_TEST_DATABASE_URL:-}" ]; then
  step "pytest on PostgreSQL" env TEST_DATABASE_URL="$REMISSION_TEST_DATABASE_URL" \
    "$BIN/pytest" -q -n 2 -m "not e2e"
else
  skipped+=("pytest on PostgreSQL: REMISSION_TEST_DATABASE_URL is not set")
fi

CHROMIUM="${REMISSION_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  step "browser tests (Playwright + Chromium)" env REMISSION_CHROMIUM="$CHROMIUM" \
    DJANGO_ALLOW_ASYNC_UNSAFE=true "$BIN/pytest" -q -m e2e -p no:xdist
else
  skipped+=("browser tests: no Chromium at $CHROMIUM (apt-get install chromium)")
fi

echo
echo "==> summary"
for name in "${ran[@]}"; do echo "passed:  $name"; done
for name in "${failed[@]}"; do echo "FAILED:  $name"; done
for reason in "${skipped[@]}"; do echo "skipped: $reason"; done
if [ ${#failed[@]} -gt 0 ]; then exit 1; fi
if [ ${#skipped[@]} -gt 0 ] && [ "${REMISSION_REQUIRE_ALL:-0}" = "1" ]; then
  echo "REMISSION_REQUIRE_ALL=1: a skipped suite is a failure."
  exit 1
fi
exit 0
