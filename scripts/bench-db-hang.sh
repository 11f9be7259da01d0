#!/usr/bin/env bash
# A hanging database and a clean stop, on two replicas of the packaged jar (DatabaseHangIT): dealers post claims and
# the portal sends events while the MariaDB process is frozen with SIGSTOP for FREEZE seconds (default 45, as an
# operator's test freezes it; the IT in `verify` uses 15); then one replica gets SIGTERM with the queue busy.
# Prints answer times during the hang, when readiness went DOWN, recovery times and the stop's duration.
# Usage: bash scripts/bench-db-hang.sh        (FREEZE=45; REBUILD=1 packages the jar again first)
set -euo pipefail
cd "$(dirname "$0")/.."
FREEZE=${FREEZE:-45}
if [ -n "${REBUILD:-}" ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q package -DskipTests -Dcds.skip
fi
start=$(date +%s)
./mvnw -B -q test -Dtest=DatabaseHangIT -Dsurefire.failIfNoSpecifiedTests=false -Dcds.skip \
  -Dhang.freeze-seconds="$FREEZE" || status=$?
echo "== $(( $(date +%s) - start )) s in all (freeze $FREEZE s); target/db-hang/replica-*.log hold the replicas' logs"
cat target/db-hang/timings.txt 2>/dev/null || echo "no figures: the run failed before measuring"
exit "${status:-0}"
