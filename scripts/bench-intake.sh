#!/usr/bin/env bash
# Portal calls per dealer claim and end-to-end intake throughput, against a local portal stand-in that enforces
# the leaky bucket (RATE/s, BURST) and the per-method operating budget (BUDGET s per 10 min, COST s per command).
# Usage: bash scripts/bench-intake.sh     (RATE=2 BURST=50 BUDGET=480 COST=0.5 WINDOW=600 CLAIMS=200 DEALERS=50)
# A tight budget in a short window shows the time-budget ceiling quickly, e.g. WINDOW=30 BUDGET=3 COST=0.1.
# ROUNDING=up|down (default up): how the stand-in rounds operating_reset_at to a whole second (the docs do not say);
# RESET_SLACK sets B24_OPERATING_RESET_SLACK (default: the service's own, 1s).
# REPLICAS=2 starts a second replica on the first one's database (both run the jobs; claims are posted to the first);
# SHARED=false keeps each replica's view of the portal's limits in its own memory (B24_RATE_SHARED).
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-2}; BURST=${BURST:-50}; BUDGET=${BUDGET:-480}; COST=${COST:-0.5}; WINDOW=${WINDOW:-600}
CLAIMS=${CLAIMS:-200}; DEALERS=${DEALERS:-50}
PORTAL_PORT=18091; PORT=18092; PORT2=18093; DB_PORT=18094; DATA=$(mktemp -d)
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench.cp)"

java -cp "$CP" ru.b24connector.bench.PortalStandIn $PORTAL_PORT "$RATE" "$BURST" "$BUDGET" "$COST" "$WINDOW" "${ROUNDING:-up}" > "$DATA/portal.log" 2>&1 &
portal=$!
export B24_WEBHOOK_URL="http://127.0.0.1:$PORTAL_PORT/rest/1/bench/" B24_RECLAMATION_CATEGORY_ID=3 \
  INTAKE_API_TOKENS=bench-dealer B24_RATE_PER_SECOND="$RATE" B24_RATE_BURST="$BURST" \
  B24_OPERATING_LIMIT_SECONDS="$BUDGET" B24_RATE_SHARED="${SHARED:-true}"
[ -n "${RESET_SLACK:-}" ] && export B24_OPERATING_RESET_SLACK="$RESET_SLACK"
EMBEDDED_DB_DIR="$DATA/db" EMBEDDED_DB_PORT=$DB_PORT QUARKUS_HTTP_PORT=$PORT \
  java -jar target/quarkus-app/quarkus-run.jar > "$DATA/service.log" 2>&1 &
service=$!
service2=
trap 'kill $service $service2 $portal 2>/dev/null; wait $service $service2 $portal 2>/dev/null; [ -n "${KEEP:-}" ] && echo "logs kept in $DATA" || rm -rf "$DATA"' EXIT
until curl -sf "localhost:$PORT/q/health/ready" > /dev/null; do sleep 0.2; done
if [ "${REPLICAS:-1}" = 2 ]; then
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:mariadb://127.0.0.1:$DB_PORT/b24connector" QUARKUS_DATASOURCE_USERNAME=root \
    QUARKUS_HTTP_PORT=$PORT2 java -jar target/quarkus-app/quarkus-run.jar > "$DATA/service2.log" 2>&1 &
  service2=$!
  until curl -sf "localhost:$PORT2/q/health/ready" > /dev/null; do sleep 0.2; done
  echo "second replica on the same database: ready"
fi
sleep 5 # let the startup registration finish

RUN=$(( $(date +%s) % 100000 ))
echo "== one claim of a new dealer"
java -cp "$CP" ru.b24connector.bench.IntakeBurst "http://localhost:$PORT" "http://127.0.0.1:$PORTAL_PORT" bench-dealer 1 1 "$RUN"
echo "== one claim of the same dealer, now known"
java -cp "$CP" ru.b24connector.bench.IntakeBurst "http://localhost:$PORT" "http://127.0.0.1:$PORTAL_PORT" bench-dealer 1 1 "$RUN"
echo "== burst: $CLAIMS claims from $DEALERS dealers (rate $RATE/s, burst $BURST, budget ${BUDGET}s at ${COST}s per command, operating_reset_at rounded ${ROUNDING:-up})"
java -cp "$CP" ru.b24connector.bench.IntakeBurst "http://localhost:$PORT" "http://127.0.0.1:$PORTAL_PORT" bench-dealer "$CLAIMS" "$DEALERS"
if [ -n "$service2" ]; then
  for p in $PORT $PORT2; do
    echo "replica on $p: $(curl -s "localhost:$p/q/metrics" | awk '/^connector_portal_calls_total/ {n += $2} END {print n + 0}') portal calls"
  done
fi
