#!/usr/bin/env bash
# Runs Stryker.NET over src/Engine with the arguments given, and ends the test hosts it leaves behind.
#
# Why: a mutant that hangs (a loop bound that never ends, a worker waiting for a signal that never comes) keeps its test
# host running after Stryker has timed the session out and moved on. Stryker does not end those hosts; over a long run
# they pile up and spin, taking the cores from the live sessions. Stryker times a session out after 1.5 × the time its
# tests took in the initial run plus start-up and 5 s (about a minute at most for this suite), so a host of this
# repository's test projects older than the limit (TEST_HOST_LIMIT seconds, 180 unless set) belongs to no live session.
# That holds only once the mutants are being tested: before that, the initial test run and the capture of each test's
# coverage run every test in one session, the capture under Stryker's instrumentation (about 5 minutes on 2 cores here).
# Ending that host loses the coverage of the tests it had not reported, and Stryker then tests their mutants against the
# other tests only, or not at all (Survived or NoCoverage though a test detects them), so hosts are ended only after
# Stryker prints that the mutants "will be tested".
#
# Usage, from anywhere:  tools/mutation-run.sh [dotnet stryker options]     (a line on stderr per host ended)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
limit=${TEST_HOST_LIMIT:-180}
if [[ ! $limit =~ ^[0-9]+$ ]]; then
    echo "mutation-run: TEST_HOST_LIMIT must be a whole number of seconds, not '$limit'" >&2
    exit 2
fi

# Test hosts of this repository's test projects that have run longer than the limit.
stale_hosts() {
    { pgrep -f -- "--runtimeconfig $root/tests/.*testhost\.dll" || true; } | while read -r pid; do
        # A host may end between pgrep and ps: no age, skipped (not an error under set -e).
        age=$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ' || true)
        if [[ -n $age && $age -gt $limit ]]; then echo "$pid $age"; fi
    done
}

cd "$root/src/Engine"
output=$(mktemp)
trap 'rm -f "$output"' EXIT
dotnet stryker "$@" > >(tee "$output") &
stryker=$!
while kill -0 "$stryker" 2>/dev/null; do
    if grep -q "total mutants will be tested" "$output"; then
        stale_hosts | while read -r pid age; do
            if kill -9 "$pid" 2>/dev/null; then
                echo "mutation-run: $(date +%T) ended test host $pid, running for $age s" >&2
            fi
        done
    fi
    for _ in {1..15}; do kill -0 "$stryker" 2>/dev/null || break; sleep 1; done
done
wait "$stryker"
