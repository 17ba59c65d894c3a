#!/usr/bin/env bash
# `npm run test:calendar`: the time-sensitive suites again, with the OS clock faked to other dates (libfaketime).
# A test that builds a date the code compares with now from a fixed calendar date fails here on some of them.
# The clock runs from the faked instant (the "@" form); monotonic time stays real so timers behave.
# Dates: a summer evening just before midnight UTC (daylight saving in Europe, the venue's day already tomorrow
# in Lisbon) and a new year just after midnight, years away. An ordinary midday is not among them: `npm test` has
# just run the same suites at the real date, and each pass here costs ~3 minutes of CI on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null 2>&1; then
  echo "test:calendar: faketime is not installed (Debian: apt-get install -y faketime). This guard does not skip itself." >&2
  exit 1
fi

dates=("${@}")
if [ ${#dates[@]} -eq 0 ]; then dates=("2026-06-15 23:50:00" "2030-01-01 00:05:00"); fi
suites=(tests/hq tests/scenario tests/sync tests/station)
# The crash matrix (one station, SIGKILLed a minute long; its statistics need its full size) is left to `npm test`.
exclude=(--exclude tests/sync/crash-matrix.test.ts)

# Shorter soaks: the point here is the calendar, and `npm test` runs the full sizes.
export LANYARD_SOAK_SECONDS="${LANYARD_SOAK_SECONDS:-20}"
export FAKETIME_DONT_FAKE_MONOTONIC=1
export TZ=UTC

failed=()
for d in "${dates[@]}"; do
  echo "── test:calendar at $d UTC"
  seen=$(faketime -f "@$d" date -u +%F)
  if [ "$seen" != "${d%% *}" ]; then
    echo "test:calendar: faketime did not fake the clock (date says $seen)" >&2
    exit 1
  fi
  if ! faketime -f "@$d" npx vitest run "${suites[@]}" "${exclude[@]}"; then failed+=("$d"); fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "test:calendar: failed at ${failed[*]}" >&2
  exit 1
fi
echo "test:calendar: passed at ${#dates[@]} dates"
