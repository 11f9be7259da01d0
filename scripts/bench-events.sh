#!/usr/bin/env bash
# Startup time, event acknowledgement latency and resident memory of the packaged service on its embedded
# MariaDB. Usage: bash scripts/bench-events.sh   (builds the jar first; everything on localhost)
# RATE=500: a third round offers 5,000 more events at that rate (open loop, latency from when each was due)
# JAVA_OPTS: the service JVM's options (e.g. the GC settings of src/main/docker/Dockerfile.jvm)
set -euo pipefail
cd "$(dirname "$0")/.."
POSTERS=${POSTERS:-100}
EVENTS=${EVENTS:-5000}
PORT=${PORT:-18090}
TOKEN=bench-application-token
DATA=$(mktemp -d)
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

start=$(date +%s%N)
JOBS_RUN_IN_BACKGROUND=${JOBS_BG:-true} EMBEDDED_DB_DIR="$DATA/db" QUARKUS_DATASOURCE_JDBC_MAX_SIZE=${DB_POOL:-20} QUARKUS_HTTP_PORT=$PORT B24_APPLICATION_TOKEN=$TOKEN ADMIN_API_TOKEN=bench-admin \
  java ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar > "$DATA/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -sf "localhost:$PORT/q/health/ready" > /dev/null; do sleep 0.1; done
echo "startup (cold, embedded MariaDB included): $(( ($(date +%s%N) - start) / 1000000 )) ms"
echo "RSS after start: $(grep VmRSS /proc/$pid/status | awk '{print $2/1024 " MiB"}')"

# a warm-up round (other events, same posters) first, then the measured one; both are printed, with the CPU each
# thread of the service and of MariaDB used during the round
db=$(pgrep -f "mariadbd.*$DATA" | head -1 || true)
java -Dbench.pids="$pid,$db" -cp 'target/quarkus-app/lib/main/*' scripts/EventAckBench.java "http://localhost:$PORT" \
  "$TOKEN" "$POSTERS" "$EVENTS" "${WARMUP:-5000}" "${RATE:-0}" 2>&1 | grep -v '^SLF4J'

# every event stored once, and each processed once (one job per stored event, plus one listener job per task event)
sleep 5
curl -s -H "Authorization: Bearer bench-admin" "localhost:$PORT/admin/jobs?status=DONE&limit=1" | \
  sed -E 's/.*"counts":\{([^}]*)\}.*/job counts: \1/'
echo "RSS after the run: $(grep VmRSS /proc/$pid/status | awk '{print $2/1024 " MiB"}')"
